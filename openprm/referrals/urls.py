from django.urls import path

from openprm.referrals import views
from openprm.referrals.creation import views as creation
from openprm.referrals.crm_stages import views as crm_stages
from openprm.referrals.lifecycle import views as lifecycle
from openprm.referrals.registration import views as registration
from openprm.referrals.sending import views as sending
from openprm.referrals.stages import views as stages
from openprm.referrals.team import views as team

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("vendor/", views.vendor_list, name="vendor-list"),
    path("export/", views.export, name="export"),
    path("send/", sending.send, name="send"),
    path("new/", creation.new_deal, name="create"),
    path("new/customers/", views.customer_suggestions, name="customer-suggestions"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("settings/crm-stages/", crm_stages.crm_stages, name="crm-stages"),
    path(
        "settings/crm-stages/<int:stage_id>/delete/",
        crm_stages.crm_stage_delete,
        name="crm-stage-delete",
    ),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/accept/", lifecycle.accept, name="accept"),
    path("<int:referral_id>/decline/", lifecycle.decline, name="decline"),
    path("<int:referral_id>/edit/", lifecycle.edit, name="edit"),
    path("<int:referral_id>/team/", team.team_add, name="team-add"),
    path("<int:referral_id>/team/<int:member_id>/edit/", team.team_edit, name="team-edit"),
    path("<int:referral_id>/team/<int:member_id>/remove/", team.team_remove, name="team-remove"),
    path("<int:referral_id>/stages/", stages.mark_stage, name="stages"),
    path("<int:referral_id>/won/", lifecycle.close_won, name="close-won"),
    path("<int:referral_id>/lost/", lifecycle.close_lost, name="close-lost"),
    path("<int:referral_id>/registration/", registration.register, name="register"),
]
