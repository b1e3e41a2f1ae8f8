"""exports pages: a cycle's data as a download (XLSX, ODS, CSV, JSON)."""

from django.urls import path

from civicplan.web import exports

urlpatterns = [
    path("cycles/<int:pk>/data.<str:fmt>", exports.cycle_data, name="cycle-data"),
]
