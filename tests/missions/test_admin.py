"""The mission admin as an editor uses it: real admin views, real forms, real uploads."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from PIL import Image

from missions.models import Mission, MissionImage, MissionSource, MissionType, Payload
from publishing.models import EditorialState
from tests.admin_forms import add_inline_form, assert_refused, form_data
from tests.factories import make_milestone, make_mission, make_payload

pytestmark = pytest.mark.django_db

MISSIONS_URL = "/admin/missions/mission/"
PAYLOADS_URL = "/admin/missions/payload/"
ADD_URL = MISSIONS_URL + "add/"
GPS_IFD = 0x8825


def change_url(mission):
    return f"{MISSIONS_URL}{mission.pk}/change/"


def inline_errors(response, model):
    formset = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is model)
    return [error for form_errors in formset.errors for errors in form_errors.values() for error in errors]


@pytest.fixture
def orbiter():
    return MissionType.objects.get(code=MissionType.Code.ORBITER)


@pytest.fixture
def new_mission(orbiter):
    """What an editor types in the add form for a new mission."""
    return {
        "name": "Chang'e-7",
        "name_zh": "嫦娥七号",
        "slug": "chang-e-7",
        "phase": Mission.Phase.STATION,
        "status": Mission.Status.IN_DEVELOPMENT,
        "types": [str(orbiter.pk)],
        "summary_en": "Surveys the lunar south pole.",
    }


# --- Images built in the test ---------------------------------------------------------------


def image_bytes(image_format, size=(120, 80), mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, "gray").save(buffer, image_format, **save_options)
    return buffer.getvalue()


def noise_bytes(image_format, size=(200, 200)):
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, image_format)
    return buffer.getvalue()


def png_declaring(width, height):
    """A 1×1 mode "1" PNG whose header claims `width`×`height` (a bomb without its 900 MB)."""
    data = bytearray(image_bytes("PNG", size=(1, 1), mode="1"))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def jpeg_with_gps(size=(800, 600)):
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 23.0, 0.0)}
    return image_bytes("JPEG", size=size, exif=exif)


def files_under(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


def upload_image(client, mission, upload, **fields):
    response = client.get(change_url(mission))
    fields.setdefault("alt_text_en", "The lander on the far side")
    data = add_inline_form(response, form_data(response), MissionImage, image=upload, **fields)
    return client.post(change_url(mission), data)


# --- Pages render, in a constant number of queries ------------------------------------------


@pytest.fixture
def full_mission(chang_e_6):
    make_milestone(chang_e_6, title="Landing in Apollo basin")
    MissionSource.objects.create(mission=chang_e_6, url="https://www.cnsa.gov.cn/", title="CNSA news")
    MissionImage.objects.create(
        mission=chang_e_6, image=SimpleUploadedFile("lander.png", image_bytes("PNG")), alt_text="The lander"
    )
    return chang_e_6


def test_change_form_of_a_mission_with_everything_renders(editor_client, full_mission):
    response = editor_client.get(change_url(full_mission))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ["ICUBE-Q lunar CubeSat", "Landing in Apollo basin", "https://www.cnsa.gov.cn/", "The lander"]:
        assert shown in page


def test_add_form_renders(editor_client):
    assert editor_client.get(ADD_URL).status_code == 200


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_mission_changelist_queries_do_not_grow_with_rows(editor_client, pakistan):
    """Intended to prevent an n+1 issue in the list columns (payload count, types filter)."""
    for _ in range(3):
        make_payload(mission=make_mission(types=("orbiter", "lander")), providers=[pakistan])
    few = changelist_queries(editor_client, MISSIONS_URL)
    for _ in range(27):
        make_payload(mission=make_mission(types=("orbiter", "lander")), providers=[pakistan])
    assert changelist_queries(editor_client, MISSIONS_URL) == few


def test_payload_changelist_queries_do_not_grow_with_rows(editor_client, pakistan, esa):
    """Intended to prevent an n+1 issue in the mission and provider columns."""
    for _ in range(3):
        make_payload(providers=[pakistan, esa])
    few = changelist_queries(editor_client, PAYLOADS_URL)
    for _ in range(27):
        make_payload(providers=[pakistan, esa])
    assert changelist_queries(editor_client, PAYLOADS_URL) == few


# --- Adding and validating ------------------------------------------------------------------


def test_valid_add_form_creates_the_mission(editor_client, new_mission, orbiter):
    data = form_data(editor_client.get(ADD_URL), **new_mission)
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302
    mission = Mission.objects.get(slug="chang-e-7")
    assert mission.name_zh == "嫦娥七号"
    assert list(mission.types.all()) == [orbiter]
    assert mission.editorial_state == EditorialState.DRAFT


def test_change_form_saves_edits_and_keeps_the_inlines(publisher_client, chang_e_6):
    make_milestone(chang_e_6, title="Launch")
    response = publisher_client.get(change_url(chang_e_6))
    data = form_data(response, status=Mission.Status.OPERATING, landing_site_en="Apollo basin")
    assert publisher_client.post(change_url(chang_e_6), data).status_code == 302
    chang_e_6.refresh_from_db()
    assert (chang_e_6.status, chang_e_6.landing_site) == ("operating", "Apollo basin")
    assert chang_e_6.payloads.count() == 2 and chang_e_6.milestones.count() == 1
    assert list(Payload.objects.get(acronym="ICUBE-Q").providers.values_list("slug", flat=True)) == ["pakistan"]


def test_add_form_saves_a_source_given_in_its_inline(editor_client, new_mission):
    response = editor_client.get(ADD_URL)
    data = add_inline_form(
        response, form_data(response, **new_mission), MissionSource, url="https://www.cnsa.gov.cn/", title="CNSA"
    )
    assert editor_client.post(ADD_URL, data).status_code == 302
    assert Mission.objects.get(slug="chang-e-7").sources.get().title == "CNSA"


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            {"launch_date": "2026-08-01", "landing_date": "2026-07-30"},
            "landing_date",
            "The landing date cannot be before the launch date.",
        ),
        ({"landing_date": "2026-07-30"}, "launch_date", "A mission that has landed needs its launch date."),
        ({"latitude": "91", "longitude": "0"}, "latitude", "Ensure this value is less than or equal to 90."),
        ({"latitude": "0", "longitude": "-181"}, "longitude", "Ensure this value is greater than or equal to -180."),
        ({"latitude": "-85.3"}, "longitude", "Give both latitude and longitude, or neither."),
        ({"cospar_id": "2026-80A"}, "cospar_id", "Use the form 2024-080A."),
    ],
    ids=[
        "landing-before-launch",
        "landing-without-launch",
        "latitude-91",
        "longitude-minus-181",
        "latitude-alone",
        "bad-cospar-id",
    ],
)
def test_invalid_mission_is_refused_with_a_message_and_not_saved(editor_client, new_mission, typed, field, message):
    data = form_data(editor_client.get(ADD_URL), **new_mission | typed)
    response = editor_client.post(ADD_URL, data)
    assert_refused(response, field, message)
    assert not Mission.objects.filter(slug="chang-e-7").exists()


def test_duplicate_slug_is_refused_with_a_message(editor_client, new_mission, chang_e_6):
    data = form_data(editor_client.get(ADD_URL), **new_mission | {"slug": "chang-e-6"})
    response = editor_client.post(ADD_URL, data)
    assert_refused(response, "slug", "Mission with this Slug already exists.")
    assert Mission.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Enter a valid URL."),
        ("ftp://ftp.example.org/chang-e-6.txt", "Enter a web address starting with http:// or https://."),
    ],
)
def test_source_that_is_not_a_web_page_is_refused(editor_client, new_mission, url, message):
    response = editor_client.get(ADD_URL)
    data = add_inline_form(response, form_data(response, **new_mission), MissionSource, url=url, title="A source")
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert inline_errors(response, MissionSource) == [message]
    assert escape(message) in response.content.decode()
    assert not Mission.objects.exists()
    assert not MissionSource.objects.exists()


# --- Search, filters, actions ----------------------------------------------------------------


def listed(response):
    assert response.status_code == 200
    return {mission.name for mission in response.context["cl"].result_list}


def test_search_finds_a_mission_by_its_chinese_name(editor_client, chang_e_6):
    make_mission(name="Chang'e-5", name_zh="嫦娥五号")
    assert listed(editor_client.get(MISSIONS_URL, {"q": "嫦娥六号"})) == {"Chang'e-6"}


def test_status_filter_lists_only_missions_with_that_status(editor_client):
    make_mission(name="Chang'e-8", status=Mission.Status.PLANNED)
    make_mission(name="Chang'e-4", status=Mission.Status.OPERATING)
    assert listed(editor_client.get(MISSIONS_URL, {"status__exact": "planned"})) == {"Chang'e-8"}


def run_action(client, action, missions):
    return client.post(MISSIONS_URL, {"action": action, "_selected_action": [m.pk for m in missions]}, follow=True)


def states(*missions):
    return [Mission.objects.get(pk=mission.pk).editorial_state for mission in missions]


def test_publish_action_publishes_only_the_selected_drafts(publisher_client):
    first, second, untouched = (make_mission(state=EditorialState.DRAFT) for _ in range(3))
    response = run_action(publisher_client, "publish", [first, second])
    assert "2 items published." in response.content.decode()
    assert states(first, second, untouched) == ["published", "published", "draft"]


def test_unpublish_action_takes_the_selected_missions_off_the_site(publisher_client):
    first, second, untouched = (make_mission(state=EditorialState.PUBLISHED) for _ in range(3))
    response = run_action(publisher_client, "unpublish", [first, second])
    assert "2 items unpublished." in response.content.decode()
    assert states(first, second, untouched) == ["unpublished", "unpublished", "published"]


# --- Images through the mission's image inline ----------------------------------------------


def test_uploaded_png_is_stored_re_encoded_with_a_thumbnail(publisher_client, chang_e_6):
    upload = SimpleUploadedFile("far-side-panorama.png", image_bytes("PNG", size=(1600, 900)))
    assert upload_image(publisher_client, chang_e_6, upload).status_code == 302
    image = MissionImage.objects.get(mission=chang_e_6)
    assert "far-side-panorama" not in image.image.name
    assert image.image.name.endswith(".png")
    assert (image.width, image.height) == (1600, 900)
    assert image.thumbnail and image.thumbnail.name.endswith(".webp")
    assert (image.thumbnail_width, image.thumbnail_height) == (640, 360)
    with Image.open(image.thumbnail.path) as thumbnail:
        assert thumbnail.width <= 640


def test_image_added_with_a_new_mission_is_stored_under_that_mission(publisher_client, new_mission):
    response = publisher_client.get(ADD_URL)
    upload = SimpleUploadedFile("launch.png", image_bytes("PNG"))
    data = add_inline_form(
        response, form_data(response, **new_mission), MissionImage, image=upload, alt_text_en="Launch"
    )
    assert publisher_client.post(ADD_URL, data).status_code == 302
    image = MissionImage.objects.get(mission__slug="chang-e-7")
    assert image.image.name.startswith(f"missions/{image.mission_id}/")


def test_editor_can_change_the_alt_text_of_a_stored_image(publisher_client, full_mission, media_root):
    stored = MissionImage.objects.get()
    files_before = files_under(media_root)
    response = publisher_client.get(change_url(full_mission))
    data = form_data(response, **{"images-0-alt_text_en": "The lander seen by the rover"})
    assert publisher_client.post(change_url(full_mission), data).status_code == 302
    stored.refresh_from_db()
    assert stored.alt_text == "The lander seen by the rover"
    assert files_under(media_root) == files_before  # not re-encoded again


def test_change_page_shows_the_thumbnail_preview(publisher_client, chang_e_6):
    upload_image(
        publisher_client, chang_e_6, SimpleUploadedFile("lander.png", image_bytes("PNG")), alt_text_en="Lander"
    )
    image = MissionImage.objects.get(mission=chang_e_6)
    response = publisher_client.get(change_url(chang_e_6))
    assert f'<img src="{image.thumbnail.url}"' in response.content.decode()


def test_gps_position_of_an_uploaded_jpeg_is_not_stored(publisher_client, chang_e_6):
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps())
    assert upload_image(publisher_client, chang_e_6, upload).status_code == 302
    image = MissionImage.objects.get(mission=chang_e_6)
    for stored in (image.image, image.thumbnail):
        with Image.open(stored.path) as opened:
            assert not opened.getexif().get_ifd(GPS_IFD)


def test_sideways_photo_is_stored_upright_with_its_upright_size(publisher_client, chang_e_6):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; viewers rotate the picture 90°
    upload = SimpleUploadedFile("sideways.jpg", image_bytes("JPEG", size=(900, 600), exif=exif))
    assert upload_image(publisher_client, chang_e_6, upload).status_code == 302
    image = MissionImage.objects.get(mission=chang_e_6)
    assert (image.width, image.height) == (600, 900)
    assert (image.thumbnail_width, image.thumbnail_height) == (427, 640)
    with Image.open(image.image.path) as stored:
        assert stored.size == (600, 900)


def test_png_with_an_archive_appended_is_stored_without_it(publisher_client, chang_e_6):
    """Trailing bytes that are not markup (here a zip archive, as in a GIFAR) are accepted and
    dropped by re-encoding; trailing markup is refused (see refused_uploads)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.class", b"\xca\xfe\xba\xbe")
    polyglot = image_bytes("PNG") + archive.getvalue()
    assert upload_image(publisher_client, chang_e_6, SimpleUploadedFile("moon.png", polyglot)).status_code == 302
    image = MissionImage.objects.get(mission=chang_e_6)
    for stored in (image.image, image.thumbnail):
        with open(stored.path, "rb") as stored_file:
            assert b"payload.class" not in stored_file.read()


