from django.urls import path

from openprm.deals import views
from openprm.deals.assignment import views as assignment_views
from openprm.deals.conversion import views as conversion_views
from openprm.deals.notes import views as note_views
from openprm.deals.registrations import views as registration_views
from openprm.deals.saved_views import views as saved_view_views

app_name = "deals"

urlpatterns = [
    path("", views.deal_list, name="list"),
    path("vendor/", views.vendor_list, name="vendor-list"),
    path("new/", views.deal_create, name="create"),
    path("views/", saved_view_views.view_save, name="view-save"),
    path("views/<int:view_id>/delete/", saved_view_views.view_delete, name="view-delete"),
    path(
        "vendor/opportunities/", conversion_views.vendor_opportunities, name="vendor-opportunities"
    ),
    path("convert/<int:opportunity_id>/", conversion_views.convert, name="convert"),
    path("<int:deal_id>/", views.deal_detail, name="detail"),
    path("<int:deal_id>/edit/", views.edit_details, name="edit"),
    path("<int:deal_id>/product/", views.change_product, name="change-product"),
    path("<int:deal_id>/stage/", views.move_stage, name="stage"),
    path("<int:deal_id>/notes/", note_views.note_add, name="note-add"),
    path("<int:deal_id>/notes/<int:note_id>/comments/", note_views.comment_add, name="comment-add"),
    path("attachments/<int:attachment_id>/", note_views.attachment_download, name="attachment"),
    path(
        "attachments/<int:attachment_id>/delete/",
        note_views.attachment_delete,
        name="attachment-delete",
    ),
    path("settings/communication/", assignment_views.lead_recipients, name="lead-recipients"),
    path("registrations/", registration_views.registration_queue, name="registrations"),
    path(
        "registrations/<int:registration_id>/decide/",
        registration_views.registration_decide,
        name="registration-decide",
    ),
    path(
        "registrations/<int:registration_id>/extension/",
        registration_views.registration_extension,
        name="registration-extension",
    ),
    path(
        "registrations/<int:registration_id>/answer/",
        registration_views.registration_answer,
        name="registration-answer",
    ),
]
