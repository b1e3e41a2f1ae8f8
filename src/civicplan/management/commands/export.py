"""`civicplan export KIND --format F --out FILE [--city NAME] [--period 109-112] [--agency NAME] [--year 110]
[--period-no 2]`: the plan book, the performance report, the tracking report, the strategy map, or data."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicplan.exports import EXPORTERS, ExportError, ExportRequest, export


def _period(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d{2,3})\s*(?:[-–~至到]\s*(\d{2,3}))?\s*", text)
    if not match or int(match[2] or match[1]) < int(match[1]):
        raise CommandError(f"--period: give ROC years such as 109-112 (got “{text}”)")
    return int(match[1]), int(match[2] or match[1])


class Command(BaseCommand):
    help = "Export a plan book, a performance or tracking report, a strategy map, or data (ODF first)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(EXPORTERS))
        parser.add_argument("--format", dest="fmt", help="odt|docx|pdf (documents), svg|pdf (strategy map), "
                            "xlsx|ods|csv|json (data); default: the first of those offered")
        parser.add_argument("--out", required=True, help="the file to write (- for standard output)")
        parser.add_argument("--city", help="the city's name, e.g. 基隆市")
        parser.add_argument("--period", help="the plan period in ROC years, e.g. 109-112")
        parser.add_argument("--agency", help="one agency's chapter only (its name or an alias)")
        parser.add_argument("--year", type=int, help="ROC year (reports)")
        parser.add_argument("--period-no", type=int, dest="period_no", help="the period's number in the year")

    def handle(self, *args, kind, fmt=None, out, city=None, period=None, agency=None, year=None, period_no=None,
               **options):
        fmt = (fmt or EXPORTERS[kind][2][0]).lower()
        request = ExportRequest(kind=kind, fmt=fmt, year=year, period_no=period_no)
        request.city = self._city(city) if city else None
        span = _period(period)
        if span:
            if request.city is None:
                raise CommandError("--period needs --city")
            request.cycle = self._cycle(request.city, span)
        if agency:
            if request.city is None:
                raise CommandError("--agency needs --city")
            request.agency = self._agency(request.city, agency)
        started = time.perf_counter()
        try:
            data = export(request)
        except ExportError as error:
            raise CommandError(str(error)) from None
        if out == "-":
            sys.stdout.buffer.write(data)
            return
        Path(out).write_bytes(data)
        self.stderr.write(f"{out}: {len(data):,} bytes in {time.perf_counter() - started:.1f} s")

    def _city(self, name):
        from civicplan.agencies.models import City

        city = City.objects.filter(name=name).first()
        if city is None:
            known = "、".join(City.objects.order_by("name").values_list("name", flat=True)) or "none yet"
            raise CommandError(f"--city: no city “{name}” (known: {known})")
        return city

    def _cycle(self, city, span):
        from civicplan.plans.models import PlanCycle

        cycles = PlanCycle.objects.filter(city=city, start_year=span[0], end_year=span[1])
        cycle = cycles.filter(kind="medium-term").first() or cycles.first()
        if cycle is None:
            known = ", ".join(f"{c.start_year}-{c.end_year}" for c in PlanCycle.objects.filter(city=city))
            raise CommandError(f"--period: {city.name} has no plan for {span[0]}-{span[1]} (has: {known or 'none'})")
        return cycle

    def _agency(self, city, name):
        from civicplan.agencies.models import Agency

        for agency in Agency.objects.filter(city=city):
            if name == agency.name or name in (agency.aliases or []):
                return agency
        raise CommandError(f"--agency: {city.name} has no agency “{name}”")
