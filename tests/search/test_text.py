"""Folding and segmenting Traditional Chinese, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from civicplan.search.text import fold, fold_map, highlight_spans, snippet, terms, token_string, words


def test_folding_unifies_forms_a_reader_sees_as_the_same():
    assert fold("臺北市") == fold("台北市")
    assert fold("\ufa08政") == fold("行政")  # CJK compatibility ideograph, as in the Chiayi book
    assert fold("滿意度（％）") == fold("滿意度(%)")
    assert fold("110 年 度") == fold("110年度")  # the books print spaces inside words
    assert fold("WCCD") == "wccd"


def test_every_folded_character_points_back_to_the_character_it_came_from():
    text = "提升 市民對公共運輸\u3000服務滿意度（％）"
    folded = fold_map(text)
    assert len(folded.origin) == len(folded.text)
    for index, original in enumerate(folded.origin):
        assert fold(text[original]) and folded.text[index] in fold(text[original])


def test_jieba_cuts_traditional_text_through_its_simplified_copy():
    assert words(fold("推動長期照顧服務據點布建"))[:4] == [fold(w) for w in ("推動", "長期", "照顧", "服務")]
    assert fold("滿意度") in words(fold("提升市民對公共運輸服務滿意度"))
    tokens = token_string(fold("提升市民滿意度"))
    assert tokens.startswith(" ") and tokens.endswith(" ") and f" {fold('市民')} " in tokens


def test_terms_split_at_whitespace_and_drop_repeats():
    assert terms("  公共運輸　滿意度 公共運輸 ") == [fold("公共運輸"), fold("滿意度")]
    assert terms(" \t ") == []


def test_highlights_cover_the_text_as_written_even_across_printed_spaces():
    text = "彙編 110 年度施政績效成果報告"
    spans = highlight_spans(text, terms("110年度"))
    assert [text[s:e] for s, e in spans] == ["110 年度"]
    # Words found apart are highlighted one by one.
    text = "提升市民對公共運輸服務滿意度"
    query = terms("市民滿意度")
    spans = highlight_spans(text, query, word_tokens=[words(t) for t in query])
    assert [text[s:e] for s, e in spans] == ["市民", "滿意度"]


def test_a_snippet_keeps_the_hit_and_marks_where_it_was_cut():
    text = "甲" * 200 + "公共運輸" + "乙" * 200
    pieces = snippet(text, highlight_spans(text, terms("公共運輸")))
    assert pieces[0] == ("…", False) and pieces[-1] == ("…", False)
    assert [p for p, hit in pieces if hit] == ["公共運輸"]


@given(st.text(alphabet=st.sampled_from("臺台北市民 對公共運輸服務滿意度%％１2aBＣ\u3000\n"), max_size=40))
def test_a_substring_of_the_folded_text_is_always_found_and_mapped_inside_the_text(text):
    folded = fold_map(text)
    for start in range(0, len(folded.text), 3):
        term = folded.text[start:start + 3]
        spans = highlight_spans(text, [term])
        assert spans, (text, term)
        for s, e in spans:
            assert 0 <= s < e <= len(text)
            assert term in fold(text[s:e]) or fold(text[s:e]) in term


def test_folding_a_piece_gives_the_same_as_that_piece_of_the_folded_text():
    # OpenCC converts 藉由 as a phrase (借由) but 藉 alone stays; 瞭解 → 了解 but 瞭 stays: search folds one
    # character at a time, so that a piece of a text folds to what that piece of the folded text is.
    text = "藉由瞭解市民需求"
    folded = fold(text)
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            assert fold(text[start:end]) == folded[start:end]
