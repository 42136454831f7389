"""A partnership's logo, as a board administrator uploads it for its reports' covers: a PNG or
JPEG judged by its content (not its name or the browser's word), small enough to embed in every
rendered file."""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError

MAX_LOGO_BYTES = 256 * 1024
MAX_LOGO_PIXELS = 4000  # on either side
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"))


def logo_checked(data: bytes) -> str:
    """The logo's content type ("image/png" or "image/jpeg"), or a ValidationError saying what is wrong."""
    if not data:
        raise ValidationError({"logo": "The logo file is empty: choose a PNG or JPEG picture."})
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            {"logo": f"The logo is {len(data) // 1024} KB: the limit is {MAX_LOGO_BYTES // 1024} KB. Save it smaller."}
        )
    claimed = next((kind for signature, kind in _SIGNATURES if data.startswith(signature)), None)
    if claimed is None:
        raise ValidationError({"logo": "The logo must be a PNG or JPEG picture: this file is neither."})
    from PIL import Image  # WeasyPrint's own dependency

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, size = image.format, image.size
                image.verify()
    except Exception as error:  # noqa: BLE001 (any decoding failure is a bad file)
        raise ValidationError(
            {"logo": f"The logo could not be read as a {claimed} picture: it may be damaged."}
        ) from error
    if kind != claimed:
        raise ValidationError({"logo": "The logo must be a PNG or JPEG picture: this file is neither."})
    if max(size) > MAX_LOGO_PIXELS:
        raise ValidationError(
            {"logo": f"The logo is {size[0]} × {size[1]} pixels: at most {MAX_LOGO_PIXELS} on a side."}
        )
    return LOGO_TYPES[kind]
