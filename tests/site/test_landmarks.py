"""Assistive technology finds its way: landmarks of one kind have distinct names, and every
aria-describedby names an element on the page."""

import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/en/", "/en/search/", "/en/search/?q=Pakistan", "/en/missions/", "/en/partners/", "/zh-hans/"]


@pytest.mark.parametrize("url", PAGES)
def test_each_search_landmark_has_a_name_of_its_own(client, chang_e_6, url):
    page = client.get(url).content.decode()
    forms = re.findall(r'<form[^>]*role="search"[^>]*>', page)
    names = [re.search(r'aria-label="([^"]+)"', form) for form in forms]
    assert all(names), forms
    names = [name.group(1) for name in names]
    assert len(set(names)) == len(names), names


@pytest.mark.parametrize(
    "url", PAGES + ["/en/missions/?partner=PK", "/en/missions/?status=x&partner=ZZ", "/en/search/?q=%00"]
)
def test_every_aria_describedby_names_an_element_on_the_page(client, chang_e_6, url):
    page = client.get(url).content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    described = [name for names in re.findall(r'aria-describedby="([^"]+)"', page) for name in names.split()]
    assert set(described) <= ids, set(described) - ids
