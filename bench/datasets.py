"""The data dirs the benchmarks run against: the synthetic corpus archived once, copied cheaply for each run.

Filling the archive goes through the real parser (``index.load.load_issue``) and the real archive writer
(``Archive.replacing``) but not through ``Store.ingest``: indexing thousands of issues one commit at a time is what
``reindex`` exists to replace, and it would take longer than the whole benchmark. The filled archive is cached under
``bench/out/corpus-cache/<fingerprint>/``; the fingerprint covers the generator's and the parser's source, so a
change to either rebuilds it. Every run works on a hard-linked copy (the archive never rewrites a file in place, it
writes new versions and swaps symlinks), so the timed ingests and reindexes never touch the cache.
"""

import hashlib
import json
import os
import shutil
from datetime import date
from pathlib import Path

from bench import corpus
from bot.data import word_lists
from config.settings import from_env
from index.archive import Archive
from index.conventions import Conventions
from index.load import load_issue
from index.parse import PageParser
from index.query import QueryAnalyzer
from index.search import Search
from index.store import Store

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SAMPLE = ROOT / "data" / "issues" / "2026-04-28.txt"
SAMPLE_DATE = date(2026, 4, 28)
MAX_BYTES = 5 * 1024 * 1024
#: The word lists the settings name, as the bot would use them.
WORDS = word_lists(from_env())
#: The page parser with the settings' conventions.
PARSER = PageParser(Conventions.load(from_env()["PAPER_CONVENTIONS"]), WORDS.userdict)
#: The web benchmark's index: the sample issue plus the newest synthetic issues, this many articles in all.
WEB_ARTICLES = 1000


def fingerprint():
    """A digest of what the cached archive depends on: the generator's source and the parser's (all of ``index/``,
    its fitted models and the papers' conventions)."""
    digest = hashlib.sha1()
    sources = [
        ROOT / "bench" / "corpus.py",
        ROOT / "bench" / "corpus_bank.py",
        *sorted((ROOT / "index").glob("*.py")),
        *sorted((ROOT / "index" / "models").iterdir()),
        Path(from_env()["PAPER_CONVENTIONS"]),
    ]
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


#: Taken once, as the parser is imported above: a source edited while a run goes on must not label a cache
#: filled by the code loaded before the edit.
FINGERPRINT = fingerprint()


def parsed_issue(day, data, name):
    """An ``Issue`` as the CLI builds one: parsed by the real upload path."""
    return load_issue(data, day, source=name, max_bytes=MAX_BYTES, parser=PARSER)


class Corpus:
    """The generated issues, as raw ``.txt`` files and as a filled archive, plus what each issue should hold."""

    def __init__(self, cache=OUT / "corpus-cache"):
        self.root = cache / FINGERPRINT
        self.issues_dir = self.root / "issues"
        self.archive = Archive(self.root / "archive")
        self.expected_path = self.root / "expected.json"

    def _expected(self):
        return json.loads(self.expected_path.read_text(encoding="utf-8")) if self.expected_path.exists() else {}

    def ensure(self, dates, report=print):
        """Generate, parse and archive the issues of ``dates`` not archived yet; drop caches of older sources."""
        for stale in self.root.parent.glob("*"):
            if stale != self.root:
                shutil.rmtree(stale, ignore_errors=True)
        self.issues_dir.mkdir(parents=True, exist_ok=True)
        expected = self._expected()
        missing = [day for day in dates if day.isoformat() not in expected or day not in self.archive]
        for done, day in enumerate(missing, 1):
            generated = corpus.generate_issue(day)
            data = generated.text.encode("utf-8")
            name = f"{day.isoformat()}.txt"
            (self.issues_dir / name).write_bytes(data)
            with self.archive.replacing(parsed_issue(day, data, name), data):
                pass
            expected[day.isoformat()] = [[item.kind, item.title] for item in generated.articles]
            if done % 500 == 0 or done == len(missing):
                report(f"  generated and archived {done}/{len(missing)} issues")
                self.expected_path.write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")

    def check(self, dates):
        """How the parser read the generated pages: article counts per issue, and titles where the page prints one."""
        expected = self._expected()
        mismatched, titled, agreeing, articles = [], 0, 0, 0
        for day in dates:
            wanted = expected[day.isoformat()]
            parsed = self.archive.load(day).articles
            articles += len(parsed)
            if len(parsed) != len(wanted):
                mismatched.append(f"{day.isoformat()} ({len(parsed)} parsed, {len(wanted)} generated)")
                continue
            for (_kind, title), article in zip(wanted, parsed, strict=True):
                if title:
                    titled += 1
                    agreeing += article.title == title
        return {
            "issues": len(dates),
            "articles": articles,
            "count_mismatches": mismatched,
            "titles_checked": titled,
            "titles_agreeing": agreeing,
        }

    def copy_to(self, data_dir, dates):
        """A fresh data dir whose archive holds the issues of ``dates``, hard-linked from the cache."""
        data_dir = Path(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
        archive = data_dir / "archive"
        (archive / ".store").mkdir(parents=True)
        for day in dates:
            link = self.archive.root / day.isoformat()
            target = os.readlink(link)
            shutil.copytree(self.archive.root / target, archive / target, copy_function=os.link)
            os.symlink(target, archive / day.isoformat())
        return data_dir


def with_sample(data_dir):
    """Ingest the real sample issue through ``Store.ingest``, as an editor would."""
    data = SAMPLE.read_bytes()
    Store(data_dir, WORDS).ingest(parsed_issue(SAMPLE_DATE, data, SAMPLE.name), data)


def newest(corpus_, candidates, limit):
    """The newest of ``candidates`` (archived dates) that, with the sample, make about ``limit`` articles."""
    expected = corpus_._expected()
    dates, total = [], len(parsed_issue(SAMPLE_DATE, SAMPLE.read_bytes(), SAMPLE.name).articles)
    for day in reversed(candidates):
        if total >= limit:
            break
        dates.append(day)
        total += len(expected[day.isoformat()])
    return sorted(dates)


def web_data_dir(path, report=print):
    """The sample plus synthetic issues, about ``WEB_ARTICLES`` articles, indexed: what the web and issue-3 runs use."""
    corpus_ = Corpus()
    candidates = corpus.issue_dates(0.05)
    corpus_.ensure(candidates, report)
    dates = newest(corpus_, candidates, WEB_ARTICLES)
    corpus_.copy_to(path, dates)
    with_sample(path)
    count = Store(path, WORDS).reindex()
    report(f"  web data dir: {count} articles from {len(dates) + 1} issues in {path}")
    return Path(path), count


def store(data_dir):
    """The write side over ``data_dir``, with the settings' word lists."""
    return Store(data_dir, WORDS)


def search(data_dir):
    """The read side over ``data_dir``, reading questions with the settings' word lists."""
    return Search(Store(data_dir, WORDS).index_dir, QueryAnalyzer(WORDS))
