"""The facilitator's main workflow in a real browser (Debian's Chromium through Playwright)
against a real server: sign in, record a meeting with attendance and a commitment, find
it on the board, fulfil it, read its history, and see the network drawn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.vocabulary import SECTOR_LABELS
from tests.pages.conftest import HOME, LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WHAT = "Share the carers' map with every GP surgery"


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser tab; the test fails on any console error or page error, and on
    any request to a host other than the server's own."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.base_url)
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    tab.on(
        "request",
        lambda r: (
            None if r.url.startswith(live_server.base_url) else tab.problems.append(f"request to {r.url}")
        ),
    )
    yield tab
    context.close()


def sign_in(page: Any, token: str) -> None:
    page.goto("/signin")
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/l/{HOME}")


def nav(page: Any, name: str) -> Any:
    """A link of the locality's navigation bar."""
    return page.get_by_role("navigation", name="Riverside").get_by_role("link", name=name, exact=True)


def test_a_facilitator_records_a_meeting_then_fulfils_its_commitment(
    page: Any, live_server: LiveServer, artifacts_dir: Path
) -> None:
    state = live_server.runtime.reader.state(HOME)
    people = sorted((s for s in state.stakeholders.values() if s.status == "active"), key=lambda s: s.name)
    promisor, promisee = people[0], people[1]
    due = (live_server.runtime.reader.today() + timedelta(days=30)).isoformat()

    sign_in(page, live_server.tokens["facilitator"])
    page.screenshot(path=str(artifacts_dir / "pages-dashboard.png"), full_page=True)

    nav(page, "Record a meeting").click()
    page.get_by_label("Title").fill("Change Group: carers' breaks")
    search = page.get_by_label("Find a stakeholder")
    search.fill(promisor.name)
    page.get_by_label(promisor.name, exact=False).first.check()
    search.fill(promisee.name)
    page.locator("#f-attendee li:not([hidden]) input").first.check()
    search.fill("")
    page.get_by_label("Decision 1").fill("Ask every surgery to display the map")
    page.locator("#f-c0-promisor").select_option(promisor.id)
    page.locator("#f-c0-promisee").select_option([promisee.id])
    page.locator("#f-c0-what").fill(WHAT)
    page.locator("#f-c0-due").fill(due)
    page.screenshot(path=str(artifacts_dir / "pages-record-meeting.png"), full_page=True)
    page.get_by_role("button", name="Record the meeting").last.click()
    page.wait_for_url("**/meetings/*?done=recorded")
    assert page.get_by_role("status").first.inner_text() == "The meeting is recorded."
    assert page.locator("#attendance + ul li").count() == 2
    page.screenshot(path=str(artifacts_dir / "pages-meeting.png"), full_page=True)

    nav(page, "Commitments").click()
    card = page.locator("#open .commitment-card", has_text=WHAT)
    assert card.count() == 1
    page.screenshot(path=str(artifacts_dir / "pages-board.png"), full_page=True)
    card.get_by_role("link", name=WHAT, exact=True).click()

    page.locator("summary", has_text="Fulfilled").click()
    page.get_by_label("Evidence").last.fill("Seen on the walls of all nine surgeries")
    page.get_by_role("button", name="Record as fulfilled").click()
    page.wait_for_url("**?done=fulfil")
    history = page.locator("#history + p + ol.timeline")
    assert history.locator(":scope > li").count() == 2
    assert "Fulfilled on" in history.inner_text() and "Fran Facilitator" in history.inner_text()
    page.screenshot(path=str(artifacts_dir / "pages-commitment-history.png"), full_page=True)

    nav(page, "Commitments").click()
    assert page.locator("#fulfilled .commitment-card", has_text=WHAT).count() == 1
    assert page.problems == []


def test_the_network_page_draws_every_stakeholder_without_errors(
    page: Any, live_server: LiveServer, artifacts_dir: Path
) -> None:
    expected = live_server.runtime.reader.network(HOME).number_of_nodes()
    sign_in(page, live_server.tokens["lead"])
    nav(page, "Network").click()
    page.wait_for_selector("#civicweave-network canvas")
    page.wait_for_selector("#civicweave-network[data-drawn='true']", timeout=60_000)

    drawn = page.evaluate("window.civicweaveNetwork.body.data.nodes.length")
    page.wait_for_timeout(1500)  # let the physics settle before the picture is taken
    page.screenshot(path=str(artifacts_dir / "pages-network.png"), full_page=True)

    assert drawn == expected > 0
    assert page.problems == []


