"""A throwaway real PostgreSQL for the tests of a cluster's record (``bench.servers.PostgresServer``, shared with
the benchmarks and ``make cluster``).

Started once per test session the first time a test asks for it, stopped at the end. Each test gets a database of
its own (``record_url``), so no test sees another's record. Tests that restart the server use
``postgres_server.restart()``; the port stays the same.
"""

import itertools

import pytest

from bench.servers import PostgresServer, postgres_program

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server():
    try:
        postgres_program("postgres")
    except RuntimeError as error:
        pytest.fail(str(error))
    with PostgresServer() as server:
        yield server


@pytest.fixture
def record_url(postgres_server):
    """The URL of a new, empty database on the running server (restarted if an earlier test left it stopped)."""
    if postgres_server.process is None:
        postgres_server.start()
    name = f"record_{next(_databases)}"
    postgres_server.create_database(name)
    return postgres_server.url.rsplit("/", 1)[0] + f"/{name}"
