"""What the bot says to a message: commands, searches, menu taps and events, as ``Reply`` values.

Dispatch is by message type, then by event or command; each handler is a small method. Per-user state (the last
numbered list: search results, the newest headlines, or the headlines offered when nothing was found, and the page)
lives in ``state.sessions`` so "1" or "更多" works whichever worker gets the next message, and answers to questions
are cached under the index generation, so a new issue is never hidden behind the cache. Generations only move
forward, so an answer is cached only when the generation after computing it is the one it is keyed on: one
computed while a new issue arrived (or before this worker looked again) is never filed under the generation before
it (on a cluster, where every node shares the cache, another node still there would serve it).

The webhook's ``Conversation`` and the ``bulletin ask`` command both speak through a ``Dialogue``, so an editor at
the shell reads exactly what a resident reads in WeChat.

A question whose answer this process already holds is the common case (residents ask the same things): ``recall``
answers it without any I/O, so the webhook can make the message's writes in the same round trip that admits it.
"""

import enum
import functools
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import cast

from bot import replies
from bot.answers import PAGE_SIZE, Answer, answer_page, answer_parsed
from bot.state import State
from bot.wechat.budget import Budget
from bot.wechat.message import ClickEvent, EventMessage, Message, TextMessage, VoiceMessage
from bot.wechat.render import Reply
from index.query import ParsedQuery
from index.search import Ranked, Search

log = logging.getLogger("bot.dialogue")

HELP_WORDS = frozenset({"帮助", "help", "?", "？", "菜单", "说明"})
LATEST_WORDS = frozenset({"最新", "最新一期", "本期", "目录"})
MORE_WORDS = frozenset({"更多", "下一页", "more", "next"})
NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.。]?\s*$")
#: Menu keys with a meaning of their own; any other key is looked up in the MENU_QUERIES setting.
MENU_LATEST, MENU_HELP = "LATEST", "HELP"
#: What a session's numbered list holds: a question's results (which "更多" pages through), the newest issue's
#: headlines, or the headlines offered when a question found nothing.
RESULTS, DIGEST, SUGGESTIONS = "search", "digest", "suggestions"


@dataclass(frozen=True)
class CachedAnswer:
    """A question's first page as the cache keeps it: the ranking for the next pages, the ids a number picks, the
    reply. Decoded once per process (``Cache`` keeps it so), and what a session remembers of it encoded once."""

    ranked: tuple[Ranked, ...]
    suggested: tuple[str, ...]
    reply: str
    #: Answered with less confidence than the ``DOUBTFUL_BELOW`` setting: the desk lists the question for a check.
    doubtful: bool = False

    @classmethod
    def of(cls, answer: Answer, doubtful_below: float) -> "CachedAnswer":
        doubtful = bool(answer.ranked) and answer.confidence is not None and answer.confidence < doubtful_below
        return cls(answer.ranked, tuple(article.id for article in answer.suggested), answer.reply, doubtful)

    @classmethod
    def decode(cls, text: str) -> "CachedAnswer":
        entry = json.loads(text)
        ranked = tuple(Ranked(id_, score) for id_, score in entry["ranked"])
        return cls(ranked, tuple(entry.get("suggested", ())), entry["reply"], bool(entry.get("doubtful")))

    def encode(self) -> str:
        return json.dumps(
            {
                "ranked": [[r.id, r.score] for r in self.ranked],
                "suggested": list(self.suggested),
                "reply": self.reply,
                "doubtful": self.doubtful,
            },
            ensure_ascii=False,
        )

    @property
    def kind(self) -> str:
        """What a session lists after this answer: its results, or the headlines offered when there were none."""
        return RESULTS if self.ranked else SUGGESTIONS

    @functools.cached_property
    def _listed(self) -> str:
        listed = self.ranked if self.ranked else [Ranked(id_, 0.0) for id_ in self.suggested]
        return json.dumps([[r.id, r.score] for r in listed], ensure_ascii=False)

    def session(self, question: str) -> str:
        """The session after answering ``question`` with this, encoded as ``encode_session`` would encode it."""
        return (
            f'{{"kind": "{self.kind}", "ranked": {self._listed}, '
            f'"question": {json.dumps(question, ensure_ascii=False)}, "page": 0}}'
        )


@dataclass(frozen=True)
class Recalled:
    """A question answered from this process's memory (``Dialogue.recall``), before anything is written."""

    reply: Reply
    #: The asker's session after it, encoded.
    session: str
    question: str | None
    found: bool
    doubtful: bool = False


