from django.contrib.auth import views as auth_views
from django.urls import path

from openprm.accounts import views
from openprm.core.views import home

urlpatterns = [
    path("", home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
