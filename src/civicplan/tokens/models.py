"""ApiToken: a personal token for the REST API. Only a hash of the secret is stored; the token is shown once.

A token is `cp_` followed by 43 random URL-safe characters (256 bits). It is looked up by its SHA-256 digest:
a slow password hash is not needed for a random secret of that length, and a digest lets the lookup use an
index. `prefix` (the first 11 characters) is kept so that people can tell their tokens apart.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "cp_"
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("beginning of the token"), max_length=PREFIX_LENGTH)
    secret_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_usable(self, now=None) -> bool:
        return not self.is_revoked and not self.is_expired(now)
