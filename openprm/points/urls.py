from django.urls import path

from openprm.points import views

app_name = "points"

urlpatterns = [
    path("tier/", views.tier, name="tier"),
    path("tier/breakdown/", views.points_breakdown, name="breakdown"),
    path("tier/customers/<int:customer_id>/", views.customer_points, name="customer"),
]
