"""The locality report for a period: headline figures against the previous period of
equal length, the network picture, commitments by promisor and sector, measures against
their targets with their stories, the decisions of the period's meetings; all as CSV."""

from __future__ import annotations

from datetime import date

import pytest

from .conftest import HOME, Site
from .html import csv_rows, text

REPORT = f"/l/{HOME}/report"
FIRST, LAST = date(2026, 1, 1), date(2026, 6, 30)
PERIOD = f"from={FIRST.isoformat()}&to={LAST.isoformat()}"


def test_the_report_compares_the_period_with_the_one_before_of_equal_length(site: Site) -> None:
    reader = site.runtime.reader
    before_last, before_first = date(2025, 12, 31), date(2025, 7, 4)  # 181 days, like Jan to Jun 2026
    page = text(site.client("lead").get(f"{REPORT}?{PERIOD}").text)
    rows = {
        r["figure"]: r
        for r in csv_rows(site.client("lead").get(f"{REPORT}?format=csv&table=headline&{PERIOD}"))
    }
    kept = reader.accountability(HOME, as_of=LAST, since=FIRST)["locality"]
    kept_before = reader.accountability(HOME, as_of=before_last, since=before_first)["locality"]

    assert "4 Jul 2025 to 31 Dec 2025" in page
    assert (
        int(rows["made"]["period"]) == kept["made"]
        and int(rows["made"]["previous_period"]) == kept_before["made"]
    )
    assert int(rows["made"]["change"]) == kept["made"] - kept_before["made"]
    assert int(rows["stakeholders"]["period"]) == reader.figures(HOME, as_of=LAST)["nodes"]
    came = reader.participation(HOME, as_of=LAST, since=FIRST)
    assert float(rows["lived_experience_share"]["period"]) == pytest.approx(came["lived_experience_share"])


def test_commitments_kept_late_missed_and_open_are_given_by_promisor_and_by_sector(site: Site) -> None:
    kept = site.runtime.reader.accountability(HOME, as_of=LAST, since=FIRST)
    client = site.client("lead")
    promisors = csv_rows(client.get(f"{REPORT}?format=csv&table=promisors&{PERIOD}"))
    sectors = csv_rows(client.get(f"{REPORT}?format=csv&table=sectors&{PERIOD}"))

    assert {r["id"] for r in promisors} == set(kept["by_promisor"])
    assert sum(int(r["made"]) for r in sectors) == kept["locality"]["made"]
    for row in promisors:
        figures = kept["by_promisor"][row["id"]]
        assert int(row["fulfilled"]) == figures["fulfilled"] and int(row["missed"]) == figures["missed"]
        assert 0 <= int(row["late"]) <= figures["fulfilled"]
    fulfilled = [c for c in site.runtime.reader.state(HOME).commitments.values() if FIRST <= c.made_on <= LAST
                 and c.outcome and c.outcome[0] == "fulfilled" and c.outcome[1] <= LAST]  # fmt: skip
    late = sum(1 for c in fulfilled if c.outcome and c.outcome[1] > c.original_due)
    assert sum(int(r["late"]) for r in promisors) == late


def test_measures_are_shown_against_their_targets_with_the_stories_of_the_period(site: Site) -> None:
    state = site.runtime.reader.state(HOME)
    page = text(site.client("lead").get(f"{REPORT}?{PERIOD}").text)
    rows = {
        r["measure"]: r
        for r in csv_rows(site.client("lead").get(f"{REPORT}?format=csv&table=measures&{PERIOD}"))
    }

    for measure in state.measures.values():
        assert measure.name in page
        for observation in measure.observations:
            if observation["story"] and FIRST.isoformat() <= observation["on"] <= LAST.isoformat():
                assert f"“{observation['story']}”" in page
    quantitative = next(m for m in state.measures.values() if m.kind == "quantitative")
    latest = [o for o in quantitative.observations if o["on"] <= LAST.isoformat()][-1]
    assert rows[quantitative.name]["latest"] == str(latest["value"])
    baseline, target = float(quantitative.baseline or 0), float(quantitative.target or 0)
    progress = (float(latest["value"]) - baseline) / (target - baseline)
    assert float(rows[quantitative.name]["progress_to_target"]) == pytest.approx(progress)


def test_the_decisions_of_the_period_meetings_are_listed(site: Site) -> None:
    state = site.runtime.reader.state(HOME)
    held = [m for m in state.meetings.values() if FIRST <= m.held_on <= LAST and m.status != "cancelled"]
    rows = csv_rows(site.client("lead").get(f"{REPORT}?format=csv&table=decisions&{PERIOD}"))
    page = text(site.client("lead").get(f"{REPORT}?{PERIOD}").text)

    assert len(rows) == sum(len(m.decisions) for m in held) > 0
    for meeting in held:
        assert meeting.title in page
        for decision in meeting.decisions:
            assert decision["text"] in page


def test_the_report_has_a_printable_network_picture_and_a_print_stylesheet(site: Site) -> None:
    page = site.client("lead").get(f"{REPORT}?{PERIOD}").text
    css = site.client().get("/static/civicweave.css").text

    assert page.count("<svg") == 2 and 'aria-label="Ties between sectors on 2026-06-30"' in page
    assert "@media print" in css and ".site-header" in css.split("@media print")[1]
    assert 'id="print-report" hidden' in page  # offered only where the script runs


def test_the_default_period_is_the_90_days_up_to_today_and_bad_dates_are_refused(site: Site) -> None:
    client = site.client("lead")
    today = site.runtime.reader.today()
    page = text(client.get(REPORT).text)

    assert f"to {today.day} {today:%b %Y}" in page
    assert client.get(f"{REPORT}?from=2026-06-01&to=2026-01-01").status_code == 422
    assert client.get(f"{REPORT}?from=someday").status_code == 422
    assert (
        client.get(f"{REPORT}?from=1900-01-01").status_code == 422
    )  # its previous period would start before 1900
