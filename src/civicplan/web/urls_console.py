"""The 研考 console: a city's cycles and their status, reporting freshness by agency, imports, publishing."""

from django.urls import path

from civicplan.web import console

urlpatterns = [
    path("console/", console.console_home, name="console-home"),
    path("console/<int:city_id>/", console.console, name="console"),
]
