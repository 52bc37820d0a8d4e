from django.urls import path

from lodestar.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
