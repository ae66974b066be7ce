"""The segmenter alone: how long cutting the corpus's article bodies takes, to read the reindex cost against.

``index.segment.tokenize`` (search mode, the project's user dictionary) is what the indexer calls for every text
field, and bodies are nearly all of the text. The jieba package and rjieba (jieba-rs) are timed on the same bodies
too when they happen to be installed, for comparison; a missing one is reported as skipped.
"""

import importlib.util
import logging

from bench import datasets
from bench.stats import stopwatch
from index import segment


def bodies(archive, dates):
    return [article.body for day in dates for article in archive.load(day).articles]


def time_tokenizer(tokenize, texts):
    tokens = 0
    with stopwatch() as elapsed:
        for text in texts:
            tokens += sum(1 for _ in tokenize(text))
    chars = sum(map(len, texts))
    return {"seconds": elapsed(), "chars": chars, "tokens": tokens, "chars_per_s": chars / elapsed()}


def jieba_search():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # its dictionary load is not what is measured
    return lambda text: jieba.tokenize(text, mode="search")


def rjieba_search():
    import rjieba

    return lambda text: rjieba.tokenize(text, "search")


#: ``(label, module that must be installed, builder of a tokenize function)``; the first is the one in use.
TOKENIZERS = (
    ("index.segment.tokenize (in use)", "index", lambda: segment.tokenize),
    ("jieba package, search mode", "jieba", jieba_search),
    ("rjieba.tokenize, search mode", "rjieba", rjieba_search),
)


def run(archive, dates, report=print):
    texts = bodies(archive, dates)
    segment.initialize(datasets.WORDS.userdict)
    rows = []
    for label, module, build in TOKENIZERS:
        if importlib.util.find_spec(module) is None:
            rows.append({"name": label, "installed": False})
            report(f"  {label}: not installed, skipped")
            continue
        row = {"name": label, "installed": True, **time_tokenizer(build(), texts)}
        rows.append(row)
        report(f"  {label}: {row['seconds']:.1f} s for {len(texts)} bodies ({row['chars_per_s'] / 1000:.0f}k chars/s)")
    return {"articles": len(texts), "tokenizers": rows}
