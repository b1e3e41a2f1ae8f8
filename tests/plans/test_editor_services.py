"""The chapter editor's services: sections (update, create, delete), owners, and the source texts kept by imports."""

import copy
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from civicplan.audit.models import Action, AuditEvent
from civicplan.editing import ConflictError, ValidationError
from civicplan.plans import services
from civicplan.plans.loading import do_import_plan
from civicplan.plans.models import CycleStatus, IndicatorOwner, OwnerRole, PlanCycle, PlanSourceText, Section
from tests.factories import AgencyFactory, CityFactory
from tests.plans.test_loading import SMALL

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(world):
    return Section.objects.create(chapter=world.civil_chapter, order=1, label="壹、", heading="施政重點",
                                  text="推動里政服務", source_file="plan.txt", source_line_start=10,
                                  source_line_end=12)


# --- Sections -------------------------------------------------------------------------------------


def test_update_section_checks_version_keeps_history_and_audits(world, section):
    updated = services.do_update_section(section, changes={"heading": "施政重點與目標", "text": "新的內容"},
                                         expected_version=1, reason="依審查意見修正", actor=world.civil_editor)
    assert (updated.heading, updated.text, updated.version) == ("施政重點與目標", "新的內容", 2)
    event = AuditEvent.objects.get(action=Action.SECTION_CHANGED)
    assert (event.actor, event.reason, event.agency, event.city) == (
        world.civil_editor, "依審查意見修正", world.civil, world.city)
    assert event.old_values == {"heading": "施政重點", "text": "推動里政服務"}
    assert event.new_values == {"heading": "施政重點與目標", "text": "新的內容"}
    record = updated.history.first()
    assert (record.history_user, record.history_change_reason, record.heading) == (
        world.civil_editor, "依審查意見修正", "施政重點與目標")
    with pytest.raises(ConflictError):
        services.do_update_section(section, changes={"text": "x"}, expected_version=1, reason="r",
                                   actor=world.civil_head)
    assert Section.objects.get(pk=section.pk).text == "新的內容"


@pytest.mark.parametrize("changes, reason, field", [
    ({"text": "x"}, " ", "reason"),
    ({"heading": "", "text": ""}, "r", "heading"),
    ({"heading": "x" * 301}, "r", "heading"),
    ({"order": 5}, "r", "order"),
    ({"source_file": "other.txt"}, "r", "source_file"),
])
def test_update_section_refuses_bad_input(world, section, changes, reason, field):
    with pytest.raises(ValidationError) as error:
        services.do_update_section(section, changes=changes, expected_version=1, reason=reason,
                                   actor=world.civil_editor)
    assert field in error.value.message_dict
    assert Section.objects.get(pk=section.pk).version == 1 and not AuditEvent.objects.exists()


