from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import psycopg
import pytest

from tests.conftest import _create_database, _drop_database, _postgres_url


@pytest.fixture
def fresh_postgres_url(postgres_admin: psycopg.Connection) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (skips, or fails in CI, without a server)."""
    dbname = f"civicweave_e2e_{uuid4().hex}"
    _create_database(postgres_admin, dbname)
    try:
        yield _postgres_url(dbname)
    finally:
        _drop_database(postgres_admin, dbname)
