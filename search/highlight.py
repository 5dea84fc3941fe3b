"""Highlighting: the same for both databases, in Python, on the rows of one page only."""

import re
from dataclasses import dataclass

from django.db.models import Model
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .index import field_texts
from .text import WORD, Query, _runs, _stem, normalise, parse_query

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

EXCERPT_WORDS = 30


@dataclass
class _Segment:
    start: int
    end: int
    hit: bool


def _segments(text: str, query: Query) -> list[_Segment]:
    """The words of `text` (each Chinese character counts as one) and whether each matched."""
    cjk_hits = [False] * len(text)
    for run in query.cjk_runs:
        for match in re.finditer(re.escape(run), text):
            for index in range(match.start(), match.end()):
                cjk_hits[index] = True
    segments = []
    for match in WORD.finditer(text):
        position = match.start()
        for run, is_cjk in _runs(match.group()):
            if is_cjk:
                segments.extend(
                    _Segment(position + i, position + i + 1, cjk_hits[position + i]) for i in range(len(run))
                )
            else:
                hit = any(_stem(word) in query.latin_terms for word in WORD.findall(normalise(run)))
                segments.append(_Segment(position, position + len(run), hit))
            position += len(run)
    return segments


def _best_window(segments: list[_Segment], size: int) -> tuple[int, int]:
    """Start and end (exclusive) of the `size` segments holding the most hits, the first such."""
    if len(segments) <= size:
        return 0, len(segments)
    hits = [int(segment.hit) for segment in segments]
    best_start, best = 0, sum(hits[:size])
    current = best
    for start in range(1, len(segments) - size + 1):
        current += hits[start + size - 1] - hits[start - 1]
        if current > best:
            best_start, best = start, current
    # A little context before the first hit reads better than a passage starting on it.
    first_hit = next((i for i in range(best_start, best_start + size) if hits[i]), best_start)
    start = max(0, min(best_start, first_hit - 3))
    return start, min(len(segments), start + size)


def _render(text: str, segments: list[_Segment], start: int, end: int) -> str:
    begin = 0 if start == 0 else segments[start].start
    finish = len(text) if end == len(segments) else segments[end - 1].end
    parts = ["… " if begin > 0 else ""]
    position = begin
    index = start
    while index < end:
        segment = segments[index]
        if not segment.hit:
            index += 1
            continue
        # Neighbouring hits joined only by punctuation (Chang'e-6, 嫦娥) are one mark.
        last = index
        while (
            last + 1 < end
            and segments[last + 1].hit
            and not any(char.isspace() for char in text[segments[last].end : segments[last + 1].start])
        ):
            last += 1
        parts.append(escape(text[position : segment.start]))
        parts.append("<mark>" + escape(text[segment.start : segments[last].end]) + "</mark>")
        position = segments[last].end
        index = last + 1
    parts.append(escape(text[position:finish]))
    if finish < len(text):
        parts.append(" …")
    return "".join(parts)


def highlight(text: str, query: Query | str, words: int = EXCERPT_WORDS) -> tuple[SafeString, int]:
    """A passage of about `words` words of `text` around its best matches, every matched word in
    <mark> and everything else escaped; and the number of matched words in the passage."""
    if isinstance(query, str):
        query = parse_query(query)
    text = " ".join(text.split())
    segments = _segments(text, query)
    if not segments:
        return mark_safe(escape(text[:200])), 0  # noqa: S308 - escaped just now
    start, end = _best_window(segments, words)
    hits = sum(segment.hit for segment in segments[start:end])
    return mark_safe(_render(text, segments, start, end)), hits  # noqa: S308 - every piece escaped in _render


def excerpt(obj: Model, query: Query | str, words: int = EXCERPT_WORDS) -> SafeString:
    """The passage of `obj`'s summaries and bodies (weights B and C) that best matches `query`,
    with the matched words in <mark>; the start of its summary when only its name matched."""
    if isinstance(query, str):
        query = parse_query(query)
    texts = field_texts(obj, "B") + field_texts(obj, "C")
    # Passages that match equally well: the one in the page's language (a Chinese summary on a
    # Chinese page rather than the English one beside it).
    chinese_page = (get_language() or "").startswith("zh")
    texts.sort(key=lambda text: bool(HAN.search(text)) != chinese_page)
    best, best_hits = None, 0
    for text in texts:
        passage, hits = highlight(text, query, words)
        if hits > best_hits or best is None:
            best, best_hits = passage, hits
    return best if best is not None else mark_safe("")
