"""Two editors saving the same target at the same moment from the same version: one wins, one conflict."""

import threading

import pytest
from django.db import connections

from civicplan.audit.models import Action, AuditEvent
from civicplan.editing import ConflictError
from civicplan.plans.models import Target
from civicplan.plans.services import do_update_target


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_from_one_version_give_exactly_one_conflict(world):
    target_id = world.civil_target.pk
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(user, raw):
        try:
            target = Target.objects.get(pk=target_id)
            barrier.wait(timeout=10)
            do_update_target(target, changes={"raw": raw}, expected_version=1, reason="同時修改", actor=user)
            outcomes[raw] = "saved"
        except ConflictError as conflict:
            outcomes[raw] = conflict
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[raw] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(world.civil_editor, "401件")),
               threading.Thread(target=save, args=(world.civil_head, "402件"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(type(o).__name__ if o != "saved" else o for o in outcomes.values()) == ["ConflictError", "saved"], outcomes
    winner = next(raw for raw, outcome in outcomes.items() if outcome == "saved")
    target = Target.objects.get(pk=target_id)
    assert (target.raw, target.version) == (winner, 2)
    assert AuditEvent.objects.filter(action=Action.TARGET_CHANGED).count() == 1
    assert target.history.filter(raw__in=["401件", "402件"]).count() == 1
