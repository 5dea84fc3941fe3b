"""What a visitor reads on the demo content's pages: each thing named once, and named in full."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_database, db):
    """The demo content (loaded once for the module)."""


def select_options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


SELECTS = {
    "/en/missions/": ["status", "type", "side", "international"],
    "/en/partners/": ["kind", "region", "ilrs"],
    "/zh-hans/missions/?side=far": ["status", "type", "side", "international"],
}


def test_every_filter_offers_any_once(client, demo):
    for url, selects in SELECTS.items():
        page = client.get(url).content.decode()
        for name in selects:
            options = select_options(page, name)
            assert options.count(options[0]) == 1, (url, name, options)
            assert not re.search(r"\(\d+\)", options[0]), "the first option, without a count, is the unfiltered one"


def test_a_partner_filter_names_the_partner_in_the_heading_and_title(client, demo):
    for url, query, partner in [
        ("/en/missions/", "PK", "Pakistan"),
        ("/en/missions/", "pakistan", "Pakistan"),
        ("/en/missions/", "esa", "European Space Agency"),
        ("/zh-hans/missions/", "PK", "巴基斯坦"),
    ]:
        page = client.get(url, {"partner": query}).content.decode()
        assert partner in re.search(r"<h1>(.*?)</h1>", page, re.S).group(1), query
        assert partner in re.search(r"<title>(.*?)</title>", page, re.S).group(1), query
    unfiltered = client.get("/en/missions/").content.decode()
    assert re.search(r"<h1>(.*?)</h1>", unfiltered, re.S).group(1) == "Missions"


def test_a_joint_payload_is_listed_once_with_all_its_providers(client, demo):
    page = client.get("/en/missions/chang-e-6/").content.decode()
    section = page[page.index('<section aria-labelledby="payloads-heading">') :]
    section = section[: section.index("</section>")]
    assert section.count("Negative Ions at the Lunar Surface") == 1
    nils = section[: section.index("Negative Ions at the Lunar Surface")]
    heading = nils[nils.rindex("<h3>") :]
    assert 'href="/en/partners/esa/"' in heading and 'href="/en/partners/sweden/"' in heading
    for partner in ["esa", "france", "italy", "pakistan", "sweden"]:
        assert section.count(f'href="/en/partners/{partner}/"') == 1, partner


def test_a_payload_whose_name_holds_its_acronym_is_not_named_twice(client, demo):
    for url in ["/en/search/?q=pakistan", "/en/missions/chang-e-6/", "/en/partners/pakistan/"]:
        page = client.get(url).content.decode()
        assert "ICUBE-Q (iCube-Qamar) lunar CubeSat" in page, url
        assert not re.search(r"ICUBE-Q\W+ICUBE-Q \(iCube", page), url
        assert "(ICUBE-Q)" not in page.replace("ICUBE-Q (iCube-Qamar)", ""), url


def test_joining_the_ilrs_is_one_entry_on_the_partnership_timeline(client, demo):
    page = client.get("/en/partners/pakistan/").content.decode()
    section = page[page.index('<section aria-labelledby="partnership-heading"') :]
    section = section[: section.index("</section>")]
    assert section.count('<time datetime="2023-10-18">') == 1
    assert "Pakistan becomes an ILRS partner" in section
