"""``/metrics`` counts requests by route template, the whole template of a route included
under a prefix (as docs/deploy.md says), never the raw path."""

from __future__ import annotations

from tests.service.conftest import HOME, Api


def test_requests_are_counted_by_their_whole_route_template(api: Api) -> None:
    for _ in range(2):  # the second network read is answered before routing, under the same label
        assert (
            api.client.get(f"/api/v1/localities/{HOME}/network", headers=api.as_("lead")).status_code == 200
        )
    assert api.client.get("/health").status_code == 200
    assert api.client.get("/no/such/page").status_code == 404
    text = api.client.get("/metrics").text
    counted = {
        line[line.index("{") + 1 : line.rindex("}")]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("civicweave_http_requests_total{")
    }

    def count(method: str, route: str, status: int) -> float:
        return sum(
            value
            for labels, value in counted.items()
            if f'method="{method}"' in labels
            and f'route="{route}"' in labels
            and f'status="{status}"' in labels
        )

    assert count("GET", "/api/v1/localities/{slug}/network", 200) == 2
    assert count("GET", "/health", 200) == 1
    assert HOME not in text  # raw paths never become labels
