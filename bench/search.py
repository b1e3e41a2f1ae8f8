"""Benchmark search on the seed plans: indexing time and entries, and query latency by query length
(1–2 characters: LIKE; 3 and more: FTS5 trigram on SQLite, pg_trgm on PostgreSQL; words found apart).
Prints its figures; run `.venv/bin/python bench/search.py` (add `--database-url postgres://…` for PostgreSQL;
that database is emptied first).

    --seeds DIR      the seed folder (default ../shared/seeds beside the checkout)
    --copies N       load the seed books N times as different cities, to see how queries grow (default 1)
    --repeat N       run each query N times and report the median (default 20)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["率", "運輸", "長照", "滿意度", "公共運輸", "人民陳情案件", "市民滿意度", "資源 回收", "台北", "110年"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    files = sorted(p for p in args.seeds.glob("*") if p.is_file())
    if not files:
        sys.exit(f"no seed files in {args.seeds}")

    data_dir = tempfile.mkdtemp(prefix="civicplan-bench-")
    os.environ["CIVICPLAN_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplan.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from civicplan.agencies.models import Membership, Role
    from civicplan.importing.pipeline import parse_file
    from civicplan.plans.loading import do_import_plan
    from civicplan.plans.models import PlanCycle
    from civicplan.search.indexing import reindex_all
    from civicplan.search.models import SearchEntry
    from civicplan.search.query import search

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    operator = get_user_model().objects.create_superuser("bench", password="x")
    parsed = [parse_file(path) for path in files]
    for copy in range(args.copies):
        for p in parsed:
            document = p.document
            if copy:
                document.city = f"{document.city}{copy}"
                document.source.sha256 = ""
            do_import_plan(document, actor=operator, reason="bench")
    reader = get_user_model().objects.create_user("reader", password="x")
    for cycle in PlanCycle.objects.select_related("city"):
        Membership.objects.get_or_create(user=reader, city=cycle.city, agency=None, role=Role.REVIEWER)

    started = time.perf_counter()
    entries = reindex_all()
    seconds = time.perf_counter() - started
    print(f"database: {connection.vendor}; {PlanCycle.objects.count()} cycles; {entries:,} entries indexed in "
          f"{seconds:.2f} s ({entries / seconds:,.0f} entries/s)")
    assert SearchEntry.objects.count() == entries

    print(f"{'query':14} {'chars':>5} {'hits':>6} {'median ms':>10} {'max ms':>8}")
    for query in QUERIES:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            results = search(query, user=reader)
            times.append((time.perf_counter() - t) * 1000)
        print(f"{query:14} {len(query.replace(' ', '')):>5} {results.total:>6} {statistics.median(times):>10.1f} "
              f"{max(times):>8.1f}")


if __name__ == "__main__":
    main()
