"""Documents made in the background (the immediate task backend runs them inside the request in tests)."""

import io

import pdfplumber
import pytest
from django.urls import reverse

from civicplan.exports.models import ExportJob, JobStatus
from civicplan.exports.tasks import make_document
from civicplan.plans.models import AgencyPlan

pytestmark = pytest.mark.django_db


def _ask(client, world, **data):
    return client.post(reverse("documents", args=[world.cycle.pk]),
                       {"kind": "strategy-map", "fmt": "pdf", "agency": "", "year": "", "period_no": "", **data})


def test_a_member_asks_for_a_document_watches_it_and_downloads_it(world, client_for):
    client = client_for(world.reviewer)
    page = client.get(reverse("documents", args=[world.cycle.pk]))
    assert page.status_code == 200 and 'value="strategy-map"' in page.content.decode()
    response = _ask(client, world)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("document-job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.requested_by == world.reviewer and job.percent == 100
    assert job.file_name == "strategy-map_基隆市_109-112.pdf"
    html = client.get(response["Location"]).content.decode()
    assert reverse("document-download", args=[job.pk]) in html and "hx-trigger" not in html
    download = client.get(reverse("document-download", args=[job.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == AgencyPlan.objects.filter(cycle=world.cycle).count()
        assert "民政處" in pdf.pages[0].extract_text()


def test_a_job_being_made_polls_and_shows_its_progress(world, client_for):
    job = ExportJob.objects.create(kind="book", fmt="odt", cycle=world.cycle, requested_by=world.reviewer,
                                   status=JobStatus.RUNNING, done=3, total=20)
    fragment = client_for(world.reviewer).get(reverse("document-job", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert 'hx-trigger="every 1s"' in html and 'value="15"' in html and "3" in html and "20" in html


def test_a_document_that_cannot_be_made_says_why(world):
    AgencyPlan.objects.filter(agency=world.finance).delete()
    job = ExportJob.objects.create(kind="strategy-map", fmt="svg", cycle=world.cycle, agency=world.finance,
                                   requested_by=world.reviewer)
    make_document(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "財政處 has no chapter" in job.message and not job.file


def test_a_format_the_document_does_not_come_in_is_refused_and_nothing_is_queued(world, client_for):
    response = _ask(client_for(world.reviewer), world, fmt="xlsx")
    assert response.status_code == 400 and not ExportJob.objects.exists()
    assert "fmt" in response.content.decode() or "xlsx" in response.content.decode()


def test_only_who_asked_or_the_yankao_admin_sees_a_job(world, client_for):
    _ask(client_for(world.civil_editor), world)
    job = ExportJob.objects.get()
    assert client_for(world.finance_editor).get(reverse("document-job", args=[job.pk])).status_code == 403
    assert client_for(world.finance_editor).get(reverse("document-download", args=[job.pk])).status_code == 403
    assert client_for(world.admin).get(reverse("document-download", args=[job.pk])).status_code == 200
    assert client_for(world.outsider).get(reverse("documents", args=[world.cycle.pk])).status_code == 403
    assert _ask(client_for(world.outsider), world).status_code == 403
    assert ExportJob.objects.count() == 1


def test_a_book_job_reports_its_steps_as_it_goes(world):
    job = ExportJob.objects.create(kind="book", fmt="odt", cycle=world.cycle, requested_by=world.reviewer)
    make_document(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (2, 2) and job.percent == 100
    assert job.file_name == "book_基隆市_109-112.odt" and job.size > 1000
