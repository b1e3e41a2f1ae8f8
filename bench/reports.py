"""Benchmark the plan book: the Keelung 109–112 seed (20 agencies) imported into a temporary SQLite database, then
the whole city's book exported in ODT, DOCX and PDF. Prints, per format, the seconds (best of --repeat), the size,
the peak resident memory of the process that wrote it and the peak Python heap (tracemalloc, a separate run, since
tracing slows the work down). Aim: ODT and DOCX under 10 s, PDF under 60 s on a 2-core machine.
Run `.venv/bin/python bench/reports.py`.

    --seeds DIR      the seed folder (default ../shared/seeds beside the checkout)
    --agency NAME    one agency's book instead of the whole city's
    --repeat N       export each format N times and report the best time (default 1)
    --no-heap        skip the tracemalloc runs
    --out DIR        keep the books written there
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEELUNG = "000_f42f77be8cbf6647.txt"
AIMS = {"odt": 10, "docx": 10, "pdf": 60}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--agency")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-heap", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    seed = args.seeds / KEELUNG
    if not seed.is_file():
        sys.exit(f"the Keelung 109–112 seed is not at {seed}")

    data_dir = tempfile.mkdtemp(prefix="civicplan-bench-")
    os.environ["CIVICPLAN_DATA_DIR"] = data_dir  # a fresh SQLite database in the temporary data folder
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplan.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from civicplan.agencies.models import Agency
    from civicplan.importing.pipeline import parse_file
    from civicplan.plans.loading import do_import_plan

    call_command("migrate", verbosity=0)
    operator = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    started = time.perf_counter()
    cycle = do_import_plan(parse_file(seed).document, actor=operator, reason="bench").cycle
    chapters = cycle.chapters.count()
    kpis = sum(g.indicators.count() for c in cycle.chapters.all() for g in c.goals.all())
    agency = Agency.objects.get(city=cycle.city, name=args.agency) if args.agency else None
    print(f"imported {seed.name}: {cycle}, {chapters} chapters, {kpis} KPIs in {time.perf_counter() - started:.1f} s"
          f" ({os.cpu_count()} CPUs)")
    print(f"book: {agency.name if agency else 'the whole city'}")
    print(f"{'format':6} {'seconds':>8} {'aim s':>6} {'pages':>6} {'size KB':>8} {'peak RSS MB':>12} {'heap MB':>8}")
    for fmt in ("odt", "docx", "pdf"):
        result = _in_child(_export, cycle.pk, agency.pk if agency else None, fmt, args.repeat, False, args.out)
        heap = None if args.no_heap else _in_child(_export, cycle.pk, agency.pk if agency else None, fmt, 1, True,
                                                   None)["heap"]
        pages = result["pages"] if result["pages"] is not None else "–"
        print(f"{fmt:6} {result['seconds']:8.2f} {AIMS[fmt]:6d} {pages:>6} {result['size'] / 1024:8.0f} "
              f"{result['rss'] / 1024:12.0f} {'–' if heap is None else f'{heap / 1024 / 1024:8.0f}':>8}")


def _export(cycle_pk, agency_pk, fmt, repeat, trace, out_dir) -> dict:
    from civicplan.agencies.models import Agency
    from civicplan.exports import ExportRequest, export
    from civicplan.plans.models import PlanCycle

    cycle = PlanCycle.objects.select_related("city").get(pk=cycle_pk)
    agency = Agency.objects.get(pk=agency_pk) if agency_pk else None
    request = ExportRequest(kind="book", fmt=fmt, city=cycle.city, cycle=cycle, agency=agency)
    best, data, heap = float("inf"), b"", None
    for _ in range(repeat):
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        data = export(request)
        best = min(best, time.perf_counter() - started)
        if trace:
            heap = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / f"book.{fmt}").write_bytes(data)
    pages = None
    if fmt == "pdf":
        import pdfplumber

        with pdfplumber.open(__import__("io").BytesIO(data)) as pdf:
            pages = len(pdf.pages)
    return {"seconds": best, "size": len(data), "pages": pages, "heap": heap,
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}  # KB on Linux


def _in_child(function, *args) -> dict:
    """Run `function(*args)` in a forked process, so that its peak memory is its own."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            payload = json.dumps(function(*args)).encode()
        except BaseException as error:  # noqa: BLE001 — reported by the parent
            payload = json.dumps({"error": repr(error)}).encode()
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    result = json.loads(payload or b'{"error": "the child died"}')
    if "error" in result:
        sys.exit(f"export failed: {result['error']}")
    return result


if __name__ == "__main__":
    main()
