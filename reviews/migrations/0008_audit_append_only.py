"""The audit trail is append-only in the database, on PostgreSQL.

A trigger refuses every UPDATE and DELETE of a row of ``reviews_auditentry``, whoever sends it:
the application, the Django admin, a shell or a psql session with the application's role. There
is one exception, the retention purge (``reviews.retention.review_purge``): it runs
``SET LOCAL casereview.audit_purge = 'on'`` inside its own transaction, and only there may the
entries of the purged review be scrubbed of their words. The setting ends with that transaction.

Consequences worth knowing:

- Rows that point at an audit entry are never deleted: accounts are deactivated, not removed
  (deleting one would set ``actor`` to NULL on its entries, an UPDATE the trigger refuses), and
  reviews and partnerships are kept, purged of personal data, never deleted.
- TRUNCATE is not blocked. Django's ``flush`` (and so the test runner between transactional
  tests) empties tables with TRUNCATE; a database that may be truncated is not one the trail can
  be protected in by a trigger anyway, so that is left to the database's roles.

On SQLite (development and the default test run) nothing is installed.
"""

from django.db import migrations

FUNCTION = "reviews_auditentry_append_only"
TRIGGER = "reviews_auditentry_append_only"

CREATE_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    -- The one exception: the retention purge, inside its own transaction (SET LOCAL).
    IF current_setting('casereview.audit_purge', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % of audit entry % refused.', TG_OP, OLD.id
        USING HINT = 'Audit entries are never changed or deleted, except by the retention purge.';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {TRIGGER} ON reviews_auditentry;
CREATE TRIGGER {TRIGGER}
    BEFORE UPDATE OR DELETE ON reviews_auditentry
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

DROP_SQL = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON reviews_auditentry;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def create_trigger(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop_trigger(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0007_person_confirmed_names"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
