from django.urls import path

from openprm.crm import views
from openprm.crm.applications import views as application_views
from openprm.crm.partners import views as partner_views

app_name = "crm"

urlpatterns = [
    path("customers/", views.customer_list, name="customers"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer-detail"),
    path("customers/<int:customer_id>/notes/", views.customer_note_add, name="customer-note-add"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/new/", views.contact_create, name="contact-create"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact-detail"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:contact_id>/delete/", views.contact_delete, name="contact-delete"),
    path("partners/", views.partner_list, name="partners"),
    path("partners/<int:partner_id>/", views.partner_detail, name="partner-detail"),
    # The program admin's partner administration.
    path("partners/new/", partner_views.partner_create, name="partner-create"),
    path("partners/<int:partner_id>/edit/", partner_views.partner_edit, name="partner-edit"),
    path(
        "partners/<int:partner_id>/deactivate/",
        partner_views.partner_deactivate,
        name="partner-deactivate",
    ),
    path(
        "partners/<int:partner_id>/reactivate/",
        partner_views.partner_reactivate,
        name="partner-reactivate",
    ),
    path(
        "partners/<int:partner_id>/locations/new/",
        partner_views.partner_location_add,
        name="partner-location-add",
    ),
    path("partners/<int:partner_id>/invite/", partner_views.partner_invite, name="partner-invite"),
    # Applications to join: the public form, then the program admin's decision.
    path("apply/", application_views.partner_apply, name="partner-apply"),
    path("apply/sent/", application_views.partner_apply_sent, name="partner-apply-sent"),
    path(
        "partner-applications/",
        application_views.application_list,
        name="partner-applications",
    ),
    path(
        "partner-applications/<int:application_id>/",
        application_views.application_detail,
        name="partner-application-detail",
    ),
    path(
        "partner-applications/<int:application_id>/approve/",
        application_views.application_approve,
        name="partner-application-approve",
    ),
    path(
        "partner-applications/<int:application_id>/reject/",
        application_views.application_reject,
        name="partner-application-reject",
    ),
]
