"""The dataclasses of the plan interchange format. Field names are the JSON keys."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMAT = "civicplan.plan/1"


@dataclass
class Source:
    """Where something was read: file, page (PDF pages, or the printed page where known), line span (1-based)."""

    file: str = ""
    page: int | None = None
    lines: list[int] | None = None  # [first, last]
    sha256: str | None = None  # only on the document's own source

    @property
    def first_line(self) -> int | None:
        return self.lines[0] if self.lines else None


@dataclass
class Target:
    """The target of one ROC year, as printed."""

    year: int  # ROC year
    raw: str  # as printed, internal line breaks joined
    note: str = ""
    cumulative: bool = False


@dataclass
class Owner:
    """An agency responsible for an indicator: lead (主責) or co-owner (協辦)."""

    agency: str
    role: str = "lead"  # lead | co


@dataclass
class Indicator:
    """A KPI (關鍵績效指標) or common indicator (共同性指標)."""

    seq: int
    name: str
    label: str | None = None
    code: str | None = None  # AC1.1 (strategy maps)
    eval_system: str | None = None  # 評估體制 code "1".."5"
    eval_method: str | None = None  # 評估方式
    standard: str = ""  # 衡量標準
    unit: str = ""
    direction: str | None = None  # higher | lower | exact | deadline | milestone, when a person has said so
    weight: float | None = None
    owners: list[Owner] = field(default_factory=list)
    wccd: bool = False
    targets: list[Target] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    flags: list[str] = field(default_factory=list)  # truncated, shifted, continued, …


@dataclass
class Goal:
    """A key strategic goal (關鍵策略目標) or common goal (共同性目標); in a strategy map, an objective."""

    kind: str  # key | common
    seq: int
    name: str  # without the （業務成果） tag
    label: str | None = None  # 一 | 1
    code: str | None = None  # AC1
    perspective: str | None = None
    description: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    flags: list[str] = field(default_factory=list)


@dataclass
class Theme:
    """A strategy-map theme (A–H, T) with its 施政重點."""

    code: str  # A–H, T
    name: str
    priorities: list[str] = field(default_factory=list)  # 施政重點


@dataclass
class Section:
    """A narrative section of a chapter (numbering, heading, text)."""

    label: str  # 貳、一
    heading: str
    text: str = ""
    source: Source = field(default_factory=Source)


@dataclass
class Chapter:
    """An agency's chapter, or a city-wide strategy-map theme (agency null)."""

    agency: str | None = None  # None for a city-wide strategy-map theme
    theme: Theme | None = None
    mission: str = ""
    vision: str = ""
    priorities: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    # What the chapter's own text says it contains (e.g. the 參、一 goal list), for validation.
    listed_goals: list[str] = field(default_factory=list)
    stated_counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Revision:
    """A row of a 滾動修正項目彙總表 (rolling revision appendix)."""

    agency: str
    goal: str = ""
    indicator: str = ""
    standard: str = ""
    targets: list[Target] = field(default_factory=list)
    reason: str = ""
    page: str = ""  # the page reference printed in the appendix, e.g. P1-4
    source: Source = field(default_factory=Source)


@dataclass
class Anomaly:
    """Something the importer could not read cleanly or that does not add up; never silently repaired."""

    kind: str  # e.g. goal-list-mismatch, count-mismatch, shifted-row, duplicate-indicator, appendix-contradicts-body
    message: str
    source: Source = field(default_factory=Source)


@dataclass
class PlanDocument:
    """A plan book as structured data: civicplan.plan/1."""

    city: str
    kind: str  # medium-term | annual | strategy-map
    period: dict  # {"start": 109, "end": 112}
    title: str = ""
    source: Source = field(default_factory=Source)
    chapters: list[Chapter] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    format: str = FORMAT

    def indicators(self):
        for chapter in self.chapters:
            for goal in chapter.goals:
                yield from goal.indicators

    def counts(self) -> dict[str, int]:
        goals = [g for c in self.chapters for g in c.goals]
        indicators = [i for g in goals for i in g.indicators]
        return {
            "chapters": len(self.chapters),
            "key_goals": sum(g.kind == "key" for g in goals),
            "common_goals": sum(g.kind == "common" for g in goals),
            "indicators": len(indicators),
            "key_indicators": sum(len(g.indicators) for g in goals if g.kind == "key"),
            "common_indicators": sum(len(g.indicators) for g in goals if g.kind == "common"),
            "targets": sum(len(i.targets) for i in indicators),
            "revisions": len(self.revisions),
            "anomalies": len(self.anomalies),
        }
