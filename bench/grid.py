"""Benchmark the update grid: open, render and save a report of an agency with many KPIs (the largest agency
of the imported seeds), as a browser would. Prints its figures; run `.venv/bin/python bench/grid.py`.

    --seeds DIR   the seed folder (default ../shared/seeds beside the checkout)
    --repeat N    render N times and report the median (default 10)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    book = args.seeds / "000_f42f77be8cbf6647.txt"
    if not book.exists():
        sys.exit(f"the Keelung 109–112 book is not at {book}")
    data_dir = tempfile.mkdtemp(prefix="civicplan-bench-")
    os.environ.update(CIVICPLAN_DATA_DIR=data_dir, DATABASE_URL=f"sqlite:///{data_dir}/bench.sqlite3",
                      DJANGO_SETTINGS_MODULE="civicplan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from civicplan.agencies.models import Agency, Membership, Role
    from civicplan.importing.pipeline import parse_file
    from civicplan.plans.loading import do_import_plan
    from civicplan.tracking.periods import periods_for

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    users = get_user_model().objects
    operator = users.create_superuser("bench", "bench@example.org", "bench")
    do_import_plan(parse_file(book).document, actor=operator)
    agency = (Agency.objects.annotate(n=Count("indicator_ownerships")).order_by("-n").first())
    editor = users.create_user("editor", password="x")
    Membership.objects.create(user=editor, city=agency.city, agency=agency, role=Role.EDITOR)
    period = periods_for(agency.city, 110)[-1]
    client = Client()
    client.force_login(editor)
    url = f"/tracking/{agency.pk}/{period.pk}/"
    started = time.perf_counter()
    client.get(url)
    first = time.perf_counter() - started
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
    html = response.content.decode()
    rows = html.count("-actual_raw\"")
    data = {"version": "1", "action": "save"}
    for part in html.split('name="m-')[1:]:
        ident, field = part.split('"', 1)[0].rsplit("-", 1)
        if field == "version":
            data[f"m-{ident}-version"] = part.split('value="', 1)[1].split('"', 1)[0]
            data[f"m-{ident}-actual_raw"] = "10件"
            data[f"m-{ident}-progress_note"] = "依進度辦理"
    started = time.perf_counter()
    saved = client.post(url, data)
    save_seconds = time.perf_counter() - started
    print(f"agency: {agency.name}, KPIs in the grid: {rows}")
    print(f"open (creates the report's rows): {first:.3f} s")
    print(f"render: median {statistics.median(timings) * 1000:.0f} ms over {args.repeat}, "
          f"{len(html) / 1024:.0f} KB of HTML")
    print(f"save all rows (assess each, audit, history): {save_seconds:.3f} s → HTTP {saved.status_code}")


if __name__ == "__main__":
    main()
