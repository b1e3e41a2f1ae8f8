"""Folding and segmenting Traditional Chinese for search (no Django here).

`fold` makes the form that is stored and compared: NFKC (full-width and compatibility characters such as
U+FA08 行 become their ordinary forms), lower case, OpenCC t2s (so 臺/台 and 裡/裏 compare equal), and no
whitespace (the seed books print "110 年" and justified cells "人 民 陳 情"). jieba segments the folded copy,
because on Traditional text it cuts words wrongly (推動長/期照/顧). Every folded character remembers the
original character it came from, so hits are highlighted in the text as written.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@dataclass(frozen=True)
class Folded:
    text: str  # the folded string
    origin: tuple[int, ...]  # origin[i]: index in the original text of folded character i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's [start, end) covered by folded characters [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=None)
def _simplified_char(ch: str) -> str:
    one = _t2s().convert(ch)
    return one if len(one) == 1 else ch


def _simplify(text: str) -> str:
    """OpenCC t2s one character at a time. Not phrase by phrase: a phrase conversion depends on the neighbours
    (乾淨 → 干净 but 乾 alone stays), and a query must fold to exactly what its place in the text folded to."""
    return "".join(_simplified_char(ch) for ch in text)


def fold_map(text: str) -> Folded:
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text or ""):
        if ch.isspace():
            continue
        normal = unicodedata.normalize("NFKC", ch).lower() if not ch.isascii() else ch.lower()
        for part in normal:
            if not part.isspace():
                chars.append(part)
                origin.append(index)
    return Folded(_simplify("".join(chars)), tuple(origin))


def fold(text: str) -> str:
    return fold_map(text).text


def words(folded: str) -> list[str]:
    """The distinct word tokens of a folded string, in order: jieba's words cut further at punctuation."""
    seen: dict[str, None] = {}
    for word in _jieba().cut(folded, HMM=True):
        for token in WORD.findall(word):
            seen.setdefault(token, None)
    return list(seen)


def token_string(folded: str) -> str:
    """Tokens stored space-delimited with a space at each end, so that " word " finds whole words only."""
    tokens = words(folded)
    return f" {' '.join(tokens)} " if tokens else ""


def terms(query: str) -> list[str]:
    """A query's terms: split at whitespace (every term must match), folded, duplicates and empties dropped."""
    seen: dict[str, None] = {}
    for part in (query or "").split():
        folded = fold(part)
        if folded:
            seen.setdefault(folded, None)
    return list(seen)


def highlight_spans(text: str, term_list: list[str], *, word_tokens: list[list[str]] | None = None
                    ) -> list[tuple[int, int]]:
    """Where in `text` (as written) the terms occur: substrings of the folded text, else the term's words."""
    folded = fold_map(text)
    spans: list[tuple[int, int]] = []
    for number, term in enumerate(term_list):
        found = False
        start = folded.text.find(term)
        while start != -1:
            spans.append(folded.span(start, start + len(term)))
            found = True
            start = folded.text.find(term, start + len(term))
        if not found and word_tokens:
            for token in word_tokens[number]:
                start = folded.text.find(token)
                while start != -1:
                    spans.append(folded.span(start, start + len(token)))
                    start = folded.text.find(token, start + len(token))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, spans: list[tuple[int, int]], *, width: int = 60) -> list[tuple[str, bool]]:
    """A window of `text` around the first hit, as (piece, is_hit) pairs, with … where it was cut."""
    text = text or ""
    if not spans:
        cut = text[: width * 2]
        return [(cut + ("…" if len(text) > len(cut) else ""), False)]
    first = spans[0][0]
    start = max(0, first - width // 2)
    end = min(len(text), start + width * 2)
    pieces: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    position = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > position:
            pieces.append((text[position:s], False))
        pieces.append((text[s:e], True))
        position = e
    if position < end:
        pieces.append((text[position:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return pieces
