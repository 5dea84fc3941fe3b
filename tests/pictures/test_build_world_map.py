"""The one-off converter of Natural Earth shapes (tools/build_world_map.py): projection,
antimeridian cuts and number formatting."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "build_world_map.py"
spec = importlib.util.spec_from_file_location("build_world_map", SCRIPT)
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def test_natural_earth_projection_is_centred_and_symmetric():
    assert build.natural_earth(0, 0) == (0, 0)
    east, north = build.natural_earth(100, 40)
    west, south = build.natural_earth(-100, -40)
    assert east == pytest.approx(-west) and north == pytest.approx(-south)
    # Meridians bend inwards towards the poles.
    assert build.natural_earth(180, 60)[0] < build.natural_earth(180, 0)[0]


def test_a_ring_across_the_antimeridian_is_cut_in_two():
    # A square from 170° E to 170° W (Fiji, Chukotka), as the data stores it: a jump of 340°.
    ring = [(170, 10), (-170, 10), (-170, 20), (170, 20)]
    pieces = build.cut(ring)
    assert len(pieces) == 2
    for piece in pieces:
        assert all(-180 <= x <= 180 for x, _ in piece)
    spans = sorted((min(x for x, _ in p), max(x for x, _ in p)) for p in pieces)
    assert spans == [(-180, -170), (170, 180)]


def test_a_ring_is_cut_at_the_southern_limit():
    [piece] = build.cut([(0, -70), (10, -70), (10, 0), (0, 0)])
    assert min(y for _, y in piece) == build.SOUTH_LIMIT


@pytest.mark.parametrize(("value", "text"), [(0.5, ".5"), (-0.5, "-.5"), (2.0, "2"), (-0.04, "0"), (12.25, "12.2")])
def test_numbers_take_as_few_characters_as_svg_allows(value, text):
    assert build.fmt(value) == text


def test_paths_use_relative_steps():
    assert build.path_of([[(1.0, 2.0), (3.5, 2.0), (3.5, 4.0), (3.5, 4.0)]]) == "M1 2l2.5 0 0 2z"
