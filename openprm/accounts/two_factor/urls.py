"""Two-factor pages, in the `accounts` namespace (see openprm.accounts.urls)."""

from django.urls import path

from openprm.accounts.two_factor import views

urlpatterns = [
    path("login/code/", views.sign_in_code, name="two_factor_sign_in"),
    path("settings/two-factor/", views.status, name="two_factor"),
    path("settings/two-factor/setup/", views.setup, name="two_factor_setup"),
    path("settings/two-factor/recovery-codes/", views.recovery_codes, name="two_factor_recovery"),
    path("settings/two-factor/disable/", views.disable, name="two_factor_disable"),
    path("settings/two-factor/requirement/", views.requirement, name="two_factor_requirement"),
]
