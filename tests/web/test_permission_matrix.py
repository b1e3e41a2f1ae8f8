"""Every page × every role: who may see, who may change, and that a refused change changes nothing.

The routes come from the URLconf itself, so a new page without a row here fails the coverage test.
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from civicplan.audit.models import AuditEvent
from civicplan.imports.models import ImportDraft
from civicplan.tracking.models import Evidence, Measurement, Report
from civicplan.plans.models import (
    AgencyPlan,
    CycleStatus,
    Goal,
    Indicator,
    IndicatorOwner,
    PlanCycle,
    Section,
    Target,
)
from civicplan.web import urls as web_urls
from tests.factories import make_indicator

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "civil_editor", "civil_head", "finance_editor", "reviewer", "admin"]
MEMBERS = {"civil_editor", "civil_head", "finance_editor", "reviewer", "admin"}
CIVIL_EDITORS = {"civil_editor", "civil_head", "admin"}  # may change 民政處's draft chapter

# Route name → (what its pk names, who may GET it, who may POST to it).
# `None` for GET means the route only takes POST.
ROUTES = {
    "home": (None, MEMBERS | {"outsider"}, None),
    "cycle": ("cycle", MEMBERS, None),
    "cycle-status": ("cycle", None, {"admin"}),
    "chapter": ("chapter", MEMBERS, None),
    "chapter-edit": ("chapter", CIVIL_EDITORS, CIVIL_EDITORS),
    "chapter-workflow": ("chapter", None, {"civil_head", "admin"}),
    "goal-edit": ("goal", CIVIL_EDITORS, CIVIL_EDITORS),
    "indicator-add": ("goal", CIVIL_EDITORS, CIVIL_EDITORS),
    "indicator-edit": ("indicator", CIVIL_EDITORS, CIVIL_EDITORS),
    "indicator-delete": ("indicator", CIVIL_EDITORS, CIVIL_EDITORS),
    "target-edit": ("target", CIVIL_EDITORS, CIVIL_EDITORS),
    "history": ("history", MEMBERS, None),
    "target-preview": (None, MEMBERS | {"outsider"}, None),
    "search": (None, MEMBERS | {"outsider"}, None),
    "imports": (None, {"admin"}, {"admin"}),
    "import-preview": ("draft", {"admin"}, None),
    "import-commit": ("draft", None, {"admin"}),
    "import-cancel": ("draft", None, {"admin"}),
    "tracking": (None, MEMBERS, None),
    "report-grid": ("grid", MEMBERS, {"civil_editor", "civil_head"}),
    "report-step": ("submitted_report", None, {"civil_head"}),
    "measurement-light": ("reviewed_measurement", None, {"reviewer", "admin"}),
    "measurement-evidence": ("draft_measurement", None, {"civil_editor", "civil_head"}),
    "evidence-file": ("evidence", MEMBERS, None),
    "freshness": ("city", {"reviewer", "admin"}, None),
    "common-calculator": ("common_measurement", {"civil_editor", "civil_head"}, None),
    "tracking-overview": ("overview", MEMBERS, None),
    # Bulk entry of actuals (the grid's save permission). The upload's POST only previews and the confirmation
    # needs an upload previewed in the same session: both are covered by tests/web/test_bulk.py.
    "bulk-template-xlsx": ("grid", {"civil_editor", "civil_head"}, None),
    "bulk-template-ods": ("grid", {"civil_editor", "civil_head"}, None),
    "bulk-upload": ("grid", {"civil_editor", "civil_head"}, None),
    "bulk-confirm": ("grid", None, None),
    "dashboard": ("cycle", MEMBERS, None),
    "cycle-data": ("cycle_data", MEMBERS, None),  # the cycle's data as XLSX (ODS, CSV, JSON alike)
    "dashboard-chart": ("cycle", MEMBERS, None),
    "kpi": ("indicator", MEMBERS, None),
    "kpi-chart": ("indicator", MEMBERS, None),
    "strategy-map": ("chapter", MEMBERS, None),
    "strategy-map-svg": ("chapter", MEMBERS, None),
    "console": ("city", {"admin"}, None),
    "console-home": (None, {"admin"}, None),  # the admin of one city is sent on to its console (REDIRECTS)
    "section-add": ("chapter", CIVIL_EDITORS, CIVIL_EDITORS),
    "section-edit": ("section", CIVIL_EDITORS, CIVIL_EDITORS),
    "section-delete": ("section", CIVIL_EDITORS, CIVIL_EDITORS),
    "indicator-owners": ("indicator", CIVIL_EDITORS, CIVIL_EDITORS),
    # Inline validation answers GET and POST alike and changes nothing (tests/web/test_editor.py posts to it).
    "indicator-validate": ("indicator", CIVIL_EDITORS, None),
    "indicator-add-validate": ("goal", CIVIL_EDITORS, None),
    "goal-validate": ("goal", CIVIL_EDITORS, None),
    "source": ("source", MEMBERS, None),
    "documents": ("cycle", MEMBERS, MEMBERS),
    "document-job": ("job", {"civil_editor", "admin"}, None),  # who asked, and the city's 研考 admin
    "document-download": ("job", {"civil_editor", "admin"}, None),
    # Personal API tokens: everybody logged in manages their own (the token below is civil_editor's).
    "account-tokens": (None, MEMBERS | {"outsider"}, MEMBERS | {"outsider"}),
    "account-token-revoke": ("api_token", None, {"civil_editor"}),
    "login": (None, set(ROLES), None),
    "logout": (None, None, None),
}


# Routes that send an allowed user on to another page instead of answering 200 (route name → where to).
REDIRECTS = {
    "console-home": lambda world: reverse("console", args=[world.city.pk]),
}


def _draft(world):
    from civicplan.imports.models import ImportDraft
    from civicplan.imports.services import do_upload_plan

    draft = ImportDraft.objects.first()
    if draft is None:
        draft = do_upload_plan(json.dumps(PLAN_FILE, ensure_ascii=False).encode(), "plan.json", actor=world.admin)
    return draft


# A small plan book for the upload pages, in the interchange format (the importer reads it like any book).
PLAN_FILE = {
    "format": "civicplan.plan/1", "city": "基隆市", "kind": "medium-term", "period": {"start": 111, "end": 114},
    "chapters": [{"agency": "民政處", "goals": [{"kind": "key", "seq": 1, "name": "強化里政服務", "indicators": [
        {"seq": 1, "name": "里鄰建設服務案件數", "targets": [{"year": 111, "raw": "350件"}]}]}]}],
}


def _section(world):
    section = Section.objects.filter(chapter=world.civil_chapter).first()
    if section is None:
        section = Section.objects.create(chapter=world.civil_chapter, order=1, label="壹、", heading="施政重點",
                                         text="推動里政服務")
    return section


def _objects(world):
    return {
        "cycle": world.cycle, "chapter": world.civil_chapter, "goal": world.civil_kpi.goal,
        "indicator": world.civil_kpi, "target": world.civil_target, "history": world.civil_target,
        "section": _section(world), "source": world.civil_kpi, "job": _job(world),
    }


def _job(world):
    """A finished document of the cycle, asked for by 民政處's editor."""
    from django.core.files.base import ContentFile

    from civicplan.exports.models import ExportJob, JobStatus

    job = ExportJob.objects.filter(requested_by=world.civil_editor).first()
    if job is None:
        job = ExportJob(kind="strategy-map", fmt="svg", cycle=world.cycle, requested_by=world.civil_editor,
                        status=JobStatus.DONE, file_name="map.svg", size=5)
        job.file.save("map.svg", ContentFile(b"<svg/>"), save=True)
    return job


