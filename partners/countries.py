"""The names a visitor may give a country, from maintained data; no hand-typed list of names.

Every source is read once per process and folded into one index of normalised names:

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

import functools
import gettext
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import pycountry
from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages
from django.utils import translation
from django_countries import countries

# Apostrophes vanish ("d'Ivoire" and "d’Ivoire" are "divoire"); removed before decomposition,
# which would turn the acute accent into a space and a combining mark.
APOSTROPHES = re.compile("['’‘ʼ`´′＇]")
# Latin letters that are not a base letter plus an accent, so that decomposition keeps them:
# "Ajansı" is found as "Ajansi", "Færøerne" as "Faeroerne".
UNDECOMPOSED = str.maketrans(
    {"ı": "i", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ŧ": "t", "þ": "th", "æ": "ae", "œ": "oe"}
)
# Anything but a letter or a digit (hyphens, commas, brackets, dots, spaces) separates words.
SEPARATORS = re.compile(r"[\W_]+")
# Han characters carry a syllable each: two of them already say much more than two letters.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
MIN_PART = 3
MIN_PART_HAN = 2

# Small words left out of initials: "Kingdom of Saudi Arabia" is KSA.
MINOR_WORDS = {"and", "of", "the"}
# English as the world, Commonwealth and Canada write it: together they hold every English
# territory name CLDR has (other English locales repeat one of these).
ENGLISH_LOCALES = ["en", "en_001", "en_CA"]
CHINESE_LOCALES = ["zh_Hans", "zh_Hant"]
# The UN's other official languages (English and Chinese above).
UN_LOCALES = ["ar", "es", "fr", "ru"]
# The program's own country: a visitor who names it is told so, instead of being offered the
# partners whose names merely contain it ("Hong Kong SAR China").
HOST_COUNTRY = "CN"
PYCOUNTRY_CHINESE = "zh_CN"


def normalise(text: str) -> str:
    """`text` as names are compared: casefolded, without accents or apostrophes, "&" as "and",
    words separated by one space whatever stood between them (hyphens, commas, brackets), and
    without a leading "the". "The Côte d’Ivoire" becomes "cote divoire"."""
    text = APOSTROPHES.sub("", text.casefold().replace("&", " and ")).translate(UNDECOMPOSED)
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    words = SEPARATORS.sub(" ", APOSTROPHES.sub("", text)).split()  # again for the fullwidth "＇"
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def search_text(*names: str) -> str:
    """The normalised `names` as stored for search: one per line, with a line break before
    the first and after the last, so that a whole name is found as "\\n<name>\\n"."""
    lines = list(dict.fromkeys(filter(None, map(normalise, names))))
    return "\n" + "\n".join(lines) + "\n" if lines else ""


def min_part_length(needle: str) -> int:
    """How long a normalised query must be to be looked for inside longer names."""
    return MIN_PART_HAN if HAN.search(needle) else MIN_PART


@dataclass(frozen=True)
class CountryIndex:
    codes: dict[str, str]  # "PK" and "PAK" → "PK"
    names: dict[str, frozenset[str]]  # normalised name → alpha-2 codes; found whole or in part
    initials: dict[str, str]  # "uae" → "AE"; found whole only
    names_of: dict[str, frozenset[str]]  # alpha-2 code → its normalised names

    def exact(self, text: str) -> set[str]:
        """The alpha-2 codes of the countries that `text` names exactly: a code, a name or initials."""
        codes = set()
        stripped = text.strip()
        if stripped.isascii() and stripped.isalpha() and stripped.upper() in self.codes:
            codes.add(self.codes[stripped.upper()])
        needle = normalise(text)
        codes.update(self.names.get(needle, ()))
        if needle in self.initials:
            codes.add(self.initials[needle])
        return codes

    def matching(self, text: str) -> set[str]:
        """Like exact(), and the countries with a name holding `text` when it is long enough."""
        codes = self.exact(text)
        needle = normalise(text)
        if len(needle) >= min_part_length(needle):
            for name, name_codes in self.names.items():
                if needle in name:
                    codes.update(name_codes)
        return codes


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


@functools.cache
def country_index() -> CountryIndex:
    with translation.override("en"):
        known = {code for code, _name in countries}
    codes = {code: code for code in known}
    codes.update((countries.alpha3(code), code) for code in known if countries.alpha3(code))

    english = _english_names(known)
    names_of = defaultdict(set)
    for source in (english, _chinese_names(known), _names_in_other_languages(known)):
        for code, code_names in source.items():
            names_of[code].update(filter(None, map(normalise, code_names)))
    names = defaultdict(set)
    for code, code_names in names_of.items():
        for name in code_names:
            names[name].add(code)

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
        if not others and codes.get(letters.upper(), code) == code and letters not in names:
            initials[letters] = code
    return CountryIndex(
        codes=codes,
        names={name: frozenset(found) for name, found in names.items()},
        initials=initials,
        names_of={code: frozenset(found) for code, found in names_of.items()},
    )


def country_codes_matching(text: str) -> set[str]:
    """ISO alpha-2 codes a visitor may mean by `text`: a code (alpha-2 or alpha-3), a name or
    initials in English or Chinese, or part of a name (three letters or two Han characters)."""
    return country_index().matching(text)


def names_the_host(text: str) -> bool:
    """Whether `text` names the program's own country exactly (China, 中国, CN, PRC…)."""
    return HOST_COUNTRY in country_index().exact(text)


def country_codes_for(text: str) -> set[str]:
    """The alpha-2 codes that `text` names exactly: a code, a whole name or initials."""
    return country_index().exact(text)


def country_names(code: str) -> frozenset[str]:
    """Every normalised name of the country with the alpha-2 `code`."""
    return country_index().names_of.get(str(code), frozenset())
