from django.urls import path

from lodestar.exchange import views
from lodestar.exchange.mapping import views as mapping

urlpatterns = [
    path("import/", views.import_page, name="exchange-import"),
    path("import/confirm/", views.import_confirm, name="exchange-import-confirm"),
    path("import/jobs/<int:pk>/", views.import_job, name="exchange-import-job"),
    path("import/map/", mapping.mapping_page, name="exchange-mapping"),
    path("import/map/preview/", mapping.mapping_preview, name="exchange-mapping-preview"),
    path("import/map/<int:pk>.json", mapping.mapping_download, name="exchange-mapping-json"),
    path("import/map/<int:pk>/remove", mapping.mapping_remove, name="exchange-mapping-remove"),
    path("import/template.xlsx", views.template_download, name="exchange-template"),
    path("import/starters/<slug:name>/", views.starter_apply, name="exchange-starter"),
    path("export.<str:kind>", views.export_download, name="exchange-export"),
    path(
        "scorecards/<int:pk>/export.<str:kind>",
        views.scorecard_download,
        name="exchange-scorecard-export",
    ),
]
