"""Sign-in and sign-out keep their global names ('login', 'logout', 'home'); every other
accounts page lives in the `accounts` namespace (see `settings_urlpatterns`)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from openprm.accounts import views
from openprm.accounts.two_factor import urls as two_factor_urls
from openprm.accounts.two_factor.views import TwoFactorSignInView
from openprm.core.views import home

settings_urlpatterns = [
    path("settings/", views.settings_profile, name="settings"),
    path("settings/password/", views.PasswordChange.as_view(), name="password_change"),
    path("settings/tokens/", views.api_tokens, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="token_revoke"),
    path("settings/users/", views.users, name="users"),
    path("settings/users/invite/", views.user_invite, name="user_invite"),
    path("settings/users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("settings/users/<int:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("settings/users/<int:user_id>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("invitations/<str:secret>/", views.invitation_accept, name="invitation_accept"),
    path("language/", views.set_language, name="set_language"),
    path("password-reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDone.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetComplete.as_view(),
        name="password_reset_complete",
    ),
    *two_factor_urls.urlpatterns,
]

site_urlpatterns = [
    path("", home, name="home"),
    path("login/", TwoFactorSignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

urlpatterns = [
    *site_urlpatterns,
    path("", include((settings_urlpatterns, "accounts"))),
]
