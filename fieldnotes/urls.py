from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page links.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("fieldnotes/favicon.ico"))),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("research.urls")),
]

handler400 = "research.views.errors.bad_request"
handler403 = "research.views.errors.permission_denied"
handler404 = "research.views.errors.page_not_found"
handler500 = "research.views.errors.server_error"
