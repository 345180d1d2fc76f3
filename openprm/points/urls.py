from django.urls import path

from openprm.points import views

app_name = "points"

urlpatterns = [
    path("tier/", views.tier, name="tier"),
]
