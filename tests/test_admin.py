"""Django admin for the 研考 administrator: every registered model opens; plan content is read-only there;
master-data edits are audited; people without staff status are kept out."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from civicplan.audit.models import Action, AuditEvent
from civicplan.imports.models import ImportDraft
from civicplan.plans.models import AgencyPlan, Goal, Indicator, PlanImport, Target

pytestmark = pytest.mark.django_db

# The audit trail, imports and the background queue (django-tasks) are written by the code, never in the admin.
READ_ONLY = {AgencyPlan, Goal, Indicator, Target, AuditEvent, PlanImport, ImportDraft, DBTaskResult}


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("operator", "op@example.org", "x")


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m.__name__)
def test_every_admin_page_opens_for_the_operator(world, client_for, operator, model):
    client = client_for(operator)
    assert client.get(_url(model, "changelist")).status_code == 200
    first = model.objects.first()
    if first is not None:
        assert client.get(_url(model, "change", first.pk)).status_code == 200
    add = client.get(_url(model, "add"))
    assert add.status_code == (403 if model in READ_ONLY else 200)


def test_plan_content_cannot_be_changed_in_the_admin(world, client_for, operator):
    client = client_for(operator)
    target = world.civil_target
    response = client.post(_url(Target, "change", target.pk), {"raw": "1件", "year": target.year,
                                                               "indicator": target.indicator_id})
    assert response.status_code == 403
    assert world.fresh(target).raw == "360件"
    assert client.post(_url(Target, "delete", target.pk), {"post": "yes"}).status_code == 403
    assert Target.objects.filter(pk=target.pk).exists()


def test_agency_edit_in_the_admin_is_audited(world, client_for, operator):
    client = client_for(operator)
    agency = world.finance
    response = client.post(_url(type(agency), "change", agency.pk), {
        "city": agency.city_id, "name": "財政處", "aliases": '["財政"]', "order": 2, "parent": "",
    })
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert world.fresh(agency).aliases == ["財政"]
    event = AuditEvent.objects.get(action=Action.AGENCY_CHANGED)
    assert event.actor == operator and event.new_values == {"aliases": ["財政"]}


@pytest.mark.parametrize("who", ["anonymous", "civil_editor", "admin"])
def test_people_without_staff_status_are_kept_out(world, client_for, who):
    client = client_for(None if who == "anonymous" else getattr(world, who))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
