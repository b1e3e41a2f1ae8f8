"""Answering a search: match in the database, rank and highlight in Python.

A query is split at whitespace into terms, and every term must match. An entry matches a term when its
folded text contains the folded term (substring search), or when its word tokens hold every word of the term
(word search: "市民滿意度" finds "市民對公共運輸服務滿意度"). Both are containment tests on stored strings, which
SQLite and PostgreSQL answer identically; only the index that serves them differs (see the package docstring).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from civicplan.plans.visibility import PUBLIC_CYCLE_STATUSES, visible_cycle_q
from civicplan.search.models import KIND_ORDER, SearchEntry
from civicplan.search.text import highlight_spans, snippet, terms, words
from civicplan.tracking.models import ReportStatus

MAX_TERMS = 8
MAX_CANDIDATES = 5000  # more hits than this: the first ones by rank of storage are shown, and the user is told
TRIGRAM = 3  # FTS5's trigram tokenizer cannot answer shorter patterns (and LIKE on it misses short CJK ones)


def _fts_phrase(column: str, text: str) -> str:
    return f'{column} : "{text.replace(chr(34), chr(34) * 2)}"'


def _fts(expression: str) -> Q:
    return Q(id__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", (expression,)))


def substring_q(term: str) -> Q:
    if connection.vendor == "sqlite" and len(term) >= TRIGRAM:
        return _fts(_fts_phrase("folded", term))
    return Q(folded__contains=term)  # LIKE on the content table (PostgreSQL: served by the pg_trgm index)


def words_q(tokens: list[str]) -> Q:
    """Every token as a whole word: " token " is a substring of the space-delimited token string."""
    if connection.vendor == "sqlite":
        return _fts(" AND ".join(_fts_phrase("tokens", f" {t} ") for t in tokens))
    condition = Q()
    for token in tokens:
        condition &= Q(tokens__contains=f" {token} ")
    return condition


def term_q(term: str, tokens: list[str]) -> Q:
    condition = substring_q(term)
    if tokens and tokens != [term]:
        condition |= words_q(tokens)
    return condition


def scope_q(user=None, *, public: bool = False) -> Q:
    """Public: published cycles, and narratives only of approved reports. Staff: what `plans.view` allows."""
    if public:
        return Q(cycle__status__in=PUBLIC_CYCLE_STATUSES) & (
            Q(measurement__isnull=True) | Q(measurement__report__status=ReportStatus.APPROVED))
    return visible_cycle_q(user, "cycle__")


@dataclass
class Hit:
    entry: SearchEntry
    score: int
    by_words: bool  # matched only as separate words, not as one substring
    pieces: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Results:
    query: str
    terms: list[str]
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    truncated: bool = False
    page: int = 1
    pages: int = 0


def _score(kind: str, field_name: str, folded: str, tokens: str, term_list, token_lists) -> tuple[int, bool]:
    score, by_words = 0, False
    for term, token_list in zip(term_list, token_lists):
        position = folded.find(term)
        if position >= 0:
            score += 100 + (60 if folded == term else 0) + (20 if position == 0 else 0)
            score += max(0, 10 - position // 10)
        else:
            score += 40
            by_words = True
    score += (len(KIND_ORDER) - KIND_ORDER.get(kind, len(KIND_ORDER))) * 4
    if field_name == "name":
        score += 10
    return score, by_words


def search(query: str, *, user=None, public: bool = False, city_id: int | None = None,
           cycle_id: int | None = None, kind: str | None = None, page: int = 1, per_page: int = 30) -> Results:
    term_list = terms(query)[:MAX_TERMS]
    results = Results(query=query, terms=term_list)
    if not term_list:
        return results
    token_lists = [words(term) for term in term_list]
    condition = scope_q(user, public=public)
    for term, tokens in zip(term_list, token_lists):
        condition &= term_q(term, tokens)
    if city_id:
        condition &= Q(city_id=city_id)
    if cycle_id:
        condition &= Q(cycle_id=cycle_id)
    rows = list(SearchEntry.objects.filter(condition).order_by("id")
                .values_list("id", "kind", "field", "folded", "tokens", "cycle__start_year")[:MAX_CANDIDATES + 1])
    results.truncated = len(rows) > MAX_CANDIDATES
    rows = rows[:MAX_CANDIDATES]
    results.kinds = dict(sorted(Counter(r[1] for r in rows).items(), key=lambda kv: KIND_ORDER.get(kv[0], 99)))
    if kind:
        rows = [r for r in rows if r[1] == kind]
    ranked = []
    for entry_id, entry_kind, field_name, folded, tokens, start_year in rows:
        score, by_words = _score(entry_kind, field_name, folded, tokens, term_list, token_lists)
        ranked.append((-score, KIND_ORDER.get(entry_kind, 99), -(start_year or 0), entry_id, score, by_words))
    ranked.sort()
    results.total = len(ranked)
    results.pages = (len(ranked) + per_page - 1) // per_page
    results.page = min(max(1, page), max(1, results.pages))
    window = ranked[(results.page - 1) * per_page: results.page * per_page]
    full = SearchEntry.objects.select_related(
        "city", "cycle", "chapter__agency", "chapter__theme", "indicator", "measurement__report__period",
    ).in_bulk([r[3] for r in window])
    for *_, entry_id, score, by_words in window:
        entry = full[entry_id]
        spans = highlight_spans(entry.text, term_list, word_tokens=token_lists)
        results.hits.append(Hit(entry, score, by_words, snippet(entry.text, spans)))
    return results
