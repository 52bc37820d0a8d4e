from django.urls import path

from lodestar.api import views

urlpatterns = [
    path("settings/tokens/", views.tokens, name="api-tokens"),
    path("settings/tokens/<int:pk>/revoke", views.token_revoke, name="api-token-revoke"),
]
