"""Entry references in section text name the entry by its fingerprint rather than its database
id, so they keep pointing at the same entry when an agency's chronology is imported again
(reports.citations). Only the sections' text is rewritten: revisions are history. A reference to
an id that is no entry of the review is left as it was (the publication check names it)."""

import hashlib
import re
import unicodedata

from django.db import migrations

ENTRY_ID_RE = re.compile(r"\[\[entry:([0-9]{1,18})\]\]")


def fingerprint(agency_id, date_start, date_end, precision, details) -> str:
    """chronology.integrated.rows.entry_fingerprint as it is at this migration."""
    text = " ".join((details if details.isascii() else unicodedata.normalize("NFC", details)).casefold().split())
    key = f"{agency_id}|{date_start.isoformat()}|{date_end.isoformat()}|{precision}|{text}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def references_by_fingerprint(apps, schema_editor):
    Section = apps.get_model("reports", "Section")
    ChronologyEntry = apps.get_model("chronology", "ChronologyEntry")
    for section in Section.objects.filter(body__contains="[[entry:").select_related("document").iterator():
        ids = {int(value) for value in ENTRY_ID_RE.findall(section.body)}
        if not ids:
            continue
        entries = ChronologyEntry.objects.filter(pk__in=ids, imr__review_id=section.document.review_id).values_list(
            "pk", "imr__agency_id", "date_start", "date_end", "precision", "details"
        )
        keys = {pk: fingerprint(*fields) for pk, *fields in entries}
        body = ENTRY_ID_RE.sub(
            lambda m: f"[[entry:{keys[int(m.group(1))]}]]" if int(m.group(1)) in keys else m.group(0), section.body
        )
        if body != section.body:
            Section.objects.filter(pk=section.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_suggestions_as_tracked_changes"),
        ("chronology", "0014_link_decision_fingerprints"),
    ]

    operations = [
        migrations.RunPython(references_by_fingerprint, migrations.RunPython.noop),
    ]
