"""Strategy maps: plain data (bands of objectives) → Graphviz DOT text → SVG (by the `dot` program).

Pure Python, no Django: the web layer reads the database into a `StrategyMap` and calls `build_dot` and
`render_svg`.

* A map is a stack of perspective bands (構面), top to bottom in the order given — for Taipei's strategy map
  the city's order as printed in the book: 顧客, 內部流程, 學習成長, 財務 (financial last, as in a public-sector
  balanced scorecard). A band with many objectives is drawn as several balanced rows.
* An objective is a box with its code, its name wrapped every ~12 characters (CJK counts 1, other characters
  ½), its lead agencies in small text and a WCCD mark; the box is filled with the colour of its light.
  `roll_up` gives an objective's light from its KPIs' lights: the worst measured light (red before yellow
  before green) — a map is read to find what needs attention, and an average would let one green KPI hide a
  red one; white when none of its KPIs has been measured.
* Every box is a link (DOT `URL`, which the SVG output writes as `<a xlink:href>`), with a tooltip.
* Text is escaped twice over: HTML-like labels (`<…>`) get XML escaping, quoted attributes (`"…"`) get
  DOT escaping of backslashes and quotes; control characters are dropped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape as _xml_escape

DEFAULT_FONT = "Noto Sans CJK TC"
WRAP_WIDTH = 12  # characters of CJK text per line (an ASCII character counts one half)
PER_ROW = 5  # at most this many objectives side by side in a band
LIGHT_ORDER = ("red", "yellow", "green")  # worst first
LIGHT_COLOURS = {  # fill, border, text — the same hues as the lights in site.css
    "green": ("#d7f0dd", "#2f8a4c", "#14632c"),
    "yellow": ("#fff1c2", "#c9a227", "#5c4000"),
    "red": ("#fbd9d6", "#c0392b", "#8c1d16"),
    "white": ("#ffffff", "#8a94a3", "#1f2933"),
}
BAND_COLOURS = ("#eef3fa", "#f6f3ec")  # alternating band backgrounds


class GraphvizError(RuntimeError):
    """`dot` failed (bad input, timeout)."""


class GraphvizMissing(GraphvizError):
    """The `dot` program is not installed or not found."""


@dataclass(frozen=True)
class Objective:
    key: str  # unique within the map: becomes the SVG element id
    code: str
    name: str
    light: str = "white"
    agencies: tuple[str, ...] = ()
    wccd: bool = False
    url: str = ""
    tooltip: str = ""


@dataclass(frozen=True)
class Band:
    name: str
    objectives: tuple[Objective, ...] = ()


@dataclass(frozen=True)
class StrategyMap:
    title: str
    bands: tuple[Band, ...]
    empty_text: str = "—"  # shown in a band without objectives
    legend: tuple[tuple[str, str], ...] = field(default=())  # (light, label) pairs drawn under the map

    @property
    def objectives(self) -> list[Objective]:
        return [o for band in self.bands for o in band.objectives]


# --- Lights -----------------------------------------------------------------------------------------------


def roll_up(lights: Iterable[str]) -> str:
    """The objective's light: the worst measured light of its KPIs; white when none is measured."""
    seen = set(lights)
    for light in LIGHT_ORDER:
        if light in seen:
            return light
    return "white"


# --- Text -------------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TOKENS = re.compile(r"[A-Za-z0-9.,%+\-/()_'&#:;]+|\s+|.", re.S)
_NO_LINE_START = set("，。、；：！？）」』】〉》,.;:!?)]%")


def clean(text: str) -> str:
    """One line of text without control characters."""
    return _CONTROL.sub("", " ".join(str(text or "").split()))


def _width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text)


