"""`civicplan demo`: load the sample plan and the demo accounts (idempotent), print the logins,
and with --serve ADDR run the web server. `make demo` calls it after `civicplan migrate`."""

import json
import os
from pathlib import Path
from importlib import resources

import civicplan
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from civicplan.agencies.models import Agency, City, Membership
from civicplan.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from civicplan.plans.loading import do_import_plan, do_load_plan
from civicplan.plans.models import PlanCycle

SAMPLE = "sample_keelung_109_112.json"


def seeds_dir() -> Path | None:
    """../shared/seeds beside the checkout (or $CIVICPLAN_SEEDS), if it is there."""
    candidates = [os.environ.get("CIVICPLAN_SEEDS"), Path.cwd().parent / "shared" / "seeds",
                  Path(civicplan.__file__).resolve().parents[2].parent / "shared" / "seeds"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir() and any(Path(candidate).iterdir()):
            return Path(candidate)
    return None


class Command(BaseCommand):
    help = "Load the demo data and accounts (idempotent), print the logins; --serve ADDR to serve."

    def add_arguments(self, parser):
        parser.add_argument("--serve", metavar="ADDR", help="serve on ADDR (e.g. 127.0.0.1:8000) afterwards")
        parser.add_argument("--seeds", metavar="DIR", type=Path,
                            help="import the plan books in DIR (default: ../shared/seeds beside the checkout)")

    def handle(self, *args, serve=None, seeds=None, **options):
        translation.activate(settings.LANGUAGE_CODE)  # names of records as users read them
        operator = self._operator()
        seeds = seeds or seeds_dir()
        if seeds is not None:
            self._import_seeds(seeds, operator)
        document = json.loads(resources.files("civicplan.demo").joinpath(SAMPLE).read_text(encoding="utf-8"))
        period = document["period"]
        loaded = PlanCycle.objects.filter(
            city__name=document["city"], kind=document["kind"], start_year=period["start"], end_year=period["end"]
        ).first()
        if loaded is None:
            loaded = do_load_plan(document, actor=operator, reason="demo sample data")
            self.stdout.write(f"Loaded the sample plan: {loaded} ({loaded.chapters.count()} chapters)")
        else:
            self.stdout.write(f"The sample plan is already loaded: {loaded}")
        self._accounts(City.objects.get(name=document["city"]))
        for other in City.objects.exclude(name=document["city"]):  # city-wide demo roles see every demo city
            self._accounts(other, city_wide_only=True)
        from civicplan.tracking.demo import simulate

        made = simulate(actor=operator)
        if made:
            self.stdout.write(f"Simulated {made} actuals for the past reporting periods (marked 示範資料)")
        self.stdout.write("")
        self.stdout.write("Demo logins (password for all: %s)" % DEMO_PASSWORD)
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<12} {account.description}")
        if serve:
            worker = self._start_worker()
            self.stdout.write(f"\nServing on http://{serve}/  (Ctrl-C to stop)")
            try:
                call_command("runserver", serve, use_reloader=False)
            finally:
                if worker is not None:
                    worker.terminate()

    def _start_worker(self):
        """The background worker that makes books and reports asked for on the web (django-tasks db_worker)."""
        import subprocess
        import sys

        if "DatabaseBackend" not in settings.TASKS["default"]["BACKEND"]:
            return None
        self.stdout.write("Background worker started (documents asked for on the web are made by it)")
        return subprocess.Popen([sys.executable, "-m", "civicplan", "db_worker", "--interval", "0.5", "--no-reload"])

    def _import_seeds(self, folder: Path, operator):
        """The real plan books, through the importer; a book that cannot be read is reported and skipped."""
        from civicplan.importing.document import ReadError
        from civicplan.importing.pipeline import merge, parse_file

        parsed, texts = [], {}
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            try:
                result = parse_file(path)
            except (ReadError, ImportError, ValueError) as error:
                self.stdout.write(f"Skipped {path.name}: {error}")
                continue
            parsed.append(result.document)
            texts.update(result.source_texts)  # kept with the import: every record's source lines one click away
        for document in merge(parsed):
            try:
                result = do_import_plan(document, actor=operator, reason="demo: seed plan books", source_texts=texts)
            except (ValidationError, PermissionDenied) as error:
                self.stdout.write(f"Skipped {document.source.file}: {error}")
                continue
            if result.status == "unchanged":
                self.stdout.write(f"Already loaded: {result.cycle}")
            else:
                counts = result.counts
                self.stdout.write(f"Imported {document.source.file}: {result.cycle} ({counts['chapters']} chapters, "
                                  f"{counts['indicators']} indicators, {len(document.anomalies)} anomalies)")

    @transaction.atomic
    def _operator(self):
        """The system operator account that sets up the city; it logs in only to the Django admin."""
        User = get_user_model()
        user, created = User.objects.get_or_create(username="operator", defaults={"is_staff": True,
                                                                                  "is_superuser": True})
        if created:
            user.set_unusable_password()
            user.save()
        return user

    @transaction.atomic
    def _accounts(self, city, city_wide_only=False):
        User = get_user_model()
        for account in DEMO_ACCOUNTS:
            if city_wide_only and account.agency:
                continue
            user, created = User.objects.get_or_create(username=account.username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = user.is_superuser = account.role == "admin"
                user.save()
            agency = Agency.resolve(city, account.agency) if account.agency else None
            if account.agency and agency is None:
                agency = Agency.objects.create(city=city, name=account.agency, order=city.agencies.count() + 1)
            Membership.objects.get_or_create(user=user, city=city, agency=agency, role=account.role)
