from django.urls import path

from lodestar.chat import slack_views, views

urlpatterns = [
    path("checkin/<str:token>/", views.checkin_page, name="chat-checkin"),
    path("slack/link/<str:token>/", views.slack_link_page, name="chat-slack-link"),
    path("slack/commands", slack_views.command, name="chat-slack-commands"),
    path("slack/interactions", slack_views.interaction, name="chat-slack-interactions"),
]
