from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "civicplan.portal"
    label = "portal"
    verbose_name = "Public portal"