def _tracking(world):
    """Reports of 民政處 in three states (a draft with evidence, a submitted one, a head-approved one)."""
    if hasattr(world, "_tracking"):
        return world._tracking
    from civicplan.tracking import services
    from civicplan.tracking.models import Evidence, ReportStatus
    from civicplan.tracking.periods import periods_for

    periods = periods_for(world.city, 110)
    draft = services.open_report(world.civil, periods[0])
    submitted = services.open_report(world.civil, periods[1])
    reviewed = services.open_report(world.civil, periods[2])
    type(submitted).objects.filter(pk=submitted.pk).update(status=ReportStatus.SUBMITTED)
    type(reviewed).objects.filter(pk=reviewed.pk).update(status=ReportStatus.HEAD_APPROVED)
    measurement = draft.measurements.get()
    evidence = Evidence(measurement=measurement, name="a.pdf", content_type="application/pdf", size=5,
                        uploaded_by=world.civil_editor)
    evidence.file.save("a.pdf", ContentFile(b"%PDF-"), save=True)
    common_kpi = make_indicator(world.civil_chapter, "約聘僱員額成長率", {110: "0%"})
    common = services.open_report(world.civil, periods[3])
    world._tracking = {"draft": draft, "submitted": submitted, "reviewed": reviewed, "evidence": evidence,
                       "common": common.measurements.get(indicator=common_kpi)}
    return world._tracking


