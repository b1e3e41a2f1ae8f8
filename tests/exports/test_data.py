"""`civicplan export data` and the cycle page's data download: every format read back with the library a user's
program would use (openpyxl, odfdo, csv with utf-8-sig, json), checked against the database — on the real seeds."""

import csv
import io
import json
import re
import time
import zipfile
from collections import Counter
from datetime import UTC, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from civicplan import interchange
from civicplan.exports import ExportRequest, export
from civicplan.exports.data import CSV_COLUMNS, SHEETS
from civicplan.importing.document import ReadError
from civicplan.importing.pipeline import parse_upload
from civicplan.plans.exporting import cycle_to_document
from civicplan.plans.models import AgencyPlan, CycleStatus, Goal, GoalKind, Indicator, PlanCycle, Target
from civicplan.portal import opendata
from civicplan.tracking.models import Measurement, ReportStatus

pytestmark = pytest.mark.django_db

SPREADSHEETS = ["xlsx", "ods"]
FORMATS = ["xlsx", "ods", "csv", "json"]


def data(fmt, cycle=None, **options) -> bytes:
    city = cycle.city if cycle is not None else options.pop("city", None)
    return export(ExportRequest(kind="data", fmt=fmt, city=city, cycle=cycle, **options))


def read_book(content: bytes, fmt: str) -> dict[str, list[list[str]]]:
    """{sheet: rows (the header first)}, every cell as text (opendata.text), read with openpyxl or odfdo."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        sheets = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    else:
        from odfdo import Document

        document = Document(io.BytesIO(content))
        sheets = {t.name: t.get_values() for t in document.body.get_tables()}
    return {name: [[opendata.text(v) for v in row] for row in rows] for name, rows in sheets.items()}


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV starts with the UTF-8 BOM (Excel)"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def in_book_order(queryset):
    return list(queryset.order_by("goal__chapter__order", "goal__chapter_id", "-goal__kind", "goal__order",
                                  "goal_id", "order", "id").values_list("pk", flat=True))


@pytest.fixture(scope="module")
def keelung_books(data_seeded, django_db_blocker):
    """The Keelung 109–112 cycle as XLSX and ODS, exported once for the module (for the tests that only read)."""
    with django_db_blocker.unblock():
        return {fmt: read_book(data(fmt, data_seeded["keelung"]), fmt) for fmt in SPREADSHEETS}


# -- spreadsheets --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", SPREADSHEETS)
def test_a_sheet_per_table_with_every_record_of_the_cycle(data_seeded, keelung_books, fmt):
    cycle = data_seeded["keelung"]
    book = keelung_books[fmt]
    assert list(book) == list(SHEETS) == ["計畫", "機關計畫", "目標", "指標", "目標值", "實績"]
    for name, rows in book.items():
        assert rows[0] == SHEETS[name], name
    expected = {
        "計畫": 1,
        "機關計畫": AgencyPlan.objects.filter(cycle=cycle).count(),
        "目標": Goal.objects.filter(chapter__cycle=cycle).count(),
        "指標": Indicator.objects.filter(goal__chapter__cycle=cycle).count(),
        "目標值": Target.objects.filter(indicator__goal__chapter__cycle=cycle).count(),
        "實績": Measurement.objects.filter(indicator__goal__chapter__cycle=cycle).count(),
    }
    assert {name: len(rows) - 1 for name, rows in book.items()} == expected
    assert expected["實績"] > 1000 and expected["指標"] > 500, "the seed and the simulated results are all there"
    plan = as_dicts(book["計畫"])[0]
    assert (plan["縣市"], plan["起始年度（民國）"], plan["結束年度（民國）"], plan["類別"]) == ("基隆市", "109", "112",
                                                                                   "中程施政計畫")
    assert [plan[k] for k in ("機關計畫數", "指標數", "目標值數", "實績數")] == [
        str(expected[k]) for k in ("機關計畫", "指標", "目標值", "實績")]


def test_xlsx_and_ods_hold_the_same_cells(keelung_books):
    assert keelung_books["xlsx"] == keelung_books["ods"]


def test_kpis_per_agency_are_the_databases(data_seeded, keelung_books):
    cycle = data_seeded["keelung"]
    rows = as_dicts(keelung_books["xlsx"]["指標"])
    in_sheet = Counter(r["機關或策略主題"] for r in rows if r["目標類別"] == "關鍵策略目標")
    in_database = dict(Indicator.objects.filter(goal__chapter__cycle=cycle, goal__kind=GoalKind.KEY)
                       .values_list("goal__chapter__agency__name").annotate(n=Count("id")))
    assert in_sheet == in_database and len(in_sheet) == 20
    goals = Counter(r["機關或策略主題"] for r in as_dicts(keelung_books["xlsx"]["目標"]))
    chapters = {r["機關或策略主題"]: r for r in as_dicts(keelung_books["xlsx"]["機關計畫"])}
    for agency, n in goals.items():
        assert n == Goal.objects.filter(chapter__cycle=cycle, chapter__agency__name=agency).count()
        assert chapters[agency]["指標數"] == str(Indicator.objects.filter(
            goal__chapter__cycle=cycle, goal__chapter__agency__name=agency).count())


def test_targets_and_results_are_the_databases(data_seeded, keelung_books):
    cycle = data_seeded["keelung"]
    book = keelung_books["xlsx"]
    kpi = Indicator.objects.filter(goal__chapter__cycle=cycle, goal__chapter__agency__name="民政處").order_by(
        "goal__kind", "goal__order", "order").exclude(goal__kind=GoalKind.COMMON).first()
    targets = [(r["年度（民國）"], r["目標值"]) for r in as_dicts(book["目標值"]) if r["指標ID"] == str(kpi.pk)]
    assert targets == [(str(t.year), t.raw) for t in kpi.targets.order_by("year")] and len(targets) == 4
    indicator = next(r for r in as_dicts(book["指標"]) if r["指標ID"] == str(kpi.pk))
    assert (indicator["指標"], indicator["衡量標準"], indicator["主責機關"]) == (kpi.name, kpi.standard, "民政處")
    results = {(r["指標ID"], r["填報機關"], r["年度（民國）"], r["期別"]): r for r in as_dicts(book["實績"])}
    late = (Measurement.objects.filter(indicator__goal__chapter__cycle=cycle, light__in=["yellow", "red"])
            .select_related("report__period", "report__agency").order_by("id").first())
    row = results[(str(late.indicator_id), late.report.agency.name, str(late.report.period.year),
                   str(late.report.period.seq))]
    assert row["實際值"] == late.actual_raw and row["本期應達"] == late.expected_raw
    assert row["達成度（%）"] == opendata.text(late.achievement_rate)
    assert row["燈號"] in ("黃燈", "紅燈") and row["落後原因"] == late.delay_reason and row["因應對策"]
    assert row["填報狀態"] == "複核通過（已鎖定）" and row["示範資料"] == "是"
    assert row["年度目標值"] == late.indicator.targets.get(year=late.report.period.year).raw
    draft = data_seeded["draft_report"]
    statuses = {r["填報狀態"] for r in as_dicts(book["實績"])
                if r["填報機關"] == draft.agency.name and r["期間"] == str(draft.period)}
    assert statuses == {"填報中"}, "the command line sees every report, the one being filled in too"


def test_rows_come_in_the_books_order(data_seeded, keelung_books):
    cycle = data_seeded["keelung"]
    rows = as_dicts(keelung_books["xlsx"]["指標"])
    assert [int(r["指標ID"]) for r in rows] == in_book_order(Indicator.objects.filter(goal__chapter__cycle=cycle))
    chapters = [r["機關或策略主題"] for r in as_dicts(keelung_books["xlsx"]["機關計畫"])]
    assert chapters == list(AgencyPlan.objects.filter(cycle=cycle).order_by("order").values_list("agency__name",
                                                                                                 flat=True))
    assert chapters[0] == "民政處"
    place = {r["指標ID"]: n for n, r in enumerate(rows)}
    years = [(place[r["指標ID"]], int(r["年度（民國）"])) for r in as_dicts(keelung_books["xlsx"]["目標值"])]
    assert years == sorted(years), "targets by indicator in the book's order, then by year"


# -- CSV -------------------------------------------------------------------------------------------------------------
def test_csv_is_the_indicators_by_year_with_the_last_approved_actual(data_seeded):
    cycle = data_seeded["keelung"]
    rows = read_csv(data("csv", cycle))
    assert rows[0] == CSV_COLUMNS
    indicators = Indicator.objects.filter(goal__chapter__cycle=cycle)
    assert len(rows) - 1 == indicators.count() * len(cycle.years)
    table = {(r["指標ID"], r["年度（民國）"]): r for r in as_dicts(rows)}
    approved = (Measurement.objects.filter(indicator__goal__chapter__cycle=cycle, report__status=ReportStatus.APPROVED)
                .select_related("report__period", "report__agency").order_by("report__period__seq"))
    latest = {}
    for m in approved:
        latest[(str(m.indicator_id), str(m.report.period.year))] = m
    checked = 0
    for key, m in list(latest.items())[:200]:
        row = table[key]
        assert (row["實際值"], row["資料期別"], row["填報機關"]) == (m.actual_raw, str(m.report.period),
                                                             m.report.agency.name), key
        checked += 1
    assert checked == 200
    kpi = indicators.first()
    assert [table[(str(kpi.pk), str(y))]["年度目標值"] for y in cycle.years] == [
        t.raw for t in kpi.targets.order_by("year")]
    # The report put back to draft is not a result yet: its KPIs show the period before.
    draft = data_seeded["draft_report"]
    m = draft.measurements.select_related("indicator").first()
    assert table[(str(m.indicator_id), str(draft.period.year))]["資料期別"] != str(draft.period)
    assert table[(str(m.indicator_id), "112")]["實際值"] == "", "no result for a year not reported"


# -- JSON ------------------------------------------------------------------------------------------------------------
def test_json_of_a_cycle_is_its_plan_document(data_seeded):
    cycle = data_seeded["keelung"]
    content = data("json", cycle)
    document = json.loads(content.decode("utf-8"))
    assert document == interchange.to_dict(cycle_to_document(cycle))
    assert document["format"] == "civicplan.plan/1" and document["period"] == {"start": 109, "end": 112}
    assert not re.search(r'"(actual\w*|measurements?|light)":', content.decode()), "actuals are not in the format"
    parsed = parse_upload(content, "keelung.json").document
    counts = parsed.counts()
    assert (counts["chapters"], counts["indicators"], counts["targets"]) == (
        AgencyPlan.objects.filter(cycle=cycle).count(),
        Indicator.objects.filter(goal__chapter__cycle=cycle).count(),
        Target.objects.filter(indicator__goal__chapter__cycle=cycle).count())
    assert parsed.source.sha256 == cycle.imports.first().sha256


def test_json_of_several_plans_is_an_array_in_a_stable_order(data_seeded):
    everything = json.loads(data("json"))
    expected = sorted(PlanCycle.objects.select_related("city"),
                      key=lambda c: (c.city.name, c.start_year, c.end_year, c.kind))
    assert [(d["city"], d["period"]["start"]) for d in everything] == [(c.city.name, c.start_year) for c in expected]
    assert {d["city"] for d in everything} == {"基隆市", "臺北市", "嘉義市"}
    one_city = json.loads(data("json", city=data_seeded["keelung"].city))
    assert isinstance(one_city, list) and [d["city"] for d in one_city] == ["基隆市"]
    with pytest.raises(ReadError, match="holds 3 plans"):
        parse_upload(data("json"), "all.json")


def test_an_agency_alone(data_seeded):
    cycle = data_seeded["keelung"]
    civil = cycle.chapters.get(agency__name="民政處").agency
    book = read_book(data("xlsx", cycle, agency=civil), "xlsx")
    assert {r["機關或策略主題"] for r in as_dicts(book["指標"])} == {"民政處"}
    assert len(book["指標"]) - 1 == Indicator.objects.filter(goal__chapter__cycle=cycle,
                                                            goal__chapter__agency=civil).count()
    document = json.loads(data("json", cycle, agency=civil))
    assert [c["agency"] for c in document["chapters"]] == ["民政處"]


# -- the same data, the same bytes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_two_exports_of_the_same_data_are_the_same_bytes(data_seeded, monkeypatch, fmt):
    cycle = data_seeded["chiayi"]
    first = data(fmt, cycle)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 86400)  # zip entries would be dated 3 days later
    assert data(fmt, cycle) == first
    if fmt in SPREADSHEETS:
        assert data(fmt) == data(fmt), "everything, too"


@pytest.mark.parametrize("fmt", SPREADSHEETS)
def test_the_dates_inside_are_the_newest_change_of_the_data(data_seeded, fmt):
    cycle = data_seeded["chiayi"]
    later = timezone.now() + timedelta(days=40)
    target = Target.objects.filter(indicator__goal__chapter__cycle=cycle).first()
    before = data(fmt, cycle)
    Target.objects.filter(pk=target.pk).update(raw="999件", updated_at=later)
    after = data(fmt, cycle)
    assert after != before
    local = timezone.localtime(later)
    archive = zipfile.ZipFile(io.BytesIO(after))
    in_zip = local.replace(second=local.second - local.second % 2)  # a zip keeps even seconds
    assert {i.date_time for i in archive.infolist()} == {in_zip.timetuple()[:6]}
    if fmt == "xlsx":
        core = archive.read("docProps/core.xml").decode()
        stamp = later.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert core.count(stamp) == 2, core
    else:
        meta = archive.read("meta.xml").decode()
        assert meta.count(local.strftime("%Y-%m-%dT%H:%M:%S")) == 2, meta
    if fmt == "ods":
        assert archive.namelist()[0] == "mimetype" and archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED


# -- the command line ----------------------------------------------------------------------------------------------
def run(*args) -> str:
    out = io.StringIO()
    call_command("export", "data", *map(str, args), stdout=out, stderr=out)
    return out.getvalue()


def test_the_command_writes_the_file(data_seeded, tmp_path):
    out = tmp_path / "keelung.xlsx"
    said = run("--format", "xlsx", "--city", "基隆市", "--period", "109-112", "--out", out)
    assert "bytes" in said and out.read_bytes() == data("xlsx", data_seeded["keelung"])
    run("--format", "csv", "--out", tmp_path / "all.csv")
    everything = read_csv((tmp_path / "all.csv").read_bytes())
    assert len(everything) - 1 == sum(Indicator.objects.filter(goal__chapter__cycle=c).count() * len(c.years)
                                      for c in PlanCycle.objects.all())
    assert [r[0] for r in everything[1:]] == sorted(r[0] for r in everything[1:]), "cities in order"


@pytest.mark.parametrize("args, message", [
    (["--city", "臺中市"], "--city: no city “臺中市” (known: "),
    (["--period", "109-112"], "--period needs --city"),
    (["--city", "基隆市", "--period", "100-103"], "基隆市 has no plan for 100-103 (has: "),
    (["--city", "基隆市", "--period", "112-109"], "--period: give ROC years such as 109-112"),
    (["--city", "基隆市", "--agency", "無此處"], "--agency: 基隆市 has no agency “無此處”"),
    (["--format", "pdf"], "data: format “pdf” is not offered; one of xlsx, ods, csv, json"),
])
def test_bad_filters_get_a_clear_error_and_no_file(data_seeded, tmp_path, args, message):
    out = tmp_path / "out.bin"
    with pytest.raises(CommandError) as error:
        run(*(args if "--format" in args else ["--format", "json", *args]), "--out", out)
    assert message in str(error.value)
    assert not out.exists()


def test_an_agency_without_a_chapter_in_the_plan(data_seeded, tmp_path):
    cycle = data_seeded["chiayi"]
    outsider_agency = cycle.city.agencies.exclude(chapters__cycle=cycle).first()
    if outsider_agency is None:  # the Chiayi seed is one chapter: make another agency
        outsider_agency = cycle.city.agencies.create(name="財政處", order=99)
    with pytest.raises(CommandError, match="財政處 has no chapter in 嘉義市"):
        run("--format", "csv", "--city", "嘉義市", "--period", "108-111", "--agency", outsider_agency.name,
            "--out", tmp_path / "x.csv")


# -- the web -----------------------------------------------------------------------------------------------------------
def test_members_download_the_cycles_data_with_every_report(data_seeded, client_for):
    cycle = data_seeded["keelung"]
    client = client_for(data_seeded["member"])
    page = client.get(reverse("cycle", args=[cycle.pk])).content.decode()
    for fmt in FORMATS:
        assert f'href="{reverse("cycle-data", args=[cycle.pk, fmt])}"' in page
    response = client.get(reverse("cycle-data", args=[cycle.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response["Content-Disposition"].endswith("-109-112.xlsx")
    assert response.content == data("xlsx", cycle), "the same export as the command line's"
    document = json.loads(client.get(reverse("cycle-data", args=[cycle.pk, "json"])).content)
    assert document == interchange.to_dict(cycle_to_document(cycle))
    assert client.get(reverse("cycle-data", args=[cycle.pk, "pdf"])).status_code == 404


def test_others_see_approved_results_of_a_published_cycle_only(data_seeded, client_for):
    cycle = data_seeded["keelung"]
    client = client_for(data_seeded["outsider"])
    url = reverse("cycle-data", args=[cycle.pk, "ods"])
    assert client.get(url).status_code == 403, "a draft plan is its city's business"
    PlanCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.PUBLISHED)
    response = client.get(url)
    assert response.status_code == 200
    results = as_dicts(read_book(response.content, "ods")["實績"])
    measurements = Measurement.objects.filter(indicator__goal__chapter__cycle=cycle)
    assert len(results) == measurements.filter(report__status=ReportStatus.APPROVED).count()
    assert len(results) < measurements.count() and {r["填報狀態"] for r in results} == {"複核通過（已鎖定）"}
