"""What kind of file an upload is, decided from its bytes and never from its name."""

import io
import math
import zipfile
from typing import Literal

from .results import FileRefused

MB = 1024 * 1024
# Limits on what an evidence document may unpack to (actions.evidence). A chronology workbook's
# are in xlsx_reader and checked by workbook_zip.
MAX_EXPANSION_RATIO = 20
MAX_UNPACKED_BYTES = 200 * MB

_SAVE_AS = "save it as .xlsx or CSV and upload that."
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_MARKUP = (b"<!doctype html", b"<html", b"<?xml", b"<table")


def megabytes(size: int) -> str:
    """'12.3 MB', rounded up so a file just over a limit never reads as equal to it; '10 MB' when whole."""
    tenths = math.ceil(size * 10 / MB)
    return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths / 10:.1f} MB"


def sniff(data: bytes, *, max_bytes: int) -> Literal["csv", "xlsx"]:
    """'xlsx' or 'csv', or FileRefused with a reason the author can act on."""
    if not data:
        raise FileRefused("The file is empty.")
    if len(data) > max_bytes:
        raise FileRefused(f"The file is {megabytes(len(data))}; the limit is {megabytes(max_bytes)}.")
    head = data[:1024]
    if b"%PDF-" in head:  # PDF readers accept junk before the header, so look past the first byte
        raise FileRefused("This is a PDF document, not a CSV or XLSX spreadsheet.")
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            # Excel wraps a password-protected .xlsx in the old Office container.
            raise FileRefused(
                "This workbook is protected with a password: remove the password, save it and upload it again."
            )
        raise FileRefused(f"This is an Excel 97-2003 (.xls) or other Office 97-2003 file: {_SAVE_AS}")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        _check_workbook_zip(data)
        return "xlsx"
    for magic, kind in _IMAGES:
        if data.startswith(magic):
            raise FileRefused(f"This is an image ({kind}), not a CSV or XLSX spreadsheet.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("This file is saved as UTF-16 (Unicode) text: save it as CSV UTF-8 or .xlsx and upload that.")
    if b"\x00" in data:
        raise FileRefused("This file holds binary data, not the text of a CSV file or an XLSX workbook.")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_MARKUP):
        # Excel's "Web page" and "XML Spreadsheet 2003" files often carry an .xls name.
        raise FileRefused(
            f"This is a web page or XML file, not a CSV or XLSX spreadsheet: open it in Excel and {_SAVE_AS}"
        )
    if head.startswith(b"{\\rtf"):
        raise FileRefused("This is a Rich Text (RTF) document, not a CSV or XLSX spreadsheet.")
    return "csv"


def _check_workbook_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # zipfile raises a grab-bag of exceptions on damaged archives
        raise FileRefused("This zip archive is damaged: it cannot be opened as an XLSX workbook.") from exc
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise FileRefused(f"This is an Excel binary workbook (.xlsb): {_SAVE_AS}")
        if "content.xml" in names and "mimetype" in names:
            raise FileRefused(f"This is an OpenDocument file (.ods or .odt), not an XLSX workbook: {_SAVE_AS}")
        raise FileRefused("This is a zip archive (perhaps a Word document), not an XLSX workbook.")
    # What the parts unpack to, and the cells of the sheet, are checked before the workbook is read
    # (xlsx_reader, workbook_zip).
