"""Partial responses: the ``fields`` selector (``a,b/c,items(id,start)``) parsed and applied."""

from __future__ import annotations

from typing import Any

from tests.emulators.google.errors import ApiError

Mask = dict[str, "Mask"]
"""Field name -> sub-selection; an empty sub-selection keeps the whole field."""


def _invalid(selector: str) -> ApiError:
    return ApiError(400, "invalidParameter", f"Invalid field selection {selector}", location="fields")


def parse(selector: str) -> Mask:
    mask, rest = _parse_list(selector, 0, selector)
    if rest != len(selector):
        raise _invalid(selector)
    return mask


def _parse_list(text: str, pos: int, whole: str) -> tuple[Mask, int]:
    mask: Mask = {}
    while True:
        pos = _parse_path(text, pos, mask, whole)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        return mask, pos


def _parse_path(text: str, pos: int, into: Mask, whole: str) -> int:
    start = pos
    while pos < len(text) and text[pos] not in ",/()":
        pos += 1
    name = text[start:pos].strip()
    if not name:
        raise _invalid(whole)
    node = into.setdefault(name, {})
    if pos < len(text) and text[pos] == "/":
        return _parse_path(text, pos + 1, node, whole)
    if pos < len(text) and text[pos] == "(":
        sub, pos = _parse_list(text, pos + 1, whole)
        if pos >= len(text) or text[pos] != ")":
            raise _invalid(whole)
        _merge(node, sub)
        return pos + 1
    return pos


def _merge(into: Mask, other: Mask) -> None:
    for name, sub in other.items():
        _merge(into.setdefault(name, {}), sub)


def apply(value: Any, mask: Mask) -> Any:
    """Keep only the selected fields of ``value`` (lists are filtered element by element)."""
    if not mask:
        return value
    if isinstance(value, list):
        return [apply(each, mask) for each in value]
    if not isinstance(value, dict):
        return value
    if "*" in mask:
        return {key: apply(sub, mask.get(key, {})) for key, sub in value.items()}
    return {key: apply(value[key], sub) for key, sub in mask.items() if key in value}
