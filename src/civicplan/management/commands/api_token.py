"""civicplan api_token create|revoke|list — personal API tokens from the command line (the system operator's tool).

    civicplan api_token create --user civil --name "bulk upload" [--days 90]   → prints the token, once
    civicplan api_token revoke --user civil --name "bulk upload"               (or --prefix cp_AbCdEfGh)
    civicplan api_token list [--user civil]

Creating and revoking go through civicplan.tokens.services and leave an AuditEvent; the actor is the user named
by --by (default: the token's owner). Only a hash of the token is stored.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from civicplan.tokens.models import ApiToken
from civicplan.tokens.services import do_create_token, do_revoke_token


def _user(name: str):
    try:
        return get_user_model().objects.get(username=name)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user {name!r}") from None


def _problem(error: Exception) -> CommandError:
    if isinstance(error, ValidationError):
        return CommandError("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
                            if hasattr(error, "error_dict") else " ".join(error.messages))
    return CommandError(str(error))


class Command(BaseCommand):
    help = "Create, revoke or list personal API tokens (Authorization: Bearer …) for the REST API."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="create|revoke|list")
        create = commands.add_parser("create", help="create a token and print it (it is shown only this once)")
        create.add_argument("--user", required=True, help="whose token (a username)")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--days", type=int, help="expires after this many days (default: never)")
        create.add_argument("--by", help="who creates it (default: the user); a superuser may create anybody's")
        revoke = commands.add_parser("revoke", help="revoke a token: the API refuses it from now on")
        revoke.add_argument("--user", required=True, help="whose token (a username)")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--name", help="the token's name (every active token of that name is revoked)")
        which.add_argument("--prefix", help="the token's beginning as listed, e.g. cp_AbCdEfGh")
        revoke.add_argument("--by", help="who revokes it (default: the user)")
        listing = commands.add_parser("list", help="list tokens (never the tokens themselves)")
        listing.add_argument("--user", help="only this user's")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _create(self, *, user, name, days=None, by=None, **_):
        owner = _user(user)
        actor = _user(by) if by else owner
        if days is not None and days < 1:
            raise CommandError("--days: give a number of days from 1")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            token, secret = do_create_token(owner, name=name, expires_at=expires_at, actor=actor,
                                            reason="created with civicplan api_token")
        except (ValidationError, PermissionDenied) as error:
            raise _problem(error) from None
        self.stderr.write(f"created token {token.name!r} ({token.prefix}…) for {owner.get_username()}"
                          + (f", expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "")
                          + "; copy it now, it is not shown again:")
        self.stdout.write(secret)

    def _revoke(self, *, user, name=None, prefix=None, by=None, **_):
        owner = _user(user)
        actor = _user(by) if by else owner
        found = ApiToken.objects.filter(user=owner, revoked_at__isnull=True)
        found = found.filter(name=name) if name is not None else found.filter(prefix=prefix.rstrip("…"))
        tokens = list(found)
        if not tokens:
            raise CommandError(f"{owner.get_username()} has no active token "
                               + (f"named {name!r}" if name is not None else f"beginning {prefix!r}"))
        for token in tokens:
            try:
                do_revoke_token(token, actor=actor, reason="revoked with civicplan api_token")
            except PermissionDenied as error:
                raise _problem(error) from None
            self.stdout.write(f"revoked {token.name!r} ({token.prefix}…) of {owner.get_username()}")

    def _list(self, *, user=None, **_):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at", "-id")
        if user:
            tokens = tokens.filter(user=_user(user))
        now = timezone.now()
        for token in tokens:
            state = "revoked" if token.is_revoked else "expired" if token.is_expired(now) else "active"
            last = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
            self.stdout.write(f"{token.user.get_username()}\t{token.prefix}…\t{token.name}\t{state}\t{last}")
