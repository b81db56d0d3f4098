"""Signing in and out: a server-side session named by an HttpOnly, SameSite=Strict cookie,
CSRF tokens on every form, and no way to be sent elsewhere after signing in."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.app import create_app
from service.pages.session import COOKIE
from service.runtime import Runtime
from service.settings import Settings

from .conftest import CSRF, HOME, Site, sign_in
from .html import field_errors


def _signin_token(client: TestClient) -> str:
    found = CSRF.search(client.get("/signin").text)
    assert found
    return found.group(1)


def test_a_page_asked_for_without_a_session_sends_the_visitor_to_sign_in(site: Site) -> None:
    answer = site.client().get(f"/l/{HOME}/commitments?as_of=2026-01-01")

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/signin?next=/l/{HOME}/commitments%3Fas_of%3D2026-01-01"


def test_signing_in_sets_an_httponly_strict_cookie_and_goes_on_to_the_page_asked_for(site: Site) -> None:
    client = site.client()
    answer = client.post(
        "/signin",
        data={
            "csrf_token": _signin_token(client),
            "token": site.tokens["lead"],
            "next": f"/l/{HOME}/network",
        },
    )

    cookie = answer.headers["set-cookie"]
    assert answer.status_code == 303 and answer.headers["location"] == f"/l/{HOME}/network"
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert site.tokens["lead"] not in cookie
    assert client.get(f"/l/{HOME}").status_code == 200


def test_a_wrong_token_is_refused_with_the_form_shown_again(site: Site) -> None:
    client = site.client()
    answer = client.post("/signin", data={"csrf_token": _signin_token(client), "token": "cw_not-a-token"})

    assert answer.status_code == 401
    assert field_errors(answer.text) == {"token": "That token is unknown or has been revoked."}
    assert COOKIE not in answer.headers.get("set-cookie", "")
    assert client.get(f"/l/{HOME}").status_code == 303


def test_the_sign_in_form_itself_needs_its_csrf_token(site: Site) -> None:
    client = site.client()
    client.get("/signin")
    answer = client.post("/signin", data={"token": site.tokens["lead"]})

    assert answer.status_code == 403
    assert COOKIE not in answer.headers.get("set-cookie", "")


def test_after_signing_in_the_visitor_is_never_sent_to_another_host(site: Site) -> None:
    client = site.client()
    for elsewhere in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        token = _signin_token(client)
        answer = client.post(
            "/signin", data={"csrf_token": token, "token": site.tokens["lead"], "next": elsewhere}
        )
        assert answer.headers["location"] == "/"


def test_signing_out_needs_the_csrf_token_and_ends_the_session(site: Site) -> None:
    client = site.client("facilitator")

    assert client.post("/signout", data={}).status_code == 403
    assert client.get(f"/l/{HOME}").status_code == 200

    answer = client.post("/signout", data={"csrf_token": site.csrf("facilitator")})
    assert answer.status_code == 303 and answer.headers["location"] == "/signin?signed_out=1"
    assert client.get(f"/l/{HOME}").status_code == 303


def test_the_session_is_known_to_every_process_on_the_same_store(site: Site) -> None:
    cookie = site.client("lead").cookies[COOKIE]
    settings = Settings(database_url=site.runtime.settings.database_url, projector=False)
    other = Runtime.open(settings)
    try:
        with TestClient(create_app(settings, runtime=other), follow_redirects=False) as second:
            second.cookies.set(COOKIE, cookie)
            assert second.get(f"/l/{HOME}/stakeholders").status_code == 200
    finally:
        other.close()


def test_a_revoked_token_or_an_expired_session_signs_the_visitor_out(site: Site) -> None:
    lead, facilitator = site.client("lead"), site.client("facilitator")
    site.runtime.tokens.revoke("Lee Lead")
    with site.runtime.tokens.db.transaction() as cursor:
        cursor.execute(
            "UPDATE civicweave_sessions SET expires_at = ? WHERE token_hash IN "
            "(SELECT hash FROM civicweave_tokens WHERE name = ?)",
            ("2000-01-01T00:00:00+00:00", "Fran Facilitator"),
        )

    assert lead.get(f"/l/{HOME}").status_code == 303
    assert facilitator.get(f"/l/{HOME}").status_code == 303


def test_each_session_has_its_own_csrf_token(site: Site) -> None:
    first = site.csrf("facilitator")
    again = TestClient(site.app, follow_redirects=False)
    sign_in(again, site.tokens["facilitator"])
    second = CSRF.search(again.get(f"/l/{HOME}").text)

    assert second and second.group(1) != first
    answer = again.post(
        f"/l/{HOME}/stakeholders/new", data={"csrf_token": first, "name": "X", "sector": "faith"}
    )
    assert answer.status_code == 403
