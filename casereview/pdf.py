"""HTML to PDF with WeasyPrint, without the network.

The one way anything here becomes a PDF (documents, chronology exports, action plans, the
publication report): `some_html(...) -> str`, then `html_to_pdf(html) -> RenderedPdf`, a
PDF/UA-1 file and its page count; storing the file is the caller's job (STYLE.md habit 7).

PDF/UA-1 is a tagged PDF that a screen reader can follow: headings, lists, tables and figures in
a structure tree in reading order, the language (`<html lang>`) and the title (`<title>`, shown
in the window's title bar) in the catalogue, and XMP metadata naming the title and the PDF/UA
part. Page furniture is marked as artifacts, which readers skip: borders and backgrounds by
WeasyPrint, the margin boxes' running header and footer by casereview.pdf_structure. So a print
template puts what repeats on every page in `@page` margin boxes or backgrounds (the watermark
is an SVG background), never in the flow or in `position: fixed` elements, which are read out
on every page; and a figure is an `<img>` whose `alt` says what it shows.

WeasyPrint fetches every stylesheet, image and font a document points at through a URL
fetcher. Ours serves `/static/` files from disk and refuses everything else: a rendering
worker must never reach out to the network (an `<img src="http://...">` pasted into a
document would otherwise leak that a review exists, and stall the worker), nor read
arbitrary files (`file:///etc/passwd`). `/media/` is deliberately not served yet: uploaded
files belong to one review, and serving them needs a check that the file belongs to the
review being rendered. The one other kind of URL served is an SVG image written into the
page itself (`data:image/svg+xml,...`): the templates draw the timeline and the watermark so;
and a partnership's logo on a report's cover, a PNG or JPEG written into the page as a base64
data URL (`data:image/png;base64,...`, checked by content when uploaded: reviews.logos).
Section text cannot hold images (reports.richtext), and no other data URL is read.
"""

from __future__ import annotations

import gc
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import DataHandler, Request

import pydyf  # type: ignore[import-untyped]  # no stubs, no py.typed
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from casereview.pdf_structure import finish_structure

# The address documents are rendered "at". It never resolves (.invalid is reserved), and
# nothing is fetched from it: it only gives `/static/...` links an absolute form that the
# fetcher recognises as ours.
PDF_BASE_URL = "https://casereview.invalid/"
# The template-drawn images served from the page itself (see the module docstring).
SVG_DATA_PREFIXES = ("data:image/svg+xml,", "data:image/svg+xml;")
# A logo written into the page (see the module docstring): its content type and its first bytes.
RASTER_DATA_PREFIXES = {
    "data:image/png;base64,": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "data:image/jpeg;base64,": ("image/jpeg", b"\xff\xd8\xff"),
}


class ResourceRefused(ValueError):
    """The fetcher was asked for something that is not one of our static files."""


class StaticFilesFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no types: URLFetcher is Any
    """Serves `<base_url>/static/...` from the static files on disk; refuses any other URL.

    A refusal raises `ResourceRefused`. WeasyPrint logs it as a warning and renders the
    document without that resource, so a stray external image cannot stop a report from
    being produced, and cannot be fetched either."""

    def __init__(self, base_url: str = PDF_BASE_URL) -> None:
        # No protocol is allowed through URLFetcher's own opener; `fetch` below never calls it.
        super().__init__(allowed_protocols=(), allow_redirects=False)
        # STATIC_URL may be a path ("/static/") or absolute (a CDN); either way this is the
        # prefix `{% static %}` links have once resolved against the document's base URL.
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith(SVG_DATA_PREFIXES):
            # The standard library's reading of a data URL (percent-encoded or base64).
            return URLFetcherResponse(
                url, DataHandler().data_open(Request(url)).read(), {"Content-Type": "image/svg+xml"}
            )
        for prefix, (content_type, signature) in RASTER_DATA_PREFIXES.items():
            if url.startswith(prefix):
                data = DataHandler().data_open(Request(url)).read()
                if not data.startswith(signature):
                    raise ResourceRefused(f"Refused {url[:40]!r}...: not the picture its address says")
                return URLFetcherResponse(url, data, {"Content-Type": content_type})
        path = self.static_file(url)
        if path is None:
            raise ResourceRefused(f"Refused to fetch {url[:200]!r}: PDFs may only use /static/ files")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def static_file(self, url: str) -> Path | None:
        """The file on disk that `url` names, or None when it is not a static file of ours."""
        if not url.startswith(self.static_prefix):
            return None
        relative = unquote(urlsplit(url[len(self.static_prefix) :]).path)
        parts = relative.split("/")
        # No climbing out of the static directories, however the path is spelt.
        if not relative or "\\" in relative or "\0" in relative or any(part in ("", ".", "..") for part in parts):
            return None
        found = finders.find(relative)
        if found:
            return Path(found)
        # After collectstatic (hashed names from a manifest storage) the file may only be in STATIC_ROOT.
        if settings.STATIC_ROOT:
            root = Path(settings.STATIC_ROOT).resolve()
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
        return None


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references` (every page's reference, "12 0 R"), made once for each
    number of pages rather than at every read: WeasyPrint reads it for each tagged box, and
    building it anew each time made a tagged PDF's writing grow with the square of its pages
    (a 200-page chronology spent seconds on it). Pages are only ever added (`add_page`), so
    the number of them tells whether the references made last are still all of them."""
    kids = pdf.pages["Kids"]
    made: tuple[int, tuple[bytes, ...]] | None = pdf.__dict__.get("_page_references_made")
    if made is None or made[0] != len(kids):
        made = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf._page_references_made = made
    return made[1]


pydyf.PDF.page_references = property(_page_references)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector paused while a file is made: a PDF laid out and written here, and a
    chronology export (chronology.exports.services). Either makes millions of objects (a box for
    each piece of each cell and its styles; each entry's texts), and the collector walked all of
    them again and again as they were made: a quarter of the CPU time of a 200-page chronology, a
    third of a first export. Its garbage is collected as usual once the collector runs again."""
    paused_here = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()


def html_to_pdf(html: str, *, base_url: str = PDF_BASE_URL) -> RenderedPdf:
    """`html` as a PDF/UA-1 file. Links are resolved against `base_url`; only /static/ files are fetched."""
    with cycle_collection_paused():
        rendered = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher(base_url)).render()
        data = rendered.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, finisher=finish_structure)
    return RenderedPdf(data, len(rendered.pages))
