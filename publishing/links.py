"""Which stored addresses may become links.

An address is stored by an editor's form (WebURLField accepts http and https), but also by
whatever goes around the forms: a fixture, a restored backup, an import, SQL. Wherever a stored
address is shown, it is a link (an href) only when its scheme is one a visitor may follow
safely; anything else (javascript:, data:, vbscript:, an address with no scheme) is shown as
text. The Content-Security-Policy stops inline scripts too, but it is not the only guard.
"""

import re

# Rich text links (publishing.richtext) allow the same schemes.
LINK_SCHEMES = ("http", "https", "mailto")

# What a browser ignores when it reads a scheme: control characters and spaces around the
# address, and tabs and line breaks anywhere in it (the WHATWG URL standard). To a browser,
# " JaVaScRiPt:" and "java\tscript:" are both javascript:.
_IGNORED_AROUND = "".join(chr(code) for code in range(0x21))
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")


def linkable(address: str | None) -> bool:
    """Whether a stored `address` may be an href: its scheme, as a browser reads it, is http,
    https or mailto."""
    scheme, colon, _rest = _IGNORED_INSIDE.sub("", address or "").strip(_IGNORED_AROUND).partition(":")
    return bool(colon) and scheme.lower() in LINK_SCHEMES
