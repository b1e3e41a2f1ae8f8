import pytest
from django.db import transaction

SEED_BOOKS = {  # file → what it is (see ../shared/docs/seeds-*.md)
    "000_f42f77be8cbf6647.txt": "Keelung 109–112 book",
    "003_f78f01ac8dc70682.txt": "Taipei 107 strategy map",
    "004_518a493018a85667.txt": "Chiayi 108–111 民政處 book",
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, seeds_dir):
    """Three real seed books imported once for the module (and rolled back after it)."""
    from django.contrib.auth import get_user_model

    from civicplan.importing.pipeline import parse_file
    from civicplan.plans.loading import do_import_plan

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            operator = get_user_model().objects.create_superuser("search-operator", password="x")
            cycles = []
            for name in SEED_BOOKS:
                parsed = parse_file(seeds_dir / name)
                cycles.append(do_import_plan(parsed.document, actor=operator, reason="search tests").cycle)
            from civicplan.agencies.models import Membership, Role

            reader = get_user_model().objects.create_user("search-reader", password="x")
            for cycle in cycles:  # a reviewer in every city sees every plan there, drafts included
                Membership.objects.get_or_create(user=reader, city=cycle.city, agency=None, role=Role.REVIEWER)
            yield {"operator": reader, "cycles": cycles}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
