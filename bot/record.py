"""One way to turn the result records (answers, citations, briefings, quizzes, grades) into
JSON-ready dicts: the dataclass's own fields in order, nested records and tuples converted,
fields marked HIDDEN left out, fields marked FIRST put first and only when set, fields marked
OPTIONAL in their place and only when set."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

HIDDEN = {"json": False}  # kept in the object, not in its JSON
FIRST = {"json": "first"}  # leads the JSON when set, is absent when None
OPTIONAL = {"json": "optional"}  # in its place when set, absent when None


def plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class Record:
    """Mixed into a dataclass: `to_dict()` as described above."""

    def to_dict(self) -> dict[str, Any]:
        assert is_dataclass(self)
        shown = [f for f in fields(self) if f.metadata.get("json", True)]
        first = [f for f in shown if f.metadata.get("json") == "first"]
        out = {f.name: plain(getattr(self, f.name)) for f in first if getattr(self, f.name)}
        out.update(
            (f.name, plain(getattr(self, f.name)))
            for f in shown
            if f not in first
            and not (f.metadata.get("json") == "optional" and getattr(self, f.name) is None)
        )
        return out
