"""Strategy map pages: the map of a chapter (HTML with the SVG inline and a text list) and the raw SVG."""

from django.urls import path

from civicplan.web import strategymap

urlpatterns = [
    path("strategy-maps/<int:pk>/", strategymap.strategy_map, name="strategy-map"),
    path("strategy-maps/<int:pk>.svg", strategymap.strategy_map_svg, name="strategy-map-svg"),
]
