"""Routes, parameters and schemas taken from the Calendar v3 discovery document that
google-api-python-client bundles: the emulator accepts exactly what that document describes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import unquote

from tests.emulators.google.errors import ApiError, bad_request, invalid_parameter


@cache
def document() -> dict[str, Any]:
    path = resources.files("googleapiclient") / "discovery_cache" / "documents" / "calendar.v3.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Method:
    id: str
    http_method: str
    pattern: re.Pattern[str]
    parameters: dict[str, dict[str, Any]]
    scopes: frozenset[str]
    response: str | None

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method != self.http_method:
            return None
        found = self.pattern.fullmatch(path)
        if found is None:
            return None
        return {name: unquote(value) for name, value in found.groupdict().items()}


def _compile(template: str) -> re.Pattern[str]:
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(regex)


def _walk(resource: dict[str, Any]):
    yield from resource.get("methods", {}).values()
    for child in resource.get("resources", {}).values():
        yield from _walk(child)


@cache
def methods() -> tuple[Method, ...]:
    doc = document()
    found = []
    for raw in _walk(doc):
        found.append(
            Method(
                id=raw["id"],
                http_method=raw["httpMethod"],
                pattern=_compile(raw["path"]),
                parameters=raw.get("parameters", {}),
                scopes=frozenset(raw.get("scopes", ())),
                response=(raw.get("response") or {}).get("$ref"),
            )
        )
    # Literal segments beat parameters: ".../events/import" must not match ".../events/{eventId}".
    found.sort(key=lambda m: m.pattern.pattern.count("(?P<"))
    return tuple(found)


def route(method: str, path: str) -> tuple[Method, dict[str, str]] | None:
    """The API method serving ``method path`` (path relative to ``calendar/v3/``) and its path parameters."""
    for candidate in methods():
        params = candidate.match(method, path)
        if params is not None:
            return candidate, params
    return None


def all_scopes() -> frozenset[str]:
    return frozenset(document()["auth"]["oauth2"]["scopes"])


# ---------------------------------------------------------------- parameters

_INT32 = (-(2**31), 2**31 - 1)


def validate_query(method: Method, query: dict[str, list[str]]) -> dict[str, Any]:
    """Check the query against the method's and the global parameters; return typed values.

    Repeated parameters come back as lists, others as single values. Unknown names,
    wrong types, values outside an enum and repeats of non-repeated parameters are 400s.
    """
    specs = {**document()["parameters"], **method.parameters}
    typed: dict[str, Any] = {}
    for name, values in query.items():
        spec = specs.get(name)
        if spec is None or spec.get("location") == "path":
            raise bad_request(
                f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                f"Field '{name}' could not be found in request message.",
                reason="invalid",
            )
        if len(values) > 1 and not spec.get("repeated"):
            raise invalid_parameter(name, f"Parameter {name} given more than once.")
        converted = [_convert(name, spec, value) for value in values]
        typed[name] = converted if spec.get("repeated") else converted[0]
    return typed


def _convert(name: str, spec: dict[str, Any], raw: str) -> Any:
    kind = spec.get("type", "string")
    if kind == "integer":
        try:
            value = int(raw)
        except ValueError:
            raise invalid_parameter(name, f"Invalid value '{raw}'. Values must match the following format: int32") from None
        if not _INT32[0] <= value <= _INT32[1]:
            raise invalid_parameter(name, f"Invalid value '{raw}'. Value out of range.")
        if "minimum" in spec and value < int(spec["minimum"]):
            raise invalid_parameter(name, f"Invalid value '{raw}'. Values must be within the range: [{spec['minimum']}, ...]")
        if "maximum" in spec and value > int(spec["maximum"]):
            raise invalid_parameter(name, f"Invalid value '{raw}'. Values must be within the range: [..., {spec['maximum']}]")
        return value
    if kind == "boolean":
        if raw.lower() not in ("true", "false"):
            raise invalid_parameter(name, f"Invalid value '{raw}'. Values must match the following format: boolean")
        return raw.lower() == "true"
    if "enum" in spec and raw not in spec["enum"]:
        raise invalid_parameter(name, f"Invalid value '{raw}'. Allowed values: [{', '.join(spec['enum'])}]")
    if spec.get("format") == "date-time":
        return parse_rfc3339(raw, name)
    return raw


def parse_rfc3339(raw: str, name: str) -> datetime:
    """A timestamp with an explicit offset, as Google requires for ``timeMin`` and friends."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise bad_request("Bad Request", location=name) from None
    if value.tzinfo is None or "T" not in raw:
        raise bad_request("Bad Request", location=name)
    return value


# ---------------------------------------------------------------- partial responses


def check_fields(mask: dict[str, Any], schema_name: str | None) -> None:
    """Reject a ``fields`` selection naming a field the response schema has not."""
    if schema_name is not None:
        _check(mask, {"$ref": schema_name}, "")


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document()["schemas"][schema["$ref"]]
    if schema.get("type") == "array":
        return _resolve(schema.get("items", {}))
    return schema


def _check(mask: dict[str, Any], schema: dict[str, Any], prefix: str) -> None:
    schema = _resolve(schema)
    properties = schema.get("properties")
    for name, sub in mask.items():
        if name == "*":
            continue
        if properties is not None and name in properties:
            child = properties[name]
        elif "additionalProperties" in schema:
            child = schema["additionalProperties"]
        else:
            raise ApiError(400, "invalidParameter", f"Invalid field selection {prefix}{name}", location="fields")
        if sub:
            _check(sub, child, f"{prefix}{name}/")
