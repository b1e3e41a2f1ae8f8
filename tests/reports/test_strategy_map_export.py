"""`civicplan export strategy-map`: the maps the pages draw, as one SVG or a PDF with a page per map."""

import io
import re
import xml.etree.ElementTree as ET

import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from civicplan.exports import ExportError, ExportRequest, export
from civicplan.plans.models import AgencyPlan, Goal

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}svg"


@pytest.fixture(scope="module")
def taipei(django_db_setup, django_db_blocker, seeds_dir):
    from django.contrib.auth import get_user_model

    from civicplan.importing.pipeline import parse_file
    from civicplan.plans.loading import do_import_plan

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            operator = get_user_model().objects.create_superuser("map-operator", password="x")
            yield do_import_plan(parse_file(seeds_dir / "003_f78f01ac8dc70682.txt").document, actor=operator).cycle
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_theme_map_cycle_gives_one_pdf_page_per_theme_with_every_objective(taipei):
    themes = list(AgencyPlan.objects.filter(cycle=taipei).select_related("theme").order_by("order", "id"))
    data = export(ExportRequest(kind="strategy-map", fmt="pdf", cycle=taipei))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == len(themes) == 9
        for page, chapter in zip(pdf.pages, themes):
            text = _squeeze(page.extract_text())
            assert _squeeze(chapter.theme.name) in text
            for band in ("顧客", "內部流程", "學習成長", "財務"):
                assert band in text
            for goal in Goal.objects.filter(chapter=chapter):
                assert _squeeze(goal.code or goal.label) in text, (chapter.theme, goal.code)


def test_the_svg_stacks_every_theme_map_in_one_document(taipei):
    themes = AgencyPlan.objects.filter(cycle=taipei).count()
    root = ET.fromstring(export(ExportRequest(kind="strategy-map", fmt="svg", cycle=taipei)))
    maps = [child for child in root if child.tag == SVG]
    assert len(maps) == themes
    ys = [float(m.get("y")) for m in maps]
    assert ys == sorted(ys) and len(set(ys)) == themes
    assert float(root.get("height").rstrip("pt")) > ys[-1]


def test_one_agency_map_from_the_command_line(world, tmp_path):
    goal = Goal.objects.filter(chapter=world.civil_chapter).first()
    out = tmp_path / "map.svg"
    call_command("export", "strategy-map", "--city", "基隆市", "--period", "109-112", "--agency", "民政處",
                 "--format", "svg", "--out", str(out))
    root = ET.fromstring(out.read_bytes())
    assert root.tag == SVG and "".join(root.itertext()).count(goal.name[:4]) >= 1


def test_what_cannot_be_drawn_is_said(world):
    with pytest.raises(ExportError, match="--period"):
        export(ExportRequest(kind="strategy-map", fmt="svg"))
    with pytest.raises(ExportError, match="not offered"):
        export(ExportRequest(kind="strategy-map", fmt="docx", cycle=world.cycle))
    other = world.finance
    AgencyPlan.objects.filter(agency=other).delete()
    with pytest.raises(ExportError, match="財政處 has no chapter"):
        export(ExportRequest(kind="strategy-map", fmt="pdf", cycle=world.cycle, agency=other))
    with pytest.raises(CommandError, match="no city"):
        call_command("export", "strategy-map", "--city", "花蓮縣", "--period", "109-112", "--out", "-")
