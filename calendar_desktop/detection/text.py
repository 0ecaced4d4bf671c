"""Text helpers: folding that keeps offsets, URLs, addresses, company keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TYPOGRAPHY = {
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-",
    "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00df": "s", "\u00f8": "o", "\u0142": "l",
    "\u00e6": "a", "\u0153": "o", "\u0131": "i", "\u00f0": "d", "\u00fe": "t",
}  # fmt: skip


@lru_cache(maxsize=4096)
def _ascii_char(char: str) -> str:
    """One ASCII character for one character: its base letter, a typographic equivalent, or a space."""
    if char in _TYPOGRAPHY:
        return _TYPOGRAPHY[char]
    base = unicodedata.normalize("NFKD", char)[:1].lower()
    return base if base.isascii() and base.isalnum() else " "


def fold(text: str) -> str:
    """Lower-case ASCII with one character per character of ``text`` (so offsets match):
    accents stripped, typographic dashes and quotes made ASCII, other symbols made spaces."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (İ) lower-case to two
        lowered = "".join(char.lower()[:1] for char in text)
    if lowered.isascii():
        return lowered
    for char in set(lowered).difference(_ASCII):
        lowered = lowered.replace(char, _ascii_char(char))
    return lowered


_ASCII = frozenset(map(chr, range(128)))


# Every character ``\s`` matches (Python's str.isspace; none is above U+3000).
WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())

_URL = re.compile(r"(?:https?://|www\.)\S+")
_ADDRESS_EDGE = re.compile(r"[^\s<>()\[\],;:\"']+")
_ADDRESS_STOPS = (" ", "\n", "\t", "<", "(", ":", ",")


def blank_urls(text: str) -> str:
    """Replace URLs and e-mail addresses by spaces of the same length (offsets are kept)."""
    if "://" in text or "www." in text:
        text = _URL.sub(_spaces, text)
    at = text.find("@")
    while at >= 0:
        start = -1
        for stop in _ADDRESS_STOPS:
            found = text.rfind(stop, 0, at)
            if found > start:
                start = found
        start += 1
        match = _ADDRESS_EDGE.match(text, at)
        end = match.end() if match else at + 1
        if start < at and "." in text[at:end]:
            text = text[:start] + " " * (end - start) + text[end:]
        at = text.find("@", end)
    return text


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group())


_ADDRESS = re.compile(r"^\s*(?P<name>.*?)\s*<\s*(?P<email>[^<>\s]+@[^<>\s]+)\s*>\s*$")


def parse_address(value: str | None) -> tuple[str, str]:
    """Split ``"Name <email>"`` or a bare address into (name, lower-cased email)."""
    if not value:
        return "", ""
    match = _ADDRESS.match(value)
    if match:
        return match.group("name").strip().strip('"'), match.group("email").lower()
    value = value.strip()
    if "@" in value:
        return "", value.lower().removeprefix("mailto:")
    return value, ""


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".>")


_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "gob", "nic"})


def domain_label(domain: str) -> str:
    """The registrable label of a domain: ``ifood.com.br`` → ``ifood``, ``app.karat.io`` → ``karat``."""
    parts = [part for part in domain.lower().split(".") if part]
    if len(parts) < 2:
        return parts[0] if parts else ""
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return parts[-3]
    return parts[-2]


LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "gmbh",
        "ag",
        "kg",
        "ug",
        "se",
        "sa",
        "sas",
        "sarl",
        "srl",
        "sl",
        "spa",
        "bv",
        "nv",
        "oy",
        "oyj",
        "ab",
        "as",
        "asa",
        "aps",
        "pty",
        "pvt",
        "ltda",
        "eireli",
        "kk",
        "kft",
        "zrt",
        "sp",
        "zoo",
        "holdings",
    }
)

_NON_WORD = re.compile(r"[^\w]+")
_NON_WORD_ASCII = bytes(byte for byte in range(128) if not (chr(byte).isalnum() or byte == ord("_")))


def _word_characters(folded: str) -> str:
    """``folded`` without the characters ``\\w`` does not match (ASCII text, as ``fold`` makes it)."""
    if folded.isascii():
        return folded.encode().translate(None, _NON_WORD_ASCII).decode()
    return _NON_WORD.sub("", folded)


def company_key(name: str) -> str:
    """Folded company name without punctuation or legal suffixes: ``Kestrel Pay, Inc.`` → ``kestrel pay``."""
    tokens = _NON_WORD.sub(" ", fold(name).replace(".", "")).split()
    while len(tokens) > 1 and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    if len(tokens) > 2 and tokens[-2:] == ["private", "limited"]:
        tokens = tokens[:-2]
    return " ".join(tokens)


def strip_legal_suffix(name: str) -> str:
    """``Acme Inc.`` → ``Acme`` keeping the original spelling of the rest."""
    words = name.strip().split()
    while len(words) > 1 and _word_characters(fold(words[-1])) in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words).rstrip(" ,;-&").strip()
