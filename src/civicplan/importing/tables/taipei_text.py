"""Strategy-map prose: city, plan year, the stated counts (preface, 表 1, each theme's "(一)" sentence) and the
numbered 施政重點 lists."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from civicplan.importing.document import Line
from civicplan.importing.normalise import join_pieces, normalise, strip_markup
from civicplan.interchange.model import Anomaly, Source

# Taiwan's municipalities and counties (data, not code: a city is found by name in the text).
CITY_NAMES = (
    "臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市", "基隆市", "新竹市", "嘉義市", "新竹縣", "苗栗縣",
    "彰化縣", "南投縣", "雲林縣", "嘉義縣", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣",
)
_YEAR = re.compile(r"(?<![\d,.])(\d{2,3})\s*年(?!代)")
_YEAR_RANGE = re.compile(r"(?<![\d,.])(\d{2,3})\s*(?:年度?)?\s*[至到~～-]\s*(\d{2,3})\s*年")
_STATED = {
    "goals": re.compile(r"(\d+)\s*項策略目標"),
    "indicators": re.compile(r"(\d+)\s*項關鍵績效指標"),
    "priorities": re.compile(r"(\d+)\s*項施政重點"),
}
_ITEM = re.compile(r"^\s*(?:[-*•]\s+)?(\d{1,3})\s*[、.．]\s*(.*)$")
_HAN_SPACE_HAN = re.compile(r"[\u3400-\u9fff][ \u3000]+[\u3400-\u9fff]")
_SENTENCE_END = ("。", "；", "！", "？", ".", "」", "）", ")")


def find_city(lines: list[Line]) -> str:
    """The city the text names most often (臺 and 台 counted as one); "" if none."""
    text = "\n".join(line.text for line in lines).replace("台", "臺")
    counts = Counter({name: text.count(name) for name in CITY_NAMES})
    name, count = counts.most_common(1)[0]
    return name if count else ""


def find_period(lines: list[Line]) -> dict:
    """The ROC plan year(s) printed in the preface ("本府 107 年…"); a range "109 至 112 年" wins."""
    text = "\n".join(line.text for line in lines)
    ranges = Counter((int(a), int(b)) for a, b in _YEAR_RANGE.findall(text) if int(a) <= int(b))
    if ranges:
        start, end = ranges.most_common(1)[0][0]
        return {"start": start, "end": end}
    years = Counter(int(y) for y in _YEAR.findall(text) if 50 <= int(y) <= 200)
    if not years:
        return {}
    year = years.most_common(1)[0][0]
    return {"start": year, "end": year}


def stated_counts(lines: list[Line]) -> tuple[dict[str, int], Line | None]:
    """The counts of the "(一)本項策略主題共 15 項策略目標、33 項關鍵績效指標以及 14 項施政重點" sentence."""
    for line in lines:
        found = {key: int(m[1]) for key, pattern in _STATED.items() if (m := pattern.search(line.text))}
        if len(found) >= 2:
            return found, line
    return {}, None


@dataclass
class Preamble:
    """What the text before the first theme states about the whole map."""

    goals: int | None = None  # "共發表 139 項策略目標"
    indicators: int | None = None  # "334 項關鍵績效指標"
    line: Line | None = None
    table_names: list[str] = field(default_factory=list)  # 表 1 column heads (short theme names)
    table_goals: list[int] = field(default_factory=list)  # 表 1 "策略目標數" per theme
    table_total: int | None = None  # 表 1 合計
    table_line: Line | None = None


def read_preamble(lines: list[Line]) -> Preamble:
    out = Preamble()
    previous_row: list[str] | None = None
    for line in lines:
        if "\t" in line.text:
            cells = [normalise(cell) for cell in line.text.split("\t")]
            numbers = [cell.replace(",", "") for cell in cells[1:]]
            if "目標數" in cells[0] and numbers and all(n.isdigit() for n in numbers) and previous_row:
                heads = previous_row[1:]
                total = heads and heads[-1] in ("合計", "總計", "小計")
                out.table_names = heads[:-1] if total else heads
                out.table_goals = [int(n) for n in (numbers[:-1] if total else numbers)]
                out.table_total = int(numbers[-1]) if total else None
                out.table_line = line
            previous_row = cells
            continue
        goals, indicators = _STATED["goals"].search(line.text), _STATED["indicators"].search(line.text)
        if goals and indicators and out.line is None:
            out.goals, out.indicators, out.line = int(goals[1]), int(indicators[1]), line
    return out


def read_priorities(lines: list[Line], file: str, chapter: str) -> tuple[list[str], list[Anomaly]]:
    """The numbered 施政重點 items ("- 1、…", the bullet optional); other lines continue the item above."""
    items: list[dict] = []
    anomalies: list[Anomaly] = []

    def note(kind: str, message: str, first: Line | int, last: Line) -> None:
        first_number = first if isinstance(first, int) else first.number
        anomalies.append(Anomaly(kind=kind, message=f"{chapter}: {message}",
                                 source=Source(file=file, page=last.page, lines=[first_number, last.number])))

    after_blank = False
    for line in lines:
        if not line.text.strip():
            after_blank = True
            continue
        item = _ITEM.match(strip_markup(line.text))
        if item:
            items.append({"number": int(item[1]), "pieces": [item[2]], "first": line.number, "last": line})
        elif items:
            current = items[-1]
            if after_blank:
                note("broken-item", f"施政重點 {current['number']} continues on line {line.number} after a "
                                    "page break; the pieces are joined", current["first"], line)
            current["pieces"].append(line.text)
            current["last"] = line
        else:
            note("unread-text", f"text before the first 施政重點 item: {line.text.strip()!r}", line, line)
        after_blank = False
    texts = []
    for expected, item in enumerate(items, start=1):
        raw = " ".join(strip_markup(piece) for piece in item["pieces"])
        text = join_pieces(*(normalise(piece) for piece in item["pieces"]))
        texts.append(text)
        if item["number"] != expected:
            note("numbering-gap", f"施政重點 numbered {item['number']} where {expected} was expected",
                 item["first"], item["last"])
        for piece in item["pieces"]:
            space = _HAN_SPACE_HAN.search(strip_markup(piece).strip())
            if space:
                note("suspect-space", f"施政重點 {item['number']} has a space between Chinese characters "
                                      f"({space[0]!r}); read without it, but it may stand for lost "
                                      "punctuation", item["first"], item["last"])
        if not raw.rstrip().endswith(_SENTENCE_END):
            note("unterminated-item", f"施政重點 {item['number']} ends without punctuation "
                                      f"(…{text[-8:]!r}); text may be lost", item["first"], item["last"])
    return texts, anomalies
