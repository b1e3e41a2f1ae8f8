"""Charts for reports (matplotlib, no screen): SVG for ODT and PDF, PNG for DOCX; CJK labels in Noto Sans CJK TC.

SVG output is made reproducible (no date, fixed ids) so that two reports of the same data are the same bytes.
"""

from __future__ import annotations

import io

LIGHT_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "white": "#b0b7bf"}
LIGHT_NAMES = {"green": "綠燈", "yellow": "黃燈", "red": "紅燈", "white": "白燈"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "font.sans-serif": ["Noto Sans CJK TC", "Noto Sans CJK JP", "DejaVu Sans"], "font.family": "sans-serif",
        "svg.hashsalt": "civicplan", "svg.fonttype": "path", "axes.unicode_minus": False,
    })
    return plt


def lights_by_group(rows: list[tuple[str, dict[str, int]]], *, title: str, fmt: str) -> tuple[bytes, float, float]:
    """A horizontal stacked bar per group (agency, perspective) of its KPIs by light. Returns (data, width cm,
    height cm); `fmt` is "svg" or "png"."""
    plt = _pyplot()
    names = [name for name, _counts in rows][::-1]
    height_in = max(2.2, 0.32 * len(rows) + 1.2)
    width_in = 6.3
    figure, axes = plt.subplots(figsize=(width_in, height_in))
    left = [0] * len(names)
    for light in ("green", "yellow", "red", "white"):
        values = [counts.get(light, 0) for _name, counts in rows][::-1]
        axes.barh(names, values, left=left, color=LIGHT_COLOURS[light], label=LIGHT_NAMES[light],
                  edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, values)]
    axes.set_title(title, fontsize=10)
    axes.set_xlabel("指標數", fontsize=8)
    axes.tick_params(labelsize=8)
    axes.legend(ncol=4, fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.04 + 0.2 / height_in),
                frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format=fmt, dpi=200, metadata={"Date": None} if fmt == "svg" else {"Software": None})
    plt.close(figure)
    return out.getvalue(), width_in * 2.54, height_in * 2.54
