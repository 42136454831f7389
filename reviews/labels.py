"""The protective marking and the labels every output carries: decided here, once.

A PDF's running header, a Word file's properties, a spreadsheet's page header and a JSON
export's ``marking`` all ask ``protective_marking``; watermarks and the "Contains personal
data" line use the constants below. A review type is titled by its choice label
(``Review.get_review_type_display()``), the same words in the app and on a cover."""

from __future__ import annotations

# Government Security Classifications: everything about a review that is not yet public.
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
# The watermark of a document that is not final.
DRAFT = "DRAFT"
# Beside the marking (and as a watermark) on anything holding real names or text as typed.
PERSONAL_DATA = "Contains personal data"


def protective_marking(*, published: bool, personal_data: bool) -> str:
    """OFFICIAL-SENSITIVE for anything not yet published, and for anything holding personal
    data whenever it is made (a panel version, a real-names export: they still name people).
    Nothing for a published text with designations only: it is public."""
    if published and not personal_data:
        return ""
    return OFFICIAL_SENSITIVE


def markings(*, published: bool, personal_data: bool) -> str:
    """The marking line of a page or sheet: "OFFICIAL-SENSITIVE · Contains personal data"."""
    parts = [protective_marking(published=published, personal_data=personal_data)]
    if personal_data:
        parts.append(PERSONAL_DATA)
    return " · ".join(part for part in parts if part)