def refused_uploads():
    png, jpeg = noise_bytes("PNG"), noise_bytes("JPEG")
    return {
        "text-renamed-png": ("notes.png", b"Not a picture at all.\n" * 20),
        "svg-with-script": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        "html": ("page.html", b"<!doctype html><html><script>alert(1)</script></html>"),
        "truncated-png": ("cut.png", png[: len(png) * 6 // 10]),
        "truncated-jpeg": ("cut.jpg", jpeg[: len(jpeg) * 6 // 10]),
        "decompression-bomb": ("bomb.png", png_declaring(30_000, 30_000)),
        "eps": ("poster.eps", image_bytes("EPS")),
        "tiff": ("scan.tif", image_bytes("TIFF")),
        "gif": ("anim.gif", image_bytes("GIF")),
        "ico": ("favicon.png", image_bytes("ICO", size=(32, 32))),
        "pdf-renamed-jpg": ("scan.jpg", image_bytes("PDF")),
        "huge-dimensions": ("panorama.png", image_bytes("PNG", size=(8000, 5001), mode="1")),  # the real 40 MP cap
        "polyglot-png-html": ("moon.png", image_bytes("PNG") + b"<html><script>alert(1)</script></html>"),
        "polyglot-jpeg-html-comment": (
            "moon.jpg",
            image_bytes("JPEG", comment=b"<html><body onload=alert(1)><script>alert(1)</script>"),
        ),
        "polyglot-webp-javascript-url": ("moon.webp", image_bytes("WEBP") + b"javascript:alert(1)"),
        "polyglot-gif-html": ("moon.gif", image_bytes("GIF", comment=b"<script>alert(1)</script>")),
        "svg-renamed-png": ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    }


# What the editor reads, where publishing.images explains the refusal; the rest are files Pillow
# cannot read at all, which Django's own image field refuses first with its generic message.
REFUSAL_MESSAGES = {
    "huge-dimensions": "This image is 8000 × 5001 pixels; the limit is 40 megapixels.",
    "polyglot-png-html": "This image also holds web page markup or script",
    "polyglot-jpeg-html-comment": "This image also holds web page markup or script",
    "polyglot-webp-javascript-url": "This image also holds web page markup or script",
}


def assert_upload_refused(response, media_root, message=None):
    assert response.status_code == 200
    errors = inline_errors(response, MissionImage)
    assert errors
    for error in errors:
        assert escape(error) in response.content.decode()
    if message:
        assert any(message in error for error in errors)
    assert not MissionImage.objects.exists()
    assert files_under(media_root) == []


@pytest.mark.parametrize("case", list(refused_uploads()))
def test_file_that_is_not_a_web_raster_is_refused(publisher_client, chang_e_6, media_root, case):
    name, content = refused_uploads()[case]
    response = upload_image(publisher_client, chang_e_6, SimpleUploadedFile(name, content))
    assert_upload_refused(response, media_root, REFUSAL_MESSAGES.get(case))


def test_image_above_the_pixel_limit_is_refused(publisher_client, chang_e_6, media_root, settings):
    settings.IMAGE_MAX_PIXELS = 200 * 100
    upload = SimpleUploadedFile("wide.png", image_bytes("PNG", size=(201, 100)))
    response = upload_image(publisher_client, chang_e_6, upload)
    assert_upload_refused(response, media_root, "This image is 201 × 100 pixels")


def test_image_above_the_size_limit_is_refused(publisher_client, chang_e_6, media_root, settings):
    content = noise_bytes("PNG")
    settings.IMAGE_MAX_UPLOAD_BYTES = len(content) - 1
    response = upload_image(publisher_client, chang_e_6, SimpleUploadedFile("heavy.png", content))
    assert_upload_refused(response, media_root, "images may be at most")


def test_image_without_alt_text_is_refused(publisher_client, chang_e_6, media_root):
    response = upload_image(
        publisher_client, chang_e_6, SimpleUploadedFile("moon.png", image_bytes("PNG")), alt_text_en=""
    )
    assert_upload_refused(response, media_root, "Describe what the image shows, or mark it as decorative.")


@pytest.mark.parametrize(("name", "image_format"), [("anim.gif", "GIF"), ("scan.tif", "TIFF"), ("poster.eps", "EPS")])
def test_refused_format_message_names_the_accepted_formats(publisher_client, chang_e_6, media_root, name, image_format):
    response = upload_image(publisher_client, chang_e_6, SimpleUploadedFile(name, image_bytes(image_format)))
    assert_upload_refused(response, media_root, "not a complete JPEG, PNG or WebP image")
