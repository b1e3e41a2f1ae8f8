"""Search across plans, goals, KPIs, standards and narratives."""

from django.urls import path

from civicplan.web import search

urlpatterns = [
    path("search/", search.search, name="search"),
]
