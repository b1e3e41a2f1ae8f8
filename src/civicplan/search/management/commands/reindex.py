"""`civicplan reindex [--city NAME]`: rebuild the search entries (after a restore, or an upgrade)."""

import time

from django.core.management.base import BaseCommand, CommandError

from civicplan.plans.models import PlanCycle
from civicplan.search.indexing import reindex_cycle


class Command(BaseCommand):
    help = "Rebuild the search index of every plan cycle (or of one city's)."

    def add_arguments(self, parser):
        parser.add_argument("--city", help="only this city's cycles (its name, e.g. 基隆市)")

    def handle(self, *args, city=None, **options):
        cycles = PlanCycle.objects.select_related("city").order_by("city__name", "start_year", "kind")
        if city:
            cycles = cycles.filter(city__name=city)
            if not cycles.exists():
                raise CommandError(f"no plan cycles for the city “{city}”")
        started = time.perf_counter()
        total = 0
        for cycle in cycles:
            count = reindex_cycle(cycle)
            total += count
            self.stdout.write(f"{cycle}: {count:,} entries")
        self.stdout.write(f"{total:,} entries in {time.perf_counter() - started:.1f} s")
