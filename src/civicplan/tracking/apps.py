from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "civicplan.tracking"
    label = "tracking"
    verbose_name = "列管"
