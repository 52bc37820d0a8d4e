from django.urls import path

from lodestar.sources import views

urlpatterns = [
    path("settings/sources/", views.source_list, name="sources"),
    path("settings/sources/<int:pk>/", views.source_detail, name="source"),
    path("settings/sources/<int:pk>/sync", views.source_sync, name="source-sync"),
    path("measures/<int:measure_pk>/source/new", views.source_new, name="source-new"),
]
