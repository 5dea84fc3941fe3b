"""The one place where uploaded images meet Pillow: checking, re-encoding, thumbnails.

Django's ImageField only checks that Pillow can read a header, so it accepts every format
Pillow knows (EPS, PSD, FITS, …) and truncated files. Public images must be ordinary web
rasters, checked before any pixel is decoded, and re-encoded so that no EXIF/GPS metadata or
trailing bytes reach the public.
"""

import io
import re
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
THUMBNAIL_SIZE = (640, 640)
# Widths offered to browsers through srcset; an image is never enlarged past its own width.
RENDITION_WIDTHS = (320, 640, 1280)
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Markup that a browser would run if it ever took the file for a page (content sniffing, a
# download opened from disk). A picture never holds it: a file that does is a polyglot, an
# image and a page at once, and is refused rather than trusted to lose it when re-encoded.
# Only whole tag names and the script scheme: short patterns would turn up in compressed pixel
# data by chance.
_MARKUP = re.compile(rb"<(?:script|html|body|iframe|!doctype)[\s/>]|javascript:", re.IGNORECASE)


def _open(upload) -> Image.Image:
    upload.seek(0)
    return Image.open(upload, formats=ALLOWED_FORMATS)


def validate_raster_image(upload) -> None:
    """Refuse anything but a complete JPEG, PNG or WebP within the size and pixel limits, and
    anything that carries page markup besides its picture."""
    if getattr(upload, "_committed", False):
        return  # Already stored: it was checked and re-encoded when it was uploaded.
    if upload.size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is %(size)s; images may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.IMAGE_MAX_UPLOAD_BYTES)},
            code="file_too_large",
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit: treat that as a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(upload) as image:
                pixels = image.width * image.height
                if pixels > settings.IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        _("This image is %(width)s × %(height)s pixels; the limit is %(limit)s megapixels.")
                        % {
                            "width": image.width,
                            "height": image.height,
                            "limit": f"{settings.IMAGE_MAX_PIXELS / 1e6:g}",
                        },
                        code="too_many_pixels",
                    )
                image.verify()
            # verify() reads the structure, not the pixel data: a truncated file only fails on load().
            with _open(upload) as image:
                image.load()
        upload.seek(0)
        if _MARKUP.search(upload.read()):
            raise ValidationError(
                _(
                    "This image also holds web page markup or script, so it cannot be shown safely. "
                    "Save the picture again from an image editor and upload that copy."
                ),
                code="markup",
            )
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("This image declares too many pixels to be processed safely."), code="too_many_pixels"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _("This file is not a complete JPEG, PNG or WebP image. Other formats, SVG included, are not accepted."),
            # Not "invalid_image": a ModelForm would swap in forms.ImageField's generic message.
            code="not_web_image",
        ) from error
    finally:
        upload.seek(0)


def _encode(image: Image.Image, image_format: str) -> ContentFile:
    buffer = io.BytesIO()
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Saving without exif= drops every EXIF tag, GPS position included.
    image.save(buffer, format=image_format, quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{_EXTENSIONS[image_format]}")


def clean_copy(upload) -> ContentFile:
    """The upload re-encoded in its own format, upright, with no metadata and a generated name."""
    with _open(upload) as image:
        image_format = image.format
        upright = ImageOps.exif_transpose(image)
        return _encode(upright, image_format)


def thumbnail_of(upload) -> ContentFile:
    """A small WebP rendition for lists and previews."""
    with _open(upload) as image:
        small = ImageOps.exif_transpose(image)
        small.thumbnail(THUMBNAIL_SIZE)
        return _encode(small, "WEBP")


def renditions_of(upload) -> list[tuple[dict, ContentFile]]:
    """The image at each rendition width, in WebP and in a fallback every browser reads: PNG
    when the image has transparency, JPEG otherwise. Returns (description, file) pairs."""
    with _open(upload) as image:
        upright = ImageOps.exif_transpose(image)
        transparent = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        fallback = "PNG" if transparent else "JPEG"
        widths = sorted(
            {width for width in RENDITION_WIDTHS if width < upright.width} | {min(upright.width, RENDITION_WIDTHS[-1])}
        )
        renditions = []
        for width in widths:
            height = max(1, round(upright.height * width / upright.width))
            resized = upright.resize((width, height), Image.Resampling.LANCZOS)
            for image_format in ("WEBP", fallback):
                description = {"width": width, "height": height, "format": image_format.lower()}
                renditions.append((description, _encode(resized, image_format)))
        return renditions
