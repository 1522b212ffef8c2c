from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from research.views.accounts import SignInView, signin_code

urlpatterns = [
    # The admin signs in through the same two steps (and the same lockout) as everyone.
    path("admin/login/", SignInView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/login/code/", signin_code, name="login_code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("research.urls")),
]
