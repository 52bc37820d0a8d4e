from django.urls import path

from lodestar.reports import views

urlpatterns = [
    path("cycles/<int:pk>/report/", views.cycle_report, name="cycle-report"),
    path("cycles/<int:pk>/report.pdf", views.cycle_report_pdf, name="cycle-report-pdf"),
    path(
        "cycles/<int:pk>/report/perspectives/<int:perspective>/comment",
        views.review_comment,
        name="review-comment",
    ),
    path("people/<int:pk>/report/", views.person_summary, name="person-report"),
    path("people/<int:pk>/report.pdf", views.person_summary_pdf, name="person-report-pdf"),
]
