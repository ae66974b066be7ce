"""A fresh app over a temporary data dir for every test, and the real-Redis fixtures."""
import pytest

from bot import create_app
from tests.helpers import SAMPLE, ingest_file
from tests.redis_server import redis_server, redis_url  # noqa: F401  (fixtures)

ROOT = SAMPLE.parent.parent.parent
SAMPLE_DATE = "2026-04-28"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "var"


@pytest.fixture
def settings():
    """Settings of the test's app on top of the defaults: a module overrides this fixture, a test parametrizes it."""
    return {}


@pytest.fixture
def issues():
    """Issue files ``(path, date)`` ingested before the test: a module overrides this fixture."""
    return ()


@pytest.fixture
def app(data_dir, settings, issues):
    app = create_app({"TESTING": True, "BULLETIN_DATA_DIR": str(data_dir), "INGEST_LOCK_TIMEOUT": 1.0, **settings})
    for path, day in issues:
        ingest_file(app, path, day)
    return app


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sample_bytes():
    return SAMPLE.read_bytes()
