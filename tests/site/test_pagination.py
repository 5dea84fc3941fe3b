"""Public lists come in pages: every row on exactly one page, whatever page a visitor opens."""

import pytest

from missions.views import MissionListView
from partners.views import PartnerListView
from tests.factories import make_mission, make_partner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("view", [MissionListView, PartnerListView], ids=lambda view: view.__name__)
def test_every_public_list_is_in_a_fixed_order(view):
    """Their rows are built only when shown, and DeferredRows tells the paginator they are
    ordered without asking: a list in no fixed order could show a row on two pages, another on none."""
    assert view().get_queryset().ordered


@pytest.mark.parametrize(
    ("address", "make", "per_page"),
    [
        ("/en/missions/", make_mission, MissionListView.paginate_by),
        ("/en/partners/", make_partner, PartnerListView.paginate_by),
    ],
)
def test_each_row_is_on_exactly_one_page(client, address, make, per_page):
    slugs = [f"row-{number:03d}" for number in range(per_page + 3)]
    for slug in slugs:
        make(name=slug.title(), slug=slug)
    shown = []
    for page in (1, 2, "last"):
        response = client.get(f"{address}?page={page}")
        shown.append([row.slug for row in response.context["page_obj"].object_list])
    assert len(shown[0]) == per_page and shown[1] == shown[2]
    assert sorted(shown[0] + shown[1]) == slugs
