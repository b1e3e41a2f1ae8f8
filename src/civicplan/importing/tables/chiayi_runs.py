"""Chiayi layout family: from atoms to cells — which value candidates are targets, which text joins into one
cell, which repeated short texts are per-year targets, and how to regroup cells split by a false line break.

See chiayi_cells for the atoms and the cues.
"""

from __future__ import annotations

import re

from civicplan.importing.tables.chiayi_cells import Atom, Piece
from civicplan.importing.tables.chiayi_text import CONTINUES_CELL

OPEN_BRACKET_COST = 50


def accept_runs(atoms: list[Atom]) -> list[list[int]]:
    """Decide which value candidates are a row's targets; the rest become text again. Returns the runs."""
    runs: list[list[int]] = []
    i = 0
    while i < len(atoms):
        if atoms[i].kind != "V":
            i += 1
            continue
        j = i
        while j < len(atoms) and atoms[j].kind == "V":
            j += 1
        run = list(range(i, j))
        if len(run) > 4:
            for k in run[:-4]:
                atoms[k].kind = "T"
            run = run[-4:]
        elif len(run) < 4:
            while run and not _plausible_short(atoms, run[0]):
                atoms[run[0]].kind = "T"
                run = run[1:]
            if run and j < len(atoms) and atoms[j].kind == "T" and atoms[j].first_line == atoms[run[-1]].last_line:
                for k in run:  # `1 個工作天完成`: text goes on after the "value"
                    atoms[k].kind = "T"
                run = []
        if run:
            runs.append(run)
        i = j
    return runs


def _plausible_short(atoms: list[Atom], k: int) -> bool:
    """A value of a row with fewer than four printed values: on a line of its own start, or after a wide gap."""
    atom = atoms[k]
    if not atom.clean_tail:
        return False
    if atom.line_start:
        prev = atoms[k - 1] if k else None
        return not (prev is not None and prev.kind == "T" and prev.open)
    return atom.gap >= 2


def attached(prev: Atom | None, cur: Atom) -> bool:
    """Whether text atom `cur` continues the cell of text atom `prev`."""
    if prev is None or prev.kind != "T" or cur.kind != "T":
        return False
    if cur.parts[0][1].startswith(CONTINUES_CELL):
        return True
    if prev.last_line == cur.first_line:
        return not cur.sep_before
    return prev.open and cur.line_start


def pieces(atoms: list[Atom]) -> list[object]:
    """Join text atoms into cells; other atoms pass through. Returns a list of Piece and Atom."""
    out: list[object] = []
    prev: Atom | None = None
    for atom in atoms:
        if atom.kind == "T":
            if attached(prev, atom) and out and isinstance(out[-1], Piece):
                out[-1].parts.extend(atom.parts)
            else:
                out.append(Piece(list(atom.parts)))
        else:
            out.append(atom)
        prev = atom
    return out


def find_text_targets(items: list[object]) -> list[object]:
    """Short text pieces repeated once per year (`每年一次` ×4, `依限`/`完成` ×4) are target values."""
    texts = {id(item): item.text() for item in items if isinstance(item, Piece) and len(item.parts) <= 3}
    out: list[object] = []
    i = 0
    while i < len(items):
        found = None
        for period in (1, 2):
            reps = _repetitions(items, i, period, texts)
            if reps >= 2:
                following = _value_run_length(items, i + reps * period)
                total = reps + following
                if total == 4 or (total < 4 and _is_boundary(items, i + reps * period + following)):
                    found = (period, reps)
                    break
        if found is None:
            out.append(items[i])
            i += 1
            continue
        period, reps = found
        for r in range(reps):
            parts = [p for piece in items[i + r * period:i + (r + 1) * period] for p in piece.parts]
            out.append(Atom("V", parts, value="text"))
        i += period * reps
    return out


def _short(item, texts) -> bool:
    text = texts.get(id(item), "")
    return 0 < len(text) <= 6 and "。" not in text


def _repetitions(items, i, period, texts) -> int:
    block = items[i:i + period]
    if len(block) < period or not all(_short(b, texts) for b in block):
        return 0
    key = [texts[id(b)] for b in block]
    reps = 1
    while True:
        nxt = items[i + reps * period:i + (reps + 1) * period]
        if len(nxt) == period and all(_short(b, texts) for b in nxt) and [texts[id(b)] for b in nxt] == key:
            reps += 1
        else:
            return reps


def _value_run_length(items, i) -> int:
    n = 0
    while i + n < len(items) and isinstance(items[i + n], Atom) and items[i + n].kind == "V":
        n += 1
    return n


def _is_boundary(items, i) -> bool:
    return i >= len(items) or (isinstance(items[i], Atom) and items[i].kind in ("GOAL", "NUM", "UNIT", "PAGE"))


def group(cells: list[Piece], k: int) -> tuple[list[Piece], int]:
    """Split `cells` into `k` columns by merging neighbours where a false line break split a cell.

    The merge that costs least is the one where the lines above a break are as wide as the column: a cell's
    lines are all full except its last. Returns the k merged pieces and the cost (0 when nothing was merged).
    """
    n = len(cells)
    if n <= k:
        return list(cells), 0
    widths = [c.widths() for c in cells]

    open_after = [c.unbalanced() for c in cells]

    def cost(a: int, b: int) -> int:  # merge cells[a:b]; a cell may not end inside an open bracket
        lines = [w for c in widths[a:b] for w in c]
        top = max(lines)
        return sum(top - w for w in lines[:-1]) + (OPEN_BRACKET_COST if open_after[b - 1] and b < n else 0)

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0
    for g in range(1, k + 1):
        for end in range(g, n - (k - g) + 1):
            for start in range(g - 1, end):
                value = best[g - 1][start] + cost(start, end)
                if value < best[g][end]:
                    best[g][end], back[g][end] = value, start
    bounds = []
    end = n
    for g in range(k, 0, -1):
        start = back[g][end]
        bounds.append((start, end))
        end = start
    merged = [Piece([p for c in cells[a:b] for p in c.parts]) for a, b in reversed(bounds)]
    return merged, int(best[k][n])


_COMPOSITE = re.compile(r"^\d+([A-Z])$")


def merge_composites(atoms: list[Atom]) -> None:
    """`6A`/`84B`/`45C`: consecutive values lettered A, B, C… are one composite value."""
    i = 0
    while i < len(atoms):
        first = _COMPOSITE.match(atoms[i].parts[-1][1]) if atoms[i].kind == "V" and len(atoms[i].parts) == 1 else None
        j = i + 1
        letter = first.group(1) if first else ""
        while first and j < len(atoms) and atoms[j].kind == "V" and len(atoms[j].parts) == 1:
            nxt = _COMPOSITE.match(atoms[j].parts[0][1])
            if not nxt or nxt.group(1) != chr(ord(letter) + 1):
                break
            letter = nxt.group(1)
            j += 1
        if j - i >= 2:
            atoms[i].parts.extend(p for a in atoms[i + 1:j] for p in a.parts)
            atoms[i].open = atoms[j - 1].open
            del atoms[i + 1:j]
        i += 1


def as_piece(atom: Atom) -> Piece:
    return Piece(list(atom.parts))
