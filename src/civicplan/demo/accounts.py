"""The demo accounts printed by `civicplan demo` (a local demonstration, not for production)."""

from dataclasses import dataclass

from civicplan.agencies.models import Role

DEMO_PASSWORD = "civicplan-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency: str | None
    description: str


DEMO_ACCOUNTS = [
    DemoAccount("yankao", Role.ADMIN, None, "研考管理員（每個示範縣市）, also Django admin"),
    DemoAccount("reviewer", Role.REVIEWER, None, "審查人員（每個示範縣市）"),
    DemoAccount("civil", Role.EDITOR, "民政處", "民政處 承辦人"),
    DemoAccount("civil_head", Role.HEAD, "民政處", "民政處 單位主管"),
    DemoAccount("finance", Role.EDITOR, "財政處", "財政處 承辦人"),
    DemoAccount("planning", Role.EDITOR, "綜合發展處", "綜合發展處 承辦人"),
]
