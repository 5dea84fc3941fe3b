"""What a mission page tells search engines and link previews: schema.org data and its image."""

import re

from .models import Mission
from .site_pictures import SitePicture


def share_image(mission: Mission, request) -> dict | None:
    """The mission's picture as link previews show it, with an absolute URL: its first image (a
    resized rendition), else the picture of its landing site (a JPEG drawn from the coordinates).
    None for a diagram: link previews do not show SVG.

    Needs a mission from `for_detail()` (images prefetched)."""
    image = next(iter(mission.image_list), None)
    if image is not None:
        rendition = image.default_rendition or {}
        return {
            "url": request.build_absolute_uri(image.default_url),
            "width": rendition.get("width", image.width),
            "height": rendition.get("height", image.height),
            "alt": "" if image.decorative else image.alt_text,
        }
    if (site := SitePicture.of(mission)) is not None:
        return {
            "url": request.build_absolute_uri(site.default_url),
            "width": site.default_width,
            "height": site.default_height,
            "alt": str(site.alt_text),
        }
    return None


def mission_structured_data(mission: Mission, page_url: str, image: dict | None = None) -> dict:
    """schema.org has no type for a spacecraft mission; an Event starting at launch is closest."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": mission.local_name,  # in the page's language, the other name beside it
        "description": mission.summary,
        "url": page_url,
    }
    if other_names := [name for name, _language in mission.names_in_order[1:]]:
        data["alternateName"] = other_names[0]
    if mission.launch_date:
        data["startDate"] = mission.launch_date.isoformat()
    if mission.launch_site:
        data["location"] = {"@type": "Place", "name": mission.launch_site.name}
    if mission.catalogue_links:
        # The spacecraft's entries in the satellite catalogues, each with where to look it up.
        data["identifier"] = [
            {"@type": "PropertyValue", "propertyID": link.property_id, "value": link.value, "url": link.url}
            for link in mission.catalogue_links
        ]
    if re.fullmatch(r"Q\d+", mission.wikidata_id):  # as validated, also for rows written around the form
        data["sameAs"] = f"https://www.wikidata.org/wiki/{mission.wikidata_id}"
    if image:
        data["image"] = image["url"]
    return data
