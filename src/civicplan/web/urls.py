from django.contrib.auth import views as auth_views
from django.urls import include, path

from civicplan.web import imports, tracking, views

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/status/", views.cycle_status, name="cycle-status"),
    path("chapters/<int:pk>/", views.chapter_detail, name="chapter"),
    path("chapters/<int:pk>/edit/", views.chapter_edit, name="chapter-edit"),
    path("chapters/<int:pk>/workflow/", views.chapter_workflow, name="chapter-workflow"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("goals/<int:pk>/indicators/add/", views.indicator_add, name="indicator-add"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator-delete"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("targets/preview/", views.target_preview, name="target-preview"),
    path("imports/", imports.import_list, name="imports"),
    path("imports/<int:pk>/", imports.import_preview, name="import-preview"),
    path("imports/<int:pk>/commit/", imports.import_commit, name="import-commit"),
    path("imports/<int:pk>/cancel/", imports.import_cancel, name="import-cancel"),
    path("tracking/", tracking.tracking_home, name="tracking"),
    path("tracking/<int:agency_id>/<int:period_id>/", tracking.report_grid, name="report-grid"),
    path("tracking/reports/<int:pk>/step/", tracking.report_step, name="report-step"),
    path("tracking/measurements/<int:pk>/light/", tracking.measurement_light, name="measurement-light"),
    path("tracking/measurements/<int:pk>/evidence/", tracking.measurement_evidence, name="measurement-evidence"),
    path("tracking/evidence/<int:pk>/", tracking.evidence_file, name="evidence-file"),
    path("tracking/measurements/<int:pk>/common/", tracking.common_calculator, name="common-calculator"),
    path("tracking/freshness/<int:city_id>/", tracking.freshness, name="freshness"),
    path("tracking/overview/<int:cycle_id>/<int:year>/", tracking.overview, name="tracking-overview"),
    path("", include("civicplan.web.urls_dashboards")),
    path("", include("civicplan.web.urls_strategymap")),
    path("history/<str:kind>/<int:pk>/", views.history, name="history"),
]
