"""Benchmark the importer on the seed books: parse + validate time, KPI rows per second, peak memory,
and a full import into a fresh SQLite database. Prints its figures; run `.venv/bin/python bench/import.py`.

    --seeds DIR   the seed folder (default ../shared/seeds beside the checkout)
    --repeat N    parse each file N times and report the best (default 5)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(p for p in args.seeds.glob("*") if p.is_file())
    if not files:
        sys.exit(f"no seed files in {args.seeds}")

    data_dir = tempfile.mkdtemp(prefix="civicplan-bench-")
    os.environ["CIVICPLAN_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplan.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from civicplan.importing.pipeline import parse_file
    from civicplan.plans.loading import do_import_plan

    print(f"{'file':28} {'layout':9} {'KPI rows':>8} {'parse s':>8} {'rows/s':>9} {'peak MB':>8}")
    total_parse, total_rows, parsed = 0.0, 0, []
    from civicplan.importing.document import ReadError

    for path in files:
        best = float("inf")
        try:
            for _ in range(args.repeat):
                started = time.perf_counter()
                result = parse_file(path)
                best = min(best, time.perf_counter() - started)
        except ReadError as error:
            print(f"{path.name:28} not read: {error}")
            continue
        tracemalloc.start()
        parse_file(path)
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        rows = sum(1 for _ in result.document.indicators())
        total_parse += best
        total_rows += rows
        parsed.append(result)
        print(f"{path.name:28} {result.family:9} {rows:8d} {best:8.3f} {rows / best:9.0f} {peak:8.1f}")
    print(f"{'all seeds':28} {'':9} {total_rows:8d} {total_parse:8.3f} {total_rows / total_parse:9.0f}")

    call_command("migrate", verbosity=0)
    operator = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    started = time.perf_counter()
    for result in parsed:
        one = time.perf_counter()
        outcome = do_import_plan(parse_file(_path(files, result)).document,
                                 actor=operator, reason="bench")
        print(f"load {result.source.name:23} {outcome.status:9} {time.perf_counter() - one:8.3f} s")
    print(f"full import (parse + validate + load) of all seeds into SQLite: {time.perf_counter() - started:.3f} s")


def _path(files, result):
    return next(p for p in files if p.name == result.source.name)


if __name__ == "__main__":
    main()
