"""What an evidence file is, decided from its bytes and structure, never from its name.

Accepted: PDF, Word (.docx), Excel (.xlsx), PNG, JPEG and GIF images. Pure: bytes in, a
kind or ``EvidenceRefused`` with a reason the owner can act on."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from casereview.downloads import upload_filename
from chronology.importers.detect import MAX_EXPANSION_RATIO, MAX_UNPACKED_BYTES, megabytes

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))
ACCEPTED = "PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or GIF"
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "png": "png", "jpeg": "jpg", "gif": "gif"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
}


class EvidenceRefused(ValueError):
    pass


@dataclass(frozen=True)
class EvidenceUpload:
    name: str
    data: bytes
    # The size the upload declared, when its bytes were not read because it is over the limit.
    size: int | None = None


def evidence_kind(data: bytes, *, max_bytes: int) -> str:
    """'pdf', 'docx', 'xlsx', 'png', 'jpeg' or 'gif'; EvidenceRefused otherwise."""
    if not data:
        raise EvidenceRefused("The file is empty.")
    if len(data) > max_bytes:
        raise EvidenceRefused(f"The file is {megabytes(len(data))}; the limit is {megabytes(max_bytes)}.")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-1024:]:
            raise EvidenceRefused("This PDF is incomplete (it has no end-of-file marker): save it again.")
        return "pdf"
    for magic, kind in _IMAGES:
        if data.startswith(magic):
            return kind
    if data.startswith(_OLE):
        raise EvidenceRefused(
            f"This is an Office 97-2003 file (.doc or .xls) or a password-protected document: save it as "
            f".docx or .xlsx without a password. Accepted: {ACCEPTED}."
        )
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data, max_bytes=max_bytes)
    raise EvidenceRefused(f"This file is not one of the accepted kinds ({ACCEPTED}).")


def _office_kind(data: bytes, *, max_bytes: int) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # zipfile raises a grab-bag of exceptions on damaged archives
        raise EvidenceRefused("This zip archive is damaged: it cannot be opened as a Word or Excel file.") from exc
    names = {member.filename for member in members}
    unpacked = sum(member.file_size for member in members)
    if unpacked > min(MAX_EXPANSION_RATIO * max_bytes, MAX_UNPACKED_BYTES):
        raise EvidenceRefused(f"This file unpacks to {megabytes(unpacked)}: too large to accept.")
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if any(name.endswith("vbaProject.bin") for name in names):
        raise EvidenceRefused("This document contains macros: save it as a plain .docx or .xlsx.")
    raise EvidenceRefused(f"This is a zip archive, not a Word or Excel file. Accepted: {ACCEPTED}.")


def safe_filename(name: str, kind: str) -> str:
    """The evidence file's name to store and to offer again: the uploaded name made safe
    (casereview.downloads.upload_filename), with the extension of what the file really is."""
    return upload_filename(name, ext=EXTENSIONS[kind], default="evidence")


def evidence_uploads_check(
    uploads: Sequence[EvidenceUpload], *, max_bytes: int
) -> tuple[list[tuple[EvidenceUpload, str]], list[str]]:
    """Each accepted upload with its kind, and a message for each upload refused."""
    checked: list[tuple[EvidenceUpload, str]] = []
    refused: list[str] = []
    for upload in uploads:
        if upload.size is not None and upload.size > max_bytes:
            size, limit = megabytes(upload.size), megabytes(max_bytes)
            refused.append(f"{upload.name[:100]}: The file is {size}; the limit is {limit}.")
            continue
        try:
            kind = evidence_kind(upload.data, max_bytes=max_bytes)
        except EvidenceRefused as exc:
            refused.append(f"{upload.name[:100]}: {exc}")
            continue
        checked.append((upload, kind))
    return checked, refused
