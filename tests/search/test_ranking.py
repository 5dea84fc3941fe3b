"""The order of search results as a visitor sees it, on the database at hand (SQLite and PostgreSQL).

The records compared here have texts of the same length and are created worst first, so that a
tie (which falls back to the model's own order, launch date) would put them the wrong way round."""

import pytest

from missions.models import Mission, Payload
from partners.models import Agreement
from search.ranking import text_matches
from tests.factories import make_agreement, make_mission, make_payload

pytestmark = pytest.mark.django_db


def found(text, model=Mission) -> list[str]:
    return [str(row) for row in model.objects.published().search(text)]


def test_a_word_in_a_name_ranks_above_it_in_a_summary_and_that_above_it_in_a_body():
    make_mission(name="Alpha probe", summary="Studies the far side.", body="<p>Maps the basalt plains.</p>")
    make_mission(name="Beta probe", summary="Studies the basalt plains.", body="<p>Maps the far side.</p>")
    make_mission(name="Basalt probe", summary="Studies the far side.", body="<p>Maps the wide plains.</p>")
    assert found("basalt") == ["Basalt probe", "Beta probe", "Alpha probe"]


def test_more_occurrences_rank_higher():
    make_mission(name="Probe one", body="<p>Dust samples from the crater rim and floor.</p>")
    make_mission(name="Probe two", body="<p>Dust samples from the dust rim and floor.</p>")
    make_mission(name="Probe six", body="<p>Dust samples from the dust rim and dust.</p>")
    assert found("dust") == ["Probe six", "Probe two", "Probe one"]


def test_a_query_of_several_words_ranks_by_where_each_is_found():
    make_mission(name="Gamma probe", summary="Studies the ice.", body="<p>Polar craters.</p>")
    make_mission(name="Polar ice probe", summary="Studies the craters.", body="<p>Near side.</p>")
    assert found("polar ice") == ["Polar ice probe", "Gamma probe"]


@pytest.mark.parametrize("text", ["dust", "rim floor", "polar", "嫦娥", "娥", "nothing", "samples dust"])
def test_ranking_finds_exactly_the_rows_that_match(text):
    """Ranking orders the matching rows; it neither drops nor adds one (the API's `q` filter
    finds the same rows, unranked)."""
    moon = make_mission(name="Chang'e-9", name_zh="嫦娥九号", body="<p>Polar dust samples.</p>")
    make_mission(name="Probe rim", body="<p>Dust on the crater rim and floor.</p>")
    make_mission(name="Quiet probe", body="<p>Nothing here.</p>")
    make_payload(mission=moon, name="Dust counter", purpose="Counts polar dust samples.")
    make_agreement(title="Dust agreement", summary="嫦娥 samples.")
    for model in (Mission, Payload, Agreement):
        ranked = model.objects.published().search(text)
        matching = model.objects.published().filter(text_matches(model, text))
        assert sorted(row.pk for row in ranked) == sorted(row.pk for row in matching)
        assert len({row.pk for row in ranked}) == len(ranked)  # no row twice
        assert all(row.search_rank > 0 for row in ranked)
