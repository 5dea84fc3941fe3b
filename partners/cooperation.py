"""What the cooperation charts count, from published records only.

Selectors rather than queryset methods: each returns plain counts per year or per partner,
across several models, for one page.
"""

from collections import Counter

from django.db.models import Count
from django.db.models.functions import ExtractYear

from publishing.models import planned_year

from .models import Agreement, Partner


def agreements_per_year() -> dict[int, int]:
    """Published agreements by the year they were signed (undated ones are not counted)."""
    rows = (
        Agreement.objects.published()
        .exclude(signed_on=None)
        .annotate(year=ExtractYear("signed_on"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["year"]: row["count"] for row in rows}


def first_years() -> dict[int, int]:
    """For each published partner with a dated record, the year of its first published agreement
    or payload (the launch year of the payload's mission, or its planned year)."""
    partners = Partner.objects.published()
    # `partners` never imports `missions`: payloads are reached through the reverse relation.
    payload_model = Partner._meta.get_field("payloads").related_model
    years: dict[int, int] = {}

    def note(partner_id, year):
        if year and (partner_id not in years or year < years[partner_id]):
            years[partner_id] = year

    flown = Partner.payloads.through.objects.filter(
        partner__in=partners, payload__in=payload_model.objects.published()
    ).values_list("partner_id", "payload__mission__launch_date", "payload__mission__launch_window")
    for partner_id, launch_date, launch_window in flown:
        note(partner_id, launch_date.year if launch_date else planned_year(launch_window))
    signed = Partner.agreements.through.objects.filter(
        partner__in=partners, agreement__in=Agreement.objects.published(), agreement__signed_on__isnull=False
    ).values_list("partner_id", "agreement__signed_on")
    for partner_id, signed_on in signed:
        note(partner_id, signed_on.year)
    return years


def new_partners_per_year() -> dict[int, int]:
    return dict(Counter(first_years().values()))


def payloads_by_partner():
    """Published partners with at least one published payload, the most first."""
    return (
        Partner.objects.published()
        .with_involvement_counts()
        .filter(payload_count__gt=0)
        .order_by("-payload_count", "name")
    )
