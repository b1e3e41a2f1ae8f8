"""Dashboards and KPI pages: the drill-down city → agency → goal → KPI, and each KPI's page, with charts."""

from django.urls import path

from civicplan.web import dashboards

urlpatterns = [
    path("dashboards/<int:cycle_id>/", dashboards.dashboard, name="dashboard"),
    path("dashboards/<int:cycle_id>/chart.json", dashboards.dashboard_chart, name="dashboard-chart"),
    path("kpis/<int:pk>/", dashboards.kpi, name="kpi"),
    path("kpis/<int:pk>/chart.json", dashboards.kpi_chart, name="kpi-chart"),
]
