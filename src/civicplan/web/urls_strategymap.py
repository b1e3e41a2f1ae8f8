"""Strategy map pages (filled in by the strategy-map work)."""

urlpatterns = []
