"""Every mission has a picture: a lander its landing site on the Moon (missions.site_pictures),
any other mission a diagram drawn from its facts (missions.pictures.mission_diagram), and an
image an editor gave it before either. Its page shows it large, its card as a thumbnail."""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from missions.models import Mission, MissionImage
from missions.site_pictures import site_key
from tests.factories import DRAFT, make_mission, make_partner, make_payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

CHANG_E_4 = (-45.4446, 177.5991)


@pytest.fixture
def lander(db):
    return make_mission(
        name="Chang'e-4",
        name_zh="嫦娥四号",
        slug="chang-e-4",
        types=("lander", "rover"),
        latitude=CHANG_E_4[0],
        longitude=CHANG_E_4[1],
    )


@pytest.fixture
def relay(db):
    mission = make_mission(
        name="Queqiao", name_zh="鹊桥号", slug="queqiao", types=("relay",), orbit=Mission.Orbit.EARTH_MOON_L2
    )
    netherlands = make_partner(name="Netherlands", name_zh="荷兰", slug="netherlands", country="NL")
    make_payload(mission=mission, name="Netherlands-China Low-Frequency Explorer", providers=[netherlands])
    return mission


def site_url(width, extension, slug="chang-e-4", coordinates=CHANG_E_4):
    return f"/pictures/missions/{slug}/site-{site_key(*coordinates)}-{width}.{extension}"


def upload(mission, **fields):
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), "orange").save(buffer, "JPEG")
    image = MissionImage(mission=mission, image=SimpleUploadedFile("photo.jpg", buffer.getvalue()), **fields)
    image.save()
    return image


def hero(page: str) -> str:
    return page[page.index('<figure class="mission-hero') : page.index("</figure>", page.index("mission-hero"))]


def test_a_landers_page_shows_its_landing_site_with_alt_text_in_each_language(client, lander):
    english = hero(client.get("/en/missions/chang-e-4/").content.decode())
    assert f'src="{site_url(640, "jpg")}"' in english
    assert f'srcset="{site_url(320, "webp")} 320w, {site_url(640, "webp")} 640w"' in english
    assert "alt=\"The surface of the Moon around the landing site of Chang'e-4 (45.4446° S, 177.5991° E)" in unescape(
        english
    )
    assert "USGS Astrogeology Research Program and Clementine data (public domain)" in english

    chinese = unescape(hero(client.get("/zh-hans/missions/chang-e-4/").content.decode()))
    assert 'alt="嫦娥四号着陆点（' in chinese
    assert "美国地质调查局" in chinese  # the source, in Chinese too


def test_the_landing_site_picture_is_the_moon_around_the_site(client, lander):
    response = client.get(site_url(640, "webp"))
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (640, 640)
    with Image.open(io.BytesIO(b"".join(client.get(site_url(320, "jpg")).streaming_content))) as image:
        assert (image.format, image.size) == ("JPEG", (320, 320))


def test_an_orbiters_page_shows_its_diagram_with_the_partners_aboard(client, relay):
    page = unescape(hero(client.get("/en/missions/queqiao/").content.decode()))
    assert '<svg class="mission-diagram"' in page
    assert "Halo orbit around the Earth–Moon L2 point" in page
    assert "384,400 km on average" in page
    assert "Partners' payloads aboard: Netherlands." in page  # the alt text
    assert '<text class="diagram-partner" x="24"' in page and ">Netherlands</text>" in page
    assert "<img" not in page

    chinese = unescape(hero(client.get("/zh-hans/missions/queqiao/").content.decode()))
    assert "鹊桥号" in chinese and "荷兰" in chinese and "地月L2点" in chinese


def test_cards_show_each_missions_picture_as_a_thumbnail(client, lander, relay):
    for address in ("/en/missions/", "/en/search/?q=chang", "/en/"):
        page = client.get(address).content.decode()
        cards = re.findall(r'<article class="card mission-card">.*?</article>', page, re.DOTALL)
        card = next(card for card in cards if 'href="/en/missions/chang-e-4/"' in card)
        assert f'srcset="{site_url(320, "webp")} 320w, {site_url(640, "webp")} 640w"' in card, address
        img = re.search(r"<img [^>]*>", card).group(0)
        for attribute in ('loading="lazy"', 'width="640"', 'height="640"', 'sizes="8rem"', "srcset=", 'alt="'):
            assert attribute in img, (address, attribute)
        assert "fetchpriority" not in img, address
    page = client.get("/en/missions/").content.decode()
    assert '<svg class="mission-diagram thumbnail" viewBox="0 0 400 220" width="400" height="220"' in page


