"""Build partners/pictures/data/world-110m.json, the partner map's country shapes, from Natural Earth.

Run once, when the source changes; the output is committed, so neither the site nor the tests
need npm or the network:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_world_map.py /tmp/package/countries-110m.json /tmp/package/countries-50m.json

world-atlas (ISC licence) redistributes Natural Earth's Admin 0 country boundaries (public domain)
as TopoJSON in degrees. This script decodes the topology, cuts the rings that cross the
antimeridian, projects them with the Natural Earth I projection, rounds to a tenth of a pixel
and writes one SVG path per ISO 3166 alpha-2 code. Countries too small to see or click at this
scale (Bahrain, Hong Kong, Luxembourg…) also get a point, taken from the 1:50m file when the
1:110m one leaves them out, so the map can draw a dot for them.

Only the standard library and pycountry (a development requirement) are used.
"""

import argparse
import json
import math
from pathlib import Path

import pycountry

WIDTH = 960
# Antarctica takes a fifth of the height and takes no part: left out, as is everything below this.
SOUTH_LIMIT = -58.0
LEFT_OUT = {"010"}  # ISO numeric of Antarctica
# Shapes narrower or shorter than this many pixels also get a dot.
SMALL_SHAPE = 7.0
OUTPUT = Path(__file__).resolve().parent.parent / "partners" / "pictures" / "data" / "world-110m.json"


def natural_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """The Natural Earth I projection (Šavrič, Jenny, Patterson, Petrovič, Hurni 2011), in
    radians-based units, y up."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(arcs, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def unwrap(ring):
    """Longitudes made continuous: a ring crossing the antimeridian goes past ±180 instead of
    jumping across the whole map."""
    out = [ring[0]]
    for longitude, latitude in ring[1:]:
        previous = out[-1][0]
        while longitude - previous > 180:
            longitude -= 360
        while previous - longitude > 180:
            longitude += 360
        out.append((longitude, latitude))
    return out


def clip(ring, inside, cross):
    """Sutherland–Hodgman against one half-plane."""
    out = []
    for index, current in enumerate(ring):
        previous = ring[index - 1]
        if inside(current):
            if not inside(previous):
                out.append(cross(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(cross(previous, current))
    return out


def crossing_at_longitude(limit):
    def cross(a, b):
        t = (limit - a[0]) / (b[0] - a[0])
        return (limit, a[1] + t * (b[1] - a[1]))

    return cross


def crossing_at_latitude(limit):
    def cross(a, b):
        t = (limit - a[1]) / (b[1] - a[1])
        return (a[0] + t * (b[0] - a[0]), limit)

    return cross


def cut(ring):
    """The pieces of a ring inside -180…180 and north of SOUTH_LIMIT."""
    ring = unwrap(ring)
    pieces = []
    for shift in (-360, 0, 360):
        piece = [(x + shift, y) for x, y in ring]
        piece = clip(piece, lambda p: p[0] <= 180, crossing_at_longitude(180))
        piece = clip(piece, lambda p: p[0] >= -180, crossing_at_longitude(-180)) if piece else piece
        piece = clip(piece, lambda p: p[1] >= SOUTH_LIMIT, crossing_at_latitude(SOUTH_LIMIT)) if piece else piece
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


class Frame:
    """Degrees to rounded pixels: WIDTH wide, y down, cropped to the land shown."""

    def __init__(self):
        left, _ = natural_earth(-180, 0)
        right, _ = natural_earth(180, 0)
        self.scale = WIDTH / (right - left)
        self.left = left
        _, self.top = natural_earth(0, 84)
        _, bottom = natural_earth(0, SOUTH_LIMIT)
        self.height = round((self.top - bottom) * self.scale)

    def __call__(self, longitude, latitude):
        x, y = natural_earth(longitude, latitude)
        return (round((x - self.left) * self.scale, 1), round((self.top - y) * self.scale, 1))


def path_of(rings) -> str:
    """Compact SVG path data: one absolute move per ring, then relative lines."""
    parts = []
    for ring in rings:
        points = [ring[0]]
        for point in ring[1:]:
            if point != points[-1]:
                points.append(point)
        if len(points) < 3:
            continue
        commands = [f"M{fmt(points[0][0])} {fmt(points[0][1])}"]
        steps = [
            f"{fmt(round(b[0] - a[0], 1))} {fmt(round(b[1] - a[1], 1))}"
            for a, b in zip(points, points[1:], strict=False)
        ]
        commands.append("l" + " ".join(steps) + "z")
        parts.append("".join(commands))
    return "".join(parts).replace(" -", "-")


def fmt(value: float) -> str:
    """A number in as few characters as SVG allows: "0.5" → ".5", "-0.5" → "-.5", "2.0" → "2"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        return "0"
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


def alpha2(numeric: str | None) -> str | None:
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country else None


def projected_rings(topology, frame):
    """{numeric id or None: [projected rings]} and, per id, the bounding box of its largest piece."""
    arcs = decode_arcs(topology)
    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric in LEFT_OUT:
            continue
        rings = []
        for polygon in polygons_of(geometry):
            for indexes in polygon:
                for piece in cut(ring_points(arcs, indexes)):
                    rings.append([frame(x, y) for x, y in piece])
        if rings:
            shapes.setdefault(numeric, []).extend(rings)
    return shapes


def largest_box(rings):
    def box(ring):
        xs = [x for x, _ in ring]
        ys = [y for _, y in ring]
        return min(xs), min(ys), max(xs), max(ys)

    return max((box(ring) for ring in rings), key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("countries_110m", type=Path)
    parser.add_argument("countries_50m", type=Path)
    args = parser.parse_args()
    frame = Frame()

    coarse = projected_rings(json.loads(args.countries_110m.read_text()), frame)
    fine = projected_rings(json.loads(args.countries_50m.read_text()), frame)

    countries, points, unassigned = {}, {}, []
    for numeric, rings in coarse.items():
        code = alpha2(numeric)
        if code is None:
            unassigned.extend(rings)  # Kosovo, N. Cyprus, Somaliland: land without an ISO code here
            continue
        countries[code] = path_of(rings)
        left, top, right, bottom = largest_box(rings)
        if right - left < SMALL_SHAPE and bottom - top < SMALL_SHAPE:
            points[code] = [round((left + right) / 2, 1), round((top + bottom) / 2, 1)]
    for numeric, rings in fine.items():
        code = alpha2(numeric)
        if code and code not in countries:
            left, top, right, bottom = largest_box(rings)
            points[code] = [round((left + right) / 2, 1), round((top + bottom) / 2, 1)]

    data = {
        "source": "Natural Earth 4.1.0 Admin 0 countries (public domain), 1:110m, via world-atlas 2.0.2 (ISC); "
        "dots from the 1:50m file; built by tools/build_world_map.py",
        "projection": "Natural Earth I, Antarctica left out",
        "width": WIDTH,
        "height": frame.height,
        "countries": dict(sorted(countries.items())),
        "points": dict(sorted(points.items())),
        "unassigned": path_of(unassigned),
    }
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUTPUT}: {len(countries)} countries, {len(points)} dots, {OUTPUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
