from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "civicplan.plans"
    label = "plans"
    verbose_name = "施政計畫"
