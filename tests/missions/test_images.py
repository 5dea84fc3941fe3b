"""lunarportal/images.py: what an uploaded image must be, and what is kept of it."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from publishing.images import clean_copy, thumbnail_of, validate_raster_image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
NOT_A_RASTER = "not a complete JPEG, PNG or WebP image"


def image_bytes(image_format, size=(120, 80), mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, "white").save(buffer, image_format, **save_options)
    return buffer.getvalue()


def noise_bytes(image_format, size=(200, 200)):
    """A picture that compresses badly, so that cutting the file loses pixel data."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, image_format)
    return buffer.getvalue()


def exif_with_gps(orientation=None):
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (40.0, 0.0, 0.0), 3: "E", 4: (116.0, 0.0, 0.0)}
    exif[0x010F] = "Camera maker"
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


def png_declaring(width, height):
    """A 1×1 mode "1" PNG whose header claims `width`×`height`: a decompression bomb's shape
    without allocating its pixels (Pillow would need 900 MB to draw 30000×30000)."""
    data = bytearray(image_bytes("PNG", size=(1, 1), mode="1"))
    header = struct.pack(">II", width, height) + bytes(data[24:29])  # IHDR data starts at byte 16
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def upload(name, content):
    return SimpleUploadedFile(name, content)


def opened(content_file):
    content_file.seek(0)
    return Image.open(io.BytesIO(content_file.read()))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_ordinary_web_rasters_are_accepted(image_format):
    validate_raster_image(upload(f"moon.{image_format.lower()}", image_bytes(image_format)))


def bad_files():
    png, jpeg = noise_bytes("PNG"), noise_bytes("JPEG")
    return {
        "text renamed .png": ("notes.png", b"These are my notes, not a picture.\n" * 20, NOT_A_RASTER),
        "SVG with a script": (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG included, are not accepted",
        ),
        "HTML page": ("page.html", b"<!doctype html><html><script>alert(1)</script></html>", NOT_A_RASTER),
        "truncated PNG": ("cut.png", png[: len(png) * 6 // 10], NOT_A_RASTER),
        "truncated JPEG": ("cut.jpg", jpeg[: len(jpeg) * 6 // 10], NOT_A_RASTER),
        "decompression bomb": ("bomb.png", png_declaring(30_000, 30_000), "too many pixels"),
        "EPS": ("poster.eps", image_bytes("EPS"), NOT_A_RASTER),
        "TIFF": ("scan.tif", image_bytes("TIFF"), NOT_A_RASTER),
        "GIF": ("anim.gif", image_bytes("GIF"), NOT_A_RASTER),
    }


@pytest.mark.parametrize("case", list(bad_files()))
def test_bad_files_are_refused_with_an_explanation(case):
    name, content, explanation = bad_files()[case]
    with pytest.raises(ValidationError) as refusal:
        validate_raster_image(upload(name, content))
    assert explanation in refusal.value.messages[0]


def test_image_above_the_pixel_limit_is_refused_with_its_dimensions(settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    validate_raster_image(upload("fits.png", image_bytes("PNG", size=(100, 100))))
    with pytest.raises(ValidationError) as refusal:
        validate_raster_image(upload("big.png", image_bytes("PNG", size=(101, 100))))
    assert "This image is 101 × 100 pixels" in refusal.value.messages[0]


def test_file_above_the_size_limit_is_refused_with_both_sizes(settings):
    content = noise_bytes("PNG")
    settings.IMAGE_MAX_UPLOAD_BYTES = len(content) - 1
    with pytest.raises(ValidationError) as refusal:
        validate_raster_image(upload("heavy.png", content))
    assert "images may be at most" in refusal.value.messages[0]
    assert refusal.value.error_list[0].code == "file_too_large"


def test_validation_leaves_the_upload_readable_from_the_start():
    accepted = upload("moon.png", image_bytes("PNG"))
    validate_raster_image(accepted)
    assert accepted.tell() == 0


def test_clean_copy_turns_the_image_upright_and_drops_exif():
    sideways = upload("sideways.jpg", image_bytes("JPEG", size=(300, 200), exif=exif_with_gps(orientation=6)))
    copy = clean_copy(sideways)
    with opened(copy) as image:
        assert image.format == "JPEG"
        assert image.size == (200, 300)
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_clean_copy_keeps_the_format_under_a_generated_name_without_gps(image_format):
    original = upload("IMG_0042 home.jpg", image_bytes(image_format, exif=exif_with_gps()))
    copy = clean_copy(original)
    assert "IMG_0042" not in copy.name
    with opened(copy) as image:
        assert image.format == image_format
        assert not image.getexif().get_ifd(GPS_IFD)


def test_clean_copy_drops_bytes_appended_after_the_image():
    polyglot = upload("moon.png", image_bytes("PNG") + b"PK\x03\x04 an appended archive")
    validate_raster_image(polyglot)
    copy = clean_copy(polyglot)
    copy.seek(0)
    assert b"appended archive" not in copy.read()


def test_an_image_that_is_also_a_page_is_refused():
    with pytest.raises(ValidationError) as refusal:
        validate_raster_image(upload("moon.png", image_bytes("PNG") + b"<html><script>alert(1)</script>"))
    assert refusal.value.error_list[0].code == "markup"


def test_markup_check_ignores_the_metadata_of_ordinary_photos():
    """XMP metadata, as cameras and editors write it, is XML but not page markup."""
    xmp = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/>'
    validate_raster_image(upload("photo.jpg", image_bytes("JPEG", comment=xmp)))


@pytest.mark.parametrize(
    ("size", "thumbnail_size"), [((2000, 1000), (640, 320)), ((500, 1500), (213, 640)), ((100, 50), (100, 50))]
)
def test_thumbnail_is_a_webp_within_640_by_640(size, thumbnail_size):
    thumbnail = thumbnail_of(upload("moon.png", image_bytes("PNG", size=size)))
    assert thumbnail.name.endswith(".webp")
    with opened(thumbnail) as image:
        assert image.format == "WEBP"
        assert image.size == thumbnail_size


def test_thumbnail_of_a_sideways_photo_is_upright():
    sideways = upload("sideways.jpg", image_bytes("JPEG", size=(1200, 800), exif=exif_with_gps(orientation=6)))
    with opened(thumbnail_of(sideways)) as image:
        assert image.size == (427, 640)
        assert not image.getexif()
