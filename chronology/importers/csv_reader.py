"""CSV files: UTF-8 (with or without BOM) or Windows-1252; comma, semicolon or tab separated."""

import codecs
import csv
import io
import re
from collections.abc import Iterator

from .results import FileRefused, ParseResult
from .table import NoHeaderRow, ReadFailed, Row, read_table

_CHUNK = 1024 * 1024
_SNIFF_BYTES = 64 * 1024
_DELIMITERS = ",;\t"  # in order of preference when a header has none (a one-column file) or a tie
# Excel writes and honours a first line "sep=;" naming the delimiter; it is not a row.
_SEP_LINE = re.compile(r'"?sep=([,;\t|])"?\r?\n')

# Five bytes (81 8D 8F 90 9D) have no character in Windows-1252. Rather than refuse a whole file
# for one stray byte, read those as Latin-1 does (a control character), as Excel itself does.
_CP1252_FALLBACK = "casereview-cp1252-latin1"


def _latin1_for_undefined(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error(_CP1252_FALLBACK, _latin1_for_undefined)


def choose_encoding(data: bytes) -> str:
    """'utf-8', 'utf-8-sig' (UTF-8 with a BOM) or 'cp1252' (anything that is not valid UTF-8)."""
    if data.isascii():
        return "utf-8"
    # Validate in chunks rather than decoding the whole file into a throwaway string.
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


def sniff_delimiter(text: str) -> tuple[str, bool]:
    """The delimiter, and whether the first line is an Excel "sep=" line to skip.

    Counts candidate delimiters outside quotes on the first line with any content (the header)."""
    sep_line = _SEP_LINE.match(text)
    if sep_line:
        return sep_line.group(1), True
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes = content = False
    for char in text:
        if char == '"':
            # A doubled "" inside quotes flips twice and so changes nothing, as it should.
            in_quotes = not in_quotes
            content = True
        elif in_quotes:
            continue
        elif char in "\r\n":
            if content:
                break
            counts = dict.fromkeys(_DELIMITERS, 0)  # a blank line such as ",,,," is not the header
        elif char in counts:
            counts[char] += 1
        elif not char.isspace():
            content = True
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])  # max() keeps the first of equals
    return (best if counts[best] else ","), False


def parse_csv(data: bytes) -> ParseResult:
    encoding = choose_encoding(data)
    # Delimiters, quotes and "sep=" are ASCII, and ASCII bytes mean the same in every encoding we accept,
    # so Latin-1 reads the start of the file well enough to find them.
    delimiter, skip_first = sniff_delimiter(data[:_SNIFF_BYTES].removeprefix(codecs.BOM_UTF8).decode("latin-1"))
    result = ParseResult(encoding=encoding)
    errors = _CP1252_FALLBACK if encoding == "cp1252" else "strict"
    # newline="" lets the csv module see the line breaks inside quoted fields as they are.
    with io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors=errors, newline="") as text:
        reader = csv.reader(text, delimiter=delimiter)
        if skip_first:
            next(reader, None)
        try:
            read_table(_numbered(reader), result)
        except NoHeaderRow:
            raise FileRefused("The file is empty.") from None
    return result


def _numbered(reader: Iterator[list[str]]) -> Iterator[Row]:
    """Rows numbered as Excel shows them: one row per record, even when a quoted field spans lines."""
    number = 0
    try:
        for values in reader:
            number += 1
            yield number, values
    except csv.Error as exc:
        raise ReadFailed(
            number + 1,
            f"the file cannot be read from this row on ({exc}); "
            'the usual cause is a quote mark (") that is never closed',
        ) from exc
