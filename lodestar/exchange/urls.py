from django.urls import path

from lodestar.exchange import views

urlpatterns = [
    path("import/", views.import_page, name="exchange-import"),
    path("import/confirm/", views.import_confirm, name="exchange-import-confirm"),
    path("import/jobs/<int:pk>/", views.import_job, name="exchange-import-job"),
    path("import/template.xlsx", views.template_download, name="exchange-template"),
    path("import/starters/<slug:name>/", views.starter_apply, name="exchange-starter"),
    path("export.<str:kind>", views.export_download, name="exchange-export"),
    path(
        "scorecards/<int:pk>/export.<str:kind>",
        views.scorecard_download,
        name="exchange-scorecard-export",
    ),
]
