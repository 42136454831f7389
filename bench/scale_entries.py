"""The chronology entries at demo scale, the bulk of the data: shared evenly over the IMRs that
bench/scale_rows.py wrote, made as COPY text in large blocks by several connections at once, with
the table's secondary indexes dropped while they load and built again after."""

from __future__ import annotations

import datetime

from scale_rows import PEOPLE_NAMES, Counts, World

EVENTS = ["Home visit", "Telephone call", "Appointment", "Strategy discussion", "Referral", "Attendance at A&E",
          "Police call-out", "Case conference", "Letter", "Missed appointment"]  # fmt: skip


def _entry_template(now: datetime.datetime) -> str:
    """A COPY text line with %-placeholders for what varies; every other column as its default."""
    from chronology.models import ChronologyEntry

    varying = {"id": "%d", "imr_id": "%d", "position": "%d", "date_start": "%s", "date_end": "%s",
               "date_display": "%s", "time": "%s", "people": "%s", "event": "%s", "details": "%s",
               "significant": "%s", "created_by_id": "%d", "updated_by_id": "%d"}  # fmt: skip
    fixed = {"precision": "day", "source": "Case notes", "practitioner": "Duty social worker",
             "outcome": "Advice given; no further action.", "comment": "",
             "created_at": now.isoformat(), "updated_at": now.isoformat()}  # fmt: skip
    parts = []
    for f in ChronologyEntry._meta.concrete_fields:
        if f.attname in varying:
            parts.append(varying[f.attname])
        elif f.attname in fixed:
            parts.append(fixed[f.attname].replace("%", "%%"))
        else:  # a column this generator does not know yet: its default, or NULL
            default = f.get_default() if (f.has_default() or not f.null) else None
            parts.append("\\N" if default is None else str(default).replace("%", "%%"))
    return "\t".join(parts) + "\n"


def write_entries(url: str, world: World, counts: Counts, jobs: int) -> None:
    """The entries, shared evenly over the IMRs, by COPY in large blocks of text: ``jobs``
    connections at once, each with a share of the IMRs (the database computes each entry's search
    columns as it stores it, which is most of the time)."""
    from concurrent.futures import ThreadPoolExecutor

    per_imr, extra = divmod(counts.entries, len(world.imrs))
    shares = [(n * len(world.imrs)) // jobs for n in range(jobs + 1)]
    with ThreadPoolExecutor(jobs) as pool:
        futures = [
            pool.submit(_copy_entries, url, world, range(shares[n], shares[n + 1]), per_imr, extra) for n in range(jobs)
        ]
        counts.written["chronology entries"] = sum(future.result() for future in futures)


def _copy_entries(url: str, world: World, indexes: range, per_imr: int, extra: int) -> int:
    import psycopg
    from psycopg.copy import QueuedLibpqWriter

    from chronology.models import ChronologyEntry

    table = ChronologyEntry._meta.db_table
    columns = ", ".join(f'"{f.column}"' for f in ChronologyEntry._meta.concrete_fields)
    template = _entry_template(world.now)
    first, span = datetime.date(2019, 1, 1), 5 * 365
    days = [(day.isoformat(), day.strftime("%d/%m/%Y")) for day in (first + datetime.timedelta(n) for n in range(span))]
    people = [f'["{name}"]' for name, _ in PEOPLE_NAMES] + ['["Adult A", "Child 1"]']
    entry_id = indexes.start * per_imr + min(indexes.start, extra)
    written, block = 0, []
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
        # The rows are made here while the server reads the last block (a writer thread sends them).
        with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN', writer=QueuedLibpqWriter(cursor)) as copy:
            for index in indexes:
                imr_id, _, author = world.imrs[index]
                for position in range(1, per_imr + (index < extra) + 1):
                    entry_id += 1
                    text, display = days[(entry_id * 37 + position * 11) % span]
                    block.append(template % (
                        entry_id, imr_id, position, text, text, display,
                        "\\N" if position % 3 else f"{9 + position % 9:02d}:{position % 60:02d}:00",
                        people[position % len(people)], EVENTS[entry_id % len(EVENTS)],
                        f"Entry {position} of this agency: {EVENTS[(entry_id + 3) % len(EVENTS)].lower()} about the"
                        f" family; the practitioner recorded concerns about home conditions and the child's attendance"
                        f" ({entry_id}).",
                        "t" if position % 17 == 0 else "f", author, author,
                    ))  # fmt: skip
                    if len(block) >= 20_000:
                        copy.write("".join(block))
                        written += len(block)
                        block.clear()
            if block:
                copy.write("".join(block))
                written += len(block)
    return written


def entries_loading(cursor, table: str):
    """Drop the table's secondary indexes for a bulk load; returns what builds them again. An
    index of the model's that a run stopped midway left out is made first, so it is never lost."""
    from django.db import connection

    from chronology.models import ChronologyEntry

    with connection.schema_editor(collect_sql=True) as editor:
        for statement in editor._model_indexes_sql(ChronologyEntry):  # type: ignore[attr-defined]
            cursor.execute(str(statement).replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN"
        " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    definitions = cursor.fetchall()
    for name, _ in definitions:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in definitions]
