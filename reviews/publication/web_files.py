"""Every part of a finished web-pages zip (reports.render_html), as text to check: each file's
name, and by its kind

- HTML: the text a reader sees, block by block (labelled by the nearest id before it), every
  attribute value but a few that only style (link addresses, alternative text, titles, metadata),
  comments, and the document's title;
- SVG: its text, titles and descriptions, and the attributes that carry words (labels, links);
- CSS and plain text: the whole text (comments, generated content, url() addresses);
- fonts: the name table (family, copyright, designer...);
- PNG and JPEG: their text and metadata chunks (tEXt, iTXt, zTXt, eXIf; COM and APPn);
- the zip's own comment and each file's comment.

Pure: bytes in, parts out (reviews.publication.files.Part).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    from reviews.publication.files import Part

# HTML attributes that only name a style or a behaviour, never words a reader sees or an address.
_HTML_SKIPPED = {"class", "lang", "dir", "charset", "rel", "type", "scope", "colspan", "rowspan", "role", "tabindex"}
_HTML_ADDRESSES = {"href", "src", "srcset", "action", "id", "for", "headers", "aria-labelledby", "aria-describedby"}
_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "caption", "figcaption", "title",
    "blockquote", "section", "div", "main", "header", "footer", "nav", "table", "tr", "ol", "ul", "dl", "br",
}  # fmt: skip
# SVG attributes that carry words; the rest are geometry and style (numbers a date check misreads).
_SVG_WORDS = {"aria-label", "aria-description", "title", "alt", "href", "id", "lang"}


def _part(where: str, text: str, address: bool = False) -> Part:
    from reviews.publication.files import Part

    return Part(where, text, address)


class _PageReader(HTMLParser):
    def __init__(self, label: str):
        super().__init__(convert_charrefs=True)
        self.label = label
        self.parts: list[Part] = []
        self.near = ""
        self.text: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.parts.append(_part(f"{self.label}, text{self.near}", text))
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._flush()
        for name, value in attrs:
            if name == "id" and value:
                self.near = f" near #{value}"
            if name in _HTML_SKIPPED or not value or value.isdigit():
                continue
            self.parts.append(_part(f"{self.label}, <{tag} {name}>", value, name in _HTML_ADDRESSES))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        if data.strip():
            self.parts.append(_part(f"{self.label}, comment", data))

    def handle_decl(self, decl: str) -> None:
        if decl.lower() != "doctype html":
            self.parts.append(_part(f"{self.label}, declaration", decl))


def html_parts(label: str, data: bytes) -> list[Part]:
    reader = _PageReader(label)
    reader.feed(data.decode("utf-8", "replace"))
    reader.close()
    reader._flush()
    return reader.parts


def svg_parts(label: str, data: bytes) -> list[Part]:
    root = ElementTree.fromstring(data)
    parts = []
    text = "\n".join(" ".join(t.split()) for el in root.iter() for t in (el.text, el.tail) if t and t.strip())
    if text:
        parts.append(_part(f"{label}, text", text))
    for element in root.iter():
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local in _SVG_WORDS and value and not value.isdigit():
                parts.append(_part(f"{label} ({local})", value, address=local in ("href", "id")))
    return parts


def font_parts(label: str, data: bytes) -> list[Part]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(io.BytesIO(data), lazy=True)
    names = {record.toUnicode() for record in font["name"].names} if "name" in font else set()
    return [_part(f"{label}, name table", name) for name in sorted(names) if name.strip()]


def png_parts(label: str, data: bytes) -> list[Part]:
    parts, position = [], 8
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"zTXt":
            keyword, _, rest = body.partition(b"\0")
            body = keyword + b" " + zlib.decompress(rest[1:])
        elif kind == b"iTXt" and body.partition(b"\0")[2][:1] == b"\1":
            keyword, _, rest = body.partition(b"\0")
            *_heads, text = rest[2:].split(b"\0", 2)
            body = keyword + b" " + zlib.decompress(text)
        if kind in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
            parts.append(_part(f"{label}, {kind.decode()} chunk", _printable(body)))
    return parts


def jpeg_parts(label: str, data: bytes) -> list[Part]:
    """The comment and application segments (EXIF, XMP, IPTC) before the picture itself."""
    parts, position = [], 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # the picture's data begins: no metadata after it
            break
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker == 0xFE or 0xE1 <= marker <= 0xEF:
            segment = data[position + 4 : position + 2 + length]
            parts.append(_part(f"{label}, segment {marker:02X}", _printable(segment)))
        position += 2 + length
    return parts


def _printable(raw: bytes) -> str:
    """The runs of readable text in metadata: UTF-8 where it decodes, separated where it does not."""
    text = raw.decode("utf-8", "replace")
    return "\n".join(run for run in re.split(r"[\x00-\x08\x0b-\x1f\ufffd]+", text) if len(run.strip()) > 1)


def _text_parts(label: str, data: bytes) -> list[Part]:
    text = data.decode("utf-8", "replace")
    return [_part(label, text)] if text.strip() else []


READERS = {
    ".html": html_parts, ".htm": html_parts, ".svg": svg_parts, ".css": _text_parts, ".txt": _text_parts,
    ".ttf": font_parts, ".otf": font_parts, ".woff": font_parts, ".woff2": font_parts,
    ".png": png_parts, ".jpg": jpeg_parts, ".jpeg": jpeg_parts,
}  # fmt: skip


def bundle_parts(data: bytes) -> list[Part]:
    """Every file of the zip: its name (an address), its comment, and its parts by its kind. A file
    of a kind not listed is read as text, so nothing in the folder goes unread."""
    parts: list[Part] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if archive.comment:
            parts.append(_part("Web pages, zip comment", archive.comment.decode("utf-8", "replace")))
        for info in archive.infolist():
            label = f"Web pages, {info.filename}"
            parts.append(_part(f"{label} (file name)", info.filename, address=True))
            if info.comment:
                parts.append(_part(f"{label} (comment)", info.comment.decode("utf-8", "replace")))
            if info.is_dir():
                continue
            suffix = "." + info.filename.rsplit(".", 1)[-1].lower() if "." in info.filename else ""
            parts += READERS.get(suffix, _text_parts)(label, archive.read(info))
    return parts
