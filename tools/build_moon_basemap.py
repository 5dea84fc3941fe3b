"""Build the pictures of the lunar surface from Stellarium's equirectangular map of the Moon.

Run once, when the source changes; the output is committed, so neither the site nor the tests
need the source package:

    apt-get install stellarium-data        # 0.22.2-1 in Debian 12
    .venv/bin/python tools/build_moon_basemap.py /usr/share/stellarium/textures/moon_4k.jpg

The source is a 4096 x 2048 equirectangular albedo map (180° W at the left edge, north up) that
the package's copyright file credits to the USGS Astrogeology Research Program and to Celestia's
lunar textures based on Clementine data, both public domain; missions/imagery/README.md records
the details. Only Pillow is used, through the same projection code the site uses for landing-site
pictures (missions/imagery).

It writes:

- missions/imagery/moon_equirectangular.webp: the map in greyscale, full size, for the
  landing-site pictures made at run time (the map's colour is a uniform tint, not data).
- static/img/moon/{near,far}-side-{820,410}.{avif,webp,jpg}: the near side (orthographic, centred
  on 0° N 0° E) and the far side (centred on 0° N 180° E, seen from beyond the Moon: 90° E on the
  left) for the landing-site map in missions/pictures/moon_map.py. AVIF and WebP are
  transparent outside the disc; the JPEG fallback is white there, the page's background.

How an image's pixels map to the SVG: each image covers the SVG's whole viewBox, 0 to SIZE (328)
units both ways, at SCALES[n] = n / SIZE pixels per unit (2.5 for the 820 px image, 1.25 for the
410 px one). The SVG point (sx, sy) is the image pixel (sx * scale, sy * scale), pixel i covering
i to i + 1, so the disc of radius RADIUS (150) around (RADIUS + MARGIN, RADIUS + MARGIN) =
(164, 164) is the image's disc of radius 375 (or 187.5) px around its centre, and a site that
moon_map.orthographic() and to_disc() place at (sx, sy) is drawn over the image where the map
shows it. In the SVG: <image href="..." x="0" y="0" width="328" height="328"/>; in HTML, the
<picture> and the <svg> stacked in one box of the same size.
"""

import argparse
import hashlib
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from missions.imagery import BASEMAP_PATH, orthographic_view  # noqa: E402
from missions.pictures.moon_map import FAR_CENTRE, NEAR_CENTRE, RADIUS, SIZE  # noqa: E402

OUTPUT = ROOT / "static" / "img" / "moon"
SOURCE_SIZE = (4096, 2048)
SIDES = {"near": NEAR_CENTRE, "far": FAR_CENTRE}
WIDTHS = (820, 410)
# Rendered at this many times the largest width, then averaged down: the limb and the fine
# detail come out smooth instead of jagged.
SUPERSAMPLE = 3
BUDGET_BYTES = 150 * 1024
PAPER = 255  # the page's background, --paper in static/css/site.css
ENCODINGS = {
    "avif": {"format": "AVIF", "quality": 65, "speed": 2},
    "webp": {"format": "WEBP", "quality": 86, "alpha_quality": 80, "method": 6},
    "jpg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}
BASEMAP_QUALITY = 85


def load_source(path: Path) -> Image.Image:
    with Image.open(path) as image:
        if image.size != SOURCE_SIZE:
            raise SystemExit(
                f"{path} is {image.size[0]} x {image.size[1]}; expected {SOURCE_SIZE[0]} x {SOURCE_SIZE[1]}."
            )
        return image.convert("L")


def disc_mask(pixels: int) -> Image.Image:
    """The disc of radius RADIUS units in a SIZE-unit square, `pixels` wide: a pixel belongs to
    it when its centre does."""
    mask = Image.new("L", (pixels, pixels), 0)
    draw = ImageDraw.Draw(mask)
    centre = pixels / 2
    radius = RADIUS * pixels / SIZE
    for row in range(pixels):
        y = row + 0.5 - centre
        if abs(y) >= radius:
            continue
        half_chord = (radius * radius - y * y) ** 0.5
        first, last = round(centre - half_chord), round(centre + half_chord) - 1
        if last >= first:
            draw.line((first, row, last, row), fill=255)
    return mask


def hemisphere(source: Image.Image, side: str, pixels: int) -> Image.Image:
    """One side of the Moon over the SVG's whole viewBox, `pixels` square, greyscale with
    transparency outside the disc."""
    large = pixels * SUPERSAMPLE
    half_width = SIZE / 2 / RADIUS  # the viewBox's half-width, in Moon radii
    view = orthographic_view(source, 0.0, SIDES[side], half_width=half_width, size=(large, large))
    view.putalpha(disc_mask(large))
    # Pillow weighs each pixel by its opacity when it averages, so the limb gets no fringe.
    return view.reduce(SUPERSAMPLE)


def encode(image: Image.Image, extension: str) -> bytes:
    options = dict(ENCODINGS[extension])
    image_format = options.pop("format")
    if image_format == "JPEG":
        flat = Image.new("L", image.size, PAPER)
        flat.paste(image.convert("L"), mask=image.getchannel("A"))
        image = flat
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="Stellarium's textures/moon_4k.jpg")
    args = parser.parse_args()
    digest = hashlib.sha256(args.source.read_bytes()).hexdigest()
    print(f"{args.source}: sha256 {digest}")
    source = load_source(args.source)

    source.save(BASEMAP_PATH, format="WEBP", quality=BASEMAP_QUALITY, method=6)
    print(f"{BASEMAP_PATH.relative_to(ROOT)}: {BASEMAP_PATH.stat().st_size:,} bytes")

    OUTPUT.mkdir(parents=True, exist_ok=True)
    too_large = []
    for side in SIDES:
        largest = hemisphere(source, side, WIDTHS[0])
        for width in WIDTHS:
            image = largest if width == WIDTHS[0] else largest.resize((width, width), Image.Resampling.LANCZOS)
            for extension in ENCODINGS:
                path = OUTPUT / f"{side}-side-{width}.{extension}"
                data = encode(image, extension)
                path.write_bytes(data)
                print(f"{path.relative_to(ROOT)}: {len(data):,} bytes")
                if len(data) > BUDGET_BYTES:
                    too_large.append(path.name)
    if too_large:
        raise SystemExit(f"Over {BUDGET_BYTES:,} bytes: {', '.join(too_large)}")


if __name__ == "__main__":
    main()