def question_of(message: Message) -> str | None:
    """The words of a text message or a recognised voice note; None for other messages."""
    if message.type == "text":
        return cast(TextMessage, message).content or ""
    if message.type == "voice":
        return (cast(VoiceMessage, message).recognition or "").strip() or None
    return None


class Command(enum.Enum):
    """What a message of words is: one of the commands, a number, or anything else (a question)."""

    HELP = "help"
    LATEST = "latest"
    MORE = "more"
    PICK = "pick"
    QUESTION = "question"


@dataclass(frozen=True)
class Words:
    """What a message of words asks for: a command, a number to pick (``number``), or a question to search."""

    command: Command
    number: int = 0


def command_of(text: str | None) -> str:
    """The text as a command is matched: NFKC, trimmed, lower-case."""
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def read_words(text: str | None) -> Words:
    """How ``on_words`` dispatches ``text``; ``bulletin ask --json`` reads it too, to analyse questions only."""
    command = command_of(text)
    if command in HELP_WORDS:
        return Words(Command.HELP)
    if command in LATEST_WORDS:
        return Words(Command.LATEST)
    if command in MORE_WORDS:
        return Words(Command.MORE)
    number = NUMBER.match(command)
    if number:
        return Words(Command.PICK, int(number.group(1)))
    return Words(Command.QUESTION)


