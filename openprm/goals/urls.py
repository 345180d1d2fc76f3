from django.urls import path

from openprm.goals.plans import views
from openprm.goals.tasks import views as task_views

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

urlpatterns += [
    path("plans/<int:plan_id>/tasks/", task_views.tasks, name="tasks"),
    path("plans/<int:plan_id>/tasks/new/", task_views.task_new, name="task-new"),
    path("tasks/<int:task_id>/", task_views.task, name="task"),
    path("tasks/<int:task_id>/complete/", task_views.task_complete, name="task-complete"),
    path("tasks/<int:task_id>/reopen/", task_views.task_reopen, name="task-reopen"),
    path("tasks/<int:task_id>/delete/", task_views.task_delete, name="task-delete"),
]
