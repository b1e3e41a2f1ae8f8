"""`civicplan export strategy-map`: the strategy maps of a cycle (or one agency's) as SVG or PDF.

The maps are the ones the pages draw (civicplan.web.strategymap.map_for_chapter → Graphviz), so a report and
the screen show the same picture. SVG: one map as Graphviz drew it, or several stacked in one SVG (a theme
map cycle such as Taipei's has one per theme). PDF: one map per A4 landscape page with its title, drawn by
WeasyPrint from the same SVG (vector, Noto CJK embedded).
"""

from __future__ import annotations

import base64
import re

from django.utils import translation

from civicplan.exports import ExportError, ExportRequest
from civicplan.plans.models import AgencyPlan
from civicplan.reports import strategymap as sm

GAP = 24  # points between stacked maps


def _chapters(request: ExportRequest) -> list[AgencyPlan]:
    if request.cycle is None:
        raise ExportError("strategy-map: give the plan with --city and --period (e.g. --period 109-112)")
    chapters = AgencyPlan.objects.filter(cycle=request.cycle).select_related("cycle__city", "agency", "theme")
    if request.agency is not None:
        chapters = chapters.filter(agency=request.agency)
        if not chapters:
            raise ExportError(f"strategy-map: {request.agency.name} has no chapter in {request.cycle}")
    chapters = list(chapters.order_by("order", "id"))
    if not chapters:
        raise ExportError(f"strategy-map: {request.cycle} has no chapters")
    return chapters


def _svgs(chapters) -> list[tuple[str, str]]:
    from civicplan.web.strategymap import map_for_chapter

    drawn = []
    with translation.override("zh-hant"):  # an official picture: in the plan's language
        for chapter in chapters:
            strategy_map = map_for_chapter(chapter)
            try:
                drawn.append((strategy_map.title, sm.render_svg(sm.build_dot(strategy_map))))
            except sm.GraphvizError as error:
                raise ExportError(f"strategy-map: {error}") from None
    return drawn


_SIZE = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"', re.S)


def stack_svgs(svgs: list[str]) -> str:
    """Several Graphviz SVGs one under the other in one SVG document (nested <svg> elements)."""
    if len(svgs) == 1:
        return svgs[0]
    parts, y, width = [], 0.0, 0.0
    for svg in svgs:
        inner = sm.inline_svg(svg)
        match = _SIZE.search(inner)
        if not match:
            raise ExportError("strategy-map: Graphviz drew an SVG without a size")
        w, h = float(match[1]), float(match[2])
        inner = inner.replace("<svg", f'<svg x="0" y="{y:g}"', 1)
        parts.append(inner)
        y += h + GAP
        width = max(width, w)
    height = y - GAP
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width:g}pt" height="{height:g}pt" viewBox="0 0 {width:g} {height:g}">\n'
            + "\n".join(parts) + "\n</svg>\n")


def _pdf(drawn: list[tuple[str, str]], cycle) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    pages = [{"title": title, "src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()}
             for title, svg in drawn]
    html = render_to_string("civicplan/reports/strategy_maps.html", {"cycle": cycle, "pages": pages})
    return HTML(string=html).write_pdf()


def export_strategy_map(request: ExportRequest) -> bytes:
    chapters = _chapters(request)
    drawn = _svgs(chapters)
    if request.fmt == "svg":
        return stack_svgs([svg for _title, svg in drawn]).encode("utf-8")
    return _pdf(drawn, request.cycle)
