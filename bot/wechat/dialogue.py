"""What the bot says to a message: commands, searches, menu taps and events, as ``Reply`` values.

Dispatch is by message type, then by event or command; each handler is a small method. Per-user state (the last
numbered list: search results, the newest headlines, or the headlines offered when nothing was found, and the page)
lives in ``state.sessions`` so "1" or "更多" works whichever worker gets the next message, and answers to questions
are cached under the index generation, so a new issue is never hidden behind the cache. Generations only move
forward, so an answer is cached only when the generation is the same after computing it as before: one computed
while a new issue arrived is never filed under the generation before it (on a cluster, where every node shares the
cache, another node still there would serve it).

The webhook's ``Conversation`` and the ``bulletin ask`` command both speak through a ``Dialogue``, so an editor at
the shell reads exactly what a resident reads in WeChat.
"""

import enum
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from bot import replies
from bot.answers import PAGE_SIZE, Answer, answer_page
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
    ) -> None:
        self.search = search
        self.state = state
        self.budget = budget
        self.public_base_url = public_base_url.rstrip("/")
        self.menu_queries = menu_queries or {}
        self.today = today
        #: Count questions in the editors' statistics: residents' questions are, an editor's tries are not.
        self.record_questions = record_questions

    def respond(self, message: Message) -> Reply:
        handler: Callable[[Message], Reply] | None = getattr(self, f"on_{message.type}", None)
        if handler is None:
            return Reply.say(replies.unsupported_reply(message.type))
        return handler(message)

    # -- messages ------------------------------------------------------------------------------------------

    def on_text(self, message: TextMessage) -> Reply:
        return self.on_words(message.source, message.content or "")

    def on_voice(self, message: VoiceMessage) -> Reply:
        text = (message.recognition or "").strip()
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
        today = self.today()
        parsed = self.search.questions.analyze(text, today)
        generation = self.search.generation()
        key = f"{generation}|{today.isoformat()}|{parsed.normalized}|{' '.join(parsed.terms)}"
        cached = self.state.cache.get(key)
        if cached is not None:
            entry = json.loads(cached)
        else:
            entry = self._entry(self.budget.run(self._first_page, parsed))
            if self.search.generation() == generation:
                self.state.cache.set(key, json.dumps(entry, ensure_ascii=False))
        ranked = [Ranked(id_, score) for id_, score in entry["ranked"]]
        if self.record_questions:
            self.state.stats.record_query(parsed.normalized, found=bool(ranked))
        if ranked:
            self._remember(user, RESULTS, ranked, text)
        else:  # the headlines offered instead, numbered in the reply
            self._remember(user, SUGGESTIONS, [Ranked(id_, 0.0) for id_ in entry.get("suggested", [])], text)
        return Reply.say(entry["reply"])

    def _first_page(self, parsed: ParsedQuery) -> Answer:
        return answer_page(self.search, parsed, tuple(self.search.find(parsed)), 0)

    @staticmethod
    def _entry(answer: Answer) -> dict[str, object]:
        """What the cache keeps of an answer: the ranking for the next pages, the ids a number picks, the reply."""
        return {
            "ranked": [[r.id, r.score] for r in answer.ranked],
            "suggested": [article.id for article in answer.suggested],
            "reply": answer.reply,
        }

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
            return Reply.card(article.title, replies.card_description(article), url)
        return Reply.say(replies.article_reply(article, None))

    def _remember(self, user: str, kind: str, ranked: Iterable[Ranked], question: str) -> None:
        """The user's last list, so a number or "更多" that follows (on any worker) refers to it."""
        self.state.sessions.set(
            user, {"kind": kind, "ranked": [[r.id, r.score] for r in ranked], "question": question, "page": 0}
        )
