"""Atom feeds of public content: the shared base that the site feed and the per-mission and
per-partner feeds build on (django.contrib.syndication)."""

import dataclasses
import datetime
import uuid

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .history import ToldChange

# A feed reader only needs what is new; older entries stay on the pages themselves.
FEED_LENGTH = 50


@dataclasses.dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str  # a public page, with a fragment when the entry is one part of it
    updated: datetime.datetime
    summary: str
    category: str
    # Atom's entry id (see entry_id): not the link, which several entries may share (the
    # payloads of one mission) and which changes with a slug.
    guid: str


def content_entry(item, *, title: str, link: str, summary: str, category: str) -> FeedEntry:
    """An entry for a published item, dated by its last public change."""
    return FeedEntry(
        title=title,
        link=link,
        updated=item.last_public_change,
        summary=summary,
        category=category,
        guid=entry_id(item._meta.model_name, item.pk),
    )


def change_entries(item, changes: list[ToldChange], title: str) -> list[FeedEntry]:
    """One entry per public change of `item` (see publishing.history)."""
    return [
        FeedEntry(
            title=f"{title}: {change.lines[0]}",
            link=f"{item.get_absolute_url()}#{change.anchor}",
            updated=change.date,
            summary=change.text,
            category=str(_("Change")),
            guid=entry_id(f"{item._meta.model_name}-change", change.id),
        )
        for change in changes
    ]


def entry_id(kind: str, pk: int) -> str:
    """A stable, absolute Atom id for an entry without a link of its own, in this language."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'lunarportal/{get_language()}/{kind}/{pk}')}"


def newest(entries: list[FeedEntry]) -> list[FeedEntry]:
    return sorted(entries, key=lambda entry: entry.updated, reverse=True)[:FEED_LENGTH]


class ContentFeed(Feed):
    """An Atom feed of FeedEntry items, in the language of the address it was asked for (the
    feed's xml:lang follows the active language)."""

    feed_type = Atom1Feed
    author_name = "lunarportal"

    def item_title(self, entry: FeedEntry) -> str:
        return entry.title

    def item_link(self, entry: FeedEntry) -> str:
        return entry.link

    def item_guid(self, entry: FeedEntry) -> str:
        return entry.guid

    item_guid_is_permalink = False

    def item_description(self, entry: FeedEntry) -> str:
        # Atom1Feed marks the summary as HTML: escaped, the plain text reads as written.
        return escape(entry.summary)

    def item_updateddate(self, entry: FeedEntry) -> datetime.datetime:
        return entry.updated

    def item_categories(self, entry: FeedEntry) -> list[str]:
        return [entry.category]