class Dialogue:
    def __init__(
        self,
        search: Search,
        state: State,
        budget: Budget,
        *,
        public_base_url: str = "",
        menu_queries: Mapping[str, str] | None = None,
        today: Callable[[], date] = date.today,
        record_questions: bool = True,
        generation: Callable[[], str | None] | None = None,
        doubtful_below: float = 0.0,
    ) -> None:
        self.search = search
        #: The index generation answers are cached under (``bot.generation.GenerationWatch`` in the webhook).
        self.generation = generation or search.generation
        self.state = state
        self.budget = budget
        self.public_base_url = public_base_url.rstrip("/")
        self.menu_queries = menu_queries or {}
        self.today = today
        #: Count questions in the editors' statistics: residents' questions are, an editor's tries are not.
        self.record_questions = record_questions
        #: An answer less sure than this is counted among the doubtful ones the desk lists (0: none is).
        self.doubtful_below = doubtful_below

    def respond(self, message: Message) -> Reply:
        handler: Callable[[Message], Reply] | None = getattr(self, f"on_{message.type}", None)
        if handler is None:
            return Reply.say(replies.unsupported_reply(message.type))
        return handler(message)

    # -- messages ------------------------------------------------------------------------------------------

    def on_text(self, message: TextMessage) -> Reply:
        return self.on_words(message.source, question_of(message) or "")

    def on_voice(self, message: VoiceMessage) -> Reply:
        text = question_of(message)
        if not text:
            return Reply.say(replies.voice_unrecognised_reply())
        return self.on_words(message.source, text)

    def on_image(self, message: Message) -> Reply:
        return Reply.say(replies.unsupported_reply(message.type))

    on_video = on_shortvideo = on_location = on_link = on_image

    def on_event(self, message: EventMessage) -> Reply:
        handler: Callable[[EventMessage], Reply] | None = getattr(self, f"on_event_{message.event}", None)
        return handler(message) if handler else Reply.silent()

    def on_words(self, user: str, text: str) -> Reply:
        words = read_words(text)
        if words.command is Command.HELP:
            return Reply.say(replies.help_reply())
        if words.command is Command.LATEST:
            return self.latest(user)
        if words.command is Command.MORE:
            return self.next_page(user)
        if words.command is Command.PICK:
            return self.pick(user, words.number)
        return self.ask(user, text)

    # -- events --------------------------------------------------------------------------------------------

    def on_event_subscribe(self, message: EventMessage) -> Reply:
        return Reply.say(replies.welcome_reply(self.latest(message.source).text))

    on_event_subscribe_scan = on_event_subscribe

    def on_event_click(self, message: ClickEvent) -> Reply:
        key = (message.key or "").strip()
        if key == MENU_LATEST:
            return self.latest(message.source)
        if key == MENU_HELP:
            return Reply.say(replies.help_reply())
        if key in self.menu_queries:
            return self.ask(message.source, self.menu_queries[key])
        log.warning("menu key %r has no mapping in MENU_QUERIES", key)
        return Reply.say(replies.help_reply())

    # -- commands ------------------------------------------------------------------------------------------

    def ask(self, user: str, text: str) -> Reply:
        parsed, key, generation = self._question(text)
        entry = self.state.cache.get(key, CachedAnswer.decode)
        self.state.stats.record_lookup(hit=entry is not None)
        if entry is None:
            entry = CachedAnswer.of(self.budget.run(self._first_page, parsed), self.doubtful_below)
            if self.search.generation() == generation:  # made from the generation it is keyed on (see above)
                self.state.cache.set(key, entry.encode(), entry)
        self._record_question(parsed.normalized, found=bool(entry.ranked), doubtful=entry.doubtful)
        self.state.sessions.set_encoded(user, entry.session(text))
        return Reply.say(entry.reply)

    def recall(self, message: Message) -> Recalled | None:
        """The answer to a question whose answer this process holds, found without any I/O and with nothing written
        or counted yet (``recalled`` counts it once the message is admitted); None for anything else."""
        text = question_of(message)
        if text is None or read_words(text).command is not Command.QUESTION:
            return None
        parsed, key, _ = self._question(text)
        entry = self.state.cache.peek(key)
        if not isinstance(entry, CachedAnswer):
            return None
        return Recalled(
            Reply.say(entry.reply), entry.session(text), parsed.normalized, bool(entry.ranked), entry.doubtful
        )

    def recalled(self, recalled: Recalled) -> None:
        """Count an answer given from memory, as ``ask`` counts its answers."""
        self.state.stats.record_lookup(hit=True)
        self._record_question(recalled.question, recalled.found, recalled.doubtful)

    def _question(self, text: str) -> tuple[ParsedQuery, str, str | None]:
        """The analysed question, its key in the query cache, and the index generation. The key holds what the
        answer depends on: the generation, the day, the terms (the colloquial words' included) and the question's
        kind, so that a word an editor adds to either list is not answered from before it."""
        today = self.today()
        parsed = self.search.questions.analyze(text, today)
        generation = self.generation()
        terms = " ".join(parsed.marked)
        return parsed, f"{generation}|{today.isoformat()}|{parsed.normalized}|{terms}|{parsed.kind or ''}", generation

    def _record_question(self, normalized: str | None, found: bool, doubtful: bool = False) -> None:
        if self.record_questions:
            self.state.stats.record_query(normalized, found=found, doubtful=doubtful)

    def _first_page(self, parsed: ParsedQuery) -> Answer:
        return answer_parsed(self.search, parsed)

    def latest(self, user: str) -> Reply:
        articles = self.budget.run(self.search.latest_issue)
        if not articles:
            return Reply.say(replies.no_issue_reply())
        self._remember(user, DIGEST, [Ranked(a.id, 0.0) for a in articles], "")
        return Reply.say(replies.digest_reply(articles[0].issue_date, articles))

    def next_page(self, user: str) -> Reply:
        session = self.state.sessions.get(user)
        if not session:
            return Reply.say(replies.no_previous_results_reply())
        if session["kind"] != RESULTS:  # a list of headlines is shown whole
            return Reply.say(replies.no_more_results_reply())
        page = session["page"] + 1
        ranked = tuple(Ranked(id_, score) for id_, score in session["ranked"])
        if page * PAGE_SIZE >= len(ranked):
            return Reply.say(replies.no_more_results_reply())
        parsed = self.search.questions.analyze(session["question"], self.today())
        answer = self.budget.run(answer_page, self.search, parsed, ranked, page)
        session["page"] = page
        self.state.sessions.set(user, session)
        return Reply.say(answer.reply)

    def pick(self, user: str, number: int) -> Reply:
        session = self.state.sessions.get(user)
        if not session or not session["ranked"]:
            return Reply.say(replies.no_previous_results_reply())
        if not 1 <= number <= len(session["ranked"]):
            return Reply.say(replies.number_out_of_range_reply(number, len(session["ranked"])))
        article = self.budget.run(self.search.article, session["ranked"][number - 1][0])
        if article is None:
            return Reply.say(replies.no_previous_results_reply())
        if self.public_base_url:
            url = f"{self.public_base_url}/articles/{article.id}"
            picture = f"{url}/photo.jpg" if article.photo else ""
            return Reply.card(article.title, replies.card_description(article), url, picture)
        return Reply.say(replies.article_reply(article, None))

    def _remember(self, user: str, kind: str, ranked: Iterable[Ranked], question: str) -> None:
        """The user's last list, so a number or "更多" that follows (on any worker) refers to it."""
        self.state.sessions.set(user, session(kind, ranked, question))


def session(kind: str, ranked: Iterable[Ranked], question: str) -> dict[str, object]:
    """A user's last list: what it is, its ids and scores, the question it answered, the page shown."""
    return {"kind": kind, "ranked": [[r.id, r.score] for r in ranked], "question": question, "page": 0}
