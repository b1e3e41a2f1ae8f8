"""suggest_direction(): is more better, less better, a date, or progress? A suggestion from the words of the
KPI name and 衡量標準 (and, when given, its printed targets); a person confirms it (Indicator.direction).

Checked against the seed books: 公文結案天數 2天, 腸病毒重症死亡個案 0人, 齲齒率 43%→35%, 全中運 15 名,
約聘僱員額成長率 0%, 紅害日數, 停止服務工作天數 ≦9, 降低…不合格率, 降低…不合格機關(單位)比率 → lower; 取締違規, 違規案件處理完成件數, 結案率 → higher;
減少 A1 事故死亡人數 (與前年相較: the reduction) → higher; 每年7月31日前策頒 → deadline; 工程進度 → milestone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from civicplan.targets.values import classify_series, parse_value

# What is measured is itself bad (days taken, deaths, leaks, complaints …): less is better.
_LOWER = re.compile(
    r"結案天數|處理天數|辦理天數|審查天數|等候|等待|天數$|日數$|工作天數|停止服務|平均速度"
    r"|死亡(?:個案|人數|率|數)|確診(?:個案|病例|數)|罹患|傷亡"
    r"|(?:漏水|齲齒|發生|感染|死亡|事故|違規|錯誤|失誤|延誤|逾期|退件|流失|離職|不合格|殘留|空置|閒置|肥胖|吸菸"
    r"|自殺|失業|犯罪|火災|污染|汙染|缺失|退回|誤點|失能傷害)率"
    r"|(?:事故|違規|投訴|客訴|延誤|犯罪|火災|傷亡|溺水)(?:件數|次數|人數|數)$"
    r"|投訴|客訴|延誤|誤點|名次|排名|紅害|不健康|員額成長率|人事費成長|赤字|負債|欠費率|未繳"
)
# Verbs and rates that make a count of bad things into work done: more is better.
_HIGHER = re.compile(
    r"取締|查處|稽查|查核|查緝|處理完成|處理率|宣導|防制|救援|輔導|慰問|採證|告發|裁罰|處分|破獲|查獲|汰換"
    r"|(?<!不)(?:結案|完成|辦結|達成|改善|執行|確認|申報|通報|處理|妥善處理|覆蓋|普及|滿意|合格|回收|接管)率"
)
# A change against last year (減少 … 與前年相較): the size of the reduction, more is better.
_DELTA = re.compile(r"相較|相比|較前一?年|較上一?年|較去年|減少數|減少人數|減少件數|增加數")
_DEADLINE = re.compile(
    r"([0-9]{1,2}|[一二三四五六七八九十]{1,3}) ?月 ?(([0-9]{1,2}|[一二三四五六七八九十]{1,3}) ?日|底)? ?(以|之)?前"
    r"|[0-9]{1,2} ?月底|年底前|依限完成$|如期完成$|前完成$"
)
_COUNTED = re.compile(r"率|數|比|次|場|件|人|÷|/|%|％|[0-9]")
_PROGRESS = re.compile(r"進度")
_RATIO = re.compile(r"÷|/|×|x100|\*100")
TIME_UNITS = {"天", "日", "時", "小時", "分", "分鐘", "秒", "工作天"}


def suggest_direction(name: str, standard: str = "", targets: Iterable[str] = ()) -> str:
    """"higher" | "lower" | "exact" | "deadline" | "milestone" for a KPI (a suggestion to confirm)."""
    name, standard = (name or "").strip(), (standard or "").strip()
    raws = [raw for raw in targets or () if raw is not None]
    parsed = [p for p in (parse_value(raw) for raw in raws) if p.kind != "none"]
    if parsed:
        kinds = {p.kind for p in parsed}
        if kinds <= {"deadline", "done"}:
            return "deadline"
        comparators = {p.comparator for p in parsed if p.comparator}
        if comparators and comparators <= {"≤", "<"}:
            return "lower"
        if comparators and comparators <= {"≥", ">"}:
            return "higher"
        if classify_series(raws) == "milestone":
            return "milestone"
    if re.match(r"(減少|降低)", name) and _DELTA.search(name + standard):
        return "higher"
    if _LOWER.search(name) and not _HIGHER.search(name):
        return "lower"
    if re.match(r"(減少|降低)", name) and re.search(r"(率|比例|件數|人數|次數)$", name) and not _HIGHER.search(name):
        return "lower"  # 降低…不合格機關比率: the name is the measure, and it is to fall
    if name.endswith("時效") and parsed and all(p.unit in TIME_UNITS for p in parsed):
        return "lower"  # 收案服務時效 7日: days taken
    if parsed and all(p.kind in ("quantity", "percent") and p.number == 0 for p in parsed):
        return "lower"  # a target of zero (no cases, no growth) is a ceiling
    if _LOWER.search(standard) and not _HIGHER.search(name + standard) and (not name or _falling(parsed)):
        return "lower"  # 齲齒率 in the measure and targets 43% → 35%
    as_percent = not parsed or any(p.kind == "percent" for p in parsed)
    ratio = "數" in standard and _RATIO.search(standard)
    if as_percent and not ratio and _PROGRESS.search(name + standard):
        return "milestone"
    if _DEADLINE.search(name + " " + standard) and not _COUNTED.search(_deadline_free(standard)):
        return "deadline"
    return "higher"


def _falling(parsed) -> bool:
    numbers = [p.number for p in parsed if p.number is not None]
    return len(numbers) >= 2 and numbers == sorted(numbers, reverse=True) and numbers[0] > numbers[-1]


def _deadline_free(standard: str) -> str:
    """The measure without its dates, so that `每年7月31日前` does not read as a count."""
    return _DEADLINE.sub("", re.sub(r"[0-9]+ ?年度?", "", standard))
