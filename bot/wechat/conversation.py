"""Around every answer, what a real official account needs: retries answered once, a rate limit, an apology when
the index work runs past its budget, and never a failure the resident would see.

WeChat waits 5 s, then retries twice more. The first delivery of a message claims it; a retry waits for that
reply and gets the very same XML (also on another worker: the claim and the reply live in the shared state).

Most messages are questions whose answer the worker already holds (``Dialogue.recall``). Such a reply is known
before the message is admitted, so the claim, the rate count, the stored reply and the asker's session are one step
in the shared state: one round trip. Anything else is admitted first, then answered, its writes sent together.

A first delivery always stores a reply within the answer budget, unless its worker died with it (a node lost, a
balancer resending the message to another node): then the first retry to wait in vain answers it instead.
"""

import hashlib
import logging
import time

from bot import replies
from bot.state import State
from bot.state.parts import Admission
from bot.wechat.budget import OverBudget
from bot.wechat.dialogue import Dialogue, Recalled
from bot.wechat.message import Message
from bot.wechat.render import SUCCESS, Reply, render

log = logging.getLogger("bot.wechat")


def user_hash(openid: str | None) -> str:
    """How a user appears in logs: enough to follow one conversation, never the OpenID itself."""
    return hashlib.sha256((openid or "").encode("utf-8")).hexdigest()[:12]


def message_key(message: Message) -> str:
    """What a retry repeats, and no other message shares.

    WeChat retries a message byte for byte. Messages carry a ``MsgId``, but it is read with the sender and the
    ``CreateTime``: some test tools and gateways send the same ``MsgId`` every time (one popular client always
    1234567), and a second resident's question, or the same resident's next one, must not be taken for a retry and
    answered with another reply. Events carry no ``MsgId``: they are identified by who sent them and when, plus which
    event and key (two menu taps within one second are two requests).
    """
    msg_id = getattr(message, "id", None)
    if msg_id:
        return f"msg:{message.source}:{msg_id}:{message.time}"
    return f"event:{message.source}:{message.time}:{getattr(message, 'event', '')}:{getattr(message, 'key', '')}"


class Conversation:
    def __init__(self, dialogue: Dialogue, state: State, *, retry_wait: float = 4.0) -> None:
        self.dialogue = dialogue
        self.state = state
        #: How long a retry waits for the first delivery's reply: as long as that one may take.
        self.retry_wait = retry_wait

    def handle(self, message: Message) -> str:
        """The reply XML (or ``success``) for ``message``; never raises."""
        started = time.monotonic()
        key = message_key(message)
        outcome = "error"
        try:
            recalled = self.dialogue.recall(message)
            if recalled is not None:
                xml, outcome = self._from_memory(message, key, recalled)
            else:
                xml, outcome = self._admit_then_answer(message, key)
            return xml
        except Exception:
            log.exception("failed to answer type=%s user=%s", message.type, user_hash(message.source))
            self._store_quietly(key, SUCCESS)
            return SUCCESS
        finally:
            log.info(
                "message type=%s event=%s user=%s outcome=%s ms=%.0f",
                message.type,
                getattr(message, "event", "-"),
                user_hash(message.source),
                outcome,
                (time.monotonic() - started) * 1000,
            )

    def _from_memory(self, message: Message, key: str, recalled: Recalled) -> tuple[str, str]:
        """One round trip: admitted within the limit, the message's reply and session are written with its claim."""
        xml = render(recalled.reply, message)
        writes = (self.state.dedupe.write(key, xml), self.state.sessions.write(message.source, recalled.session))
        admission = self.state.gate.admit(key, message.source, writes)
        if not admission.claimed:
            xml_of_first = self._retry(key)
            if xml_of_first is not None:
                return xml_of_first, "retry"
            if self._taken_over(message, key) is None:
                return SUCCESS, "retry"
            self.state.dedupe.store_reply(key, xml)
            self.state.sessions.set_encoded(message.source, recalled.session)
        self.state.stats.record_message()
        if not admission.allowed:
            xml = render(Reply.say(replies.rate_limited_reply()), message)
            self.state.dedupe.store_reply(key, xml)
            return xml, "rate-limited"
        self.dialogue.recalled(recalled)
        return xml, "answered"

    def _admit_then_answer(self, message: Message, key: str) -> tuple[str, str]:
        with self.state.batch():  # the writes of one message travel together, when it is answered
            admission = self.state.gate.admit(key, message.source)
            if not admission.claimed:
                xml_of_first = self._retry(key)
                if xml_of_first is not None:
                    return xml_of_first, "retry"
                taken = self._taken_over(message, key)
                if taken is None:
                    return SUCCESS, "retry"
                admission = taken
            self.state.stats.record_message()
            reply, outcome = self._answer(message, admission)
            xml = render(reply, message)
            self.state.dedupe.store_reply(key, xml)
        return xml, outcome

    def _retry(self, key: str) -> str | None:
        """The reply the first delivery stored, once it is there (None if it never comes in time)."""
        return self.state.dedupe.wait_reply(key, self.retry_wait)

    def _taken_over(self, message: Message, key: str) -> Admission | None:
        """The admission of a retry that answers a message whose first delivery never stored a reply (its worker
        died with it); None for every other retry that waited in vain, which answers ``success``."""
        if not self.state.dedupe.take_over(key):
            return None
        log.warning("answering a message whose first delivery never was user=%s", user_hash(message.source))
        return Admission(claimed=True, allowed=True)

    def _store_quietly(self, key: str, xml: str) -> None:
        """Let retries of a failed message stop waiting; a failure here changes nothing for the resident."""
        try:
            self.state.dedupe.store_reply(key, xml)
        except Exception:
            log.exception("could not record the reply of a failed message")

    def _answer(self, message: Message, admission: Admission) -> tuple[Reply, str]:
        if not admission.allowed:
            return Reply.say(replies.rate_limited_reply()), "rate-limited"
        try:
            return self.dialogue.respond(message), "answered"
        except OverBudget:
            return Reply.say(replies.timeout_reply()), "timeout"
