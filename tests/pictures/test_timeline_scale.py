"""The timelines draw at most MAX_MISSIONS missions: their label layout grows with the square of
the count, and the benchmark's 10,000 missions once kept the home page busy for minutes."""

import pytest

from missions.pictures.mission_timeline import MAX_MISSIONS
from tests.factories import make_mission

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["/en/", "/en/missions/timeline/"])
def test_a_timeline_draws_at_most_max_missions(client, page):
    for _ in range(MAX_MISSIONS + 5):
        make_mission()
    html = client.get(page).content.decode()
    assert f'href="/en/missions/mission-{MAX_MISSIONS}/"' in html
    assert f'href="/en/missions/mission-{MAX_MISSIONS + 5}/"' not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
