"""Search on the real seed plans: the database answers exactly what the definition of a match says.

The definition (civicplan.search.query): every term matches, a term matching when the folded text contains it
or the word tokens hold each of its words. Each test run checks the database's answer (SQLite: FTS5 trigram
and LIKE; PostgreSQL: pg_trgm) against that definition evaluated in Python over every stored entry, so both
databases, which run this same suite, give the same results.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicplan.plans.models import CycleStatus, Indicator, PlanCycle
from civicplan.search.models import EntryKind, SearchEntry
from civicplan.search.query import search
from civicplan.search.text import fold, terms, words

pytestmark = pytest.mark.django_db


def reference(query: str, *, cycle_ids=None) -> set[int]:
    """The definition of a match, in Python, over every entry."""
    term_list = terms(query)
    hits = set()
    for entry in SearchEntry.objects.all():
        if cycle_ids is not None and entry.cycle_id not in cycle_ids:
            continue
        ok = True
        for term in term_list:
            tokens = words(term)
            by_words = tokens != [term] and bool(tokens) and all(f" {t} " in entry.tokens for t in tokens)
            if term not in entry.folded and not by_words:
                ok = False
                break
        if ok:
            hits.add(entry.pk)
    return hits


def found(query: str, **options) -> list[int]:
    results = search(query, per_page=100_000, **options)
    assert not results.truncated
    return [hit.entry.pk for hit in results.hits]


QUERIES = ["運輸", "率", "長照", "滿意度", "公共運輸", "人民陳情", "市民滿意度", "台北", "110年", "資源 回收",
           "WCCD", "%", "達成率 件", "zzz不存在的詞"]


@pytest.mark.parametrize("query", QUERIES)
def test_the_database_answers_what_the_definition_says(seeded, query):
    hits = found(query, user=seeded["operator"])
    assert len(hits) == len(set(hits))
    assert set(hits) == reference(query)


def test_every_kpi_whose_name_holds_the_words_is_found(seeded):
    operator = seeded["operator"]
    for query in ("運輸", "滿意度", "人民陳情案件"):
        expected = {i.pk for i in Indicator.objects.all() if fold(query) in fold(i.name)}
        assert expected, query
        got = {h.entry.indicator_id for h in search(query, user=operator, kind=EntryKind.INDICATOR,
                                                   per_page=10_000).hits}
        assert expected <= got, query
        substring_hits = {h.entry.indicator_id for h in search(query, user=operator, kind=EntryKind.INDICATOR,
                                                               per_page=10_000).hits if not h.by_words}
        assert substring_hits == expected, query


def test_variant_characters_and_printed_spaces_do_not_hide_a_kpi(seeded):
    operator = seeded["operator"]
    taipei = {i.pk for i in Indicator.objects.filter(name__contains="臺北")}
    assert taipei
    got = {h.entry.indicator_id for h in search("台北", user=operator, kind=EntryKind.INDICATOR, per_page=10_000).hits}
    assert taipei <= got


def test_words_found_apart_rank_below_the_words_together(seeded):
    results = search("市民滿意度", user=seeded["operator"], per_page=10_000)
    together = [h for h in results.hits if not h.by_words]
    apart = [h for h in results.hits if h.by_words]
    assert apart, "the word search finds texts where 市民 and 滿意度 are apart"
    assert all(fold("市民滿意度") not in h.entry.folded for h in apart)
    if together:
        assert results.hits.index(together[-1]) < results.hits.index(apart[0])
    for hit in apart[:20]:
        marked = "".join(piece for piece, is_hit in hit.pieces if is_hit)
        assert "市民" in marked or "滿意度" in marked


def test_the_order_is_stable_and_kpis_come_first_for_their_own_name(seeded):
    operator = seeded["operator"]
    first = search("人民陳情案件結案率", user=operator, per_page=10_000)
    again = search("人民陳情案件結案率", user=operator, per_page=10_000)
    assert [h.entry.pk for h in first.hits] == [h.entry.pk for h in again.hits]
    assert first.hits[0].entry.kind == EntryKind.INDICATOR
    assert fold(first.hits[0].entry.text) == fold("人民陳情案件結案率")
    scores = [h.score for h in first.hits]
    assert scores == sorted(scores, reverse=True)


def test_facets_count_the_hits_of_each_kind_and_the_kind_filter_keeps_them(seeded):
    operator = seeded["operator"]
    everything = search("滿意度", user=operator, per_page=10_000)
    assert sum(everything.kinds.values()) == everything.total
    for kind, count in everything.kinds.items():
        only = search("滿意度", user=operator, kind=kind, per_page=10_000)
        assert only.total == count and {h.entry.kind for h in only.hits} == {kind}


def test_pages_split_the_ranked_list(seeded):
    operator = seeded["operator"]
    whole = [h.entry.pk for h in search("率", user=operator, per_page=10_000).hits]
    paged = []
    page = 1
    while True:
        results = search("率", user=operator, per_page=50, page=page)
        paged += [h.entry.pk for h in results.hits]
        if page >= results.pages:
            break
        page += 1
    assert paged == whole and len(whole) > 100


def test_the_public_sees_published_plans_only_and_members_see_their_drafts(seeded):
    keelung, taipei, chiayi = seeded["cycles"]
    PlanCycle.objects.filter(pk=taipei.pk).update(status=CycleStatus.PUBLISHED)
    public = {h.entry.cycle_id for h in search("率", public=True, per_page=10_000).hits}
    assert public == {taipei.pk}
    assert search("率", user=AnonymousUser(), per_page=10_000).total == len(reference("率", cycle_ids={taipei.pk}))
    assert {h.entry.cycle_id for h in search("率", user=seeded["operator"], per_page=10_000).hits} == {
        keelung.pk, taipei.pk, chiayi.pk}


def test_a_cycle_filter_narrows_to_that_plan(seeded):
    keelung = seeded["cycles"][0]
    results = search("率", user=seeded["operator"], cycle_id=keelung.pk, per_page=10_000)
    assert results.total and {h.entry.cycle_id for h in results.hits} == {keelung.pk}
    assert {h.entry.pk for h in results.hits} == reference("率", cycle_ids={keelung.pk})


TEXTS = st.integers(min_value=0, max_value=10**9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pick=TEXTS, start=TEXTS, length=st.integers(min_value=1, max_value=6))
def test_any_piece_of_any_text_finds_its_entry(seeded, pick, start, length):
    entries = list(SearchEntry.objects.order_by("pk").values_list("pk", "text"))
    pk, text = entries[pick % len(entries)]
    piece = "".join(text.split())[start % max(1, len(text)):][:length]
    if not piece.strip():
        return
    hits = found(piece, user=seeded["operator"])
    assert pk in hits
    assert set(hits) == reference(piece)
