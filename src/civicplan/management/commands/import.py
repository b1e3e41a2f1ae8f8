"""civicplan import FILE... — plan books (txt, md, html, docx, odt, pdf) into the database.

Prints what it found (chapters, goals, indicators, targets, revision rows, anomalies by kind) and what it did.
Files of the same plan (city, kind, period) are read as one document: a book that comes as one file per
chapter is imported in one go. A JSON file may hold a list of plan documents (`civicplan export data --format
json` of several plans): each is loaded. Each document loads in one transaction; an error changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from civicplan import interchange
from civicplan.importing.document import ReadError
from civicplan.importing.pipeline import anomaly_summary, merge, parse_file_all
from civicplan.plans.loading import ReplaceNeeded, do_import_plan


def _period(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,3})\s*(?:[-–~至到]\s*(\d{2,3}))?\s*", text or "")
    if not match:
        raise CommandError(f"--period {text!r}: give ROC years such as 109-112 (or 107 for one year)")
    start = int(match[1])
    end = int(match[2] or start)
    if end < start:
        raise CommandError(f"--period {text!r}: the last year comes before the first")
    return start, end


class Command(BaseCommand):
    help = "Import plan books (txt, md, html, docx, odt, pdf): parse, validate, load in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--city", help="the city, where the document does not say it (e.g. 基隆市)")
        parser.add_argument("--period", help="the plan period in ROC years, e.g. 109-112")
        parser.add_argument("--kind", choices=["medium-term", "annual", "strategy-map"])
        parser.add_argument("--dry-run", action="store_true", help="parse, validate and check the load; write nothing")
        parser.add_argument("--json", metavar="OUT", help="write the interchange JSON to OUT (a file, a folder, or -)")
        parser.add_argument("--replace", action="store_true", help="replace chapters that differ from the database")
        parser.add_argument("--user", help="who imports (default: the first system operator)")
        parser.add_argument("--reason", default="", help="kept in the audit trail")

    def handle(self, *args, files, city=None, period=None, kind=None, dry_run=False, json=None, replace=False,
               user=None, reason="", **options):
        period_years = _period(period) if period else None
        out = self.stderr if json == "-" else self.stdout
        parsed = []
        for name in files:
            try:
                results = parse_file_all(name, city=city, period=period_years, kind=kind)
            except ReadError as error:
                raise CommandError(f"{error}") from None
            for result in results:  # a JSON file may hold several plans (an export of several cycles)
                parsed.append(result)
                self._summary(out, result)
        documents = merge([p.document for p in parsed])
        if json:
            self._write_json(documents, json)
        actor = self._actor(user)
        # The text of every file read, so that each imported record's source lines can be shown later.
        texts = {name: lines for p in parsed for name, lines in p.source_texts.items()}
        for document in documents:
            self._load(out, document, actor=actor, dry_run=dry_run, replace=replace, reason=reason,
                       source_texts=texts)

    def _summary(self, out, result):
        document = result.document
        counts = document.counts()
        period = document.period
        out.write(f"{result.source.name}: {document.city} {document.kind} {period['start']}–{period['end']} "
                  f"({result.family} layout, {result.source.encoding}, read in {result.seconds:.2f} s)")
        out.write(f"  chapters {counts['chapters']} · key goals {counts['key_goals']} · "
                  f"KPIs {counts['key_indicators']} · common goals {counts['common_goals']} · "
                  f"common indicators {counts['common_indicators']} · targets {counts['targets']} · "
                  f"revision rows {counts['revisions']}")
        summary = anomaly_summary(document.anomalies)
        if summary:
            out.write(f"  anomalies {len(document.anomalies)}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
            for anomaly in document.anomalies[:20]:
                lines = anomaly.source.lines
                where = f"L{lines[0]}" + (f"–{lines[1]}" if lines[1] != lines[0] else "") if lines else ""
                out.write(f"    {where:>12} {anomaly.kind}: {anomaly.message}")
            if len(document.anomalies) > 20:
                out.write(f"    … and {len(document.anomalies) - 20} more (see --json)")
        else:
            out.write("  anomalies: none")

    def _write_json(self, documents, target):
        texts = [interchange.to_json(d) for d in documents]
        if target == "-":
            sys.stdout.write(texts[0] if len(texts) == 1 else "[" + ",\n".join(texts) + "]")
            sys.stdout.write("\n")
            return
        path = Path(target)
        if len(documents) == 1 and not path.is_dir():
            path.write_text(texts[0] + "\n", encoding="utf-8")
            return
        path.mkdir(parents=True, exist_ok=True)
        for document, text in zip(documents, texts):
            name = f"{document.city}-{document.kind}-{document.period['start']}-{document.period['end']}.json"
            (path / name).write_text(text + "\n", encoding="utf-8")

    def _actor(self, username):
        users = get_user_model().objects
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"--user {username}: no such user")
            return actor
        actor = users.filter(is_superuser=True, is_active=True).order_by("id").first()
        if actor is None:
            raise CommandError("no system operator yet: run `civicplan createsuperuser` or give --user")
        return actor

    def _load(self, out, document, *, actor, dry_run, replace, reason, source_texts=None):
        try:
            with transaction.atomic():
                result = do_import_plan(document, actor=actor, reason=reason or "civicplan import", replace=replace,
                                        source_texts=source_texts)
                if dry_run:
                    transaction.set_rollback(True)
        except ReplaceNeeded as error:
            shown = "\n".join(f"    {d}" for d in error.differences[:50])
            more = f"\n    … and {len(error.differences) - 50} more" if len(error.differences) > 50 else ""
            raise CommandError(f"{error.messages[0]}\n{shown}{more}\nRun again with --replace to load it.") from None
        except PermissionDenied as error:
            raise CommandError(f"not allowed: {error}") from None
        except ValidationError as error:
            raise CommandError(f"{document.source.file}: {' '.join(error.messages)}") from None
        verb = {"loaded": "loaded", "unchanged": "unchanged (already imported)", "replaced": "replaced",
                "extended": "added to"}[result.status]
        prefix = "dry run: would be " if dry_run else ""
        out.write(self.style.SUCCESS(f"{prefix}{verb}: {result.cycle}"))
        if result.differences:
            out.write(f"  {len(result.differences)} differences")
