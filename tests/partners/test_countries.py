"""partners.countries: the names a visitor may give a country, from django-countries, pycountry
and Babel (built into partners/data/country_names.json by tools/build_country_names.py),
compared without case, accents or punctuation."""

import importlib.util
from pathlib import Path

import pytest

from partners.countries import (
    NAMES_FILE,
    country_codes_for,
    country_codes_matching,
    country_index,
    country_names,
    normalise,
    search_text,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Türkiye", "turkiye"),
        ("TÜRKİYE", "turkiye"),
        ("Côte d’Ivoire", "cote divoire"),
        ("Cote d'Ivoire", "cote divoire"),
        ("cote divoire", "cote divoire"),
        ("Guinea-Bissau", "guinea bissau"),
        ("  Korea (the Republic of)  ", "korea the republic of"),
        ("The Gambia", "gambia"),
        ("St. Kitts & Nevis", "st kitts and nevis"),
        ("Türkiye Uzay Ajansı", "turkiye uzay ajansi"),
        ("ＵＡＥ", "uae"),
        ("阿联酋", "阿联酋"),
        ("%_%", ""),
        ("", ""),
    ],
)
def test_normalise_ignores_case_accents_apostrophes_punctuation_and_a_leading_the(text, expected):
    assert normalise(text) == expected


def test_search_text_keeps_one_normalised_name_a_line():
    assert search_text("Türkiye", "土耳其", "", "turkiye", "Turkey") == "\nturkiye\n土耳其\nturkey\n"
    assert search_text("", "  ") == ""


@pytest.mark.parametrize(
    "text, code",
    [
        # django-countries: the English name, and the old name it keeps for Türkiye.
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("South Korea", "KR"),
        ("Russia", "RU"),
        # pycountry: official and ISO names.
        ("Kingdom of Saudi Arabia", "SA"),
        ("Republic of Türkiye", "TR"),
        ("Plurinational State of Bolivia", "BO"),
        ("Bolivarian Republic of Venezuela", "VE"),
        ("Islamic Republic of Iran", "IR"),
        ("Lao People's Democratic Republic", "LA"),
        ("Korea, Republic of", "KR"),
        # Babel (CLDR): English, and Simplified and Traditional Chinese names.
        ("Côte d’Ivoire", "CI"),
        ("Myanmar (Burma)", "MM"),
        ("Saint Kitts and Nevis", "KN"),
        ("土耳其", "TR"),
        ("阿拉伯联合酋长国", "AE"),
        ("沙烏地阿拉伯", "SA"),
        ("象牙海岸", "CI"),
        # pycountry's Simplified Chinese translations of the ISO names.
        ("阿联酋", "AE"),
        # Initials of a multi-word name.
        ("UAE", "AE"),
        ("ksa", "SA"),
        ("DPRK", "KP"),
        # ISO codes in any case.
        ("tr", "TR"),
        ("TUR", "TR"),
        ("civ", "CI"),
        # Without accents or apostrophes.
        ("cote divoire", "CI"),
        ("TURKIYE", "TR"),
    ],
)
def test_a_country_is_known_by_each_of_its_names_in_english_or_chinese(text, code):
    assert country_codes_for(text) == {code}


def test_initials_are_left_out_when_they_are_another_countrys_code_or_shared():
    index = country_index()
    assert all(len(letters) >= 3 for letters in index.initials)
    for letters, code in index.initials.items():
        assert index.codes.get(letters.upper(), code) == code, letters
    # "United States of America" gives USA, which is its own alpha-3 code: kept.
    assert index.initials["usa"] == "US"


@pytest.mark.parametrize("text", ["Atlantis", "pa kistan", "ZZ", "XXX", "", "   ", "%_%", "Pakistan Republic"])
def test_anything_else_names_no_country(text):
    assert country_codes_for(text) == set()


@pytest.mark.parametrize(
    "text, included",
    [
        ("Pakis", {"PK"}),
        ("saudi", {"SA"}),
        ("emirates", {"AE"}),
        ("ivoire", {"CI"}),
        ("巴基", {"PK"}),
        ("香港", {"HK"}),
    ],
)
def test_part_of_a_name_matches_from_three_letters_or_two_han_characters(text, included):
    assert included <= country_codes_matching(text)


@pytest.mark.parametrize("text", ["pa", "ki", "巴", "a"])
def test_a_shorter_part_matches_no_name(text):
    assert country_codes_matching(text) == country_codes_for(text)


def test_country_names_gives_every_normalised_name_of_a_country():
    names = country_names("TR")
    assert {"turkiye", "turkey", "republic of turkiye", "土耳其"} <= names
    assert country_names("") == frozenset()


SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "build_country_names.py"


def test_the_names_file_holds_what_the_installed_sources_give():
    """After an upgrade of django-countries, pycountry or Babel, this fails until the file is
    built again: the change shows in the diff, and nothing else (the site never loads Babel)."""
    spec = importlib.util.spec_from_file_location("build_country_names", SCRIPT)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert NAMES_FILE.read_text(encoding="utf-8") == build.as_text(build.build()), (
        f"Run {SCRIPT.relative_to(SCRIPT.parents[1])} and commit the file."
    )
