"""Pages for uploading a plan book: upload → preview (counts, anomalies beside their source lines,
differences from the database) → commit or cancel. Thin: the work is in civicplan.imports.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicplan import interchange
from civicplan.importing.document import ReadError
from civicplan.imports.models import ImportDraft, ImportStatus
from civicplan.imports.services import do_cancel_import, do_commit_import, do_upload_plan
from civicplan.permissions import require
from civicplan.plans.loading import ReplaceNeeded
from civicplan.web.forms import CommitImportForm, UploadPlanForm
from civicplan.web.views import _problem

EXCERPT_CONTEXT = 2


@login_required
def import_list(request):
    require(request.user, "imports.upload_plan")
    status = 200
    if request.method == "POST":
        form = UploadPlanForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                draft = do_upload_plan(upload.read(), upload.name, city=form.cleaned_data["city"],
                                       period=form.cleaned_data["period"], actor=request.user)
            except (ReadError, ValueError) as error:
                form.add_error("file", str(error))
            else:
                return redirect("import-preview", draft.pk)
        status = 400
    else:
        form = UploadPlanForm()
    drafts = ImportDraft.objects.select_related("created_by", "cycle").defer("lines", "document")[:50]
    return render(request, "civicplan/imports/list.html", {"form": form, "drafts": drafts}, status=status)


def _excerpts(draft: ImportDraft, anomalies: list[interchange.Anomaly]) -> list[dict]:
    """Each anomaly with the source lines it names (and two either side), the named ones marked."""
    rows = []
    for anomaly in anomalies:
        lines = anomaly.source.lines
        excerpt = []
        if lines:
            first, last = lines[0], lines[1] or lines[0]
            for number in range(max(1, first - EXCERPT_CONTEXT), min(len(draft.lines), last + EXCERPT_CONTEXT) + 1):
                excerpt.append({"number": number, "text": draft.lines[number - 1].replace("\t", " ⇥ "),
                                "named": first <= number <= last})
        rows.append({"anomaly": anomaly, "excerpt": excerpt})
    return rows


@login_required
def import_preview(request, pk):
    draft = get_object_or_404(ImportDraft.objects.select_related("created_by", "cycle"), pk=pk)
    require(request.user, "imports.upload_plan")
    document = interchange.from_dict(draft.document)
    chapters = []
    for chapter in document.chapters:
        key = [g for g in chapter.goals if g.kind == "key"]
        chapters.append({
            "name": chapter.agency or f"{chapter.theme.code} {chapter.theme.name}",
            "key_goals": len(key), "kpis": sum(len(g.indicators) for g in key),
            "common": sum(len(g.indicators) for g in chapter.goals if g.kind == "common"),
            "targets": sum(len(i.targets) for g in chapter.goals for i in g.indicators),
        })
    form = CommitImportForm(needs_replace=bool(draft.differences))
    return render(request, "civicplan/imports/preview.html", {
        "draft": draft, "document": document, "counts": document.counts(), "chapters": chapters,
        "anomalies": _excerpts(draft, document.anomalies), "form": form,
        "pending": draft.status == ImportStatus.PENDING,
    })


@login_required
@require_POST
def import_commit(request, pk):
    draft = get_object_or_404(ImportDraft, pk=pk)
    form = CommitImportForm(request.POST, needs_replace=bool(draft.differences))
    if not form.is_valid():
        return _problem(request, form, 400, back=f"/imports/{pk}/")
    try:
        result = do_commit_import(draft, replace=form.cleaned_data.get("replace", False),
                                  reason=form.cleaned_data["reason"], actor=request.user)
    except ReplaceNeeded as error:
        messages.error(request, str(error.messages[0]))
        return redirect("import-preview", pk)
    except ValidationError as error:
        return _problem(request, error, 400, back=f"/imports/{pk}/")
    messages.success(request, _("%(file)s: %(status)s %(cycle)s")
                     % {"file": draft.file_name, "status": result.status, "cycle": result.cycle})
    return redirect("cycle", result.cycle.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    draft = get_object_or_404(ImportDraft, pk=pk)
    do_cancel_import(draft, actor=request.user)
    messages.success(request, _("Cancelled: %(file)s") % {"file": draft.file_name})
    return redirect("imports")