def test_only_the_chapters_editors_change_its_sections_and_only_while_it_is_a_draft(world, section):
    for user in (world.finance_editor, world.reviewer, world.outsider):
        with pytest.raises(PermissionDenied):
            services.do_update_section(section, changes={"text": "x"}, expected_version=1, reason="r", actor=user)
        with pytest.raises(PermissionDenied):
            services.do_create_section(world.civil_chapter, fields={"heading": "x"}, reason="r", actor=user)
        with pytest.raises(PermissionDenied):
            services.do_delete_section(section, expected_version=1, reason="r", actor=user)
    services.do_update_section(section, changes={"text": "研考修正"}, expected_version=1, reason="r",
                               actor=world.admin)
    PlanCycle.objects.filter(pk=world.cycle.pk).update(status=CycleStatus.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.do_update_section(section, changes={"text": "x"}, expected_version=2, reason="r",
                                   actor=world.civil_editor)
    assert Section.objects.get(pk=section.pk).text == "研考修正"


def test_create_section_at_the_end_or_after_another(world, section):
    last = services.do_create_section(world.civil_chapter, fields={"label": "參、", "heading": "預期成果"},
                                      reason="新增", actor=world.civil_editor)
    middle = services.do_create_section(world.civil_chapter, fields={"label": "貳、", "heading": "現況分析"},
                                        after=section, reason="補上", actor=world.civil_editor)
    ordered = list(world.civil_chapter.sections.values_list("label", flat=True))
    assert ordered == ["壹、", "貳、", "參、"]
    assert Section.objects.get(pk=last.pk).version == 1, "renumbering is not a change of the section"
    event = AuditEvent.objects.filter(action=Action.SECTION_CREATED).order_by("id").last()
    assert event.object_id == str(middle.pk) and event.new_values["heading"] == "現況分析" and event.reason == "補上"
    assert middle.history.first().history_type == "+"
    with pytest.raises(ValidationError) as error:
        services.do_create_section(world.civil_chapter, fields={"heading": "", "text": " "}, reason="r",
                                   actor=world.civil_editor)
    assert "heading" in error.value.message_dict
    other = Section.objects.create(chapter=world.finance_chapter, order=1, heading="財政")
    with pytest.raises(ValidationError):
        services.do_create_section(world.civil_chapter, fields={"heading": "x"}, after=other, reason="r",
                                   actor=world.civil_editor)
    with pytest.raises(ValidationError):
        services.do_create_section(world.civil_chapter, fields={"version": 9}, reason="r", actor=world.civil_editor)


def test_delete_section_needs_reason_and_version_and_keeps_the_old_text(world, section):
    with pytest.raises(ValidationError):
        services.do_delete_section(section, expected_version=1, reason="", actor=world.civil_editor)
    with pytest.raises(ConflictError):
        services.do_delete_section(section, expected_version=3, reason="r", actor=world.civil_editor)
    services.do_delete_section(section, expected_version=1, reason="併入前節", actor=world.civil_editor)
    assert not Section.objects.filter(pk=section.pk).exists()
    event = AuditEvent.objects.get(action=Action.SECTION_DELETED)
    assert event.old_values["text"] == "推動里政服務" and event.reason == "併入前節"
    assert Section.history.filter(id=section.pk, history_type="-").get().history_change_reason == "併入前節"


# --- Owners ---------------------------------------------------------------------------------------


def _owners(indicator):
    return sorted((o.agency.name, o.role) for o in IndicatorOwner.objects.filter(indicator=indicator)
                  .select_related("agency"))


def test_set_owners_lead_and_co_with_audit_and_version(world):
    kpi = world.civil_kpi
    planning = AgencyFactory(city=world.city, name="綜合發展處", order=3)
    services.do_set_indicator_owners(kpi, lead=world.civil, co=[world.finance, planning], expected_version=1,
                                     reason="財政處、綜發處協辦", actor=world.civil_editor)
    assert _owners(kpi) == [("民政處", "lead"), ("綜合發展處", "co"), ("財政處", "co")]
    event = AuditEvent.objects.get(action=Action.INDICATOR_OWNERS_CHANGED)
    assert event.old_values == {"lead": "民政處", "co": []}
    assert event.new_values == {"lead": "民政處", "co": ["財政處", "綜合發展處"]}
    assert event.reason == "財政處、綜發處協辦" and event.actor == world.civil_editor
    assert world.fresh(kpi).version == 2
    with pytest.raises(ConflictError):
        services.do_set_indicator_owners(kpi, lead=world.finance, co=[], expected_version=1, reason="r",
                                         actor=world.civil_head)
    # The same owners again change nothing.
    services.do_set_indicator_owners(kpi, lead=world.civil, co=[planning, world.finance], expected_version=2,
                                     reason="r", actor=world.civil_editor)
    assert AuditEvent.objects.filter(action=Action.INDICATOR_OWNERS_CHANGED).count() == 1
    services.do_set_indicator_owners(kpi, lead=world.finance, co=[world.civil], reason="改由財政處主責",
                                     actor=world.admin)
    assert _owners(kpi) == [("民政處", "co"), ("財政處", "lead")]


@pytest.mark.parametrize("case, field", [("no-lead", "lead"), ("lead-is-co", "co"), ("foreign-lead", "lead"),
                                         ("foreign-co", "co")])
def test_set_owners_validation(world, case, field):
    other_city = AgencyFactory(city=CityFactory(name="嘉義市"), name="民政處")
    lead, co = {
        "no-lead": (None, [world.finance]),
        "lead-is-co": (world.civil, [world.finance, world.civil]),
        "foreign-lead": (other_city, []),
        "foreign-co": (world.civil, [other_city]),
    }[case]
    with pytest.raises(ValidationError) as error:
        services.do_set_indicator_owners(world.civil_kpi, lead=lead, co=co, expected_version=1, reason="r",
                                         actor=world.civil_editor)
    assert field in error.value.message_dict
    assert _owners(world.civil_kpi) == [("民政處", "lead")] and not AuditEvent.objects.exists()


def test_set_owners_needs_a_reason_and_the_right(world):
    with pytest.raises(ValidationError):
        services.do_set_indicator_owners(world.civil_kpi, lead=world.civil, co=[world.finance], reason=" ",
                                         actor=world.civil_editor)
    with pytest.raises(PermissionDenied):
        services.do_set_indicator_owners(world.civil_kpi, lead=world.finance, co=[], reason="r",
                                         actor=world.finance_editor)
    assert _owners(world.civil_kpi) == [("民政處", "lead")]


# --- Source texts kept by imports -----------------------------------------------------------------

TEXT = [f"line {n}" for n in range(1, 201)]


def test_import_keeps_the_text_of_the_files_its_records_cite(world):
    texts = {"plan.txt": TEXT, "unrelated.txt": ["x"]}
    result = do_import_plan(copy.deepcopy(SMALL), actor=world.admin, source_texts=texts)
    kept = PlanSourceText.objects.get()
    assert (kept.plan_import.cycle, kept.file_name, kept.lines[174]) == (result.cycle, "plan.txt", "line 175")


def test_the_same_file_again_keeps_a_text_missing_from_an_earlier_import(world):
    do_import_plan(copy.deepcopy(SMALL), actor=world.admin)
    assert not PlanSourceText.objects.exists()
    again = do_import_plan(copy.deepcopy(SMALL), actor=world.admin, source_texts={"plan.txt": TEXT})
    assert again.status == "unchanged"
    assert PlanSourceText.objects.get().plan_import.cycle == again.cycle
    do_import_plan(copy.deepcopy(SMALL), actor=world.admin, source_texts={"plan.txt": TEXT})
    assert PlanSourceText.objects.count() == 1


def test_source_texts_must_be_lists_of_lines(world):
    with pytest.raises(ValidationError):
        do_import_plan(copy.deepcopy(SMALL), actor=world.admin, source_texts={"plan.txt": "line 1\nline 2"})
    assert not PlanCycle.objects.filter(start_year=111).exists()


def test_import_without_texts_still_loads(world):
    result = do_import_plan(copy.deepcopy(SMALL), actor=world.admin, source_texts=None)
    assert result.status == "loaded" and not PlanSourceText.objects.exists()


def test_imported_sections_are_versioned_with_history(world):
    document = copy.deepcopy(SMALL)
    document["chapters"][0]["sections"] = [
        {"label": "壹、", "heading": "使命", "text": "服務市民", "source": {"file": "plan.txt", "lines": [3, 4]}}]
    result = do_import_plan(document, actor=world.admin, source_texts={"plan.txt": TEXT})
    section = Section.objects.get(chapter__cycle=result.cycle)
    assert (section.version, section.source_label) == (1, "plan.txt L3–4")
    assert section.history.count() == 1


def test_import_command_keeps_the_text_of_each_file(seeds_dir, django_user_model):
    django_user_model.objects.create_superuser("operator", "op@example.org", "x")
    names = ("001_995202fc11adf421.txt", "002_f2147262ea2e9bf5.txt")
    call_command("import", *(str(seeds_dir / n) for n in names), stdout=io.StringIO())
    kept = {t.file_name: t.lines for t in PlanSourceText.objects.all()}
    assert set(kept) == set(names)
    for name in names:
        raw = (seeds_dir / name).read_text(encoding="utf-8-sig").split("\n")
        assert kept[name][:50] == [line.rstrip("\r") for line in raw[:50]]
    from civicplan.plans.models import Indicator

    indicator = Indicator.objects.filter(source_line_start__isnull=False).first()
    assert kept[indicator.source_file][indicator.source_line_start - 1].strip()
    assert OwnerRole.LEAD in set(indicator.ownerships.values_list("role", flat=True))
