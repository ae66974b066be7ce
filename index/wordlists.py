"""The word lists that decide how text is cut and read, named by the caller.

``index/`` never reads settings itself: the application (``bot.data``), the CLI, the benchmarks and the tests build
one ``WordLists`` from their own configuration and hand it to the ``Store`` and the ``QueryAnalyzer``.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WordLists:
    #: jieba user dictionary (``word [frequency] [tag]``): district names indexed as whole words.
    userdict: Path
    #: Words never indexed (function words); the index and the questions share them.
    stopwords: Path
    #: Words dropped from questions only (请问, 什么时候, 吗).
    question_words: Path
    #: Words that ask for a time or a figure (什么时候, 多少钱), in ``[time]`` and ``[amount]`` sections.
    fact_words: Path
    #: The colloquial-word map (paper's word, then residents' words): questions are searched for the paper's words.
    synonyms: Path
    #: Kinds of question the bulletin never answers (weather, timetables, prices), with the words that mark them.
    off_topic: Path
