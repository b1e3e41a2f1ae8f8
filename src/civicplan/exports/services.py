"""Asking for a document on the web: `do_request_export(..., actor)` checks the permission, records the job and
an AuditEvent (who asked for which document of which plan, when) and queues it (the worker runs
exports.tasks.make_document)."""

from __future__ import annotations

from django.db import transaction

from civicplan.audit.models import Action
from civicplan.audit.services import record
from civicplan.editing import ValidationError
from civicplan.exports import EXPORTERS
from civicplan.exports.models import ExportJob
from civicplan.permissions import require


def do_request_export(cycle, *, kind: str, fmt: str, agency=None, year: int | None = None,
                      period_no: int | None = None, actor) -> ExportJob:
    require(actor, "plans.view", cycle)
    if kind not in EXPORTERS:
        raise ValidationError({"kind": f"one of {', '.join(EXPORTERS)}"})
    if fmt not in EXPORTERS[kind][2]:
        raise ValidationError({"fmt": f"one of {', '.join(EXPORTERS[kind][2])}"})
    if agency is not None and agency.city_id != cycle.city_id:
        raise ValidationError({"agency": f"{agency.name} is not an agency of {cycle.city.name}"})
    with transaction.atomic():
        job = ExportJob.objects.create(kind=kind, fmt=fmt, cycle=cycle, agency=agency, year=year,
                                       period_no=period_no, requested_by=actor)
        record(Action.EXPORT_REQUESTED, actor=actor, obj=cycle, city=cycle.city, agency=agency,
               new={"document": kind, "format": fmt, "job": job.pk, "year": year, "period": period_no})
    from civicplan.exports.tasks import run_export_job

    run_export_job.enqueue(job.pk)  # after the commit: the worker must find the row
    return job
