"""What an IMR held when the chair returned it, and what has changed in it since: entries added,
removed and changed (field by field), and each answer's text compared paragraph by paragraph.
The chair reads this on the resubmitted IMR's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from reports.diff import DiffRow, diff_rows, has_changes
from reviews.models import Imr, ImrSnapshot

# The entry's fields the snapshot keeps, with the words the comparison names them by.
ENTRY_FIELDS = {
    "date_display": "Date",
    "time": "Time",
    "people": "People",
    "source": "Source",
    "practitioner": "Practitioner",
    "event": "Event type",
    "details": "Details",
    "outcome": "Action / outcome",
    "comment": "IMR author's comment",
    "significant": "Significant",
}


def _value(name: str, value: Any) -> Any:
    if name == "time":
        return value.strftime("%H:%M") if value else ""
    if name == "people":
        return list(value or [])
    return value


def entry_state(entry: Any) -> dict[str, Any]:
    return {"id": entry.pk, **{name: _value(name, getattr(entry, name)) for name in ENTRY_FIELDS}}


def imr_state(imr: Imr) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The IMR's chronology entries (in order) and answers (by key line id), as stored now."""
    entries = [entry_state(entry) for entry in imr.entries.order_by("date_start", "time", "position", "pk")]
    answers = {str(answer.key_line_id): answer.text for answer in imr.answers.all()}
    return entries, answers


def imr_snapshot_take(imr: Imr) -> ImrSnapshot:
    """Keep what the IMR holds now (called as the chair returns it)."""
    entries, answers = imr_state(imr)
    return ImrSnapshot.objects.create(imr=imr, entries=entries, answers=answers)


def _shown(name: str, value: Any) -> str:
    if name == "people":
        return ", ".join(value) or "(none)"
    if name == "significant":
        return "Yes" if value else "No"
    return str(value) if value not in ("", None) else "(empty)"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class EntryChange:
    date: str
    details: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class AnswerChange:
    key_line: Any  # the KeyLineOfEnquiry
    rows: list[DiffRow]


@dataclass(frozen=True)
class ImrChanges:
    """What changed between the return (``snapshot``) and now."""

    snapshot: ImrSnapshot
    added: list[EntryChange]
    removed: list[EntryChange]
    changed: list[EntryChange]
    answers: list[AnswerChange]

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.answers)


def _entry(state: dict[str, Any], fields: list[FieldChange] | None = None) -> EntryChange:
    return EntryChange(date=state.get("date_display", ""), details=state.get("details", ""), fields=fields or [])


def _content(state: dict[str, Any]) -> tuple:
    return tuple(tuple(value) if isinstance(value := state.get(name), list) else value for name in ENTRY_FIELDS)


def _unmatched(states: list[dict[str, Any]], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries of ``states`` with no counterpart in ``others``: none of the same id, nor one
    left unmatched by id with exactly the same fields (an entry uploaded again with "replace"
    has a new id but is the same entry)."""
    state_ids = {state["id"] for state in states}
    other_ids = {other["id"] for other in others}
    spare: dict[tuple, int] = {}
    for other in others:
        if other["id"] not in state_ids:
            spare[_content(other)] = spare.get(_content(other), 0) + 1
    result = []
    for state in states:
        if state["id"] in other_ids:
            continue
        key = _content(state)
        if spare.get(key):
            spare[key] -= 1
        else:
            result.append(state)
    return result


def _fields(old: dict[str, Any], state: dict[str, Any]) -> list[FieldChange]:
    return [
        FieldChange(label, _shown(name, old.get(name)), _shown(name, state.get(name)))
        for name, label in ENTRY_FIELDS.items()
        if old.get(name) != state.get(name)
    ]


# How alike two entries' details are (difflib's ratio) to be one entry changed rather than two.
SIMILAR = 0.6


def _same_contact(added: list[dict[str, Any]], removed: list[dict[str, Any]]) -> list[tuple[dict, dict]]:
    """Entries that came back with a new id ("replace all") and some field changed: an entry
    added and one removed with the same date, time and event type, one of each, and details
    mostly the same (another contact that day reads differently), are one entry changed."""

    def key(state: dict[str, Any]) -> tuple:
        return state.get("date_display"), state.get("time"), state.get("event")

    olds: dict[tuple, list[dict]] = {}
    for state in removed:
        olds.setdefault(key(state), []).append(state)
    news: dict[tuple, list[dict]] = {}
    for state in added:
        news.setdefault(key(state), []).append(state)
    pairs = [(olds[k][0], news[k][0]) for k in news if len(news[k]) == 1 and len(olds.get(k, ())) == 1]
    return [
        (old, new)
        for old, new in pairs
        if SequenceMatcher(None, old.get("details") or "", new.get("details") or "").ratio() >= SIMILAR
    ]


def imr_changes(imr: Imr, snapshot: ImrSnapshot, key_lines: list[Any]) -> ImrChanges:
    """The changes from ``snapshot`` to the IMR as it is now; entries matched by their id, or
    failing that by having every field the same, or else by their date, time and event type
    (one of each); the answers of ``key_lines`` (those asked of the agency) compared in their
    order."""
    entries, answers = imr_state(imr)
    before = {state["id"]: state for state in snapshot.entries}
    added_states = _unmatched(entries, snapshot.entries)
    removed_states = _unmatched(snapshot.entries, entries)
    pairs = _same_contact(added_states, removed_states)
    paired = {id(state) for pair in pairs for state in pair}
    added = [_entry(state) for state in added_states if id(state) not in paired]
    removed = [_entry(state) for state in removed_states if id(state) not in paired]
    changed = []
    for state in entries:
        old = before.get(state["id"]) or next((o for o, n in pairs if n is state), None)
        if old is not None and (fields := _fields(old, state)):
            changed.append(_entry(state, fields))
    answer_changes = []
    for line in key_lines:
        rows = diff_rows(snapshot.answers.get(str(line.pk), ""), answers.get(str(line.pk), ""))
        if has_changes(rows):
            answer_changes.append(AnswerChange(line, rows))
    return ImrChanges(snapshot, added, removed, changed, answer_changes)
