"""A fresh app over a temporary data dir for every test, and the real-Redis fixtures."""
import pytest

from bot import create_app
from tests.helpers import SAMPLE
from tests.redis_server import redis_server, redis_url  # noqa: F401  (fixtures)

ROOT = SAMPLE.parent.parent.parent
SAMPLE_DATE = "2026-04-28"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "var"


@pytest.fixture
def app(data_dir):
    return create_app({"TESTING": True, "BULLETIN_DATA_DIR": str(data_dir), "INGEST_LOCK_TIMEOUT": 1.0})


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sample_bytes():
    return SAMPLE.read_bytes()
