"""A partner's story in dated records: joining the ILRS, agreements, its payloads' missions
(launch, landing, the milestones that concern it) and joint projects, in date order."""

import datetime
import re
from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from publishing.models import DatePrecision, format_approximate_date, planned_year
from publishing.translated import ORIGINAL_LANGUAGE, falls_back, join_list, shown_language

from .models import Agreement

# A milestone of a mission carrying the partner's payload concerns the partner when it names the
# partner or one of its payloads, or speaks of payloads or partners in general (a call for
# proposals, a selection). Titles are written in English by the editors.
GENERAL_WORDS = re.compile(r"\b(payloads?|partners?|international)\b", re.IGNORECASE)


def marked(instance, field: str) -> str:
    """The text of `field`, marked as English where it falls back to the English original."""
    text = getattr(instance, field)
    return format_html('<span lang="en">{}</span>', text) if falls_back(instance, field) else text


def in_sentence(sentence: str, **parts) -> str:
    """A translated sentence with `parts` (escaped unless marked up) in its placeholders."""
    return mark_safe(conditional_escape(sentence) % {name: conditional_escape(part) for name, part in parts.items()})


@dataclass
class Entry:
    kind: str  # ilrs, agreement, launch, planned, landing, milestone, project_start, project_end
    date: datetime.date | None
    date_display: str
    text: str
    url: str = ""
    link_text: str = ""
    text_lang: str = ""  # the language of `text` (and `date_display`) when not the page's own
    date_lang: str = ""

    @property
    def sort_key(self):
        return (self.date is None, self.date or datetime.date.max, self.text)


def _mentions(title: str, words: set[str]) -> bool:
    folded = title.casefold()
    return any(word.casefold() in folded for word in words if len(word) >= 3) or bool(GENERAL_WORDS.search(title))


def partnership_timeline(partner) -> list[Entry]:
    """Needs a partner with its involvement (`with_involvement()` or `fetch_involvement()`) and
    TIMELINE_PREFETCH (partners.views): every record here is already published."""
    entries = []
    # A partner joins the ILRS by signing an ILRS document: the joining date and that agreement
    # are one event, told once, by the agreement's own title.
    joined_by = [
        agreement
        for agreement in partner.published_agreements
        if agreement.kind == Agreement.Kind.ILRS
        and partner.ilrs_joined_on
        and agreement.signed_on == partner.ilrs_joined_on
    ]
    if partner.ilrs_joined_on and not joined_by:
        entries.append(
            Entry(
                "ilrs",
                partner.ilrs_joined_on,
                partner.ilrs_joined_display,
                _("Joins the International Lunar Research Station"),
            )
        )
    for agreement in partner.published_agreements:
        kind = "ilrs" if agreement in joined_by else "agreement"
        entries.append(
            Entry(
                kind,
                agreement.signed_on,
                agreement.signed_on_display or _("date not known"),
                agreement.title,
                text_lang=shown_language(agreement, "title"),
            )
        )
    payloads_by_mission: dict[int, tuple[object, list]] = {}
    for payload in partner.published_payloads:
        payloads_by_mission.setdefault(payload.mission.pk, (payload.mission, []))[1].append(payload)
    names = {partner.name, partner.name_zh, partner.acronym}
    for mission, payloads in payloads_by_mission.values():
        # An acronym stays as it is; a name is in the language it is shown in.
        payload_names = mark_safe(
            join_list(
                format_html(
                    '<span lang="{}">{}</span>',
                    ORIGINAL_LANGUAGE if p.acronym else shown_language(p, "name"),
                    p.short_name,
                )
                for p in payloads
            )
        )
        words = names | {payload.acronym for payload in payloads} | {payload.name for payload in payloads}
        url, link_text = mission.get_absolute_url(), mission.local_name
        if mission.launch_date:
            entries.append(
                Entry(
                    "launch",
                    mission.launch_date,
                    format_approximate_date(mission.launch_date, DatePrecision.DAY),
                    in_sentence(_("Launch of %(payloads)s on"), payloads=payload_names),
                    url,
                    link_text,
                )
            )
        else:
            year = planned_year(mission.launch_window)
            entries.append(
                Entry(
                    "planned",
                    datetime.date(year, 12, 31) if year else None,
                    mission.launch_window or _("not announced"),
                    in_sentence(_("Planned launch of %(payloads)s on"), payloads=payload_names),
                    url,
                    link_text,
                    date_lang=shown_language(mission, "launch_window") if mission.launch_window else "",
                )
            )
        if mission.landing_date:
            entries.append(
                Entry(
                    "landing",
                    mission.landing_date,
                    format_approximate_date(mission.landing_date, DatePrecision.DAY),
                    _("Landing of"),
                    url,
                    link_text,
                )
            )
        for milestone in mission.milestone_list:
            if milestone.date in (mission.launch_date, mission.landing_date) or not _mentions(milestone.title, words):
                continue
            entries.append(
                Entry(
                    "milestone",
                    milestone.date,
                    milestone.date_display,
                    milestone.title,
                    url,
                    link_text,
                    text_lang=shown_language(milestone, "title"),
                )
            )
    for project in partner.published_projects:
        if project.start_date:
            entries.append(
                Entry(
                    "project_start",
                    project.start_date,
                    format_approximate_date(project.start_date, DatePrecision.DAY),
                    in_sentence(_("%(project)s starts"), project=marked(project, "name")),
                )
            )
        if project.end_date:
            entries.append(
                Entry(
                    "project_end",
                    project.end_date,
                    format_approximate_date(project.end_date, DatePrecision.DAY),
                    in_sentence(_("%(project)s ends"), project=marked(project, "name")),
                )
            )
    return sorted(entries, key=lambda entry: entry.sort_key)
