"""An agency entry's searched text folded (migration 0015) as a stored column, which a version's
rows copy instead of folding every entry's text again; and its full-text vector in two parts:
its people, and the rest of its searched fields. A version's vector as written joins both to its
agency's name; its vector as shown with designations takes the same parts but for the people as
shown, and the rest as shown only where names were replaced in it: most entries name a person
registered in their people, few in their text, so the build analyses only those texts again
(chronology.integrated.build.entries_copy). PostgreSQL only, as before; the models do not
declare these columns."""

from django.db import migrations

ENTRY = "chronology_chronologyentry"
MARKS = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
PEOPLE = "people::text"
REST = "date_display || ' ' || event || ' ' || details || ' ' || outcome || ' ' || comment"
# The people without their list's brackets and quotes: "Jade Marsh, Danny".
FOLDED = (
    "date_display || ' ' || translate(people::text, '[]\"', '') || ' ' || event || ' ' || details || ' ' || "
    "outcome || ' ' || comment"
)
WHOLE = "date_display || ' ' || people::text || ' ' || event || ' ' || details || ' ' || outcome || ' ' || comment"


def fold(expression: str) -> str:
    # Plain ASCII text (one byte a character) is only lowered.
    return (
        f"CASE WHEN octet_length({expression}) = length({expression}) THEN lower({expression}) "
        f"ELSE lower(regexp_replace(normalize({expression}, NFKD), '[{MARKS}]', '', 'g')) END"
    )


def _vector(name: str, text: str) -> str:
    return (
        f"ADD COLUMN {name} tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {fold(f'({text})')})) "
        "STORED"
    )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS text_vector, {_vector('people_vector', PEOPLE)}, "
            f"{_vector('rest_vector', REST)}, "
            f"ADD COLUMN search_folded text GENERATED ALWAYS AS ({fold(f'({FOLDED})')}) STORED"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {ENTRY} DROP COLUMN people_vector, DROP COLUMN rest_vector, DROP COLUMN search_folded, "
            f"{_vector('text_vector', WHOLE)}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("chronology", "0015_search_folded_and_shown"),
    ]

    operations = [migrations.RunPython(forward, backward)]
