"""The chapter editor's pages: sections, owners, inline validation, sources (see civicplan.web.editor)."""

from django.urls import path

from civicplan.web import editor

urlpatterns = [
    path("chapters/<int:pk>/sections/add/", editor.section_add, name="section-add"),
    path("sections/<int:pk>/edit/", editor.section_edit, name="section-edit"),
    path("sections/<int:pk>/delete/", editor.section_delete, name="section-delete"),
    path("indicators/<int:pk>/owners/", editor.indicator_owners, name="indicator-owners"),
    path("indicators/<int:pk>/validate/", editor.indicator_validate, name="indicator-validate"),
    path("goals/<int:pk>/indicators/validate/", editor.indicator_add_validate, name="indicator-add-validate"),
    path("goals/<int:pk>/validate/", editor.goal_validate, name="goal-validate"),
    path("source/<str:kind>/<int:pk>/", editor.source, name="source"),
]
