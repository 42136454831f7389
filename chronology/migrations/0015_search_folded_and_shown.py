"""The integrated chronology's search matches what the page shows (chronology.integrated.search).

- Folded text: lower case with accents and other marks taken off ("cafe" finds "café"). The
  agency entry's own vector (migration 0005) is made from its folded text, and a version's
  `search_text` and `search_vector` are folded here as the build now writes them.
- The text as shown with designations, where it differs from the text as written:
  `search_shown`, and on PostgreSQL its vector `shown_vector`. Columns the build writes and the
  models do not declare, as `search_vector`. Built versions are marked as wanting their timeline
  drawn again: the redraw writes them their shown text too (chronology.integrated.timeline)."""

import re
import unicodedata

from django.db import migrations

ENTRY = "chronology_chronologyentry"
INTEGRATED = "chronology_integratedentry"
VERSION = "chronology_integratedchronology"
MARKS = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
ENTRY_TEXT = "date_display || ' ' || people::text || ' ' || event || ' ' || details || ' ' || outcome || ' ' || comment"


def pg_fold(expression: str) -> str:
    # Plain ASCII text (one byte a character) is only lowered.
    return (
        f"CASE WHEN octet_length({expression}) = length({expression}) THEN lower({expression}) "
        f"ELSE lower(regexp_replace(normalize({expression}, NFKD), '[{MARKS}]', '', 'g')) END"
    )


def fold(text):
    if not text or text.isascii():
        return (text or "").lower()
    return re.sub(f"[{MARKS}]", "", unicodedata.normalize("NFKD", text or "")).lower()


def _entry_vector(schema_editor, text: str) -> None:
    schema_editor.execute(f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS text_vector")
    schema_editor.execute(
        f"ALTER TABLE {ENTRY} ADD COLUMN text_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {text})) STORED"
    )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _entry_vector(schema_editor, pg_fold(ENTRY_TEXT))
        schema_editor.execute(
            f"ALTER TABLE {INTEGRATED} ADD COLUMN search_shown text, ADD COLUMN shown_vector tsvector"
        )
        schema_editor.execute(
            f"UPDATE {INTEGRATED} SET search_text = {pg_fold('search_text')}, "
            f"search_vector = to_tsvector('english'::regconfig, {pg_fold('search_text')})"
        )
    else:
        schema_editor.connection.ensure_connection()
        schema_editor.connection.connection.create_function("casereview_fold", 1, fold, deterministic=True)
        schema_editor.execute(f"ALTER TABLE {INTEGRATED} ADD COLUMN search_shown text")
        schema_editor.execute(f"UPDATE {INTEGRATED} SET search_text = casereview_fold(search_text)")
    schema_editor.execute(
        f"UPDATE {VERSION} SET timeline_wanted_at = CURRENT_TIMESTAMP WHERE status IN ('ready', 'running')"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _entry_vector(schema_editor, ENTRY_TEXT)
        schema_editor.execute(f"ALTER TABLE {INTEGRATED} DROP COLUMN search_shown, DROP COLUMN shown_vector")
    else:
        schema_editor.execute(f"ALTER TABLE {INTEGRATED} DROP COLUMN search_shown")


class Migration(migrations.Migration):
    dependencies = [
        ("chronology", "0014_link_decision_fingerprints"),
    ]

    operations = [migrations.RunPython(forward, backward)]
