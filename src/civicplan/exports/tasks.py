"""The background side of web exports: make the document of an ExportJob, keeping its progress up to date."""

from __future__ import annotations

import logging
import time

from django.core.files.base import ContentFile
from django.utils import timezone, translation

from civicplan.exports import ExportError, ExportRequest, export
from civicplan.exports.models import ExportJob, JobStatus

try:
    from django_tasks import task
except ImportError:  # Django 6: the same API is built in
    from django.tasks import task  # type: ignore[no-redef]

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress writes


def request_for(job: ExportJob) -> ExportRequest:
    return ExportRequest(kind=job.kind, fmt=job.fmt, city=job.cycle.city, cycle=job.cycle, agency=job.agency,
                         year=job.year, period_no=job.period_no, actor=job.requested_by)


def make_document(job_id: int) -> None:
    """Run one job to the end: status, progress (done of total), the file or the reason it failed."""
    job = ExportJob.objects.select_related("cycle__city", "agency", "requested_by").get(pk=job_id)
    if job.is_finished:
        return
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    request = request_for(job)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or done >= total:
            last[0] = now
            ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    request.progress = progress
    try:
        with translation.override("zh-hant"):  # official documents are in the plan's language
            data = export(request)
    except ExportError as error:
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=str(error),
                                                   finished_at=timezone.now())
        return
    except Exception:  # noqa: BLE001 — the job must end, and the user must not see a traceback
        log.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, finished_at=timezone.now(),
            message="The document could not be made; the error is in the server log.")
        return
    job.refresh_from_db()
    job.file_name = request.filename
    job.file.save(f"{job.pk}-{request.filename}", ContentFile(data), save=False)
    job.size = len(data)
    job.status = JobStatus.DONE
    job.done = job.total = max(job.total, 1)
    job.finished_at = timezone.now()
    job.save()


@task()
def run_export_job(job_id: int) -> None:
    make_document(job_id)
