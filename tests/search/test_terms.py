"""How words become search terms and how matches are highlighted: pure Python, the same for
both databases, so no database is needed here."""

import pytest

from search.highlight import highlight
from search.index import plain_text
from search.text import document_terms, parse_query


def test_english_words_lose_case_accents_and_endings():
    assert document_terms("Landed LANDING lands Kármán Côte") == ["land", "land", "land", "karman", "cote"]


def test_a_word_and_the_craft_that_does_it_are_one_term():
    # Snowball leaves "lander" whole (its "-er" is too close to the start to be an ending).
    assert document_terms("lander Landers landed landing") == ["land"] * 4
    assert document_terms("hopper hopped launcher launched") == ["hop", "hop", "launch", "launch"]
    assert parse_query("landed").as_fts5() == parse_query("lander").as_fts5() == '"land"'


def test_punctuation_and_underscores_separate_words():
    assert document_terms("Chang'e-6, ICUBE_Q (2024)") == ["chang", "e", "6", "icub", "q", "2024"]


def test_chinese_runs_become_overlapping_pairs_and_their_last_character():
    assert document_terms("嫦娥六号") == ["嫦娥", "娥六", "六号", "号"]
    assert document_terms("嫦娥六号在月球背面") == [
        "嫦娥",
        "娥六",
        "六号",
        "号在",
        "在月",
        "月球",
        "球背",
        "背面",
        "面",
    ]
    assert document_terms("巴") == ["巴"]


def test_mixed_scripts_are_split_where_the_script_changes():
    assert document_terms("CE6嫦娥 rover") == ["ce6", "嫦娥", "娥", "rover"]


def test_full_width_latin_is_read_as_latin():
    assert document_terms("ＣＨＡＮＧＥ") == ["chang"]


def test_hostile_long_words_are_not_indexed():
    assert document_terms("A" * 100_000 + " moon") == ["moon"]


@pytest.mark.parametrize(
    "text, fts5, tsquery",
    [
        ("landing", '"land"', "('land')"),
        ("far side", '"far" AND "side"', "('far') & ('side')"),
        ("Chang'e-6", '"chang e 6"', "('chang' <-> 'e' <-> '6')"),
        ("月球背面", '"月球 球背 背面"', "('月球' <-> '球背' <-> '背面')"),
        ("嫦", '"嫦"*', "('嫦':*)"),
        ("嫦娥CE", '"嫦娥 娥 ce"', "('嫦娥' <-> '娥' <-> 'ce')"),
    ],
)
def test_queries_become_required_phrases_for_both_databases(text, fts5, tsquery):
    query = parse_query(text)
    assert query.as_fts5() == fts5
    assert query.as_tsquery() == tsquery


@pytest.mark.parametrize(
    "text",
    ['"', '"unbalanced', "*", "NEAR(", "AND OR", "-", "a' OR '1'='1", "\x00", "!!!", "col:foo", "^x", "'quoted'"],
)
def test_query_syntax_never_reaches_the_database(text):
    query = parse_query(text)
    for expression in (query.as_fts5(), query.as_tsquery()):
        # Only quoted terms of letters and digits, joined by our own operators.
        leftover = expression
        for phrase in query.phrases:
            for term in phrase.terms:
                leftover = leftover.replace(term, "")
        assert set(leftover) <= set("\"' ()&<->:*ADN")


def test_an_empty_or_punctuation_query_has_no_terms():
    for text in ["", "   ", "!!!", "***", "\x00", "“”"]:
        assert not parse_query(text)


def test_a_very_long_query_is_cut_to_a_few_phrases():
    assert len(parse_query("moon " * 5000).phrases) == 12


def test_highlight_marks_every_form_of_the_word_and_escapes_the_rest():
    passage, hits = highlight("<b>Landed</b> & landing, lands", "land")
    assert passage == "&lt;b&gt;<mark>Landed</mark>&lt;/b&gt; &amp; <mark>landing</mark>, <mark>lands</mark>"
    assert hits == 3


def test_highlight_joins_a_word_split_by_punctuation():
    passage, _ = highlight("Before Chang'e-6 launched", "Chang'e-6")
    assert passage == "Before <mark>Chang&#x27;e-6</mark> launched"


def test_highlight_marks_chinese_text():
    passage, hits = highlight("嫦娥四号首次在月球背面着陆", "月球背面")
    assert passage == "嫦娥四号首次在<mark>月球背面</mark>着陆"
    assert hits == 4


def test_highlight_shows_about_thirty_words_around_the_best_matches():
    text = " ".join(f"word{i}" for i in range(200)) + " moon rover " + " ".join(f"tail{i}" for i in range(200))
    passage, hits = highlight(text, "moon rover")
    assert hits == 2
    assert passage.startswith("… ") and passage.endswith(" …")
    assert "<mark>moon</mark> <mark>rover</mark>" in passage
    assert 25 <= len(passage.split()) <= 35


def test_highlight_of_text_without_the_words_is_its_start():
    passage, hits = highlight("A short summary.", "rover")
    assert (passage, hits) == ("A short summary.", 0)


def test_a_query_cannot_inject_markup_into_the_excerpt():
    passage, _ = highlight("The rover <i>drove</i> on", "<mark>rover</mark> <img src=x onerror=alert(1)>")
    assert passage == "The <mark>rover</mark> &lt;i&gt;drove&lt;/i&gt; on"


def test_rich_text_is_read_as_text():
    assert plain_text("<p>First&nbsp;paragraph</p><p>Second &amp; last</p>") == "First paragraph Second & last"
