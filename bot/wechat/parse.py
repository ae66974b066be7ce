"""A message's XML → the message object wechatpy defines, read without wechatpy's parser.

WeChat posts one ``<xml>`` element whose children each hold a text (in CDATA or not). wechatpy's ``parse_message``
reads that with xmltodict, a general converter whose Python handlers cost most of a warm message's parsing; here
expat fills a flat dict directly, shaped as xmltodict shapes it (text stripped, an empty element None), and the
message class is chosen as ``wechatpy.parser.parse_message`` chooses it (its logic, MIT licence, copied below): the
bot reads the same attributes with the same conversions, and ``tests/test_wechat_xml.py`` holds the two readers to the
same result over every kind of message.

Anything else is refused with ``Malformed`` before the bot sees it: a DOCTYPE (so no entity is ever declared, let
alone expanded or fetched), a root other than ``xml``, a child holding elements or attributes, a repeated child,
bytes that are not UTF-8, a missing or empty ``MsgType``, a ``MsgId`` or ``CreateTime`` that is no integer. (wechatpy
would hand some of these on as lists or dicts that fail later, inside the dialogue.)
"""

from typing import Any
from xml.parsers import expat

from wechatpy.events import EVENT_TYPES
from wechatpy.messages import MESSAGE_TYPES, UnknownMessage

#: Fields the bot converts to integers (``id``, ``time``): a message where they are not is refused here.
INTEGER_FIELDS = ("MsgId", "CreateTime")


class Malformed(ValueError):
    """Not a WeChat message: the webhook answers it ``success`` and logs one line."""


def _refuse_doctype(*_: object) -> None:
    raise Malformed("a DOCTYPE (entities are never read)")


class _Reader:
    """expat's handlers for one document: the root's children as ``name -> text or None``."""

    __slots__ = ("depth", "fields", "name", "text")

    def __init__(self) -> None:
        self.fields: dict[str, str | None] = {}
        self.depth = 0
        self.name = ""
        self.text: list[str] = []

    def start(self, tag: str, attributes: list[str]) -> None:
        self.depth += 1
        if self.depth == 2:
            if attributes or tag in self.fields:
                raise Malformed(f"an element {tag} with attributes or repeated")
            self.name = tag
            self.text = []
        elif self.depth == 1:
            if tag != "xml":
                raise Malformed(f"the root is {tag}, not xml")
        else:
            raise Malformed(f"an element {tag} inside a field")

    def end(self, _tag: str) -> None:
        if self.depth == 2:
            self.fields[self.name] = "".join(self.text).strip() or None
        self.depth -= 1

    def characters(self, data: str) -> None:
        if self.depth == 2:
            self.text.append(data)


def read_fields(xml: bytes | str) -> dict[str, str | None]:
    """The fields of a WeChat XML document (a message, or an encrypted envelope); ``Malformed`` otherwise."""
    reader = _Reader()
    parser = expat.ParserCreate("utf-8")
    parser.buffer_text = True
    parser.ordered_attributes = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as error:
        raise Malformed(f"not well-formed XML ({expat.errors.messages[error.code]})") from None
    return reader.fields


def parse_message(xml: bytes | str) -> Any:
    """The wechatpy message or event object for ``xml``; None for an empty body (as wechatpy answers)."""
    if not xml:
        return None
    message = read_fields(xml)
    for name in INTEGER_FIELDS:
        value = message.get(name)
        if value is not None:
            try:
                int(value)
            except ValueError:
                raise Malformed(f"{name} is not an integer") from None
    if not message.get("MsgType"):
        raise Malformed("no MsgType")
    message_class = _message_class(message)
    try:
        return message_class(message)
    except Exception as error:  # some of wechatpy's classes decode their fields (base64, split keys) as they are made
        raise Malformed(f"a {message_class.__name__} that cannot be read ({type(error).__name__})") from None


def _message_class(message: dict[str, str | None]) -> Any:
    """wechatpy's choice of class (``wechatpy/parser.py``), which also rewrites a follow by QR code's event."""
    message_type = str(message["MsgType"]).lower()
    event_type = None
    if message_type == "event" or message_type.startswith("device_"):
        if "Event" in message:
            event = message["Event"]
            if event is None:
                raise Malformed("an empty Event")
            event_type = event.lower()
        if event_type is None and message_type.startswith("device_"):
            event_type = message_type
        elif message_type.startswith("device_"):
            event_type = f"device_{event_type}"
        event_key = message.get("EventKey")
        if event_type == "subscribe" and event_key:
            if event_key.startswith(("scanbarcode|", "scanimage|")):
                event_type = "subscribe_scan_product"
                message["Event"] = event_type
            elif event_key.startswith("qrscene_"):
                event_type = "subscribe_scan"
                message["Event"] = event_type
                message["EventKey"] = event_key[len("qrscene_") :]
        return EVENT_TYPES.get(event_type, UnknownMessage)
    return MESSAGE_TYPES.get(message_type, UnknownMessage)
