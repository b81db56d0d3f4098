"""What every page carries: a Content-Security-Policy with a fresh nonce (and no eval),
no framing, no sniffing; no inline handlers or style attributes for the policy to block;
no address of any other host."""

from __future__ import annotations

import re

from .conftest import HOME, Site

ANY_URL = re.compile(r"https?://[^\s\"'<>)]*", re.IGNORECASE)
#: The SVG namespace names no host to fetch; it is allowed only as the xmlns of inline <svg>.
SVG_NAMESPACE = re.compile(r'(<svg\b[^>]*?\sxmlns=")http://www\.w3\.org/2000/svg(")')
PROTOCOL_RELATIVE = re.compile(r"""(?:src|href|action)\s*=\s*["']//|url\(\s*["']?//""", re.IGNORECASE)
ASSETS = re.compile(r'<(?:script|link)\b[^>]*?\s(?:src|href)="(/[^"]*)"')
INLINE = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)


def _policy(header: str) -> dict[str, str]:
    return {d.strip().split(" ", 1)[0]: d.strip().partition(" ")[2] for d in header.split(";") if d.strip()}


def test_every_page_has_a_strict_policy_with_a_fresh_nonce(site: Site) -> None:
    client = site.client("facilitator")
    nonces = set()
    for path in site.every_page():
        answer = client.get(path)
        policy = _policy(answer.headers["content-security-policy"])
        nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9_-]+)'", policy["script-src"])
        assert nonce, policy
        nonces.add(nonce.group(1))
        assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        assert "unsafe-eval" not in answer.headers["content-security-policy"]
        assert "unsafe-inline" not in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"
        assert answer.headers["cache-control"] == "no-store"
    assert len(nonces) == len(site.every_page())


def test_every_inline_script_and_style_carries_the_nonce_of_its_answer(site: Site) -> None:
    answer = site.client("lead").get(f"/l/{HOME}/network")
    nonce = re.search(r"'nonce-([^']+)'", answer.headers["content-security-policy"])
    assert nonce
    inline = [(tag, attrs) for tag, attrs in INLINE.findall(answer.text) if "src=" not in attrs]
    runs = [(tag, attrs) for tag, attrs in inline if 'type="application/json"' not in attrs]

    assert ("script", f' nonce="{nonce.group(1)}"') in runs and (
        "style",
        f' nonce="{nonce.group(1)}"',
    ) in runs
    assert all(f'nonce="{nonce.group(1)}"' in attrs for _, attrs in runs)


def test_no_page_has_inline_handlers_or_style_attributes_the_policy_would_block(site: Site) -> None:
    client = site.client("facilitator")
    for path in site.every_page():
        page = client.get(path).text
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", page, re.IGNORECASE), path
        assert not re.search(r"<[a-z][^>]*\sstyle\s*=", page, re.IGNORECASE), path
        assert "javascript:" not in page.lower(), path


def test_every_form_that_changes_the_record_carries_the_csrf_token(site: Site) -> None:
    client = site.client("facilitator")
    token = site.csrf("facilitator")
    forms = 0
    for path in site.every_page():
        for form in re.findall(r'<form method="post".*?</form>', client.get(path).text, re.S):
            assert f'<input type="hidden" name="csrf_token" value="{token}">' in form, path
            forms += 1
    assert forms > 20


def test_no_page_stylesheet_or_script_refers_to_another_host(site: Site) -> None:
    """Fetches every page and every file they load; only the SVG namespace of inline
    charts may appear, as the xmlns of an <svg> element, since it names no host to fetch."""
    client = site.client("facilitator")
    assets: set[str] = set()
    for path in site.every_page():
        page = client.get(path).text
        assets.update(ASSETS.findall(page))
        ours = SVG_NAMESPACE.sub(r"\1\2", page)
        assert [u for u in ANY_URL.findall(ours) if not u.startswith("http://testserver/")] == [], path
        assert not PROTOCOL_RELATIVE.search(page), path
    assert {"/static/civicweave.css", "/static/civicweave.js", "/vendor/vis-network.js"} <= assets
    for asset in sorted(assets):
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert ANY_URL.findall(answer.text) == [], asset
        assert not PROTOCOL_RELATIVE.search(answer.text), asset


def test_vis_network_is_served_once_and_cached(site: Site) -> None:
    client = site.client()
    first = client.get("/vendor/vis-network.js")
    again = client.get("/vendor/vis-network.js", headers={"If-None-Match": first.headers["etag"]})

    assert first.headers["content-type"].startswith("text/javascript")
    assert "max-age" in first.headers["cache-control"]
    assert "@version 9.1.2" in first.text
    assert again.status_code == 304 and again.content == b""
