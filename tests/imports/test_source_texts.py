"""An uploaded plan book keeps its text from the upload through the preview to the commit, and every loaded record's
source lines can then be opened."""

import re

import pytest
from django.urls import reverse

from civicplan.imports.models import ImportDraft
from civicplan.imports.services import do_commit_import, do_upload_plan
from civicplan.plans.models import Indicator, PlanSourceText, Section

pytestmark = pytest.mark.django_db

BOOK = "002_f2147262ea2e9bf5.txt"


@pytest.fixture
def committed(world, seeds_dir):
    data = (seeds_dir / BOOK).read_bytes()
    draft = do_upload_plan(data, BOOK, actor=world.admin)
    result = do_commit_import(draft, reason="上傳", actor=world.admin)
    return draft, result


def test_commit_keeps_the_uploaded_text_beside_the_import(committed, seeds_dir):
    draft, result = committed
    kept = PlanSourceText.objects.get(plan_import__cycle=result.cycle)
    assert kept.file_name == BOOK and kept.lines == ImportDraft.objects.get(pk=draft.pk).lines
    raw = (seeds_dir / BOOK).read_text(encoding="utf-8-sig").split("\n")
    assert kept.lines[:40] == [line.rstrip("\r") for line in raw[:40]]


def test_every_imported_kpi_opens_its_source_lines(committed, client_for, world):
    _, result = committed
    client = client_for(world.civil_editor)
    indicators = list(Indicator.objects.filter(goal__chapter__cycle=result.cycle, source_line_start__isnull=False))
    assert indicators
    lines = PlanSourceText.objects.get(plan_import__cycle=result.cycle).lines
    for indicator in indicators[:10]:
        html = client.get(reverse("source", args=["indicator", indicator.pk])).content.decode()
        marked = [int(n) for n in re.findall(r'<span class="named"><span class="ln">(\d+)</span>', html)]
        end = indicator.source_line_end or indicator.source_line_start
        assert marked == list(range(indicator.source_line_start, end + 1))
        first = lines[indicator.source_line_start - 1].replace("\t", " ⇥ ").strip()
        assert first[:10] in html.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    chapter = indicators[0].goal.chapter
    page = client.get(reverse("chapter", args=[chapter.pk])).content.decode()
    assert reverse("source", args=["indicator", indicators[0].pk]) in page
    for section in Section.objects.filter(chapter=chapter, source_line_start__isnull=False)[:3]:
        assert client.get(reverse("source", args=["section", section.pk])).status_code == 200
