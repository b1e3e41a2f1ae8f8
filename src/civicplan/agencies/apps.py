from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "civicplan.agencies"
    label = "agencies"
    verbose_name = "機關與權限"
