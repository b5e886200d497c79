"""Conditions on contact columns: the form every filter and rule resolves to.

The store translates them into SQL (store/queries.py); `matches` evaluates the same
conditions on one contact's values in Python. A rule declared once as conditions (the
follow-up-due rule in pipeline.py) so means the same in both places; a test compares them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Op(StrEnum):
    EQ = "eq"  # column = value
    IN = "in"  # column IN values (a tuple)
    GE = "ge"  # column >= value
    LT = "lt"  # column < value
    LE = "le"  # column <= value
    IS_NULL = "is_null"  # column IS NULL
    NULL_OR_LT = "null_or_lt"  # column IS NULL OR column < value (e.g. no snooze, or over)
    IS_FALSE = "is_false"  # column is false
    CONTAINS = "contains"  # column contains value (case-insensitive; `*` = any run)
    TEXT = "text"  # any of TEXT_COLUMNS contains value (case-insensitive, literal)


TEXT_COLUMNS = ("business_name", "contact_name", "email", "domain")


@dataclass(frozen=True, slots=True)
class Condition:
    column: str  # a contact column ("" for TEXT: the TEXT_COLUMNS)
    op: Op
    value: Any = None


def _contains(haystack: object, needle: str, *, wildcards: bool) -> bool:
    text = str(haystack or "").lower()
    if not wildcards:
        return needle.lower() in text
    pattern = ".*".join(re.escape(part) for part in needle.lower().split("*"))
    return re.search(pattern, text, re.DOTALL) is not None


def text_for(column: str, text: str) -> str:
    """What a TEXT search looks for in `column`: the text as typed, except in the stored
    domain (ASCII, punycode), where Unicode labels are looked for in that form ("bücher"
    finds xn--bcher-kva.de; see domains.domain_pattern)."""
    if column != "domain" or text.isascii():
        return text
    from .domains import domain_pattern

    return domain_pattern(text)


def matches(condition: Condition, values: Mapping[str, Any]) -> bool:
    """Whether one contact (its column values by name) meets the condition, as SQL would
    decide it (NULL compares false)."""
    op, v = condition.op, values.get(condition.column)
    if op is Op.TEXT:
        return any(_contains(values.get(c), text_for(c, condition.value), wildcards=False)
                   for c in TEXT_COLUMNS)
    if op is Op.IS_NULL:
        return v is None
    if op is Op.IS_FALSE:
        return v is not None and not v
    if op is Op.NULL_OR_LT:
        return v is None or v < condition.value
    if v is None:
        return False
    if op is Op.EQ:
        return v == condition.value
    if op is Op.IN:
        return v in condition.value
    if op is Op.GE:
        return v >= condition.value
    if op is Op.LT:
        return v < condition.value
    if op is Op.LE:
        return v <= condition.value
    if op is Op.CONTAINS:
        return _contains(v, condition.value, wildcards=True)
    raise ValueError(f"unknown operator {op!r}")


def matches_all(conditions: Iterable[Condition], values: Mapping[str, Any]) -> bool:
    return all(matches(c, values) for c in conditions)
