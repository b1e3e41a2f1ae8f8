"""Personal API tokens: stored hashed, shown once, refused when unknown, revoked, expired or their owner inactive;
managed on /account/tokens/ and with `civicplan api_token`; every create and revoke audited."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from civicplan.audit.models import Action, AuditEvent
from civicplan.tokens.models import ApiToken
from civicplan.tokens.services import do_create_token, do_revoke_token
from tests.api.conftest import LIST_PATHS, api_client, client_as, get_all, token_for


def test_the_token_is_stored_only_as_a_hash(world):
    token, secret = do_create_token(world.civil_editor, name="bulk upload", actor=world.civil_editor)
    assert secret.startswith("cp_") and len(secret) >= 40
    row = ApiToken.objects.get(pk=token.pk)
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:11] and str(row) == f"bulk upload ({secret[:11]}…)"
    stored = " ".join(str(value) for value in model_to_dict(row).values())
    assert secret not in stored and secret[11:] not in stored
    event = AuditEvent.objects.get(action=Action.TOKEN_CREATED)
    assert event.actor == world.civil_editor and secret[11:] not in str(event.new_values)
    assert event.new_values["prefix"] == secret[:11] and event.reason
    another = token_for(world.civil_editor)
    assert another != secret  # random each time


def test_a_token_reads_as_its_owner(plans):
    """With a token a member sees exactly what their login session shows (drafts of their city included)."""
    for user in (plans.world.civil_editor, plans.taipei_editor, plans.world.outsider):
        token_client, session_client = api_client(user), client_as(user)
        for path in LIST_PATHS:
            by_token = [item["id"] for item in get_all(token_client, path)]
            assert by_token == [item["id"] for item in get_all(session_client, path)], (user, path)
    drafts = get_all(api_client(plans.world.civil_editor), "/api/cycles", status="draft")
    assert plans.draft.cycle.pk in [c["id"] for c in drafts]
    assert get_all(api_client(None), "/api/cycles", status="draft") == []


def test_use_is_recorded(world):
    token, secret = do_create_token(world.reviewer, name="dashboard", actor=world.reviewer)
    assert token.last_used_at is None
    assert api_client(token=secret).get("/api/cycles").status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    api_client(token=secret).get("/api/cycles")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first  # not a write on every request


def refused(secret: str, world) -> list[int]:
    """What a read and a write answer with this token."""
    client = api_client(token=secret)
    read = client.get("/api/cycles")
    write = client.patch(f"/api/targets/{world.civil_target.pk}", {"version": 1, "reason": "x", "raw": "1件"},
                         content_type="application/json")
    for response in (read, write):
        assert response["WWW-Authenticate"].startswith("Bearer") and response.json()["detail"]
    return [read.status_code, write.status_code]


def test_a_revoked_token_is_refused_at_once(world):
    token, secret = do_create_token(world.civil_editor, name="ci", actor=world.civil_editor)
    assert api_client(token=secret).get("/api/cycles").status_code == 200
    do_revoke_token(token, actor=world.civil_editor)
    assert refused(secret, world) == [401, 401]
    assert world.fresh(world.civil_target).version == 1
    event = AuditEvent.objects.get(action=Action.TOKEN_REVOKED)
    assert event.actor == world.civil_editor and event.object_id == str(token.pk)
    do_revoke_token(token, actor=world.civil_editor)  # twice: nothing more happens
    assert AuditEvent.objects.filter(action=Action.TOKEN_REVOKED).count() == 1


@pytest.mark.parametrize("secret", ["cp_unknown", "", "x" * 500, "Bearer"])
def test_an_unknown_token_is_refused_even_for_public_reads(world, secret):
    assert refused(secret, world) == [401, 401]


def test_an_expired_token_and_an_inactive_owner_are_refused(world):
    token, secret = do_create_token(world.civil_editor, name="short", actor=world.civil_editor,
                                    expires_at=timezone.now() + timedelta(days=1))
    assert api_client(token=secret).get("/api/cycles").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert refused(secret, world) == [401, 401]
    _, other = do_create_token(world.civil_head, name="head", actor=world.civil_head)
    type(world.civil_head).objects.filter(pk=world.civil_head.pk).update(is_active=False)
    assert refused(other, world) == [401, 401]


def test_tokens_are_the_owners_to_manage(world):
    token, _ = do_create_token(world.civil_editor, name="mine", actor=world.civil_editor)
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        do_revoke_token(token, actor=world.admin)  # not even the 研考 admin
    with pytest.raises(PermissionDenied):
        do_create_token(world.civil_editor, name="theirs", actor=world.finance_editor)
    with pytest.raises(ValidationError) as error:
        do_create_token(world.civil_editor, name="  ", actor=world.civil_editor)
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError):
        do_create_token(world.civil_editor, name="old", actor=world.civil_editor, expires_at=timezone.now())
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- the account page ---------------------------------------------------------------------------------


def test_the_account_page_creates_shows_once_and_revokes(world, client_for):
    client = client_for(world.finance_editor)
    page = client.get(reverse("account-tokens"))
    assert page.status_code == 200 and reverse("account-tokens").encode() in page.content  # the menu's link too
    created = client.post(reverse("account-tokens"), {"name": "試算表巨集", "expires": "90"})
    assert created.status_code == 302
    token = ApiToken.objects.get(user=world.finance_editor)
    assert token.name == "試算表巨集" and token.expires_at > timezone.now() + timedelta(days=89)
    shown = client.get(reverse("account-tokens")).content.decode()
    secret = shown.split('id="new-token" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert secret.startswith(token.prefix) and token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    again = client.get(reverse("account-tokens")).content.decode()
    assert secret not in again and token.prefix in again  # shown once; then only its beginning
    assert api_client(token=secret).get("/api/cycles").status_code == 200
    event = AuditEvent.objects.get(action=Action.TOKEN_CREATED)
    assert event.actor == world.finance_editor and event.reason

    revoked = client.post(reverse("account-token-revoke", args=[token.pk]))
    assert revoked.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).is_revoked
    assert api_client(token=secret).get("/api/cycles").status_code == 401
    assert AuditEvent.objects.get(action=Action.TOKEN_REVOKED).actor == world.finance_editor


def test_the_account_page_refuses_a_blank_name_and_other_peoples_tokens(world, client_for):
    token, _ = do_create_token(world.civil_editor, name="mine", actor=world.civil_editor)
    client = client_for(world.finance_editor)
    assert client.post(reverse("account-tokens"), {"name": " "}).status_code == 400
    assert client.post(reverse("account-token-revoke", args=[token.pk])).status_code == 403
    assert client.post(reverse("account-token-revoke", args=[999999])).status_code == 404
    assert not ApiToken.objects.get(pk=token.pk).is_revoked
    assert "mine" not in client.get(reverse("account-tokens")).content.decode()
    assert client_for(None).get(reverse("account-tokens")).status_code == 302  # to the login page


# --- the command line ---------------------------------------------------------------------------------


def command(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_creates_lists_and_revokes(world):
    out, err = command("create", "--user", "civil_editor", "--name", "bulk upload", "--days", "30")
    secret = out.strip()
    assert secret.startswith("cp_") and "not shown again" in err
    assert api_client(token=secret).get("/api/cycles").status_code == 200
    listed, _ = command("list")
    assert "bulk upload" in listed and secret[:11] in listed and secret not in listed and "active" in listed
    out, _ = command("revoke", "--user", "civil_editor", "--name", "bulk upload")
    assert "revoked" in out
    assert api_client(token=secret).get("/api/cycles").status_code == 401
    assert list(AuditEvent.objects.filter(action__startswith="token.").order_by("id").values_list(
        "action", "actor__username")) == [(Action.TOKEN_CREATED, "civil_editor"), (Action.TOKEN_REVOKED, "civil_editor")]
    with pytest.raises(CommandError, match="no active token"):
        command("revoke", "--user", "civil_editor", "--name", "bulk upload")
    with pytest.raises(CommandError, match="no user"):
        command("create", "--user", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="name"):
        command("create", "--user", "civil_editor", "--name", " ")


def test_the_command_revokes_by_prefix_and_a_superuser_may_act_for_others(world, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.org", "x")
    out, _ = command("create", "--user", "reviewer", "--name", "a", "--by", "root")
    secret = out.strip()
    with pytest.raises(CommandError):
        command("revoke", "--user", "reviewer", "--prefix", secret[:11], "--by", "civil_editor")
    command("revoke", "--user", "reviewer", "--prefix", secret[:11] + "…")
    assert ApiToken.objects.get().is_revoked
