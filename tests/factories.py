"""factory_boy factories and a ready-made little world (Keelung with two agencies) for the tests."""

import factory
from django.contrib.auth import get_user_model

from civicplan.agencies.models import Agency, City, Membership, Role
from civicplan.plans.models import (
    AgencyPlan,
    Goal,
    GoalKind,
    Indicator,
    IndicatorOwner,
    OwnerRole,
    PlanCycle,
    Target,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("name",)

    name = "基隆市"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("city", "name")

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"第{n}處")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    city = factory.SubFactory(CityFactory)
    role = Role.EDITOR


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanCycle

    city = factory.SubFactory(CityFactory)
    start_year = 109
    end_year = 112


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyPlan

    cycle = factory.SubFactory(CycleFactory)
    agency = factory.SubFactory(AgencyFactory)
    mission = "使命"
    vision = "願景"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    chapter = factory.SubFactory(ChapterFactory)
    kind = GoalKind.KEY
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"目標{n}")
    perspective = "業務成果"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    goal = factory.SubFactory(GoalFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"指標{n}")
    eval_system = "1"
    eval_method = "統計數據"
    standard = "年度辦理件數"


def make_indicator(chapter: AgencyPlan, name: str, targets: dict[int, str]) -> Indicator:
    goal = GoalFactory(chapter=chapter)
    indicator = IndicatorFactory(goal=goal, name=name)
    IndicatorOwner.objects.create(indicator=indicator, agency=chapter.agency, role=OwnerRole.LEAD)
    for year, raw in targets.items():
        from civicplan.plans.services import parsed_fields

        Target.objects.create(indicator=indicator, year=year, raw=raw, **parsed_fields(raw))
    return indicator


class World:
    """Keelung, cycle 109–112 (draft), 民政處 and 財政處 each with a chapter, one KPI and four targets;
    users for every role: editor and head of 民政處, editor of 財政處, reviewer, 研考 admin, outsider."""

    def __init__(self):
        self.city = CityFactory(name="基隆市")
        self.civil = AgencyFactory(city=self.city, name="民政處", order=1, aliases=["民政"])
        self.finance = AgencyFactory(city=self.city, name="財政處", order=2)
        self.cycle = CycleFactory(city=self.city, start_year=109, end_year=112)
        self.civil_chapter = ChapterFactory(cycle=self.cycle, agency=self.civil)
        self.finance_chapter = ChapterFactory(cycle=self.cycle, agency=self.finance)
        self.civil_kpi = make_indicator(
            self.civil_chapter, "里鄰建設服務案件數", {109: "350件", 110: "360件", 111: "370件", 112: "380件"}
        )
        self.finance_kpi = make_indicator(
            self.finance_chapter, "稅課收入達成率", {109: "95%", 110: "95%", 111: "96%", 112: "96%"}
        )
        self.civil_target = self.civil_kpi.targets.get(year=110)
        self.finance_target = self.finance_kpi.targets.get(year=110)
        self.civil_editor = self._user("civil_editor", Role.EDITOR, self.civil)
        self.civil_head = self._user("civil_head", Role.HEAD, self.civil)
        self.finance_editor = self._user("finance_editor", Role.EDITOR, self.finance)
        self.reviewer = self._user("reviewer", Role.REVIEWER, None)
        self.admin = self._user("yankao_admin", Role.ADMIN, None)
        self.outsider = UserFactory(username="outsider")

    def _user(self, username, role, agency):
        user = UserFactory(username=username)
        Membership.objects.create(user=user, city=self.city, agency=agency, role=role)
        return user

    def fresh(self, obj):
        return type(obj).objects.get(pk=obj.pk)
