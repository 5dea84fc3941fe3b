"""Editors write bodies in a rich text editor whose assets ship with the project (no CDN)."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/admin/missions/mission/add/", "/admin/partners/partner/add/", "/admin/partners/agreement/add/"]
)
def test_body_is_edited_with_the_prose_editor_served_locally(editor_client, url):
    page = editor_client.get(url).content.decode()
    assert "data-django-prose-editor-configurable" in page or "prose-editor-configurable" in page
    assert "/static/django_prose_editor/editor.js" in page
    external = [src for src in re.findall(r'(?:src|href)="([^"]+)"', page) if src.startswith(("http:", "https:", "//"))]
    assert [src for src in external if "/admin/" not in src] == []


def test_the_editor_offers_headings_lists_links_and_quotes_only(editor_client):
    page = editor_client.get("/admin/missions/mission/add/").content.decode()
    config = re.search(r'data-django-prose-editor-configurable="([^"]+)"', page)
    assert config, "the editor's configuration is on the page"
    for extension in ["Heading", "BulletList", "OrderedList", "Link", "Blockquote", "Bold", "Italic"]:
        assert extension in config.group(1)
    for absent in ["Image", "Table", "HTML", "Color"]:
        assert f"&quot;{absent}&quot;" not in config.group(1)