def _url(world, name):
    kind = ROUTES[name][0]
    if kind is None:
        return reverse(name)
    if kind == "grid":
        report = _tracking(world)["draft"]
        return reverse(name, args=[report.agency_id, report.period_id])
    if kind == "cycle_data":
        return reverse(name, args=[world.cycle.pk, "xlsx"])
    if kind == "overview":
        return reverse(name, args=[world.cycle.pk, 110])
    if kind == "city":
        return reverse(name, args=[world.city.pk])
    if kind == "api_token":
        from civicplan.tokens.models import ApiToken
        from civicplan.tokens.services import do_create_token

        token = ApiToken.objects.filter(user=world.civil_editor).first()
        token = token or do_create_token(world.civil_editor, name="matrix", actor=world.civil_editor)[0]
        return reverse(name, args=[token.pk])
    tracked = {"submitted_report": lambda t: t["submitted"], "evidence": lambda t: t["evidence"],
               "reviewed_measurement": lambda t: t["reviewed"].measurements.get(),
               "draft_measurement": lambda t: t["draft"].measurements.get(),
               "common_measurement": lambda t: t["common"]}
    if kind in tracked:
        return reverse(name, args=[tracked[kind](_tracking(world)).pk])
    obj = _draft(world) if kind == "draft" else _objects(world)[kind]
    if name == "history":
        return reverse(name, args=["target", obj.pk])
    if name == "source":
        return reverse(name, args=["indicator", obj.pk])
    return reverse(name, args=[obj.pk])


