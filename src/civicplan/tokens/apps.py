from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "civicplan.tokens"
    label = "tokens"
    verbose_name = "API 權杖"
