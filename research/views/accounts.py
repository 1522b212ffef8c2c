"""Signing in (password, then a second factor for those who set one up) and a person's own
account page: two-factor sign-in and recovery codes."""

import time
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from research.forms.accounts import MfaConfirmForm, PasswordConfirmForm, SignInCodeForm
from research.forms.base import add_service_errors
from research.services import accounts as services

PENDING_KEY = "fieldnotes_signin_pending"


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: 429 and when to try again."""
    credentials = credentials or {}
    username = credentials.get("username") or request.POST.get("username", "")
    context = {
        "username": str(username)[:150],
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


class SignInView(LoginView):
    """The password step. Someone with two-factor sign-in is not signed in yet: the session
    remembers who passed the password (for a few minutes) and the code step finishes it."""

    def form_valid(self, form):
        user = form.get_user()
        if services.mfa_device(user) is None:
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("login_code")


def _pending(request):
    """The user who passed the password step (and where they go next), or (None, None)."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, None
    if time.time() - float(pending.get("at", 0)) > settings.FIELDNOTES_MFA_PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


@require_http_methods(["GET", "POST"])
def signin_code(request):
    """The second step: a code from the authenticator app or a recovery code. A wrong code is
    a failed sign-in (counted by django-axes, recorded in the audit trail)."""
    user, pending = _pending(request)
    if user is None:
        messages.error(request, "Sign in with your password first (the code step timed out).")
        return redirect("login")
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING_KEY, None)
        return locked_out(request, credentials=credentials)
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        used = services.mfa_verify(user=user, code=form.cleaned_data["code"])
        if used is not None:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=pending["backend"])
            if used == "recovery":
                left = services.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. Make new ones if few are left.",
                )
            target = pending.get("next") or settings.LOGIN_REDIRECT_URL
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        user_login_failed.send(
            sender=__name__,
            credentials={**credentials, "reason": "wrong code"},
            request=request,
        )
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.session.pop(PENDING_KEY, None)
            return locked_out(request, credentials=credentials)
        form.add_error("code", "That code is not right (or was used already).")
    status = 400 if form.errors else 200
    return render(request, "registration/login_code.html", {"form": form}, status=status)


def _account_page(request, *, status=200, **context):
    device = services.mfa_device(request.user)
    context.setdefault("password_form", PasswordConfirmForm(user=request.user))
    context.update(
        device=device,
        codes_left=services.recovery_codes_left(request.user) if device else 0,
        required=services.mfa_required_by_a_team(request.user),
    )
    return render(request, "research/account.html", context, status=status)


@login_required
def account(request):
    return _account_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def account_mfa_setup(request):
    """Scan a new key as a QR code, confirm it with a code; the recovery codes are shown once,
    in the answer to that confirmation, and never again."""
    if request.method == "POST" and request.POST.get("step") == "confirm":
        form = MfaConfirmForm(request.POST)
        if form.is_valid():
            try:
                codes = services.mfa_setup_confirm(
                    user=request.user, token=form.cleaned_data["token"], request=request
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Two-factor sign-in is on.")
                return render(request, "research/account_codes.html", {"codes": codes})
        device = services.mfa_pending_device(user=request.user)
        if device is None:
            messages.error(request, "No authenticator key is waiting: start the set-up again.")
            return _account_page(request, status=400)
        return _setup_page(request, device, form, status=400)
    if request.method == "POST":
        return _setup_page(request, services.mfa_setup_start(user=request.user), MfaConfirmForm())
    device = services.mfa_pending_device(user=request.user)
    if device is None:
        return redirect("research:account")
    return _setup_page(request, device, MfaConfirmForm())


def _setup_page(request, device, form, status=200):
    context = {
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=5, border=2),
        "secret": b32encode(device.bin_key).decode().rstrip("="),
    }
    return render(request, "research/account_mfa_setup.html", context, status=status)


@login_required
@require_POST
def account_mfa_disable(request):
    form = PasswordConfirmForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.mfa_disable(user=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _account_page(request, status=400)
        messages.success(request, "Two-factor sign-in is off.")
        return redirect("research:account")
    return _account_page(request, password_form=form, status=400)


@login_required
@require_POST
def account_recovery_codes(request):
    form = PasswordConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        return _account_page(request, password_form=form, status=400)
    try:
        codes = services.recovery_codes_regenerate(user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _account_page(request, status=400)
    return render(request, "research/account_codes.html", {"codes": codes})
