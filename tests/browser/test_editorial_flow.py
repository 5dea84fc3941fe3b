"""An editor writes a partner and a mission in the admin, previews the draft and submits it; a
publisher publishes it; then the public sees it. All through Chromium, against gunicorn."""

import re

from missions.models import Mission
from partners.models import Partner
from tests.browser.conftest import BROWSER_TEST, log_in, png_photo, rich_text

pytestmark = BROWSER_TEST


def choose_in_autocomplete(page, select_id: str, text: str) -> None:
    """Pick `text` in the admin's autocomplete (select2) for the select `select_id`."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()


def saved_message(page):
    return page.locator(".messagelist .success")


def test_an_editor_writes_a_mission_a_publisher_publishes_it_and_the_public_sees_it(new_page, make_staff):
    make_staff("eddie", "Editors")
    make_staff("pat", "Publishers")
    editor = new_page()
    log_in(editor, "eddie")

    # The partner: a country with its Chinese name.
    editor.goto("/admin/partners/partner/add/")
    editor.get_by_label("English name").fill("Thailand")
    editor.get_by_label("Chinese name").fill("泰国")
    assert editor.get_by_label("Slug").input_value() == "thailand"  # the admin's JavaScript fills it in
    editor.get_by_label("Kind").select_option(label="Country or region")
    editor.get_by_label("ISO 3166 country").select_option(label="Thailand")
    editor.get_by_label("Region").select_option(label="Asia")
    editor.get_by_label("Summary [en]").fill("Thailand's space agency GISTDA works with the program.")
    rich_text(editor, "id_body_en").fill("GISTDA sent an instrument with the mission.")
    editor.get_by_label("Editorial state").select_option(label="In review")
    editor.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in saved_message(editor).inner_text()

    # The mission, with a payload from that partner and a photograph.
    editor.goto("/admin/missions/mission/add/")
    editor.get_by_label("English name").fill("Chang'e-9")
    editor.get_by_label("Chinese name").fill("嫦娥九号")
    assert editor.get_by_label("Slug").input_value() == "change-9"
    editor.get_by_label("Program phase").select_option(label="Phase IV: research station")
    editor.get_by_label("Status:", exact=True).select_option(label="Completed")
    editor.get_by_label("Lander", exact=True).check()
    editor.get_by_label("Launch date (UTC)").fill("2025-03-14")
    editor.get_by_label("Side of the Moon").select_option(label="South polar region")
    editor.get_by_label("Summary [en]").fill("A lander that tested the research station's first instruments.")
    rich_text(editor, "id_body_en").fill("The lander carried a partner's camera to the south pole.")
    editor.get_by_text("Add another Payload").click()
    editor.locator("#id_payloads-0-origin").select_option(label="International")
    editor.locator("#id_payloads-0-selection_status").select_option(label="Flown")
    editor.locator("#id_payloads-0-name_en").fill("Thai Lunar Camera")
    editor.locator("#id_payloads-0-acronym").fill("TLC")
    choose_in_autocomplete(editor, "id_payloads-0-providers", "Thailand")
    editor.locator("#id_payloads-0-purpose_en").fill("Photographs the landing site.")
    editor.get_by_text("Add another Image").click()
    editor.locator("#id_images-0-image").set_input_files(png_photo())
    editor.locator("#id_images-0-alt_text_en").fill("The lander on grey regolith")
    editor.get_by_role("button", name="Save and continue editing").click()
    assert "was added successfully" in saved_message(editor).inner_text()
    mission = Mission.objects.get(slug="change-9")
    assert mission.editorial_state == "draft" and mission.images.count() == 1

    # The preview: the page as it will be, for staff only.
    preview_url = editor.get_by_role("link", name="View on site").get_attribute("href")
    assert preview_url.endswith("/preview/")
    editor.goto(preview_url)
    assert "how the page will look once published" in editor.get_by_role("status").inner_text()
    assert editor.get_by_role("heading", level=1).inner_text().startswith("Chang'e-9")
    assert editor.get_by_text("The lander carried a partner's camera to the south pole.").is_visible()
    photo = editor.get_by_role("img", name="The lander on grey regolith").first
    photo.scroll_into_view_if_needed()
    assert editor.evaluate("(img) => img.complete && img.naturalWidth > 0", photo.element_handle())
    visitor = new_page()
    assert visitor.goto(preview_url).status == 404
    assert visitor.goto("/en/missions/change-9/").status == 404

    # Submitted for review: still not public.
    editor.go_back()
    editor.locator("#id_editorial_state").select_option(label="In review")
    editor.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in saved_message(editor).inner_text()
    assert Mission.objects.get(slug="change-9").editorial_state == "in_review"
    assert visitor.goto("/en/missions/change-9/").status == 404

    # The publisher publishes the partner from the list, the mission and its payload in its form.
    publisher = new_page()
    log_in(publisher, "pat")
    publisher.goto("/admin/partners/partner/?editorial_state__exact=in_review")
    publisher.get_by_role("checkbox", name="Select this object for an action - Thailand").check()
    publisher.locator("select[name=action]").select_option(label="Publish selected items")
    publisher.get_by_role("button", name="Go").click()
    assert "1 item published." in saved_message(publisher).inner_text()
    publisher.goto("/admin/missions/mission/")
    publisher.get_by_role("link", name="Chang'e-9").click()
    publisher.locator("#id_editorial_state").select_option(label="Published")
    publisher.locator("#id_payloads-0-editorial_state").select_option(label="Published")
    publisher.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in saved_message(publisher).inner_text()
    assert Partner.objects.get(slug="thailand").is_published and Mission.objects.get(slug="change-9").is_published

    # The public page, straight away.
    assert visitor.goto("/en/missions/change-9/").status == 200
    assert visitor.get_by_text("Thai Lunar Camera").first.is_visible()
    assert visitor.get_by_role("img", name="The lander on grey regolith").first.is_visible()
    assert visitor.get_by_role("link", name=re.compile("Thailand")).first.is_visible()
