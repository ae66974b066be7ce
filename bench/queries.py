"""Residents' questions for the load and latency runs, composed from the corpus vocabulary, all distinct.

Distinct matters: the bot caches answers by normalised question, so a cache-miss run needs as many different
questions as it sends requests. The list is deterministic (seeded), the first ones are the most ordinary shapes
(a keyword, a place and a keyword, a question), and ``write`` keeps a copy under ``bench/out`` to read.
"""

import random

from bench import corpus_bank as bank
from bench.corpus import LAST_DAY

SEED = 7


def keywords():
    return [word for topic in bank.TOPICS.values() for word in topic["keywords"]]


def _values(rng, words):
    company = f"{rng.choice(bank.COMPANY_NAMES)}{rng.choice(bank.INDUSTRIES)}"
    return {
        "keyword": rng.choice(words),
        "keyword2": rng.choice(words),
        "aspect": rng.choice(bank.ASPECTS),
        "town": rng.choice(bank.TOWNS),
        "community": rng.choice(bank.COMMUNITIES),
        "village": rng.choice(bank.VILLAGES),
        "road": rng.choice(bank.ROADS),
        "school": rng.choice(bank.SCHOOLS),
        "clinic": rng.choice(bank.CLINICS),
        "company_short": company,
        "reporter": rng.choice(bank.REPORTERS),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "year": rng.randint(LAST_DAY.year - 9, LAST_DAY.year),
    }


def realistic(count, seed=SEED):
    """``count`` distinct questions; the form of each is drawn first, then its words."""
    rng = random.Random(seed)
    words = keywords()
    found = dict.fromkeys(words)
    attempts = 0
    while len(found) < count:
        attempts += 1
        if attempts > count * 50:
            raise RuntimeError(f"only {len(found)} distinct questions could be composed")
        found.setdefault(rng.choice(bank.QUERY_FORMS).format_map(_values(rng, words)))
    return list(found)[:count]


def write(path, questions):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(questions) + "\n", encoding="utf-8")
