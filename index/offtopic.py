"""Kinds of question the bulletin never answers: the weather, timetables, prices, stock and lottery results,
national sports, shopping and parcels, what is "near me".

A district paper reports what happened in the district; a resident asking about tomorrow's rain or tonight's train
should hear that the bulletin has no report on it, not read an unrelated story. Such questions often share words
with real stories (a weather question with a power cut's 明天, a parcel question with the drone-delivery story), so
their kind is one signal of the "nothing" decision (``index.ranking``), beside how well the best story matches.

The kinds and the words that mark them are the editors' list (``config/off_topic.txt``, the ``OFF_TOPIC`` setting):
one section a kind, its name in Chinese (said to the resident), one marking word a line, matched anywhere in the
normalised question (traditional characters are simplified first).
"""

from dataclasses import dataclass
from os import PathLike
from pathlib import Path


@dataclass(frozen=True)
class QuestionKinds:
    #: (kind, its marking words), in file order.
    kinds: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def load(cls, path: str | PathLike[str]) -> "QuestionKinds":
        """Read ``[kind]`` sections of words; ``ValueError`` names a word outside any section."""
        kinds: list[tuple[str, list[str]]] = []
        for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("[") and line.endswith("]"):
                kinds.append((line[1:-1].strip(), []))
            elif not kinds:
                raise ValueError(f"{path}:{number}: '{line}' is outside any [kind] section")
            else:
                kinds[-1][1].append(line.lower())
        return cls(tuple((kind, tuple(words)) for kind, words in kinds))

    def kind_of(self, normalized: str) -> str | None:
        """The first kind one of whose words ``normalized`` (a normalised question) holds, or ``None``."""
        for kind, words in self.kinds:
            if any(word in normalized for word in words):
                return kind
        return None
