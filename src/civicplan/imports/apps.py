from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "civicplan.imports"
    label = "imports"
    verbose_name = "計畫匯入"
