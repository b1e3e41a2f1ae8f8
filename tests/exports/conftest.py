import pytest
from django.db import transaction

DATA_SEEDS = {  # seed book → what it is (see ../shared/docs/seeds-*.md)
    "000_f42f77be8cbf6647.txt": "Keelung 109–112 book",
    "003_f78f01ac8dc70682.txt": "Taipei 107 strategy map",
    "004_518a493018a85667.txt": "Chiayi 108–111 民政處 book",
}


@pytest.fixture(scope="module")
def data_seeded(django_db_setup, django_db_blocker, seeds_dir):
    """Three real seed books imported once for the module, with simulated results (示範資料) for 109 and the first
    half of 110; one Keelung report of 110 put back to draft (members see it, nobody else); rolled back after."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from civicplan.agencies.models import Membership, Role
    from civicplan.importing.pipeline import parse_file
    from civicplan.plans.loading import do_import_plan
    from civicplan.tracking.demo import simulate
    from civicplan.tracking.models import Report, ReportStatus

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            users = get_user_model().objects
            operator = users.create_superuser("data-operator", password="x")
            cycles = [do_import_plan(parse_file(seeds_dir / name).document, actor=operator, reason="data tests").cycle
                      for name in DATA_SEEDS]
            simulate(actor=operator, today=date(2021, 7, 20))
            keelung = cycles[0]
            draft = (Report.objects.filter(agency__city=keelung.city, period__year=110)
                     .order_by("-period__seq", "agency__order").first())
            Report.objects.filter(pk=draft.pk).update(status=ReportStatus.DRAFT)
            member = users.create_user("data-member", password="x")
            Membership.objects.create(user=member, city=keelung.city, role=Role.REVIEWER)
            outsider = users.create_user("data-outsider", password="x")
            yield {"keelung": keelung, "taipei": cycles[1], "chiayi": cycles[2], "member": member,
                   "outsider": outsider, "draft_report": draft}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
