"""What a partner page tells search engines: schema.org data."""

from publishing.links import linkable

from .models import Partner


def partner_structured_data(partner: Partner, page_url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Country" if partner.kind == Partner.Kind.COUNTRY else "Organization",
        "name": partner.local_name,  # in the page's language, the other name beside it
        "description": partner.summary,
        "url": page_url,
    }
    other_names = [name for name, _language in partner.names_in_order[1:]] + [partner.acronym]
    other_names = [name for name in other_names if name]
    if other_names:
        data["alternateName"] = other_names
    # Only an address a visitor may follow: a value written around the form's validation may be anything.
    if linkable(partner.website):
        data["sameAs"] = partner.website
    return data
