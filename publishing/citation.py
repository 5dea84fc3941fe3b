"""How to cite a page: a plain reference to copy, and the same as a BibTeX entry."""

import dataclasses
import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .translated import reference_separator, sentence_separator

SITE_NAME = "lunarportal"

# Characters with a meaning of their own in BibTeX and LaTeX, written so they print as themselves.
BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


@dataclasses.dataclass
class Citation:
    key: str  # the item's slug
    title: str
    url: str  # absolute
    updated: datetime.datetime
    sources: list  # SourceLink rows, as the page lists them
    names: list = dataclasses.field(default_factory=list)  # (name, language) pairs that make the title
    retrieved: datetime.date = dataclasses.field(default_factory=timezone.localdate)

    @classmethod
    def for_page(cls, item, request, sources) -> "Citation":
        """`item` has both names (BilingualName) and is public at `item.get_absolute_url()`."""
        return cls(
            key=item.slug,
            title=" / ".join(name for name, _language in item.names_in_order),
            names=list(item.names_in_order),
            url=request.build_absolute_uri(item.get_absolute_url()),
            updated=item.last_public_change,
            sources=list(sources),
        )

    def source_names(self) -> list[str]:
        return [f"{source.title} ({source.publisher})" if source.publisher else source.title for source in self.sources]

    @property
    def text(self) -> str:
        """The reference in the active language, dates as its readers write them."""
        return self._reference(self.source_names())

    @property
    def html(self) -> str:
        """`text` for the page: the site's name, the address and the sources' titles, kept in
        English, marked as English."""
        if get_language() == "en":
            return conditional_escape(self.text)  # all of it in the page's language but the names
        names = [format_html('<span lang="en">{}</span>', name) for name in self.source_names()]
        return mark_safe(self._reference(names, escape_parts=True))

    @property
    def title_html(self) -> str:
        """The title, each name marked with its language."""
        if not self.names:
            return conditional_escape(self.title)
        return format_html_join(" / ", '<span lang="{}">{}</span>', ((lang, name) for name, lang in self.names))

    def _reference(self, source_names: list[str], escape_parts: bool = False) -> str:
        text = _("“%(title)s”. %(site)s. Last updated %(updated)s. %(url)s (retrieved %(retrieved)s).") % {
            "title": self.title_html if escape_parts else self.title,
            "site": format_html('<span lang="en">{}</span>', SITE_NAME) if escape_parts else SITE_NAME,
            "updated": date_format(timezone.localtime(self.updated), "DATE_FORMAT"),
            "url": format_html('<span lang="en">{}</span>', self.url) if escape_parts else self.url,
            "retrieved": date_format(self.retrieved, "DATE_FORMAT"),
        }
        if source_names:
            sources = reference_separator().join(source_names)
            text += sentence_separator() + _("Sources: %(sources)s.") % {"sources": sources}
        return text

    @property
    def bibtex(self) -> str:
        updated = timezone.localtime(self.updated).date()
        fields = [
            ("title", "{" + _bibtex(self.title) + "}"),  # double braces keep the name's capitals
            ("author", "{" + SITE_NAME + "}"),
            ("howpublished", _bibtex(SITE_NAME)),
            ("year", str(updated.year)),
            ("url", self.url.translate(str.maketrans("", "", "{}"))),
            ("urldate", self.retrieved.isoformat()),
            ("note", _bibtex(self._note(updated))),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{SITE_NAME}-{self.key},\n{body}\n}}\n"

    def _note(self, updated: datetime.date) -> str:
        note = f"Last updated {updated.isoformat()}"
        if self.sources:
            note += ". Sources: " + "; ".join(self.source_names())
        return note


def _bibtex(text: str) -> str:
    return " ".join(text.split()).translate(BIBTEX_ESCAPES)
