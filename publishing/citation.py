"""How to cite a page: a plain reference to copy, and the same as a BibTeX entry."""

import dataclasses
import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
    retrieved: datetime.date = dataclasses.field(default_factory=timezone.localdate)

    @classmethod
    def for_page(cls, item, request, sources) -> "Citation":
        """`item` has both names (BilingualName) and is public at `item.get_absolute_url()`."""
        return cls(
            key=item.slug,
            title=" / ".join(name for name, _language in item.names_in_order),
            url=request.build_absolute_uri(item.get_absolute_url()),
            updated=item.last_public_change,
            sources=list(sources),
        )

    def source_names(self) -> list[str]:
        return [f"{source.title} ({source.publisher})" if source.publisher else source.title for source in self.sources]

    @property
    def text(self) -> str:
        """The reference in the active language, dates as its readers write them."""
        text = _("“%(title)s”. %(site)s. Last updated %(updated)s. %(url)s (retrieved %(retrieved)s).") % {
            "title": self.title,
            "site": SITE_NAME,
            "updated": date_format(timezone.localtime(self.updated), "DATE_FORMAT"),
            "url": self.url,
            "retrieved": date_format(self.retrieved, "DATE_FORMAT"),
        }
        if self.sources:
            text += " " + _("Sources: %(sources)s.") % {"sources": "; ".join(self.source_names())}
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
