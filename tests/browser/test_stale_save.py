"""Two editors open the same mission; the one who saves second is refused, and nothing either of
them typed is lost: the first's changes are saved, the second's are still in the form."""

import reversion

from missions.models import Mission
from tests.browser.conftest import BROWSER_TEST, log_in, rich_text
from tests.factories import DRAFT, make_mission

pytestmark = BROWSER_TEST


def test_the_second_save_is_refused_with_what_changed_and_keeps_what_was_typed(new_page, make_staff):
    make_staff("eddie", "Editors")
    make_staff("olga", "Editors")
    with reversion.create_revision():  # the mission's history starts, as after any save in the admin
        mission = make_mission(name="Chang'e-7", state=DRAFT, summary="Original summary.")
    change_form = f"/admin/missions/mission/{mission.pk}/change/"
    first, second = new_page(), new_page()
    log_in(first, "eddie")
    log_in(second, "olga")
    first.goto(change_form)
    second.goto(change_form)

    first.get_by_label("Summary [en]").fill("Eddie's summary.")
    first.get_by_role("button", name="Save and continue editing").click()
    assert "was changed successfully" in first.locator(".messagelist .success").inner_text()

    second.get_by_label("Summary [en]").fill("Olga's summary.")
    rich_text(second, "id_body_en").fill("Olga's long paragraph about the landing site.")
    second.get_by_role("button", name="Save and continue editing").click()

    refusal = second.locator(".errorlist.nonfield").inner_text()
    assert "eddie saved this while you were editing it. Your changes were NOT saved" in refusal
    assert "“Original summary.” → “Eddie's summary.”" in refusal
    # Olga's work is still in her form, to copy into the current version...
    assert second.get_by_label("Summary [en]").input_value() == "Olga's summary."
    assert rich_text(second, "id_body_en").inner_text() == "Olga's long paragraph about the landing site."
    # ...and Eddie's is saved, not overwritten.
    saved = Mission.objects.get(pk=mission.pk)
    assert saved.summary == "Eddie's summary." and "Olga" not in saved.body
    second.goto(change_form)
    assert second.get_by_label("Summary [en]").input_value() == "Eddie's summary."
