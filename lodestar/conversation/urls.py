from django.urls import path

from lodestar.conversation import views
from lodestar.conversation.selectors import KINDS

# One pair of paths per object that carries a thread (not a catch-all slug: it would
# shadow other apps' paths of the same shape).
urlpatterns = [
    route
    for slug in KINDS
    for route in (
        path(
            f"{slug}/<int:pk>/comments",
            views.post,
            {"slug": slug},
            name=f"{KINDS[slug].page}-comments",
        ),
        path(
            f"{slug}/<int:pk>/comments/people",
            views.people,
            {"slug": slug},
            name=f"{KINDS[slug].page}-comment-people",
        ),
    )
] + [
    path("comments/<int:pk>/edit", views.edit, name="comment-edit"),
    path("comments/<int:pk>/delete", views.delete, name="comment-delete"),
]
