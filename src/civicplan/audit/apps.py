from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "civicplan.audit"
    label = "audit"
    verbose_name = "稽核紀錄"
