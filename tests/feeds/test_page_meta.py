"""Canonical addresses, OpenGraph and Twitter cards on every public page; schema.org JSON-LD on
detail pages, escaped so that no name can end its data block."""

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import truncatechars
from PIL import Image

from missions.models import MissionImage
from tests.factories import DRAFT, make_mission, make_partner
from website.templatetags.page_meta import shortened

pytestmark = pytest.mark.django_db

XSS = [line for line in (Path(__file__).parent.parent / "data" / "xss.txt").read_text().splitlines() if line]
PUBLIC_PAGES = [
    "/en/",
    "/en/missions/",
    "/en/partners/",
    "/en/search/",
    "/en/missions/chang-e-6/",
    "/en/partners/pakistan/",
]


class HeadReader(HTMLParser):
    """The <meta> and <link> tags of a page, and its JSON-LD blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.links, self.json_ld = {}, [], []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs["content"])
        if tag == "link":
            self.links.append(attrs)
        self._in_json_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))


def head(client, url) -> HeadReader:
    response = client.get(url)
    assert response.status_code == 200, url
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


def canonical(reader) -> list[str]:
    return [link["href"] for link in reader.links if link.get("rel") == "canonical"]


@pytest.mark.parametrize("url", PUBLIC_PAGES + [url.replace("/en/", "/zh-hans/") for url in PUBLIC_PAGES])
def test_every_public_page_has_a_canonical_address_and_link_preview_tags(client, chang_e_6, pakistan, url):
    reader = head(client, url)
    assert canonical(reader) == [f"http://testserver{url}"]
    assert reader.meta["og:url"] == [f"http://testserver{url}"]
    assert reader.meta["og:title"][0] and reader.meta["og:description"][0]
    assert reader.meta["og:site_name"] == ["lunarportal"]
    assert reader.meta["og:type"] in (["website"], ["article"])
    chinese = url.startswith("/zh-hans/")
    assert reader.meta["og:locale"] == ["zh_CN" if chinese else "en_GB"]
    assert reader.meta["og:locale:alternate"] == ["en_GB" if chinese else "zh_CN"]
    assert reader.meta["twitter:card"] == ["summary"]
    assert reader.meta["twitter:title"] == reader.meta["og:title"]


def test_the_canonical_address_drops_filters_and_keeps_the_page_number(client, chang_e_6):
    assert canonical(head(client, "/en/missions/?side=far&q=x")) == ["http://testserver/en/missions/"]
    assert canonical(head(client, "/en/missions/?page=2&side=far")) == ["http://testserver/en/missions/?page=2"]
    assert canonical(head(client, "/en/missions/?page=1")) == ["http://testserver/en/missions/"]
    assert canonical(head(client, "/en/missions/?page=last")) == ["http://testserver/en/missions/"]


def test_detail_pages_describe_their_item(client, chang_e_6):
    reader = head(client, "/zh-hans/missions/chang-e-6/")
    assert reader.meta["og:title"] == ["嫦娥六号"]
    assert reader.meta["og:description"] == [chang_e_6.summary]
    assert reader.meta["og:type"] == ["article"]
    assert "og:image" not in reader.meta


def test_a_long_description_is_cut_to_what_each_card_shows(client):
    make_mission(name="Chang'e-4", slug="chang-e-4", summary="Far side. " * 40)
    reader = head(client, "/en/missions/chang-e-4/")
    og, twitter = reader.meta["og:description"][0], reader.meta["twitter:description"][0]
    assert len(og) == 300 and len(twitter) == 200
    assert og.endswith("…") and twitter.endswith("…") and og.startswith("Far side. Far side.")


@pytest.mark.parametrize("text", ["", "Far side.", "x" * 200, "x" * 201, "e\u0301" * 250, "e\u0301" * 301, *XSS])
@pytest.mark.parametrize("length", [1, 200, 300])
def test_descriptions_are_shortened_exactly_as_truncatechars_does(text, length):
    """Combining accents count for nothing, and the text comes back composed (NFC)."""
    assert shortened(text, length) == truncatechars(text, length)


def test_a_mission_with_an_image_shares_an_absolute_rendition(client, chang_e_6):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), "gray").save(buffer, "JPEG")
    MissionImage(mission=chang_e_6, image=SimpleUploadedFile("lander.jpg", buffer.getvalue()), alt_text="Lander").save()
    image = MissionImage.objects.get()
    reader = head(client, "/en/missions/chang-e-6/")
    assert reader.meta["og:image"] == [f"http://testserver{image.default_url}"]
    assert image.default_url != image.image.url  # a resized rendition, not the original
    assert reader.meta["og:image:width"] == [str(image.default_rendition["width"])]
    assert reader.meta["og:image:alt"] == ["Lander"]
    assert reader.meta["twitter:card"] == ["summary_large_image"]
    assert head(client, "/en/missions/chang-e-6/").json_ld[0]["image"] == f"http://testserver{image.default_url}"


def test_mission_json_ld(client, pakistan):
    make_mission(
        name="Chang'e-4",
        name_zh="嫦娥四号",
        slug="chang-e-4",
        wikidata_id="Q56062435",
        launch_site="Xichang",
        summary="First soft landing on the far side.",
    )
    (data,) = head(client, "/en/missions/chang-e-4/").json_ld
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Chang'e-4"
    assert data["alternateName"] == "嫦娥四号"
    assert data["description"] == "First soft landing on the far side."
    (chinese,) = head(client, "/zh-hans/missions/chang-e-4/").json_ld
    assert (chinese["name"], chinese["alternateName"]) == ("嫦娥四号", "Chang'e-4")
    assert data["url"] == "http://testserver/en/missions/chang-e-4/"
    assert data["sameAs"] == "https://www.wikidata.org/wiki/Q56062435"
    assert data["location"] == {"@type": "Place", "name": "Xichang"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", data["startDate"])


def test_a_malformed_wikidata_id_is_left_out(client):
    make_mission(slug="m", wikidata_id="javascript:alert(1)")
    (data,) = head(client, "/en/missions/m/").json_ld
    assert "sameAs" not in data


def test_partner_json_ld(client, pakistan, esa):
    (country,) = head(client, "/zh-hans/partners/pakistan/").json_ld
    assert country["@type"] == "Country"
    assert country["name"] == "巴基斯坦"  # the Chinese page's own language first
    assert country["alternateName"] == ["Pakistan"]
    assert country["url"] == "http://testserver/zh-hans/partners/pakistan/"
    (organisation,) = head(client, "/en/partners/esa/").json_ld
    assert organisation["@type"] == "Organization"
    assert organisation["alternateName"] == ["欧洲航天局", "ESA"]


def test_only_a_web_address_becomes_same_as(client):
    make_partner(slug="good", website="https://example.org/")
    make_partner(slug="bad", website="javascript:alert(1)")
    assert head(client, "/en/partners/good/").json_ld[0]["sameAs"] == "https://example.org/"
    assert "sameAs" not in head(client, "/en/partners/bad/").json_ld[0]


@pytest.mark.parametrize("payload", [*XSS, "</script><script>alert(1)</script>", "<!--", "]]><x>&"])
def test_hostile_names_cannot_leave_the_json_ld_block(client, payload):
    make_mission(name=payload[:190], name_zh=payload[:90], slug="m", summary=payload)
    make_partner(name=payload[:190], slug="p", summary=payload)
    for url in ("/en/missions/m/", "/en/partners/p/"):
        page = client.get(url).content.decode()
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
        assert len(blocks) == 1
        assert not set("<>&") & set(blocks[0])
        data = json.loads(blocks[0])
        assert data["name"] == payload[:190] and data["description"] == payload
        assert page.count("<script") == 1  # the data block is the page's only script


def test_previews_are_not_indexed_and_claim_no_address(editor_client):
    make_mission(slug="draft-m", state=DRAFT)
    page = editor_client.get("/en/missions/draft-m/preview/").content.decode()
    assert '<meta name="robots" content="noindex">' in page
    assert 'rel="canonical"' not in page and "og:url" not in page


def test_a_missing_page_claims_no_address(client):
    page = client.get("/en/missions/unknown/").content.decode()
    assert 'rel="canonical"' not in page and "og:url" not in page


def alternates(reader) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"] for link in reader.links if link.get("rel") == "alternate" and "hreflang" in link
    }


@pytest.mark.parametrize(
    "url",
    [
        "/en/missions/?side=far&q=x",
        "/zh-hans/missions/?page=2&side=far",
        "/en/partners/?kind=country&utm_source=mail",
        "/en/search/?q=Pakistan",
        "/zh-hans/missions/?page=1",
    ],
)
def test_on_a_filtered_page_the_canonical_and_hreflang_addresses_agree(client, chang_e_6, url):
    """Search engines read hreflang alternates as the canonical pages of each language: the
    alternate in the page's own language is its canonical address, and the others are the same
    page in the other language."""
    for number in range(25):
        make_mission(slug=f"far-{number}", side="far")
    reader = head(client, url)
    (page_url,) = canonical(reader)
    links = alternates(reader)
    language = url.split("/")[1]
    assert links[language] == page_url
    other = "en" if language == "zh-hans" else "zh-hans"
    assert links[other] == page_url.replace(f"/{language}/", f"/{other}/")
    assert links["x-default"] == links["en"]


def test_a_lander_without_an_image_shares_the_picture_of_its_landing_site(client):
    make_mission(name="Chang'e-6", slug="chang-e-6", latitude=-41.6385, longitude=-153.9852)
    reader = head(client, "/en/missions/chang-e-6/")
    [url] = reader.meta["og:image"]
    assert url.startswith("http://testserver/") and url.endswith(".jpg")
    assert reader.meta["og:image:alt"][0].startswith("The surface of the Moon around the landing site of Chang'e-6")
    assert reader.meta["twitter:card"] == ["summary_large_image"]
    picture = client.get(url.removeprefix("http://testserver"))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    width, height = Image.open(
        io.BytesIO(b"".join(picture.streaming_content) if picture.streaming else picture.content)
    ).size
    assert [str(width), str(height)] == [reader.meta["og:image:width"][0], reader.meta["og:image:height"][0]]
