"""The editors' lists at a common laptop size (1366 × 768): each fits the window beside the
admin's menu and filters, and the editorial state, what an editor looks for first, is the first
column and in view. The preview of an import fits too."""

from missions.resources import MissionResource
from tests.browser.conftest import BROWSER_TEST, log_in

pytestmark = BROWSER_TEST

LAPTOP = {"width": 1366, "height": 768}
LISTS = [
    "/admin/missions/mission/",
    "/admin/missions/payload/",
    "/admin/partners/partner/",
    "/admin/partners/agreement/",
    "/admin/partners/cooperationproject/",
]


def test_every_content_list_fits_a_laptop_screen_with_the_state_first(new_page, demo_content, make_staff):
    make_staff("pat", "Publishers")
    page = new_page(viewport=LAPTOP)
    log_in(page, "pat")
    problems = []
    for path in LISTS:
        page.goto(path)
        table = page.locator("#result_list")
        # The admin scrolls a list that is too wide inside its own box: the table must fit that box.
        table_width, shown_width = table.evaluate("table => [table.scrollWidth, table.parentElement.clientWidth]")
        window_width = page.evaluate("window.innerWidth")
        if table_width > shown_width or page.evaluate("document.scrollingElement.scrollWidth") > window_width:
            problems.append(f"{path}: the list is {table_width} px wide; {shown_width} px of it can be seen")
        columns = table.locator("thead th:not(.action-checkbox-column)").evaluate_all(
            "cells => cells.map(cell => [...cell.classList].find(name => name.startsWith('column-')))"
        )
        if columns[0] != "column-state":
            problems.append(f"{path}: the first column is {columns[0]}, not the state")
        state = table.locator("thead th.column-state").bounding_box()
        if not state or state["x"] + state["width"] > page.locator(".results").bounding_box()["x"] + shown_width:
            problems.append(f"{path}: the state column is out of view")
    assert not problems, "\n".join(problems)


def test_the_preview_of_a_file_of_whole_missions_fits_a_laptop_screen(new_page, demo_content, make_staff):
    make_staff("pat", "Publishers")
    page = new_page(viewport=LAPTOP)
    log_in(page, "pat")
    # Every mission again under new slugs and names: new rows, with every column filled in somewhere.
    missions = MissionResource().export()
    slugs, names = missions["slug"], missions["name"]
    del missions["slug"], missions["name"]
    missions.append_col([f"{slug}-copy" for slug in slugs], header="slug")
    missions.append_col([f"{name} (copy)" for name in names], header="name")
    page.goto("/admin/missions/mission/import/")
    page.locator("#id_import_file").set_input_files(
        files=[{"name": "missions.csv", "mimeType": "text/csv", "buffer": missions.csv.encode()}]
    )
    page.locator("#id_format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    table = page.locator("table.import-preview")
    table.wait_for()  # the preview is a new page: the click does not wait for it
    assert table.locator("th", has_text="Editorial state").is_visible()
    right_edge = table.evaluate("table => table.getBoundingClientRect().right")
    window_width = page.evaluate("window.innerWidth")
    assert right_edge <= window_width and page.evaluate("document.scrollingElement.scrollWidth") <= window_width, (
        f"The preview is {right_edge} px wide in a {window_width} px window"
    )
