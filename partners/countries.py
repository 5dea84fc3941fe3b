"""The names a visitor may give a country: each country's names in English, Chinese, the UN's other
languages and its own, with their initials, read from partners/data/country_names.json. That file
is built from maintained data (django-countries, pycountry and CLDR through Babel) by
tools/build_country_names.py, whose docstring says which names come from where; no name is typed
by hand. Names are compared normalised: without case, accents, apostrophes or punctuation.
"""

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

NAMES_FILE = Path(__file__).resolve().parent / "data" / "country_names.json"

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

# The program's own country: a visitor who names it is told so, instead of being offered the
# partners whose names merely contain it ("Hong Kong SAR China").
HOST_COUNTRY = "CN"


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


@functools.cache
def country_index() -> CountryIndex:
    data = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    names = {}
    for code, code_names in data["names_of"].items():
        for name in code_names:
            names.setdefault(name, set()).add(code)
    return CountryIndex(
        codes=data["codes"],
        names={name: frozenset(found) for name, found in names.items()},
        initials=data["initials"],
        names_of={code: frozenset(code_names) for code, code_names in data["names_of"].items()},
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
