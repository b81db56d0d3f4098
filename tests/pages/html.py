"""Reading served pages in tests: errors beside fields, forms, labels, links, CSV downloads."""

from __future__ import annotations

import csv
import html
import io
import re
from html.parser import HTMLParser
from typing import Any

import httpx

FIELD_ERROR = re.compile(r'<p class="field-error" id="f-([^"]+)-error">(.*?)</p>', re.S)
TAG = re.compile(r"<[^>]+>")
INLINE_TAG = re.compile(r"</?(?:a|span|strong|em|time|abbr|b|i)\b[^>]*>", re.IGNORECASE)


def text(fragment: str) -> str:
    """Markup as the words a reader sees (inline elements run on; others are set apart)."""
    return " ".join(html.unescape(TAG.sub(" ", INLINE_TAG.sub("", fragment))).split())


def field_errors(page: str) -> dict[str, str]:
    """Each field's error message, by field name."""
    return {name: text(message).removeprefix("Error: ") for name, message in FIELD_ERROR.findall(page)}


class _Controls(HTMLParser):
    """Forms, their controls, the labels that name them and the links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.controls: list[dict[str, str]] = []
        self.labelled: set[str] = set()
        self.links: list[str] = []
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(), "action": a.get("action", "")})
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.labelled.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            hidden = a.get("type") in ("hidden", "submit", "button")
            if not hidden:
                self.controls.append({**a, "tag": tag, "wrapped": "yes" if self._label_depth else ""})
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth -= 1


def parse(page: str) -> _Controls:
    parser = _Controls()
    parser.feed(page)
    return parser


def post_forms(page: str) -> list[str]:
    """The actions of the page's POST forms, sign-out aside."""
    return [f["action"] for f in parse(page).forms if f["method"] == "post" and f["action"] != "/signout"]


def unlabelled(page: str) -> list[str]:
    """Controls that have no label a screen reader would announce."""
    found = parse(page)
    return [
        c.get("id") or c.get("name", "?")
        for c in found.controls
        if not (c.get("id") in found.labelled or c["wrapped"] or c.get("aria-label"))
    ]


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))