def _post_data(world, name):
    """A valid submission for each changing route (fresh versions read from the database)."""
    chapter = world.fresh(world.civil_chapter)
    goal = world.fresh(world.civil_kpi.goal)
    indicator = world.fresh(world.civil_kpi)
    target = world.fresh(world.civil_target)
    cycle = world.fresh(world.cycle)
    indicator_fields = {"label": "1", "code": "", "name": "新的指標名稱", "eval_system": "1", "eval_method": "統計數據",
                        "standard": "年度件數", "unit": "件", "direction": "higher", "weight": ""}
    if name in ("report-grid", "report-step", "measurement-light", "measurement-evidence"):
        tracked = _tracking(world)
        draft = type(tracked["draft"]).objects.get(pk=tracked["draft"].pk)
        row = draft.measurements.get()
        reviewed_row = tracked["reviewed"].measurements.get()
        return {
            "report-grid": {"version": draft.version, "action": "save", f"m-{row.pk}-version": row.version,
                            f"m-{row.pk}-actual_raw": "123件", f"m-{row.pk}-progress_note": "辦理中"},
            "report-step": {"action": "head_approve", "version": tracked["submitted"].version, "reason": ""},
            "measurement-light": {"light": "green", "reason": "年底補足", "version": reviewed_row.version},
            "measurement-evidence": {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4")},
        }[name]
    if name == "imports":
        upload = SimpleUploadedFile("plan.json", json.dumps(PLAN_FILE, ensure_ascii=False).encode())
        return {"file": upload, "city": "", "period": ""}
    return {
        "import-commit": {"reason": "第一版"},
        "documents": {"kind": "strategy-map", "fmt": "svg", "agency": "", "year": "", "period_no": ""},
        "import-cancel": {},
        "cycle-status": {"status": CycleStatus.IN_REVIEW, "version": cycle.version, "reason": "送審"},
        "chapter-edit": {"mission": "新的使命", "vision": chapter.vision, "version": chapter.version, "reason": "修正"},
        "chapter-workflow": {"action": "submit", "version": chapter.version, "reason": "送出"},
        "goal-edit": {"label": "一", "code": "", "name": "新的目標名稱", "perspective": "業務成果", "description": "",
                      "version": goal.version, "reason": "修正"},
        "indicator-add": {**indicator_fields, "reason": "新增"},
        "indicator-edit": {**indicator_fields, "version": indicator.version, "reason": "修正"},
        "indicator-delete": {"version": indicator.version, "reason": "不再適用"},
        "target-edit": {"raw": "999件", "note": "", "version": target.version, "reason": "修正"},
        "section-add": {"after": "", "label": "貳、", "heading": "現有計畫執行成效檢討", "text": "…", "reason": "新增"},
        "section-edit": {"label": "壹、", "heading": "新的標題", "text": "新的內容",
                         "version": world.fresh(_section(world)).version, "reason": "修正"},
        "section-delete": {"version": world.fresh(_section(world)).version, "reason": "不再適用"},
        "indicator-owners": {"lead": world.civil.pk, "co": [world.finance.pk], "version": indicator.version,
                             "reason": "財政處協辦"},
        "indicator-validate": {**indicator_fields, "version": indicator.version, "_field": "weight"},
        "indicator-add-validate": {**indicator_fields, "_field": "name"},
        "goal-validate": {"name": "g", "perspective": "業務成果", "version": goal.version, "_field": "perspective"},
        "account-tokens": {"name": "試算表巨集", "expires": "30"},
        "account-token-revoke": {},
    }[name]


def state():
    """Everything a change could touch, as comparable values."""
    return (
        list(PlanCycle.objects.values_list("id", "status", "version")),
        list(AgencyPlan.objects.values_list("id", "mission", "status", "version")),
        list(Goal.objects.values_list("id", "name", "version")),
        list(Indicator.objects.values_list("id", "name", "version")),
        list(Target.objects.values_list("id", "raw", "version")),
        list(Section.objects.values_list("id", "order", "heading", "text", "version")),
        list(IndicatorOwner.objects.values_list("indicator_id", "agency_id", "role").order_by("pk")),
        AuditEvent.objects.count(),
        list(ImportDraft.objects.values_list("id", "status")),
        list(Report.objects.values_list("id", "status", "version")),
        list(Measurement.objects.values_list("id", "actual_raw", "light_override", "version")),
        Evidence.objects.count(),
    )


def _client(world, client_for, role):
    return client_for(None if role == "anonymous" else getattr(world, role))


def _route_names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            names.add(pattern.name)
        else:  # an included module of staff pages (dashboards, strategy map)
            names |= _route_names(pattern.url_patterns)
    return names


def test_every_route_is_in_the_matrix():
    names = _route_names(web_urls.urlpatterns)
    assert names == set(ROUTES), "add new pages to ROUTES with who may see and change them"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", [n for n, (_, get, _p) in ROUTES.items() if get is not None])
def test_get(world, client_for, role, name):
    response = _client(world, client_for, role).get(_url(world, name))
    allowed = ROUTES[name][1]
    if role in allowed and name in REDIRECTS:
        assert response.status_code == 302 and response["Location"] == REDIRECTS[name](world)
    elif role in allowed:
        assert response.status_code == 200, response.content[:300]
    elif role == "anonymous":
        assert response.status_code == 302 and reverse("login") in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", [n for n, (_, _g, post) in ROUTES.items() if post is not None])
def test_post(world, client_for, role, name):
    client = _client(world, client_for, role)
    url, data = _url(world, name), _post_data(world, name)
    before = state()
    response = client.post(url, data)
    if role in ROUTES[name][2]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert state() != before
        event = AuditEvent.objects.order_by("-id").first()
        assert event.actor == getattr(world, role)
        if name not in ("imports", "import-cancel", "report-grid", "report-step", "measurement-evidence", "documents"):
            assert event.reason
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert state() == before


@pytest.mark.parametrize("role", ["civil_editor", "finance_editor", "admin"])
def test_editor_of_one_agency_cannot_touch_another_agencys_records(world, client_for, role):
    """民政處's editor on 財政處's targets and indicators (and vice versa): 403 and nothing changes."""
    client = client_for(getattr(world, role))
    foreign = world.finance_kpi if role == "civil_editor" else world.civil_kpi
    target = foreign.targets.get(year=110)
    def fresh(obj):
        return type(obj).objects.get(pk=obj.pk)

    routes = {  # data read when posted: an allowed earlier post bumps versions
        reverse("target-edit", args=[target.pk]):
            lambda: {"raw": "1件", "note": "", "version": fresh(target).version, "reason": "x"},
        reverse("indicator-edit", args=[foreign.pk]):
            lambda: {"name": "x", "direction": "higher", "version": fresh(foreign).version, "reason": "x"},
        reverse("indicator-add", args=[foreign.goal.pk]): lambda: {"name": "x", "direction": "higher", "reason": "x"},
        reverse("indicator-delete", args=[foreign.pk]): lambda: {"version": fresh(foreign).version, "reason": "x"},
    }
    for url, data in routes.items():
        before = state()
        get, post = client.get(url), client.post(url, data())
        if role == "admin":
            assert get.status_code == 200 and post.status_code == 302, url
        else:
            assert (get.status_code, post.status_code) == (403, 403), url
            assert state() == before


@pytest.mark.parametrize("status", [CycleStatus.IN_REVIEW, CycleStatus.APPROVED, CycleStatus.PUBLISHED])
@pytest.mark.parametrize("role", ["civil_editor", "civil_head", "admin", "superuser"])
def test_a_locked_cycle_is_edited_in_place_by_nobody(world, client_for, django_user_model, status, role):
    """Once a cycle leaves draft, no page edits it: not its editors, not the 研考 admin, not a superuser."""
    PlanCycle.objects.filter(pk=world.cycle.pk).update(status=status)
    if role == "superuser":
        user = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    else:
        user = getattr(world, role)
    client = client_for(user)
    for name in ("chapter-edit", "goal-edit", "indicator-add", "indicator-edit", "indicator-delete", "target-edit",
                 "section-add", "section-edit", "section-delete", "indicator-owners", "indicator-validate",
                 "indicator-add-validate", "goal-validate"):
        url, data = _url(world, name), _post_data(world, name)
        before = state()
        assert client.get(url).status_code == 403, name
        assert client.post(url, data).status_code == 403, name
        assert state() == before
    page = client.get(_url(world, "chapter"))
    if role != "superuser":
        assert page.status_code == 200
        assert b"/targets/" not in page.content, "a locked chapter shows no edit links"
