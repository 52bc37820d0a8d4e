from django.contrib import admin
from django.urls import include, path

from lodestar.api.api import api
from lodestar.health import health

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("sso/", include("lodestar.sso.urls")),
    path("scim/v2/", include("lodestar.scim.urls")),
    path("", include("lodestar.api.urls")),
    path("", include("lodestar.notify.urls")),
    path("chat/", include("lodestar.chat.urls")),
    path("", include("lodestar.conversation.urls")),
    path("", include("lodestar.activity.urls")),
    path("", include("lodestar.sources.urls")),
    path("", include("lodestar.exchange.urls")),
    path("", include("lodestar.reports.urls")),
    path("", include("lodestar.web.urls")),
]

handler500 = "lodestar.outage.page_error"
