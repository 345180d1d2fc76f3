from django.urls import path

from openprm.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_upload, name="upload"),
    path("<int:import_id>/", views.import_detail, name="detail"),
    path("<int:import_id>/check/", views.import_check, name="check"),
    path("<int:import_id>/start/", views.import_start, name="start"),
    path(
        "templates/<str:import_kind>/<str:file_format>/", views.template_download, name="template"
    ),
]
