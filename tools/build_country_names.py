"""Build partners/data/country_names.json, the names a visitor may give a country, from maintained
data; no hand-typed list of names.

    .venv/bin/python tools/build_country_names.py          # after upgrading a source below

The sources are read here, once, and not by the site: Babel loads the CLDR data of a hundred
locales to give the endonyms, over 100 MB a process would keep for good. The output is committed;
a test (tests/partners/test_countries.py) fails when the installed sources give other names, so an
upgrade of one of them shows up as a diff of the file.

- django-countries (the codes the `country` field stores): its English names, the official ISO
  names its common names replace ("Russian Federation") and the old names it keeps ("Turkey",
  "Swaziland", "Czech Republic");
- pycountry (ISO 3166 from Debian's iso-codes): the name, the official name ("Kingdom of Saudi
  Arabia") and the common name of each country, and their Simplified Chinese translations
  ("阿联酋");
- Babel (Unicode CLDR): the English territory names, with the spellings of international and
  Canadian English ("St Kitts & Nevis", "Saint Kitts and Nevis"), and the Simplified and
  Traditional Chinese ones ("阿拉伯联合酋长国", "沙烏地阿拉伯"); the names in the other official
  languages of the UN ("Pakistán", "Пакистан", "باكستان"); and each country's name in its own
  official languages ("Deutschland", "Sverige", "Schweiz", "Suisse").

Babel keeps one name per territory and leaves out CLDR's alternative forms, so none of these
sources has "Ivory Coast" in English. Initials of multi-word names stand in for the short forms
("uae", "ksa", "dprk"), and a partner's own `aliases` for anything else.
"""

import gettext
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

import django
import pycountry
from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages
from django.utils import translation
from django_countries import countries

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partners.countries import NAMES_FILE, normalise  # noqa: E402

# Small words left out of initials: "Kingdom of Saudi Arabia" is KSA.
MINOR_WORDS = {"and", "of", "the"}
# English as the world, Commonwealth and Canada write it: together they hold every English
# territory name CLDR has (other English locales repeat one of these).
ENGLISH_LOCALES = ["en", "en_001", "en_CA"]
CHINESE_LOCALES = ["zh_Hans", "zh_Hant"]
# The UN's other official languages (English and Chinese above).
UN_LOCALES = ["ar", "es", "fr", "ru"]
PYCOUNTRY_CHINESE = "zh_CN"


def _english_names(known: set[str]) -> dict[str, set[str]]:
    names = defaultdict(set)
    with translation.override("en"):
        for code, name in countries:
            names[code].add(str(name))
        for code, shadowed in countries.shadowed_names.items():
            names[code].update(str(name) for name in shadowed)
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                names[country.alpha_2].add(getattr(country, attribute))
    for locale in ENGLISH_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            names[code].add(name)
    return {code: code_names for code, code_names in names.items() if code in known}


def _chinese_names(known: set[str]) -> dict[str, set[str]]:
    names = defaultdict(set)
    for locale in CHINESE_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            names[code].add(name)
    iso_zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[PYCOUNTRY_CHINESE])
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                names[country.alpha_2].add(iso_zh.gettext(getattr(country, attribute)))
    return {code: code_names for code, code_names in names.items() if code in known}


def _names_in_other_languages(known: set[str]) -> dict[str, set[str]]:
    """Each country's name in the UN's other official languages, and in its own official
    languages (its endonyms), as CLDR writes them."""
    names = defaultdict(set)
    for locale in UN_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            names[code].add(name)
    for code in known:
        for language in get_official_languages(code, de_facto=True):
            try:
                locale = Locale.parse(f"{language}_{code}")
            except (UnknownLocaleError, ValueError):
                continue  # a language CLDR has no data for in that country
            if code in locale.territories:
                names[code].add(locale.territories[code])
    return {code: code_names for code, code_names in names.items() if code in known}


def _initials(name: str) -> str:
    words = [word for word in name.split() if word not in MINOR_WORDS]
    return "".join(word[0] for word in words) if len(words) > 1 else ""


def build() -> dict:
    """The file's content: `codes` (alpha-2 and alpha-3 → alpha-2), `names_of` (alpha-2 → its
    normalised names, sorted) and `initials` (→ alpha-2), every key sorted."""
    with translation.override("en"):
        known = {code for code, _name in countries}
    codes = {code: code for code in known}
    codes.update((countries.alpha3(code), code) for code in known if countries.alpha3(code))

    english = _english_names(known)
    names_of = defaultdict(set)
    for source in (english, _chinese_names(known), _names_in_other_languages(known)):
        for code, code_names in source.items():
            names_of[code].update(filter(None, map(normalise, code_names)))
    every_name = {name for code_names in names_of.values() for name in code_names}

    # Initials stand for a country only when no other country has the same ones, and when
    # they are not another country's ISO code (CAF is the Central African Republic's).
    candidates = defaultdict(set)
    for code, code_names in english.items():
        for name in code_names:
            letters = _initials(normalise(name))
            if len(letters) >= 3 and letters.isascii() and letters.isalpha():
                candidates[letters].add(code)
    initials = {}
    for letters, found in candidates.items():
        (code, *others) = found
        if not others and codes.get(letters.upper(), code) == code and letters not in every_name:
            initials[letters] = code
    return {
        "codes": dict(sorted(codes.items())),
        "names_of": {code: sorted(names) for code, names in sorted(names_of.items())},
        "initials": dict(sorted(initials.items())),
    }


def as_text(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lunarportal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    django.setup()
    NAMES_FILE.write_text(as_text(build()), encoding="utf-8")
    print(f"Wrote {NAMES_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
