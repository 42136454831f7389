"""Every file the application hands out goes through ``download_response``: it streams a stored
file from the file storage (casereview.storage; a file never passes through memory whole, and is
never handed out by a URL of the storage's own), or sends bytes made for the request. It records the
download in the audit trail (each download, not once a window as for looks at a page), tells
browsers and proxies not to keep a copy, never lets the browser guess another type, and names
the file in a ``Content-Disposition`` header that any name survives (RFC 6266).

Filenames are built by ``download_filename`` from a review's reference (or a partnership's
slug) and fixed parts: "NDHR-01-overview-panel-r12.pdf"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, overload
from urllib.parse import quote

from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase

from accounts.http import AuthenticatedHttpRequest
from casereview.storage import StoredFileMissing, file_open, file_verify
from reviews.audit import audit_record
from reviews.models import Partnership, Review

# Characters kept as they are in the plain-ASCII ``filename="..."``; anything else becomes "_".
# No quote, backslash, percent sign, semicolon or control character can reach the header.
_ASCII_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ._-()+,")


@dataclass(frozen=True)
class DownloadAudit:
    """What the audit entry of a download says: the action code (for example
    "document_render.downloaded"), the object downloaded, and where the entry shows (the
    review's or the board's audit page; taken from ``obj`` when it is or has a review)."""

    action: str
    obj: models.Model
    review: Review | None = None
    partnership: Partnership | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def filename_part(text: str) -> str:
    """A piece of a filename from any text, a reference such as "NDHR-01" or "DHR/2026 (3)":
    letters and digits (of any script), hyphens and underscores; anything else a hyphen."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


def download_filename(*parts: str, ext: str) -> str:
    """``download_filename(review.reference, "overview", "panel", "r12", ext="pdf")`` is
    "NDHR-01-overview-panel-r12.pdf": each part made safe, joined by hyphens."""
    stem = "-".join(filename_part(part) for part in parts if part)
    return f"{stem or 'download'}.{filename_part(ext)}"


def upload_filename(name: str, *, ext: str, default: str) -> str:
    """An uploaded file's name made safe to store and to offer again: its last path part (from a
    Windows or Unix path), accents dropped, ASCII letters, digits, spaces, dots, hyphens and
    underscores kept (any other run becomes "_"), at most 100 characters, with the extension
    given (what the file really is, not what its name said): "C:\\x\\Réunion notes.docx" with
    ext="docx" is "Reunion notes.docx"."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^A-Za-z0-9 ._-]+", "_", stem).strip(" ._")[:100] or default
    return f"{stem}.{ext}"


def _clean(filename: str) -> str:
    """The name as the user should see it: no control or format characters (a newline, a
    right-to-left override) and no path separators."""
    cleaned = "".join(
        "_" if unicodedata.category(c)[0] == "C" or c in '/\\"' else c for c in unicodedata.normalize("NFC", filename)
    )
    return cleaned.strip(" .") or "download"


def _ascii_fallback(filename: str) -> str:
    """For clients that do not read ``filename*``: accents dropped from their letters ("Łódź"
    becomes "_odz"), every other unsafe character "_"."""
    letters = []
    for c in unicodedata.normalize("NFKD", filename):
        if c in _ASCII_SAFE:
            letters.append(c)
        elif not unicodedata.combining(c):
            letters.append("_")
    return "".join(letters).strip(" .") or "download"


def content_disposition(filename: str) -> str:
    """``attachment; filename="..."`` (RFC 6266), plus ``filename*=UTF-8''...`` (RFC 5987) when
    the name is not plain ASCII, so "DHR-Łódź-01.pdf" keeps its letters where the browser can."""
    name = _clean(filename)
    fallback = _ascii_fallback(name)
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


@overload
def download_response(
    request: AuthenticatedHttpRequest,
    *,
    filename: str,
    content_type: str,
    audit: DownloadAudit | None,
    content: bytes,
) -> HttpResponse: ...


@overload
def download_response(
    request: AuthenticatedHttpRequest,
    *,
    filename: str,
    content_type: str,
    audit: DownloadAudit | None,
    stored: FieldFile,
    sha256: str = "",
) -> HttpResponseBase: ...


def download_response(
    request: AuthenticatedHttpRequest,
    *,
    filename: str,
    content_type: str,
    audit: DownloadAudit | None,
    content: bytes | None = None,
    stored: FieldFile | None = None,
    sha256: str = "",
) -> HttpResponseBase:
    """The response for a file download, with its audit entry written first: ``stored``, a row's
    stored file, streamed from the storage (checked against ``sha256`` first when the row keeps
    one: a file changed in the storage is refused, never served), or ``content`` made for this
    request. ``audit`` may be None only for a file with nothing from a case in it (the blank
    chronology template): the caller says so rather than forgetting."""
    response: HttpResponseBase
    response = _stored_response(stored, sha256) if stored is not None else HttpResponse(content or b"")
    if audit is not None:
        audit_record(
            actor=request.user,
            action=audit.action,
            obj=audit.obj,
            review=audit.review,
            partnership=audit.partnership,
            detail=audit.detail,
        )
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition(filename)
    # Case files are not kept by the browser's cache or any proxy between.
    response["Cache-Control"] = "private, no-store"
    response["Pragma"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _stored_response(stored: FieldFile, sha256: str) -> FileResponse:
    """A stored file streamed a block at a time (FileResponse closes it when sent). A row whose
    file has gone (pruned between the page and the click) is a 404."""
    try:
        if sha256:
            file_verify(stored, sha256=sha256)
        return FileResponse(file_open(stored))
    except StoredFileMissing as exc:
        raise Http404("The file is no longer kept.") from exc
