"""Bulk entry of actuals from spreadsheets: the template of a report, the upload with its preview, the confirmation."""

from django.urls import path

from civicplan.web import bulk

urlpatterns = [
    path("tracking/<int:agency_id>/<int:period_id>/template.xlsx", bulk.template, {"fmt": "xlsx"},
         name="bulk-template-xlsx"),
    path("tracking/<int:agency_id>/<int:period_id>/template.ods", bulk.template, {"fmt": "ods"},
         name="bulk-template-ods"),
    path("tracking/<int:agency_id>/<int:period_id>/upload/", bulk.upload, name="bulk-upload"),
    path("tracking/<int:agency_id>/<int:period_id>/upload/confirm/", bulk.confirm, name="bulk-confirm"),
]
