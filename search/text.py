"""Words to search terms, the same way for documents, queries and highlighting, on both databases.

Accents and case are removed, English words stemmed with Snowball ("landing" and "landed" are both
"land", and so is "lander": CRAFT_STEMS), and runs of Chinese characters, which have no spaces,
cut into overlapping pairs ("月球背面" → 月球 球背 背面). The databases then only match terms (PostgreSQL's "simple"
configuration, FTS5's unicode61 tokenizer), so a query finds the same rows on both and the
highlighted words are the ones that matched.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# Letters and digits; underscores and everything else separate words, as both databases' tokenizers do.
WORD = re.compile(r"[^\W_]+")
# Scripts written without spaces between words: Han (Chinese), and Japanese kana with it.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# Longer "words" are noise (a pasted hash, a hostile 100,000-letter string); PostgreSQL would refuse them.
MAX_TERM_LENGTH = 60
# A visitor's query is 200 characters at most (partners.forms); this many phrases are plenty.
MAX_QUERY_PHRASES = 12

_stemmer = snowballstemmer.stemmer("english")

# Craft named after what they do, whose "-er" Snowball keeps (it only strips an ending that far
# enough from the word's start): a visitor asking for "landed" means the landers too.
CRAFT_STEMS = {"lander": "land", "hopper": "hop", "launcher": "launch"}


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    stem = _stemmer.stemWord(word)
    return CRAFT_STEMS.get(stem, stem)


def normalise(text: str) -> str:
    """Lower case without accents: "Côte" → "cote", full-width "ＣＥ" → "ce"; Chinese unchanged."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _runs(word: str):
    """(run, is_cjk) pieces of one word: "ce6嫦娥" → ("ce6", False), ("嫦娥", True)."""
    position = 0
    for match in CJK.finditer(word):
        if match.start() > position:
            yield word[position : match.start()], False
        yield match.group(), True
        position = match.end()
    if position < len(word):
        yield word[position:], False


def _bigrams(run: str) -> list[str]:
    """Overlapping pairs of a run of Chinese characters, and its last character alone, so that any
    one character of the run can be found by prefix: 嫦娥六号 → 嫦娥 娥六 六号 号."""
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def document_terms(text: str) -> list[str]:
    """The search terms of a text, in order (positions matter for phrases)."""
    terms = []
    for word in WORD.findall(normalise(text)):
        for run, is_cjk in _runs(word):
            if is_cjk:
                terms.extend(_bigrams(run))
            elif len(run) <= MAX_TERM_LENGTH:
                terms.append(_stem(run))
    return terms


@dataclass
class Phrase:
    """Terms that must follow each other; `prefix`: the last term may be the start of a longer
    one (a single Chinese character, which the index only holds inside pairs)."""

    terms: tuple[str, ...]
    prefix: bool = False


@dataclass
class Query:
    phrases: list[Phrase] = field(default_factory=list)
    # For highlighting: stemmed Latin terms, and the Chinese runs as typed.
    latin_terms: frozenset[str] = frozenset()
    cjk_runs: tuple[str, ...] = ()

    def __bool__(self):
        return bool(self.phrases)

    def as_fts5(self) -> str:
        """An FTS5 MATCH expression: every phrase required, each term a quoted string, so that no
        character of the visitor's text is ever read as FTS5 syntax."""
        return " AND ".join(
            '"' + " ".join(phrase.terms) + '"' + ("*" if phrase.prefix else "") for phrase in self.phrases
        )

    def as_tsquery(self) -> str:
        """A PostgreSQL tsquery text for to_tsquery('simple', …): every phrase required, its terms
        followed by each other (<->). Terms are letters and digits only, quoted all the same."""
        parts = []
        for phrase in self.phrases:
            quoted = [f"'{term}'" for term in phrase.terms]
            if phrase.prefix:
                quoted[-1] += ":*"
            parts.append("(" + " <-> ".join(quoted) + ")")
        return " & ".join(parts)


def parse_query(text: str) -> Query:
    """A visitor's words as a query: each whitespace-separated piece is a phrase ("Chang'e-6" is
    chang <-> e <-> 6), and every piece must match. Anything that is not a letter or digit is
    dropped, so FTS5 or tsquery syntax in the text has no effect; an empty result finds nothing."""
    phrases, latin, cjk = [], set(), []
    for chunk in text.replace("\x00", " ").split()[:MAX_QUERY_PHRASES]:
        pieces = [piece for word in WORD.findall(normalise(chunk)) for piece in _runs(word)]
        terms: list[str] = []
        prefix = False
        for index, (run, is_cjk) in enumerate(pieces):
            last = index == len(pieces) - 1
            if is_cjk:
                cjk.append(run)
                if len(run) == 1:
                    terms.append(run)
                    prefix = last
                else:
                    # A run followed by more of the phrase ends where the document's run ends,
                    # just after its last character alone (see _bigrams).
                    terms.extend(run[i : i + 2] for i in range(len(run) - 1))
                    if not last:
                        terms.append(run[-1])
            elif len(run) <= MAX_TERM_LENGTH:
                stem = _stem(run)
                terms.append(stem)
                latin.add(stem)
        if terms:
            phrases.append(Phrase(tuple(terms), prefix))
    return Query(phrases, frozenset(latin), tuple(cjk))
