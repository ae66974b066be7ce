"""Around every answer, what a real official account needs: retries answered once, a rate limit, an apology when
the index work runs past its budget, and never a failure the resident would see.

WeChat waits 5 s, then retries twice more. The first delivery of a message claims it; a retry waits for that
reply and gets the very same XML (also on another worker: the claim and the reply live in the shared state). A
first delivery always stores a reply within the answer budget, unless its worker died with it (a node lost, a
balancer resending the message to another node): then the first retry to wait in vain answers it instead.
"""

import hashlib
import logging
import time

from bot import replies
from bot.state import State
from bot.state.parts import Admission
from bot.wechat.budget import OverBudget
from bot.wechat.dialogue import Dialogue
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
        outcome = "answered"
        try:
            with self.state.batch():  # the writes of one message travel together, when it is answered
                admission = self.state.gate.admit(key, message.source)
                if not admission.claimed:
                    reply_xml = self.state.dedupe.wait_reply(key, self.retry_wait)
                    if reply_xml is not None or not self.state.dedupe.take_over(key):
                        outcome = "retry"
                        return reply_xml or SUCCESS
                    outcome = "answered"
                    log.warning("answering a message whose first delivery never was user=%s", user_hash(message.source))
                    admission = Admission(claimed=True, allowed=True)
                self.state.stats.record_message()
                reply, outcome = self._answer(message, admission)
                xml = render(reply, message)
                self.state.dedupe.store_reply(key, xml)
            return xml
        except Exception:
            outcome = "error"
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