def test_hovering_a_stakeholder_on_the_network_shows_its_name_sector_and_assets(
    page: Any, live_server: LiveServer
) -> None:
    state = live_server.runtime.reader.state(HOME)
    day = live_server.runtime.reader.today()
    someone = min(
        (s for s in state.stakeholders.values() if s.assets and s.status == "active"), key=lambda s: s.name
    )
    sign_in(page, live_server.tokens["lead"])
    nav(page, "Network").click()
    page.wait_for_selector("#civicweave-network[data-drawn='true']", timeout=60_000)
    page.evaluate("window.civicweaveNetwork.stopSimulation()")  # so the node stays under the pointer
    page.locator("#civicweave-network").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """(name) => {
            const network = window.civicweaveNetwork;
            const node = network.body.data.nodes.get({filter: (n) => n.label === name})[0];
            const box = document.getElementById("civicweave-network").getBoundingClientRect();
            const at = network.canvasToDOM(network.getPosition(node.id));
            return [box.left + at.x, box.top + at.y];
        }""",
        someone.name,
    )
    page.mouse.move(x, y)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible").inner_text()
    sector = state.sector_of(someone.id, day)
    betweenness = live_server.runtime.reader.figures(HOME)["betweenness"]["values"][someone.id]

    assert tooltip.splitlines()[:2] == [
        f"{someone.name} ({SECTOR_LABELS[sector]})",
        f"Betweenness {betweenness:.3f}",
    ]
    for _, description in someone.assets.values():
        assert description in tooltip
    assert "Open commitments: " in tooltip
    assert page.problems == []


def test_the_report_prints_without_the_page_furniture(
    page: Any, live_server: LiveServer, artifacts_dir: Path
) -> None:
    sign_in(page, live_server.tokens["lead"])
    page.goto(f"/l/{HOME}/report")
    page.screenshot(path=str(artifacts_dir / "pages-report.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts_dir / "pages-report-print.png"), full_page=True)

    assert not page.locator(".site-header").is_visible()
    assert not page.locator("form.filters").is_visible()
    assert page.locator("h1").is_visible()
    assert page.problems == []


@pytest.mark.parametrize("width", [768, 1024])
def test_the_pages_fit_a_tablet_without_scrolling_sideways(
    page: Any, live_server: LiveServer, artifacts_dir: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 1024})
    sign_in(page, live_server.tokens["facilitator"])
    for path in ("", "/stakeholders", "/meetings/new", "/commitments", "/network", "/report"):
        page.goto(f"/l/{HOME}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow}px too wide at {width}px"
    page.goto(f"/l/{HOME}/meetings/new")
    page.screenshot(path=str(artifacts_dir / f"pages-record-meeting-{width}.png"), full_page=False)
    assert page.problems == []


def test_the_keyboard_reaches_the_skip_link_first_and_the_focus_shows(
    page: Any, live_server: LiveServer
) -> None:
    sign_in(page, live_server.tokens["facilitator"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    box = page.locator(".skip-link").bounding_box()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).boxShadow"
    )

    assert focused == "Skip to the content" and box is not None and box["x"] >= 0
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert outline != "none none"


def test_a_meeting_can_be_recorded_with_javascript_turned_off(
    browser: Any, live_server: LiveServer, artifacts_dir: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=live_server.base_url)
    page = context.new_page()
    state = live_server.runtime.reader.state(HOME)
    someone = min((s for s in state.stakeholders.values() if s.status == "active"), key=lambda s: s.name)
    try:
        sign_in(page, live_server.tokens["facilitator"])
        page.goto(f"/l/{HOME}/meetings/new")
        assert not page.get_by_label("Find a stakeholder").is_visible()  # the search box needs the script
        page.get_by_label("Title").fill("Conversation without scripts")
        page.get_by_label(someone.name, exact=False).first.check()
        page.get_by_role("button", name="Add a commitment").click()
        assert page.locator(".commitment-row").count() == 4
        assert page.get_by_label("Title").input_value() == "Conversation without scripts"
        page.get_by_role("button", name="Record the meeting").last.click()
        page.wait_for_url("**/meetings/*?done=recorded")
        page.screenshot(path=str(artifacts_dir / "pages-meeting-without-javascript.png"), full_page=True)
        assert someone.name in page.locator("#attendance + ul").inner_text()
    finally:
        context.close()
