from django.urls import path

from lodestar.activity import views
from lodestar.activity.selectors import FOLLOWABLES

urlpatterns = [
    path("activity/", views.mine, name="activity"),
    path("activity/company/", views.company, name="activity-company"),
    path("units/<int:pk>/activity/", views.unit, name="unit-activity"),
] + [
    path(f"{slug}/<int:pk>/follow", views.follow, {"slug": slug}, name=f"{f.page}-follow")
    for slug, f in FOLLOWABLES.items()
]
