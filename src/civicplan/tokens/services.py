"""Creating and revoking API tokens: `do_<verb>_token(..., actor)` — one transaction and an AuditEvent each.

A person manages their own tokens (the account page); the system operator's command line
(`civicplan api_token`) may create and revoke anybody's.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.audit.models import Action
from civicplan.audit.services import record
from civicplan.tokens.models import PREFIX_LENGTH, ApiToken, digest, new_secret

NAME_MAX = ApiToken._meta.get_field("name").max_length


def _may_manage(actor, user) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return actor.pk == user.pk or actor.is_superuser


@transaction.atomic
def do_create_token(user, *, name: str, expires_at: datetime | None = None, actor,
                    reason: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token itself, which is not kept and cannot be shown again."""
    if not _may_manage(actor, user):
        raise PermissionDenied(_("You may manage only your own API tokens."))
    if not user.is_active:
        raise ValidationError({"user": _("%(user)s is not an active user.") % {"user": user}})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the program that will use it.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("At most %(n)s characters.") % {"n": NAME_MAX}})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    secret = new_secret()
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:PREFIX_LENGTH], secret_hash=digest(secret),
                                    expires_at=expires_at)
    record(Action.TOKEN_CREATED, actor=actor, obj=token,
           new={"user": user.get_username(), "name": name, "prefix": token.prefix,
                "expires_at": expires_at.isoformat() if expires_at else None},
           reason=reason or _("API token created"))
    return token, secret


@transaction.atomic
def do_revoke_token(token: ApiToken, *, actor, reason: str = "") -> ApiToken:
    """Revoke a token: it stops working at once (the API answers 401). Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if not _may_manage(actor, token.user):
        raise PermissionDenied(_("You may manage only your own API tokens."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(Action.TOKEN_REVOKED, actor=actor, obj=token,
           old={"revoked_at": None}, new={"user": token.user.get_username(), "revoked_at": token.revoked_at.isoformat()},
           reason=reason or _("API token revoked"))
    return token


def authenticate(secret: str) -> tuple[ApiToken | None, str]:
    """The token a request presents, if usable: (token, "") or (None, why not). Marks it used (once a minute)."""
    if not secret or len(secret) > 200:
        return None, _("Unknown API token.")
    token = ApiToken.objects.select_related("user").filter(secret_hash=digest(secret)).first()
    if token is None:
        return None, _("Unknown API token.")
    now = timezone.now()
    if token.is_revoked:
        return None, _("This API token has been revoked.")
    if token.is_expired(now):
        return None, _("This API token has expired.")
    if not token.user.is_active:
        return None, _("The owner of this API token is not an active user.")
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token, ""
