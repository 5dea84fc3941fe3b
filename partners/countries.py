"""Country look-ups from django-countries' ISO 3166 data: no hand-typed list of names."""

from django_countries import countries


def country_codes_matching(text: str) -> set[str]:
    """ISO alpha-2 codes a visitor may mean by `text`: a code (alpha-2 or alpha-3) or part of a name."""
    text = text.strip()
    codes = set()
    if len(text) in (2, 3) and text.isascii() and text.isalpha():
        code = countries.alpha2(text.upper())
        if code:
            codes.add(code)
    if len(text) >= 3:
        needle = text.casefold()
        codes.update(code for code, name in countries if needle in name.casefold())
    return codes


def country_code_for(text: str) -> str:
    """The alpha-2 code for an exact alpha-2 or alpha-3 code or country name, or ""."""
    text = text.strip()
    if len(text) in (2, 3) and text.isascii() and text.isalpha():
        code = countries.alpha2(text.upper())
        if code:
            return code
    return countries.by_name(text) or ""
