"""The home page says what each person has to do: reports due with days left, returns with reasons, reviews."""

from datetime import date

import pytest
from django.urls import reverse

from civicplan.tracking import services
from civicplan.tracking.inbox import inbox
from civicplan.tracking.periods import periods_for

pytestmark = pytest.mark.django_db


def test_each_role_sees_its_own_work(world, client_for):
    first, second = periods_for(world.city, 110)[:2]
    due = services.open_report(world.civil, first)
    returned = services.open_report(world.civil, second)
    row = returned.measurements.get()
    returned = services.do_save_report(returned, entries={row.pk: {"version": row.version, "actual_raw": "130件"}},
                                       expected_version=returned.version, actor=world.civil_editor)
    returned = services.do_submit_report(returned, expected_version=returned.version, actor=world.civil_editor)
    services.do_return_report(returned, expected_version=returned.version, reason="請補佐證", actor=world.civil_head)
    work = inbox(world.civil_editor, today=date(2021, 3, 1))
    assert [r.pk for r in work["to_fill"]] == [due.pk, returned.pk]
    assert [r.days_left for r in work["to_fill"]] == [9, 70]
    assert inbox(world.finance_editor, today=date(2021, 3, 1))["to_fill"] == []
    page = client_for(world.civil_editor).get(reverse("home")).content.decode()
    assert "請補佐證" in page and reverse("report-grid", args=[world.civil.pk, first.pk]) in page

    # The head's queue: the report submitted again.
    resubmitted = services.do_save_report(returned.__class__.objects.get(pk=returned.pk),
                                          entries={row.pk: {"version": row.__class__.objects.get(pk=row.pk).version,
                                                            "progress_note": "已補"}},
                                          expected_version=returned.__class__.objects.get(pk=returned.pk).version,
                                          actor=world.civil_editor)
    resubmitted = services.do_submit_report(resubmitted, expected_version=resubmitted.version,
                                            actor=world.civil_editor)
    assert [r.pk for r in inbox(world.civil_head, today=date(2021, 3, 1))["head_queue"]] == [resubmitted.pk]
    services.do_head_approve_report(resubmitted, expected_version=resubmitted.version, actor=world.civil_head)
    assert [r.pk for r in inbox(world.reviewer, today=date(2021, 3, 1))["review_queue"]] == [resubmitted.pk]
    assert not inbox(world.outsider, today=date(2021, 3, 1))["has_work"]


def test_home_page_queries_do_not_grow_with_the_work(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.civil_editor)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("home")).status_code == 200
        return len(context)

    services.open_report(world.civil, periods_for(world.city, 110)[0])
    count()  # the first visit creates the reporting periods of the plan's years
    few = count()
    for period in periods_for(world.city, 110) + periods_for(world.city, 111):
        services.open_report(world.civil, period)
    assert count() == few


def test_periods_due_without_a_report_are_listed_too(world):
    periods = periods_for(world.city, 109)
    work = inbox(world.civil_editor, today=periods[1].due_on)
    # Due already, or within 30 days; period 3 is due two months later and is not listed yet.
    assert [(i["agency"], i["period"], i["days_left"]) for i in work["not_started"]] == [
        (world.civil, periods[0], (periods[0].due_on - periods[1].due_on).days),
        (world.civil, periods[1], 0),
    ]
    services.open_report(world.civil, periods[0])
    assert [i["period"] for i in inbox(world.civil_editor, today=periods[1].due_on)["not_started"]] == [periods[1]]
