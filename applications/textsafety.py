"""Upstream text made safe to show: bidirectional control characters become visible markers.

CAMS strings are written by customers. A right-to-left override (U+202E) or an isolate
(U+2066-U+2069) reorders what follows it when rendered, so "moc.evil" can read as "live.com",
and a reviewer, a page or a spreadsheet would show text other than what was sent. Marking
them, rather than dropping them, keeps the evidence that someone put them there.

# Reference: https://www.unicode.org/reports/tr9/ (explicit directional formatting characters)
# Reference: https://trojansource.codes/ (the same trick in source code, CVE-2021-42574)
"""

import re

# Embeddings and overrides U+202A-U+202E, isolates U+2066-U+2069, the implicit marks LRM/RLM
# (U+200E, U+200F) and the Arabic letter mark (U+061C).
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f", "\u061c"]
)
_BIDI_PATTERN = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def bidi_marker(char: str) -> str:
    """The visible stand-in for one control character, e.g. ``[U+202E]``."""
    return f"[U+{ord(char):04X}]"


def mark_bidi(text: str) -> str:
    """``text`` with every bidi control character replaced by its visible marker."""
    if not text:
        return text
    return _BIDI_PATTERN.sub(lambda match: bidi_marker(match.group()), text)


def has_bidi(text: str) -> bool:
    return bool(text) and _BIDI_PATTERN.search(text) is not None
