"""One codec between the project's frozen dataclasses and JSON, driven by their field types.

An article's fields are written once, in its dataclass: the archive's ``issue.json``, the index's stored copy, the
``--json`` output, the admin API and editors' JSON issues all go through here, so a new field needs no second list.

Supported field types: ``str``, ``int``, ``float``, ``bool``, ``date``, a ``StrEnum``, ``tuple[T, ...]`` of any of
these or of another such dataclass, ``X | None``, and a union of dataclasses that each name themselves in a ``TAG``
class variable (the editors' corrections: ``{"op": "split", "article": 2, "paragraph": 3}``). ``decode`` checks every
value's type and says which key is wrong, so it also serves as the validation of data typed by people.
"""

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: The key that says which class of a tagged union a JSON object is; the class's ``TAG`` is its value.
TAG_KEY = "op"


class CodecError(ValueError):
    """A value of the wrong type or shape; ``key`` names the field (``articles.3.kind``).

    ``expected`` says what was wanted in one stable word, for messages in other languages: ``present`` (the key is
    missing), ``object``, ``list``, ``date``, ``str``, ``int``, ``float``, ``bool`` or ``one_of`` (then ``options``
    lists the allowed values).
    """

    def __init__(self, key: str, message: str, *, expected: str, options: tuple[str, ...] = ()) -> None:
        super().__init__(f"'{key}' {message}")
        self.key = key
        self.message = message
        self.expected = expected
        self.options = options


_FIELD_TYPES: dict[type, dict[str, Any]] = {}


def field_types(cls: type) -> dict[str, Any]:
    """``{name: type}`` of a dataclass's fields, string annotations resolved (once per class: it costs ~30 µs)."""
    found = _FIELD_TYPES.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        fields = dataclasses.fields(cls)
        found = _FIELD_TYPES[cls] = {f.name: hints[f.name] for f in fields}
    return found


def encode(value: object) -> Any:
    """The JSON form of a dataclass instance, or of any value a field may hold."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        tag = getattr(value, "TAG", None)
        return {TAG_KEY: tag, **fields} if tag else fields
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    return value


def decode(cls: type[T], data: object, *, key: str = "") -> T:
    """An instance of the dataclass ``cls`` from its JSON form; a missing key takes the field's default."""
    decoded: T = _decoder(typing.cast(Any, cls))(data, key)
    return decoded


#: Reads a JSON value as one field type; ``key`` names where it is, for the error.
_Decoder = Callable[[object, str], Any]


@functools.cache
def _decoder(kind: Any) -> _Decoder:
    """The ``_Decoder`` of the field type ``kind`` (``tuple[Edit | Split, ...]``, ``date | None``, ...), made once
    per type: reading an article's stored copy is on the search path, and walking its type hints on every value
    cost more than the JSON parse itself."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        inner = [arg for arg in args if arg is not type(None)]
        alternative = _tagged_decoder(tuple(inner)) if len(inner) > 1 else _decoder(inner[0])
        if type(None) not in args:
            return alternative
        return lambda value, key: None if value is None else alternative(value, key)
    if origin is tuple:
        item = _decoder(args[0])

        def items(value: object, key: str) -> Any:
            if not isinstance(value, list | tuple):
                raise CodecError(key, "must be a list", expected="list")
            return tuple(item(each, f"{key}.{n}") for n, each in enumerate(value))

        return items
    if dataclasses.is_dataclass(kind):
        return _dataclass_decoder(kind)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        members = {member.value: member for member in kind}
        return lambda value, key: (
            members[value] if isinstance(value, str) and value in members else _one_of(key, tuple(kind))
        )
    if kind is date:
        return _date
    if kind is float:
        return lambda value, key: (
            float(value) if isinstance(value, int | float) and not isinstance(value, bool) else _plain(kind, key)
        )
    if kind is int:
        return lambda value, key: value if isinstance(value, int) and not isinstance(value, bool) else _plain(kind, key)
    return lambda value, key: value if isinstance(value, kind) else _plain(kind, key)


def _dataclass_decoder(cls: Any) -> _Decoder:
    types_of = field_types(cls)
    fields = [
        (
            field.name,
            _decoder(types_of[field.name]),
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING,
        )
        for field in dataclasses.fields(cls)
    ]

    def instance(data: object, key: str) -> Any:
        if not isinstance(data, dict):
            raise CodecError(key or cls.__name__, "must be an object", expected="object")
        values = {}
        for name, read, required in fields:
            if name in data:
                values[name] = read(data[name], f"{key}.{name}" if key else name)
            elif required:
                raise CodecError(f"{key}.{name}" if key else name, "is missing", expected="present")
        return cls(**values)

    return instance


def _date(value: object, key: str) -> date:
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # 2026-02-30
            pass
    return _wrong(key, "date", "a YYYY-MM-DD date")  # type: ignore[no-any-return]  # it raises


def _plain(kind: type, key: str) -> Any:
    return _wrong(key, kind.__name__, _PLAIN_TYPES.get(kind, f"a {kind.__name__}"))


_PLAIN_TYPES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _tagged_decoder(classes: tuple[Any, ...]) -> _Decoder:
    """One of ``classes`` (dataclasses with a ``TAG``), chosen by the object's ``TAG_KEY``."""
    by_tag = {cls.TAG: _decoder(cls) for cls in classes}

    def tagged(value: object, key: str) -> Any:
        if not isinstance(value, dict):
            return _wrong(key, "object", "an object")
        tag = value.get(TAG_KEY)
        if not isinstance(tag, str) or tag not in by_tag:
            return _one_of(f"{key}.{TAG_KEY}" if key else TAG_KEY, tuple(by_tag))
        return by_tag[tag](value, key)

    return tagged


def _one_of(key: str, options: tuple[str, ...]) -> Any:
    raise CodecError(key, f"must be one of {', '.join(options)}", expected="one_of", options=options)


def _wrong(key: str, expected: str, text: str) -> Any:
    raise CodecError(key, f"must be {text}", expected=expected)
