"""The public portal (no login): published plans and results only."""

app_name = "portal"
urlpatterns = []
