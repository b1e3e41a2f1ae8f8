"""Account pages: personal API tokens."""

from django.urls import path

from civicplan.web import account

urlpatterns: list = [
    path("account/tokens/", account.tokens, name="account-tokens"),
    path("account/tokens/<int:pk>/revoke/", account.token_revoke, name="account-token-revoke"),
]
