"""A fresh app over a temporary data dir for every test, and the real-Redis and real-PostgreSQL fixtures."""

import pytest

from bot import create_app, data
from tests.helpers import SAMPLE, ingest_file
from tests.postgres_server import postgres_server, record_url  # noqa: F401  (fixtures)
from tests.redis_server import redis_server, redis_url  # noqa: F401  (fixtures)
from tests.wechat import Phone

ROOT = SAMPLE.parent.parent.parent
SAMPLE_DATE = "2026-04-28"


@pytest.fixture(scope="session", autouse=True)
def encoder_cache_dir(tmp_path_factory):
    """One cache for the sentence encoder's snapshot (83 MB) through the run, for the servers and commands the tests
    start too: by default each data dir would get its own, written by the first process using it."""
    with pytest.MonkeyPatch.context() as patch:
        path = tmp_path_factory.mktemp("encoder-cache")
        patch.setenv("ENCODER_CACHE_DIR", str(path))
        yield path


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
def make_app(data_dir):
    """Build apps over the test's data dir (``config`` on top of the test defaults); they are closed at its end."""
    apps = []

    def make(config=None, issues=()):
        defaults = {
            "TESTING": True,
            "BULLETIN_DATA_DIR": str(data_dir),
            "INGEST_LOCK_TIMEOUT": 1.0,
            # Tests change the index and ask at once; tests/test_generation.py holds the throttle's own promise.
            "GENERATION_CHECK_INTERVAL": 0,
        }
        app = create_app({**defaults, **(config or {})})
        apps.append(app)
        for path, day in issues:
            ingest_file(app, path, day)
        return app

    yield make
    for app in apps:
        data.close(app)


@pytest.fixture
def app(make_app, settings, issues):
    return make_app(settings, issues)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def phone(client):
    """WeChat's side of the test app's webhook: signs, sends and reads messages as one resident."""
    return Phone(client)


@pytest.fixture
def sample_bytes():
    return SAMPLE.read_bytes()
