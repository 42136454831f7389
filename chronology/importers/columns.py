"""The chronology columns and the many ways agencies head them.

Headers are compared after lower-casing and dropping everything but letters and digits, so
"Action / Outcome", "action-outcome" and "ACTION OUTCOME" are the same header."""

import re
from dataclasses import dataclass, field

COLUMNS: tuple[str, ...] = (
    "date",
    "time",
    "people",
    "source",
    "practitioner",
    "event",
    "details",
    "outcome",
    "comment",
    "significant",
)

# The names PRODUCT.md gives the columns; issues name columns by these.
COLUMN_LABELS: dict[str, str] = {
    "date": "Date",
    "time": "Time",
    "people": "Person(s)",
    "source": "Source",
    "practitioner": "Practitioner",
    "event": "Event",
    "details": "Details",
    "outcome": "Action / Outcome",
    "comment": "Comment",
    "significant": "Significant",
}

REQUIRED_COLUMNS: tuple[str, ...] = ("date", "details")

# Headers seen in agency chronology templates (police, health, social care, IMR templates),
# written as people type them; they are normalised below. Each alias belongs to one column only.
# fmt: off
_ALIASES: dict[str, tuple[str, ...]] = {
    "date": (
        "Date", "Dates", "Date of contact", "Contact date", "Date of event", "Event date", "Date of incident",
        "Incident date", "Date of entry", "Entry date", "Date of record", "Record date", "Date seen",
        "Date (dd/mm/yyyy)", "Date dd/mm/yy", "Date of contact/event", "Date of event/contact", "When",
        "Date of episode", "Episode date", "Date of involvement", "Approximate date", "Date(s)",
    ),
    "time": (
        "Time", "Time of contact", "Contact time", "Time of event", "Event time", "Time of incident", "Incident time",
        "Time (24hr)", "Time (24h)", "Time (hh:mm)", "Time 24 hour", "Times",
    ),
    "people": (
        "Person(s)", "Person", "Persons", "People", "Persons involved", "People involved", "Person involved",
        "Person(s) involved", "Name(s)", "Name", "Names", "Names of people involved", "Subject", "Subjects",
        "Subject(s)", "Individual", "Individuals", "Individual(s)", "Family member(s)", "Family members", "Who",
        "Client", "Service user", "Service user(s)", "Person(s) seen", "Persons present",
    ),
    "source": (
        "Source", "Sources", "Source of information", "Information source", "Source of info", "Agency record",
        "Agency records", "Record", "Record source", "Source record", "Source document", "Document", "Reference",
        "Record reference", "Ref", "Ref no", "Reference number", "System", "Source/reference",
        "Source (system/document/reference)", "Record type", "Data source", "Source of record",
    ),
    "practitioner": (
        "Practitioner", "Practitioners", "Practitioner(s)", "Practitioner role", "Role of practitioner",
        "Practitioner involved", "Practitioner(s) involved", "Professional", "Professional role",
        "Professional(s) involved", "Professional involved", "Role", "Staff role", "Worker role", "Worker",
        "Job title", "Staff member role", "Practitioner/role", "Role of professional", "Officer role",
    ),
    "event": (
        "Event", "Events", "Event/contact", "Contact/event", "Event type", "Type of event", "Type of contact",
        "Contact type", "Contact", "Nature of contact", "Nature of event", "Event/contact type", "Activity", "Type",
        "Incident type", "Type of incident", "Contact method", "Event/incident",
    ),
    "details": (
        "Details", "Detail", "Details of contact", "Details of event", "Details of contact/event",
        "Details of event/contact", "Event details", "Description", "Description of event", "Description of contact",
        "Summary", "Summary of contact", "Summary of event", "Narrative", "What happened", "Notes", "Information",
        "Content", "Details (facts only)", "Facts", "Event/contact details", "Contact details/summary",
        "Details of incident", "Incident details",
    ),
    "outcome": (
        "Action / Outcome", "Outcome", "Outcomes", "Action taken", "Actions taken", "Action", "Actions",
        "Outcome/action", "Action and outcome", "Actions and outcomes", "Outcome of contact", "Result", "Decision",
        "Action taken/outcome", "Outcome/action taken", "Next steps", "Action/outcome/decision", "Actions/outcome",
        "Outcome/decision", "Response", "Action / response",
    ),
    "comment": (
        "Comment", "Comments", "Comments/analysis", "Comment/analysis", "Analysis", "Analysis/comment",
        "Analysis/comments", "Comments and analysis", "IMR author comment", "IMR author comments",
        "IMR author's comment", "IMR author's comments", "IMR author analysis", "Author comment", "Author's comment",
        "Author comments", "IMR comment", "IMR comments", "Reviewer comment", "Reviewer comments", "Commentary",
        "Agency comment", "Agency comments", "IMR author commentary", "Analysis of practice", "Learning",
        "Reflections",
    ),
    "significant": (
        "Significant", "Significance", "Significant?", "Significant (Y/N)", "Significant event",
        "Significant event (Y/N)", "Significant event?", "Key event", "Key event (Y/N)", "Key event?", "Key",
        "Is significant", "Significant incident", "Key incident", "Flag", "Flagged",
    ),
}
# fmt: on

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_header(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for key, aliases in _ALIASES.items():
        for alias in (*aliases, COLUMN_LABELS[key], key):
            normal = normalise_header(alias)
            claimed = lookup.setdefault(normal, key)
            # An alias may not mean two columns; fail at import so a bad edit is caught by any test.
            assert claimed == key, f"header alias {alias!r} claimed by {claimed} and {key}"
    return lookup


HEADER_LOOKUP: dict[str, str] = _build_lookup()


def column_for_header(text: str) -> str | None:
    """The canonical column a header names, or None if it is not a chronology column."""
    return HEADER_LOOKUP.get(normalise_header(text))


@dataclass
class HeaderMatch:
    """How a header row maps onto the chronology columns."""

    indexes: dict[str, int] = field(default_factory=dict)  # canonical key -> position in the row
    found: dict[str, str] = field(default_factory=dict)  # canonical key -> header text as in the file
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (position, header text)
    unheaded: list[int] = field(default_factory=list)  # positions with a blank header cell
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (key, first header, second header)

    @property
    def missing(self) -> list[str]:
        return [key for key in REQUIRED_COLUMNS if key not in self.indexes]


def match_header(headers: list[str]) -> HeaderMatch:
    match = HeaderMatch()
    for position, text in enumerate(headers):
        if not text:
            match.unheaded.append(position)
            continue
        key = column_for_header(text)
        if key is None:
            match.unknown.append((position, text))
        elif key in match.indexes:
            match.duplicates.append((key, match.found[key], text))
        else:
            match.indexes[key] = position
            match.found[key] = text
    return match
