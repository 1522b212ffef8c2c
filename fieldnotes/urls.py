from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from research.views.accounts import SignInView, signin_code

urlpatterns = [
    # The admin signs in through the same two steps (and the same lockout) as everyone.
    path("admin/login/", SignInView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page links.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("fieldnotes/favicon.ico"))),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/login/code/", signin_code, name="login_code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("research.urls")),
]

handler400 = "research.views.errors.bad_request"
handler403 = "research.views.errors.permission_denied"
handler404 = "research.views.errors.page_not_found"
handler500 = "research.views.errors.server_error"
