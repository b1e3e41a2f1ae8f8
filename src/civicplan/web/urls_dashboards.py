"""Dashboards and KPI pages (filled in by the dashboards work)."""

urlpatterns = []
