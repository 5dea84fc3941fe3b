"""Every public page type under /zh-hans/ reads as Chinese with the demo content: Latin letters
are less than a tenth of the letters a reader sees outside elements marked as another language,
and what is marked as English is what rightly stays English (a source's own title, a name or
acronym beside its Chinese, a text no one has translated yet, said so on the page)."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from modeltranslation.translator import translator

from publishing.richtext import RichTextField
from publishing.translated import chinese_counterparts

pytestmark = pytest.mark.django_db

# One page of each public type, the demo content loaded.
PAGES = {
    "home": "/zh-hans/",
    "missions list": "/zh-hans/missions/",
    "missions search": "/zh-hans/missions/?q=月球背面",
    "mission detail": "/zh-hans/missions/chang-e-6/",
    "mission detail, planned": "/zh-hans/missions/chang-e-8/",
    "timeline": "/zh-hans/missions/timeline/",
    "landing sites map": "/zh-hans/missions/landing-sites/",
    "compare": "/zh-hans/missions/compare/?m=chang-e-4&m=chang-e-6",
    "partners list": "/zh-hans/partners/",
    "partner detail": "/zh-hans/partners/pakistan/",
    "partner with agreements and projects": "/zh-hans/partners/brazil/",
    "charts": "/zh-hans/partners/charts/",
    "figures": "/zh-hans/figures/",
    "search results": "/zh-hans/search/?q=巴基斯坦",
    "not found": "/zh-hans/missions/no-such-mission/",
}

LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
UNSEEN = {"script", "style", "template", "head"}


class Letters(HTMLParser):
    """The text of a page's body, split into what is in the page's language and what is in an
    element marked with another `lang`."""

    def __init__(self, page_language: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = [("", page_language, False)]
        self.closed_details = False
        self.own: list[str] = []  # text in the page's language
        self.marked: list[tuple[str, list[str]]] = []  # (language, texts) of each element marked otherwise
        self.labels: list[str] = []  # alt, aria-label and title texts in the page's language, read aloud

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        _, language, unseen = self.stack[-1]
        new_language = (attributes.get("lang") or language).lower()
        if new_language.startswith("zh"):
            self.labels += [attributes[name] for name in ("alt", "aria-label", "title") if attributes.get(name)]
        if tag in VOID:
            return
        if new_language != language.lower() and not unseen and not new_language.startswith("zh"):
            self.marked.append((new_language, []))
        # What a closed <details> holds beyond its <summary> is not seen until opened.
        closed = self.stack[-1][0] == "details" and tag != "summary" and self.closed_details
        if tag == "details":
            self.closed_details = "open" not in attributes
        self.stack.append((tag, new_language, unseen or tag in UNSEEN or closed))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        _, language, unseen = self.stack[-1]
        if unseen or not data.strip():
            return
        if language.startswith("zh"):
            self.own.append(data)
        elif self.marked:
            self.marked[-1][1].append(data)


def read(html: str) -> Letters:
    letters = Letters("zh-hans")
    letters.feed(html[html.index("<body") :])
    return letters


def latin_share(letters: Letters) -> float:
    text = "".join(letters.own)
    latin, han = len(LATIN.findall(text)), len(HAN.findall(text))
    return latin / (latin + han)


def english_with_chinese() -> set[str]:
    """Every plain text of the content that has its Chinese version: shown in English on a Chinese
    page, it would be untranslated content passed off as English on purpose."""
    texts = set()
    for model in translator.get_registered_models(abstract=False):
        for english, chinese in chinese_counterparts(model):
            if english == "name" or isinstance(model._meta.get_field(english), RichTextField):
                continue  # a name beside its Chinese is bilingual on purpose; rich text is never one element's text
            rows = model._base_manager.exclude(**{chinese: ""}).exclude(**{f"{chinese}__isnull": True})
            texts.update(text.strip() for text in rows.values_list(english, flat=True) if text)
    return texts


@pytest.fixture
def demo_pages(client):
    call_command("load_demo_content", stdout=None)
    pages = {}
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), url
        pages[name] = read(response.content.decode())
    return pages


def test_chinese_pages_are_written_in_chinese(demo_pages):
    shares = {name: latin_share(letters) for name, letters in demo_pages.items()}
    over = {
        name: (f"{share:.1%}", [text.strip()[:300] for text in demo_pages[name].own if len(LATIN.findall(text)) > 1])
        for name, share in shares.items()
        if share >= 0.10
    }
    assert not over, over


def test_what_is_marked_english_is_what_stays_english(demo_pages):
    translated = english_with_chinese()
    for name, letters in demo_pages.items():
        for language, texts in letters.marked:
            text = " ".join("".join(texts).split())
            assert language == "en", (name, language, text)
            assert not HAN.search(text), f"{name}: Chinese marked as English: {text!r}"
            assert text not in translated, f"{name}: shown in English although translated: {text!r}"


# ASCII punctuation touching a Chinese character ("运行中, 2024年", "嫦娥三号: 发射", "分析仪 (NILS)"),
# and a space beside Chinese punctuation, which carries its own ("来源： 新华社", "任务 （2）", "。 来源").
PUNCTUATION_NOT_CHINESE = re.compile(
    rf"{HAN.pattern}\s*[,:;(]|[,:;)]\s*{HAN.pattern}|{HAN.pattern}\s*\)|[、，：；（。]\s|\s[、，：；（）]"
)


def test_chinese_text_is_punctuated_as_chinese(demo_pages):
    """Lists, labels and asides that the templates put together take Chinese punctuation on a
    Chinese page (、，：（）), not the English page's, and no space beside it or between sentences:
    in what the page shows, and in the labels a screen reader reads (alt, aria-label, title)."""
    found = {
        name: sorted(
            {
                match.group(0)
                for text in ["".join(letters.own), *letters.labels]
                for match in PUNCTUATION_NOT_CHINESE.finditer(text)
            }
        )
        for name, letters in demo_pages.items()
    }
    assert not {name: marks for name, marks in found.items() if marks}
