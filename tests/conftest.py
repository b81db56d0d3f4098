"""Fixtures shared by the whole suite: stores on SQLite and PostgreSQL, and applications.

PostgreSQL is the local server at 127.0.0.1:5432 (user postgres, trust auth); point
elsewhere with CIVICWEAVE_TEST_POSTGRES_HOST / CIVICWEAVE_TEST_POSTGRES_PORT. When it
cannot be reached the postgres tests are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from domain.application import CivicWeave
from domain.persistence import environment
from tests.browser import artifacts_dir, browser  # noqa: F401  (one browser for every browser test)
from tests.domain.builders import Testville, build_testville

POSTGRES_HOST = os.environ.get("CIVICWEAVE_TEST_POSTGRES_HOST", "127.0.0.1")
POSTGRES_PORT = int(os.environ.get("CIVICWEAVE_TEST_POSTGRES_PORT", "5432"))


def _postgres_url(dbname: str) -> str:
    return f"postgresql://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/{dbname}"


def _drop_database(admin: psycopg.Connection, dbname: str) -> None:
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))


def _create_database(admin: psycopg.Connection, dbname: str) -> None:
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[psycopg.Connection]:
    """An autocommit connection to the server's maintenance database, to create and drop
    test databases; skips (or, in CI, fails) when the server cannot be reached."""
    try:
        admin = psycopg.connect(
            host=POSTGRES_HOST,
            port=POSTGRES_PORT,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=3,
        )
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL is not running at {POSTGRES_HOST}:{POSTGRES_PORT}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with admin:
        yield admin


@pytest.fixture(scope="session")
def postgres_url(postgres_admin: psycopg.Connection) -> Iterator[str]:
    """The URL of a fresh database for the whole session, dropped at its end."""
    dbname = f"civicweave_test_{uuid4().hex}"
    _create_database(postgres_admin, dbname)
    yield _postgres_url(dbname)
    _drop_database(postgres_admin, dbname)


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty store for one test, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/civicweave.db"
        return
    admin: psycopg.Connection = request.getfixturevalue("postgres_admin")
    dbname = f"civicweave_t_{uuid4().hex}"
    _create_database(admin, dbname)
    try:
        yield _postgres_url(dbname)
    finally:
        # FORCE: a test that failed half-way may have left an application's pool open.
        _drop_database(admin, dbname)


@pytest.fixture
def app(database_url: str) -> Iterator[CivicWeave]:
    """The application on a fresh SQLite or PostgreSQL store."""
    application = CivicWeave(environment(database_url))
    yield application
    application.close()


@pytest.fixture
def memory_app() -> Iterator[CivicWeave]:
    """The application on an in-memory store: for the many pure domain tests."""
    application = CivicWeave(environment("memory://"))
    yield application
    application.close()


@pytest.fixture
def testville(memory_app: CivicWeave) -> Testville:
    """The small locality "testville", with stakeholders in several sectors, in memory."""
    return build_testville(memory_app)
