from django.apps import AppConfig


class CivicplanConfig(AppConfig):
    """The project package itself: management commands (the CLI), templates and static files."""

    name = "civicplan"
    verbose_name = "施政計畫管考系統"
