from django.urls import path

from openprm.goals import views

app_name = "goals"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("partners/<int:partner_id>/<int:year>/setup/", views.setup, name="setup"),
    path("plans/<int:plan_id>/", views.detail, name="detail"),
    path("plans/<int:plan_id>/targets/", views.targets, name="targets"),
    path("plans/<int:plan_id>/reviews/new/", views.review_new, name="review-new"),
    path("reviews/<int:review_id>/", views.review, name="review"),
]
