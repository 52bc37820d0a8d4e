from django.urls import path, re_path

from lodestar.scim import views

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="scim-root"),
    path("ResourceTypes", views.resource_types),
    path("ResourceTypes/<str:name>", views.resource_types),
    path("Schemas", views.schema_list),
    path("Schemas/<str:name>", views.schema_list),
    path("Users", views.collection(views.USERS)),
    path("Users/.search", views.search(views.USERS)),
    path("Users/<str:pk>", views.item(views.USERS), name="scim-user"),
    path("Groups", views.collection(views.GROUPS)),
    path("Groups/.search", views.search(views.GROUPS)),
    path("Groups/<str:pk>", views.item(views.GROUPS), name="scim-group"),
    path(".search", views.search_everything),
    re_path(r"^(?P<rest>.*)$", views.nowhere),
]
