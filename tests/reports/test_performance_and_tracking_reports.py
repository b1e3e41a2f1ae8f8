"""The annual performance report and the bi-monthly tracking report, read back from ODT, DOCX and PDF."""

import io
import zipfile
from datetime import date

import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from docx import Document as Docx
from odfdo import Document as Odt

from civicplan.exports import ExportError, ExportRequest, export
from civicplan.tracking.demo import simulate
from civicplan.tracking.models import Measurement, Report, ReportStatus
from civicplan.tracking.periods import periods_for

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def text_of(fmt: str, data: bytes) -> str:
    if fmt == "odt":
        body = Odt(io.BytesIO(data)).body  # headings and paragraphs in document order, table cells included
        return "\n".join(e.text_recursive for e in body.xpath("descendant::text:h | descendant::text:p"))
    if fmt == "docx":
        parts = []  # paragraphs and tables in document order
        for block in Docx(io.BytesIO(data)).iter_inner_content():
            rows = getattr(block, "rows", None)
            parts += [c.text for r in rows for c in r.cells] if rows is not None else [block.text]
        return "\n".join(parts)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture
def tracked(world):
    simulate(actor=world.admin, today=TODAY)
    behind = Measurement.objects.filter(indicator=world.finance_kpi, report__period__year=110).order_by(
        "-report__period__seq").first()
    Measurement.objects.filter(pk=behind.pk).update(light="red", delay_reason="稅收受疫情影響短收",
                                                    countermeasure="加強欠稅清理")
    return world


@pytest.mark.parametrize("fmt", ["odt", "docx", "pdf"])
def test_the_performance_report_has_every_kpi_its_target_actual_light_and_the_reasons_where_missed(tracked, fmt):
    world = tracked
    data = export(ExportRequest(kind="performance-report", fmt=fmt, cycle=world.cycle, year=110))
    text = "".join(text_of(fmt, data).split())
    assert "基隆市政府110年度施政績效成果報告" in text
    for heading in ("壹、績效總覽", "貳、各機關關鍵績效指標達成情形", "民政處", "財政處"):
        assert heading in text, heading
    for kpi in (world.civil_kpi, world.finance_kpi):
        last = (Measurement.objects.filter(indicator=kpi, report__period__year=110).exclude(actual_raw="")
                .order_by("-report__period__seq").first())
        assert kpi.name in text and kpi.targets.get(year=110).raw in text and last.actual_raw in text
    assert "稅收受疫情影響短收" in text and "加強欠稅清理" in text  # the red KPI explains itself
    assert "紅燈" in text and "示範資料" in text
    if fmt != "pdf":
        images = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith((".svg", ".png"))]
        assert images, "the chart is in the file"


def test_the_tracking_report_puts_exceptions_first(tracked):
    world = tracked
    period = periods_for(world.city, 110)[2]
    Measurement.objects.filter(indicator=world.finance_kpi, report__period=period).update(
        light="red", delay_reason="系統轉換延誤", countermeasure="十月底前補登")
    Report.objects.filter(agency=world.civil, period=period).update(status=ReportStatus.RETURNED,
                                                                  return_reason="實際值與佐證不符")
    for fmt in ("odt", "docx", "pdf"):
        text = "".join(text_of(fmt, export(ExportRequest(kind="tracking-report", fmt=fmt, cycle=world.cycle,
                                                         year=110, period_no=3))).split())
        assert "基隆市政府110年第3期" in text and "列管報告" in text
        exceptions, summary = text.rsplit("貳、各機關摘要", 1)  # the last: after the contents
        assert "紅燈指標（嚴重落後）：1項" in exceptions and world.finance_kpi.name in exceptions
        assert "系統轉換延誤" in exceptions and "十月底前補登" in exceptions
        assert "退回修正：1個機關" in exceptions and "實際值與佐證不符" in exceptions
        assert "民政處：指標1項" in summary and "財政處：指標1項" in summary and "退回修正" in summary


def test_an_agency_that_never_reported_is_overdue(world):
    data = export(ExportRequest(kind="tracking-report", fmt="pdf", cycle=world.cycle, year=110, period_no=1))
    text = "".join(text_of("pdf", data).split())
    assert "逾期未送：2個機關" in text and "尚未開始填報" in text


def test_reports_say_what_is_missing(world, tmp_path):
    with pytest.raises(ExportError, match="--year"):
        export(ExportRequest(kind="performance-report", fmt="pdf", cycle=world.cycle))
    with pytest.raises(ExportError, match="outside the plan"):
        export(ExportRequest(kind="performance-report", fmt="pdf", cycle=world.cycle, year=120))
    with pytest.raises(ExportError, match="--period-no"):
        export(ExportRequest(kind="tracking-report", fmt="pdf", cycle=world.cycle, year=110))
    with pytest.raises(ExportError, match="periods 1–6"):
        export(ExportRequest(kind="tracking-report", fmt="pdf", cycle=world.cycle, year=110, period_no=9))
    with pytest.raises(CommandError, match="--period needs --city"):
        call_command("export", "tracking-report", "--period", "109-112", "--out", str(tmp_path / "x.pdf"))
    out = tmp_path / "r.docx"
    call_command("export", "performance-report", "--city", "基隆市", "--period", "109-112", "--year", "110",
                 "--agency", "民政處", "--format", "docx", "--out", str(out))
    text = text_of("docx", out.read_bytes())
    assert world.civil_kpi.name in text and world.finance_kpi.name not in text