def wrap(text: str, width: float = WRAP_WIDTH) -> list[str]:
    """Lines of at most about `width` CJK characters, balanced (13 characters make 7 + 6, not 12 + 1):
    ASCII words are not split (unless longer than a line), closing punctuation does not start a line."""
    lines = _wrap(text, width)
    if len(lines) > 1:
        total = _width(clean(text))
        narrower = max(1, int(-(-total // len(lines))))
        while narrower < width:
            balanced = _wrap(text, narrower)
            if len(balanced) == len(lines):
                return balanced
            narrower += 1
    return lines


def _wrap(text: str, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(clean(text)):
        if token.isspace():
            line += " " if line else ""
            continue
        pieces = []
        while _width(token) > width:  # an ASCII word longer than a line (each character counts ½)
            pieces.append(token[:int(width * 2)])
            token = token[int(width * 2):]
        pieces.append(token)
        for piece in pieces:
            if line.strip() and _width(line.rstrip()) + _width(piece) > width and piece[0] not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = ""
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def dot_quote(value: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, one line."""
    return '"' + clean(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def html_text(value: str) -> str:
    """Text inside a DOT HTML-like label (XML escaping)."""
    return _xml_escape(clean(value), quote=True)


# --- DOT --------------------------------------------------------------------------------------------------


def _rows(objectives: tuple[Objective, ...], per_row: int) -> list[tuple[Objective, ...]]:
    if not objectives:
        return []
    count = -(-len(objectives) // per_row)
    size = -(-len(objectives) // count)
    return [objectives[i:i + size] for i in range(0, len(objectives), size)]


def _label(objective: Objective) -> str:
    """An HTML-like label: one table row per line (line spacing that suits CJK glyphs)."""
    head = f"<B>{html_text(objective.code)}</B>" if clean(objective.code) else ""
    if objective.wccd:
        head += '<FONT POINT-SIZE="8" COLOR="#1f4e8c"> ◆WCCD</FONT>'
    rows = [head] if head else []
    rows += [html_text(line) for line in wrap(objective.name)]
    if objective.agencies:
        small = wrap("、".join(clean(a) for a in objective.agencies if clean(a)), WRAP_WIDTH + 4)
        rows += [f'<FONT POINT-SIZE="8.5" COLOR="#4a5563">{html_text(line)}</FONT>' for line in small]
    cells = "".join(f"<TR><TD>{row}</TD></TR>" for row in rows)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>>'


def build_dot(strategy_map: StrategyMap, *, font: str = DEFAULT_FONT, per_row: int = PER_ROW) -> str:
    """The map as DOT text: one cluster per band, stacked in the given order by invisible edges."""
    out = [
        f"digraph {dot_quote(strategy_map.title)} {{",
        f"  graph [label={dot_quote(strategy_map.title)} labelloc=t fontsize=18 fontname={dot_quote(font)}"
        ' rankdir=TB nodesep=0.25 ranksep=0.35 newrank=true compound=true pad=0.2 bgcolor="white"'
        ' charset="UTF-8"];',
        f"  node [shape=box style=\"rounded,filled\" fontname={dot_quote(font)} fontsize=11 width=2.2"
        ' height=0.7 margin="0.12,0.06" penwidth=1.4];',
        "  edge [style=invis];",
    ]
    chain: list[str] = []  # the first node of each row, top to bottom
    for b, band in enumerate(strategy_map.bands):
        out.append(f"  subgraph cluster_band{b} {{")
        out.append(f"    graph [label={dot_quote(band.name)} labeljust=l fontsize=13 style=filled"
                   f' fillcolor="{BAND_COLOURS[b % 2]}" color="#c5ced9" margin=12 class="band"'
                   f" id={dot_quote(f'band-{b}')}];")
        rows = _rows(band.objectives, per_row)
        if not rows:
            empty = f"band{b}_empty"
            out.append(f"    {empty} [shape=plaintext style=\"\" label={dot_quote(strategy_map.empty_text)}"
                       ' fontcolor="#6b7480" height=0.3];')
            chain.append(empty)
        for r, row in enumerate(rows):
            names = [f"band{b}_r{r}_{i}" for i in range(len(row))]
            for name, objective in zip(names, row):
                fill, border, ink = LIGHT_COLOURS.get(objective.light, LIGHT_COLOURS["white"])
                attrs = [
                    f"label={_label(objective)}",
                    f'fillcolor="{fill}" color="{border}" fontcolor="{ink}"',
                    f"id={dot_quote(objective.key)}",
                    f"class={dot_quote('objective light-' + (objective.light if objective.light in LIGHT_COLOURS else 'white'))}",
                    f"tooltip={dot_quote(objective.tooltip or (objective.code + ' ' + objective.name).strip())}",
                ]
                if objective.url:
                    attrs.append(f"URL={dot_quote(objective.url)} target=\"_top\"")
                out.append(f"    {name} [{' '.join(attrs)}];")
            out.append("    { rank=same; " + "; ".join(names) + "; }")
            if len(names) > 1:
                out.append("    " + " -> ".join(names) + ";")
            chain.append(names[0])
        out.append("  }")
    if strategy_map.legend:
        cells = "".join(
            f'<TD BGCOLOR="{LIGHT_COLOURS.get(light, LIGHT_COLOURS["white"])[0]}" BORDER="1"'
            f' COLOR="{LIGHT_COLOURS.get(light, LIGHT_COLOURS["white"])[1]}">{html_text(text)}</TD>'
            for light, text in strategy_map.legend
        )
        out.append(f'  legend [shape=plaintext style="" id="legend" label=<<TABLE BORDER="0" CELLSPACING="4"'
                   f' CELLPADDING="3"><TR>{cells}</TR></TABLE>> fontsize=10];')
        chain.append("legend")
    if len(chain) > 1:
        out.append("  " + " -> ".join(chain) + ";")
    out.append("}")
    return "\n".join(out) + "\n"


# --- Rendering --------------------------------------------------------------------------------------------


def find_dot(dot_binary: str | None = None) -> str:
    """The path of the `dot` program, or GraphvizMissing saying how to install it."""
    name = dot_binary or "dot"
    found = shutil.which(name)
    if found is None:
        raise GraphvizMissing(
            f"Graphviz is not installed: the program “{name}” was not found. Install Graphviz "
            "(Debian/Ubuntu: apt-get install graphviz) to draw strategy maps."
        )
    return found


def render_svg(dot_source: str, *, dot_binary: str | None = None, timeout: float = 30) -> str:
    """SVG text drawn by `dot -Tsvg` from `dot_source`."""
    program = find_dot(dot_binary)
    try:
        done = subprocess.run([program, "-Tsvg"], input=dot_source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except FileNotFoundError as error:  # removed between the look-up and the call
        raise GraphvizMissing(f"Graphviz is not installed: {error}") from None
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz (dot) did not finish within {timeout:g} s.") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()[:500]
        raise GraphvizError(f"Graphviz (dot) failed with exit code {done.returncode}: {message}")
    return done.stdout.decode("utf-8")


def inline_svg(svg: str) -> str:
    """The SVG element alone (no XML declaration, DOCTYPE or comments before it), for embedding in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
