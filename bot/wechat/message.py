"""The attributes of wechatpy's messages and events that the bot reads (wechatpy ships no type information).

The webhook hands on only messages that have a sender, so ``source`` is always set; the other fields are absent
(None) when WeChat left them out.
"""

from typing import Protocol


class Message(Protocol):
    """Any message or event."""

    #: The sender's OpenID.
    source: str
    #: The official account's id.
    target: str
    #: ``text``, ``voice``, ``image``..., or ``event``.
    type: str
    #: ``CreateTime``, in seconds since the epoch.
    time: int | None


class TextMessage(Message, Protocol):
    content: str | None


class VoiceMessage(Message, Protocol):
    #: WeChat's transcript of the voice note, when speech recognition is on.
    recognition: str | None


class EventMessage(Message, Protocol):
    #: ``subscribe``, ``unsubscribe``, ``click``...
    event: str


class ClickEvent(EventMessage, Protocol):
    #: The menu button's key.
    key: str | None
