"""Renditions: made once at upload, offered through srcset in WebP with a fallback, and removed
with their image."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from missions.models import MissionImage
from tests.factories import make_mission

pytestmark = pytest.mark.django_db(transaction=True)  # files are removed on commit


def png(size=(2000, 1000), mode="RGB") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, (20, 40, 80, 128) if mode == "RGBA" else (20, 40, 80)).save(buffer, "PNG")
    return SimpleUploadedFile("upload.png", buffer.getvalue())


def stored(root):
    return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())


def test_each_width_is_made_once_in_webp_and_jpeg(media_root):
    image = MissionImage.objects.create(mission=make_mission(), image=png(), alt_text="Far side")
    assert sorted((r["width"], r["format"]) for r in image.renditions) == [
        (320, "jpeg"),
        (320, "webp"),
        (640, "jpeg"),
        (640, "webp"),
        (1280, "jpeg"),
        (1280, "webp"),
    ]
    for rendition in image.renditions:
        with Image.open(media_root / rendition["name"]) as file:
            assert file.format == rendition["format"].upper()
            assert (file.width, file.height) == (rendition["width"], rendition["height"])
    files = stored(media_root)
    image.alt_text = "Far side of the Moon"
    image.save()
    assert stored(media_root) == files  # reused, not made again


def test_a_small_image_is_not_enlarged_and_transparency_falls_back_to_png():
    image = MissionImage.objects.create(mission=make_mission(), image=png((500, 300), "RGBA"), alt_text="Logo")
    assert sorted((r["width"], r["format"]) for r in image.renditions) == [
        (320, "png"),
        (320, "webp"),
        (500, "png"),
        (500, "webp"),
    ]


def test_public_page_offers_srcset_sizes_and_dimensions(client):
    mission = make_mission(slug="pictured")
    MissionImage.objects.create(mission=mission, image=png(), alt_text="The lander on the far side")
    page = client.get("/en/missions/pictured/").content.decode()
    assert '<source type="image/webp" srcset="' in page
    assert " 320w, " in page and " 1280w" in page
    # The only image stands for the mission: it is the page's hero, as wide as the text (issue 24).
    assert 'sizes="(max-width: 40rem) 100vw, 40rem"' in page
    assert 'width="640" height="320"' in page
    assert 'alt="The lander on the far side"' in page


def test_a_decorative_image_has_empty_alt_text(client):
    mission = make_mission(slug="decorated")
    MissionImage.objects.create(mission=mission, image=png((400, 200)), decorative=True)
    assert 'alt=""' in client.get("/en/missions/decorated/").content.decode()


def test_deleting_an_image_or_its_mission_removes_every_file(media_root):
    mission = make_mission()
    one = MissionImage.objects.create(mission=mission, image=png(), alt_text="One")
    two = MissionImage.objects.create(mission=mission, image=png((800, 400)), alt_text="Two")
    one.delete()
    assert stored(media_root) == sorted(Path(name) for name in two.stored_files())
    mission.delete()
    assert stored(media_root) == []


def test_replacing_an_image_removes_the_old_files(media_root):
    image = MissionImage.objects.create(mission=make_mission(), image=png(), alt_text="Old")
    old_files = image.stored_files()
    image.image = png((900, 450))
    image.save()
    assert stored(media_root) == sorted(Path(name) for name in image.stored_files())
    assert not set(old_files) & set(image.stored_files())


def test_the_local_site_serves_uploaded_images_when_told_to(client, settings):
    """`make run` writes DJANGO_SERVE_MEDIA=1, so a newcomer sees uploaded images; production
    serves media from its own storage and Django answers 404."""
    image = MissionImage.objects.create(mission=make_mission(), image=png((400, 200)), alt_text="Served")
    response = client.get(image.default_url)
    assert response.status_code == (200 if settings.SERVE_MEDIA else 404)
    if settings.SERVE_MEDIA:
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")  # a JPEG
