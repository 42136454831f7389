"""Section HTML as a list of tokens (start tags, end tags, void tags, text) and back: the one
reading of markup that reports.richtext, reports.redactions and the renderers share. Pure."""

from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser
from typing import NamedTuple

# Elements with no content and no end tag.
VOID_TAGS = {"br"}


class Token(NamedTuple):
    """A start or end tag, a void tag ("startend") or text: a tuple, made by the thousand."""

    kind: str  # "start", "end", "startend" or "text"
    tag: str = ""
    attrs: tuple[tuple[str, str | None], ...] = ()
    text: str = ""

    def html(self) -> str:
        if self.kind == "text":
            return htmllib.escape(self.text, quote=False)
        if self.kind == "end":
            return f"</{self.tag}>"
        attrs = "".join(
            f' {name}="{htmllib.escape(value, quote=True)}"' if value is not None else f" {name}"
            for name, value in self.attrs
        )
        return f"<{self.tag}{attrs}>"


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(Token("startend" if tag in VOID_TAGS else "start", tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(Token("startend", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS:
            self.tokens.append(Token("end", tag))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1].kind == "text":
            self.tokens[-1] = Token("text", text=self.tokens[-1].text + data)
        else:
            self.tokens.append(Token("text", text=data))


# Markup as the sanitiser writes it (and so every stored text): lowercase tags, every attribute
# value double-quoted, text with &, < and > escaped. Read by a regular expression, several times
# faster than the HTML parser on a long section; anything else falls back to the parser.
_CLEAN_RE = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z][a-z-]*="[^"<>]*")*)(/?)>|([^<]+)')
_CLEAN_ATTR_RE = re.compile(r' ([a-z][a-z-]*)="([^"]*)"')
# Read as raw text by the parser (nothing inside them is markup): never in clean text.
_RAW_TEXT_TAGS = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"}


def _clean_tokens(value: str) -> list[Token] | None:
    out: list[Token] = []
    position = 0
    for match in _CLEAN_RE.finditer(value):
        if match.start() != position:
            return None
        position = match.end()
        closing, tag, attrs, slash, text = match.groups()
        if text is not None:
            out.append(Token("text", text=htmllib.unescape(text) if "&" in text else text))
        elif tag in _RAW_TEXT_TAGS or (closing and (attrs or slash)):
            return None
        elif closing:
            if tag not in VOID_TAGS:
                out.append(Token("end", tag))
        else:
            pairs = tuple(
                (name, htmllib.unescape(item) if "&" in item else item) for name, item in _CLEAN_ATTR_RE.findall(attrs)
            )
            out.append(Token("startend" if slash or tag in VOID_TAGS else "start", tag, pairs))
    return out if position == len(value) else None


def tokens(value: str) -> list[Token]:
    value = value or ""
    fast = _clean_tokens(value)
    if fast is not None:
        return fast
    tokenizer = _Tokenizer()
    tokenizer.feed(value)
    tokenizer.close()
    return tokenizer.tokens


def serialise(items: list[Token]) -> str:
    return "".join(token.html() for token in items)
