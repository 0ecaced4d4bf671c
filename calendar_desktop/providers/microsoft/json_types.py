"""The type of a decoded JSON object, as Graph and MSAL hand them over."""

from typing import Any, TypeAlias

Json: TypeAlias = dict[str, Any]
