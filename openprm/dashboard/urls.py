from django.urls import path

from openprm.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("channel/", views.channel_dashboard, name="channel"),
    path("partners/<int:partner_id>/", views.partner_dashboard, name="partner"),
    path(
        "partners/<int:partner_id>/reports/<slug:kind>/",
        views.partner_report,
        name="partner-report",
    ),
    path("reports/<slug:kind>/", views.report, name="report"),
    path("reports/<slug:kind>/use-in-list/", views.report_use_in_list, name="report-use-in-list"),
    path("reports/<slug:kind>/export/", views.report_export, name="report-export"),
    path("reports/<slug:kind>/save/", views.report_save, name="report-save"),
    path("saved-reports/", views.saved_reports, name="saved-reports"),
    path("saved-reports/<int:report_id>/", views.saved_report, name="saved-report"),
    path(
        "saved-reports/<int:report_id>/delete/",
        views.saved_report_delete,
        name="saved-report-delete",
    ),
    path("lists/", views.customer_lists, name="lists"),
    path("lists/<int:list_id>/", views.customer_list_detail, name="list-detail"),
    path("lists/<int:list_id>/delete/", views.customer_list_delete, name="list-delete"),
    path(
        "lists/<int:list_id>/members/<int:customer_id>/remove/",
        views.customer_list_member_remove,
        name="list-member-remove",
    ),
    path("exports/", views.exports, name="exports"),
    path("exports/<int:export_id>/download/", views.export_download, name="export-download"),
    path(
        "statements/<int:statement_id>/download/",
        views.statement_download,
        name="statement-download",
    ),
]
