"""Authentication backends: django-axes' lockout check in front of Django's password check."""

from axes.backends import AxesStandaloneBackend


class SignInLockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come with a request (every web form). One without
    a request (the test client's login(), a shell) is no web sign-in: axes would refuse it with
    an exception, so the check is skipped and the password backend decides."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
