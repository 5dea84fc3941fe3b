"""Orders for names in the site's languages. Chinese names are ordered by their pinyin, as
Chinese dictionaries and indexes order them: syllable by syllable, each by its letters, then
its tone."""

import re

# The longest pinyin syllables (zhuang, shuang) have six letters: padded to that, a syllable
# never compares with the start of the next one ("ba ji" before "bai"), without relying on how
# a database collation treats spaces.
SYLLABLE_WIDTH = 6
HAN_SYLLABLE = re.compile(r"([a-z]+)([1-5])")
NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")


def pinyin_sort_key(name: str) -> str:
    """A key that sorts `name` in pinyin order, made of lowercase ASCII letters and digits
    only, so that every database orders it the same way (SQLite's binary order and PostgreSQL's
    language collations agree on those). Words that are not Chinese sort by their own letters."""
    # Imported here: pypinyin's phrase dictionary costs each process 0.2 s to load and 57 MB to
    # keep, and only saving a name needs it, never a page.
    from pypinyin import Style, lazy_pinyin

    key = []
    # lazy_pinyin reads whole words, so a character with several readings gets the right one (重庆: chong).
    for part in lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True):
        syllable = HAN_SYLLABLE.fullmatch(part)
        if syllable:
            key.append(syllable.group(1).ljust(SYLLABLE_WIDTH, "0") + syllable.group(2))
        else:
            key.append(NOT_LETTER_OR_DIGIT.sub("", part.casefold()))
    return "".join(key)
