from django.urls import path

from openprm.referrals import action_views, views, wizard

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("vendor/", views.vendor_list, name="vendor-list"),
    path("export/", views.export, name="export"),
    path("send/", views.send, name="send"),
    path("new/", wizard.new_deal, name="create"),
    path("new/customers/", wizard.customer_suggestions, name="customer-suggestions"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("settings/crm-stages/", views.crm_stages, name="crm-stages"),
    path(
        "settings/crm-stages/<int:stage_id>/delete/",
        views.crm_stage_delete,
        name="crm-stage-delete",
    ),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/accept/", action_views.accept, name="accept"),
    path("<int:referral_id>/decline/", action_views.decline, name="decline"),
    path("<int:referral_id>/edit/", action_views.edit, name="edit"),
    path("<int:referral_id>/team/", action_views.team_add, name="team-add"),
    path("<int:referral_id>/stages/", action_views.mark_stage, name="stages"),
    path("<int:referral_id>/won/", action_views.close_won, name="close-won"),
    path("<int:referral_id>/lost/", action_views.close_lost, name="close-lost"),
    path("<int:referral_id>/registration/", action_views.register, name="register"),
]
