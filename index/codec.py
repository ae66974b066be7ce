"""One codec between the project's frozen dataclasses and JSON, driven by their field types.

An article's fields are written once, in its dataclass: the archive's ``issue.json``, the index's stored copy, the
``--json`` output, the admin API and editors' JSON issues all go through here, so a new field needs no second list.

Supported field types: ``str``, ``int``, ``float``, ``bool``, ``date``, a ``StrEnum``, ``tuple[T, ...]`` of any of
these or of another such dataclass, and ``X | None``. ``decode`` checks every value's type and says which key is
wrong, so it also serves as the validation of data typed by people.
"""

import dataclasses
import types
import typing
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")


class CodecError(ValueError):
    """A value of the wrong type or shape; ``key`` names the field (``articles.3.kind``)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"'{key}' {message}")
        self.key = key
        self.message = message


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
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    return value


def decode(cls: type[T], data: object, *, key: str = "") -> T:
    """An instance of the dataclass ``cls`` from its JSON form; a missing key takes the field's default."""
    if not isinstance(data, dict):
        raise CodecError(key or cls.__name__, "must be an object")
    values = {}
    types_of = field_types(cls)
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]  # cls is a dataclass: callers pass one
        where = f"{key}.{field.name}" if key else field.name
        if field.name in data:
            values[field.name] = _decode_value(types_of[field.name], data[field.name], where)
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise CodecError(where, "is missing")
    return cls(**values)


def _decode_value(kind: Any, value: object, key: str) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _decode_value(inner, value, key)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise CodecError(key, "must be a list")
        return tuple(_decode_value(args[0], item, f"{key}.{n}") for n, item in enumerate(value))
    if dataclasses.is_dataclass(kind):
        return decode(kind, value, key=key)  # type: ignore[arg-type]  # is_dataclass narrowed kind to a class
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return kind(value) if isinstance(value, str) else _wrong(key, f"one of {', '.join(kind)}")
        except ValueError:
            raise CodecError(key, f"must be one of {', '.join(kind)}") from None
    if kind is date:
        try:
            return date.fromisoformat(value) if isinstance(value, str) else _wrong(key, "a YYYY-MM-DD date")
        except ValueError:
            return _wrong(key, "a YYYY-MM-DD date")
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    return _wrong(key, f"a {kind.__name__}")


def _wrong(key: str, expected: str) -> Any:
    raise CodecError(key, f"must be {expected}")
