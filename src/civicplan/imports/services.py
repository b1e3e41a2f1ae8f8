"""Uploading a plan book: read and validate it (nothing loaded yet), then commit it through the loader or cancel.

Who: a 研考 administrator of some city (or the system operator); the commit itself checks the city's rule.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan import interchange
from civicplan.agencies.models import City
from civicplan.audit.models import Action
from civicplan.audit.services import record
from civicplan.importing.pipeline import parse_upload, source_lines
from civicplan.imports.models import ImportDraft, ImportStatus
from civicplan.permissions import require
from civicplan.plans.exporting import chapter_key, cycle_to_document, diff_documents
from civicplan.plans.loading import do_import_plan
from civicplan.plans.models import PlanCycle

MAX_UPLOAD = 50 * 1024 * 1024


def preview_differences(document: interchange.PlanDocument) -> list[str]:
    cycle = PlanCycle.objects.filter(city__name=document.city, kind=document.kind,
                                     start_year=document.period["start"], end_year=document.period["end"]).first()
    if cycle is None:
        return []
    current = cycle_to_document(cycle)
    keys = {chapter_key(c) for c in current.chapters}
    current.chapters = [c for c in current.chapters if chapter_key(c) in {chapter_key(d) for d in document.chapters}]
    subset = interchange.PlanDocument(city=document.city, kind=document.kind, period=document.period,
                                      chapters=[c for c in document.chapters if chapter_key(c) in keys])
    return diff_documents(current, subset)


@transaction.atomic
def do_upload_plan(data: bytes, name: str, *, city: str = "", period=None, actor) -> ImportDraft:
    """Read and validate an uploaded book; ReadError (a ValueError) says what is wrong and where."""
    require(actor, "imports.upload_plan")
    if len(data) > MAX_UPLOAD:
        raise ValueError(_("%(name)s: the file is larger than %(mb)s MB") % {"name": name, "mb": MAX_UPLOAD // 2**20})
    parsed = parse_upload(data, name, city=city or None, period=period)
    document = parsed.document
    if City.objects.filter(name=document.city).exists():
        require(actor, "plans.add_cycle", City.objects.get(name=document.city))
    elif not actor.is_superuser:
        raise PermissionDenied(_("Only the system operator may add a new city (%(c)s).") % {"c": document.city})
    draft = ImportDraft.objects.create(
        file_name=parsed.source.name, sha256=parsed.source.sha256, family=parsed.family,
        encoding=parsed.source.encoding, document=interchange.to_dict(document),
        lines=source_lines(parsed.source), differences=preview_differences(document),
        created_by=actor,
    )
    record(Action.IMPORT_UPLOADED, actor=actor, obj=draft, city=City.objects.filter(name=document.city).first(),
           new={"file": draft.file_name, "sha256": draft.sha256, "layout": draft.family, **document.counts()})
    return draft


@transaction.atomic
def do_commit_import(draft: ImportDraft, *, replace: bool = False, reason: str = "", actor):
    draft = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != ImportStatus.PENDING:
        raise PermissionDenied(_("This upload was already %(status)s.") % {"status": draft.get_status_display()})
    if draft.created_by_id != actor.pk and not actor.is_superuser:
        require(actor, "imports.upload_plan")
    # The text read at upload (kept on the draft for the preview) is kept with the import for the source links.
    result = do_import_plan(draft.document, actor=actor, reason=reason or draft.file_name, replace=replace,
                            source_texts={draft.file_name: draft.lines})
    draft.status, draft.cycle, draft.decided_at = ImportStatus.COMMITTED, result.cycle, timezone.now()
    draft.save(update_fields=["status", "cycle", "decided_at"])
    return result


@transaction.atomic
def do_cancel_import(draft: ImportDraft, *, actor) -> None:
    require(actor, "imports.upload_plan")
    draft = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status == ImportStatus.PENDING:
        draft.status, draft.decided_at = ImportStatus.CANCELLED, timezone.now()
        draft.save(update_fields=["status", "decided_at"])
        record(Action.IMPORT_CANCELLED, actor=actor, obj=draft, new={"file": draft.file_name})