def test_an_editors_image_replaces_the_drawn_picture(client, lander):
    image = upload(lander, alt_text_en="The lander on the far side", alt_text_zh_hans="着陆器在月球背面", credit="CNSA")
    webp = [r["name"] for r in image.renditions if r["format"] == "webp"]
    page = client.get("/en/missions/chang-e-4/").content.decode()
    top = hero(page)
    assert webp[0] in top and 'alt="The lander on the far side"' in top and "Credit: CNSA" in top
    assert "/pictures/missions/" not in page
    card = client.get("/en/missions/").content.decode()
    assert webp[0] in card and "/pictures/missions/" not in card
    assert 'alt="着陆器在月球背面"' in client.get("/zh-hans/missions/chang-e-4/").content.decode()


def test_the_gallery_holds_the_images_the_hero_does_not_show(client, lander):
    upload(lander, alt_text_en="The lander on the far side")
    page = client.get("/en/missions/chang-e-4/").content.decode()
    assert 'id="images-heading"' not in page, "an empty gallery below the story"
    upload(lander, alt_text_en="The rover's tracks")
    page = client.get("/en/missions/chang-e-4/").content.decode()
    gallery = page[page.index('id="images-heading"') :]
    assert "The rover&#x27;s tracks" in gallery and "The lander on the far side" not in gallery


def test_a_decorative_image_does_not_stand_for_the_mission(client, lander):
    upload(lander, decorative=True)
    assert site_url(640, "jpg") in hero(client.get("/en/missions/chang-e-4/").content.decode())


def test_a_drafts_pictures_never_show(client, lander):
    draft = make_mission(name="Zqdraft lander", slug="zqdraft", latitude=10, longitude=20, state=DRAFT)
    image = upload(draft, alt_text_en="Zqsecret")
    names = [image.image.name, *(r["name"] for r in image.renditions)]
    for address in ("/en/", "/en/missions/", "/en/search/?q=zqdraft", "/en/missions/landing-sites/"):
        page = client.get(address).content.decode()
        assert not any(name in page for name in names) and "Zqsecret" not in page, address
    assert client.get("/en/missions/zqdraft/").status_code == 404
    assert client.get(site_url(640, "jpg", slug="zqdraft", coordinates=(10, 20))).status_code == 404


def test_a_moved_site_gets_a_new_picture_and_the_old_address_is_gone(client, lander):
    Mission.objects.filter(pk=lander.pk).update(latitude=44.12, longitude=-19.51)
    page = client.get("/en/missions/chang-e-4/").content.decode()
    assert site_url(640, "jpg") not in page
    assert site_url(640, "jpg", coordinates=(44.12, -19.51)) in page
    assert client.get(site_url(640, "jpg")).status_code == 404


def test_the_command_draws_each_picture_once(lander, relay, tmp_path):
    out = io.StringIO()
    call_command("make_mission_pictures", stdout=out)
    assert "1 drawn, 0 already there" in out.getvalue()
    call_command("make_mission_pictures", stdout=(out := io.StringIO()))
    assert "0 drawn, 1 already there" in out.getvalue()


def test_bad_coordinates_give_a_clear_message_not_an_error_page(client, lander):
    # Past the form's validators (a raw update, an old import): the page still answers.
    Mission.objects.filter(pk=lander.pk).update(latitude=123)
    response = client.get("/en/missions/chang-e-4/")
    assert response.status_code == 200
    assert '<svg class="mission-diagram"' in hero(response.content.decode())
    assert client.get("/en/missions/").status_code == 200
    out, err = io.StringIO(), io.StringIO()
    call_command("make_mission_pictures", stdout=out, stderr=err)
    assert "Chang'e-4 (chang-e-4): Latitude 123 is not between -90 and 90." in err.getvalue()
    assert "correct the coordinates in the admin" in err.getvalue()
    assert "1 refused" in out.getvalue()
    assert client.get(f"/pictures/missions/chang-e-4/site-{site_key(123, CHANG_E_4[1])}-640.jpg").status_code == 404


@pytest.mark.parametrize("address", ["site-0000-640.jpg", "site-{key}-1280.jpg", "site-{key}-640.gif"])
def test_unknown_picture_addresses_are_not_found(client, lander, address):
    address = address.format(key=site_key(*CHANG_E_4))
    assert client.get(f"/pictures/missions/chang-e-4/{address}").status_code == 404


def test_a_missions_hero_is_fetched_first_and_never_lazily(client, lander):
    """The hero is the page's largest paint: the browser asks for it before other images."""
    img = re.search(r"<picture>.*?(<img [^>]*>)", client.get("/en/missions/chang-e-4/").content.decode(), re.S).group(1)
    assert 'fetchpriority="high"' in img and "loading=" not in img
