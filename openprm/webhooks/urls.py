from django.urls import path

from openprm.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("settings/webhooks/", views.webhook_list, name="list"),
    path("settings/webhooks/new/", views.webhook_create, name="create"),
    path("settings/webhooks/<int:webhook_id>/", views.webhook_detail, name="detail"),
    path("settings/webhooks/<int:webhook_id>/edit/", views.webhook_edit, name="edit"),
    path("settings/webhooks/<int:webhook_id>/delete/", views.webhook_delete, name="delete"),
    path("settings/webhooks/<int:webhook_id>/ping/", views.webhook_ping, name="ping"),
    path(
        "settings/webhooks/deliveries/<int:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
]
