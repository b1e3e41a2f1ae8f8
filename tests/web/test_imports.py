"""Uploading a plan book through the pages: read → preview with anomalies beside their lines → load or cancel."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicplan.imports.models import ImportDraft
from civicplan.plans.models import Indicator, PlanCycle
from tests.web.test_editing import text

pytestmark = pytest.mark.django_db

BOOK = "001_995202fc11adf421.txt"


def _upload(client, path, name=None, **fields):
    upload = SimpleUploadedFile(name or path.name, path.read_bytes())
    return client.post(reverse("imports"), {"file": upload, "city": "", "period": "", **fields})


def test_upload_preview_and_load(world, client_for, seeds_dir):
    admin = client_for(world.admin)
    response = _upload(admin, seeds_dir / BOOK)
    assert response.status_code == 302
    draft = ImportDraft.objects.get()
    assert PlanCycle.objects.filter(start_year=111).count() == 0, "nothing is loaded before the commit"
    preview = admin.get(response["Location"])
    body = text(preview)
    assert "都市發展處" in body and "keelung" in body
    assert re.search(r"都市發展處\s+6\s+20\s+3", body), "the chapter's counts: 6 goals, 20 KPIs, 3 common"
    for anomaly in draft.document.get("anomalies", []):
        assert anomaly["message"][:20] in preview.content.decode()
    loaded = admin.post(reverse("import-commit", args=[draft.pk]), {"reason": "111年度版"})
    assert loaded.status_code == 302
    cycle = PlanCycle.objects.get(start_year=111)
    assert Indicator.objects.filter(goal__chapter__cycle=cycle, goal__kind="key").count() == 20
    again = admin.post(reverse("import-commit", args=[draft.pk]), {"reason": "again"})
    assert again.status_code == 403, "a draft is loaded once"


def test_a_bad_file_is_refused_with_its_name_and_nothing_is_kept(world, client_for, tmp_path):
    junk = tmp_path / "plan.pdf"
    junk.write_bytes(b"GIF89a not a pdf at all")
    response = _upload(client_for(world.admin), junk)
    assert response.status_code == 400
    assert "plan.pdf" in text(response) and "PDF" in text(response)
    assert not ImportDraft.objects.exists()


def test_cancelled_upload_loads_nothing(world, client_for, seeds_dir):
    admin = client_for(world.admin)
    _upload(admin, seeds_dir / BOOK)
    draft = ImportDraft.objects.get()
    assert admin.post(reverse("import-cancel", args=[draft.pk])).status_code == 302
    assert admin.post(reverse("import-commit", args=[draft.pk]), {"reason": "x"}).status_code == 403
    assert not PlanCycle.objects.filter(start_year=111).exists()


def test_a_changed_book_shows_differences_and_needs_the_replace_box(world, client_for, seeds_dir, tmp_path):
    admin = client_for(world.admin)
    _upload(admin, seeds_dir / BOOK)
    admin.post(reverse("import-commit", args=[ImportDraft.objects.get().pk]), {"reason": "v1"})
    indicator = Indicator.objects.filter(goal__chapter__cycle__start_year=111).order_by("id").first()
    lines = (seeds_dir / BOOK).read_text("utf-8").split("\n")
    span = range(indicator.source_line_start - 1, indicator.source_line_end)
    line = next(n for n in span if indicator.name[:6] in lines[n])
    piece = indicator.name[:6]
    lines[line] = lines[line].replace(piece, piece + "（修正）", 1)
    new_name = indicator.name.replace(piece, piece + "（修正）", 1)
    changed = tmp_path / BOOK
    changed.write_text("\n".join(lines), "utf-8")
    _upload(admin, changed)
    draft = ImportDraft.objects.order_by("-id").first()
    assert any(indicator.name in d for d in draft.differences)
    assert new_name in text(admin.get(reverse("import-preview", args=[draft.pk])))
    refused = admin.post(reverse("import-commit", args=[draft.pk]), {"reason": "v2"})
    assert refused.status_code == 400
    replaced = admin.post(reverse("import-commit", args=[draft.pk]), {"reason": "v2", "replace": "on"})
    assert replaced.status_code == 302
    assert Indicator.objects.filter(name=new_name).exists()
