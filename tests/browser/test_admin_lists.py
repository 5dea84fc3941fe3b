"""The editors' lists at a common laptop size (1366 × 768): each fits the window beside the
admin's menu and filters, and the editorial state, what an editor looks for first, is the first
column and in view."""

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
