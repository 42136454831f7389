"""Data blocks: a paragraph whose whole text is ``[[data:NAME]]`` (or ``[[data:NAME:ARG]]``)
stands for what the review already holds — its terms of reference and key lines of enquiry, the
panel, the contributing agencies, the key episodes, one episode's integrated chronology, the
recommendations — so the chair never retypes them. The composer (reports.compose) expands the
token into ordinary block HTML (paragraphs, lists, tables with a header row), each block then
going through the composer like any other: numbering, footnotes, and for a publication version
redactions, names replaced by designations and the checks. An unknown block, or an episode that
is not this review's, shows a visible note and is reported as an unresolved reference."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from actions.models import Action
from chronology.models import IntegratedChronology, KeyEpisode
from reports import family_block, richtext
from reviews.models import Imr, ReviewMembership

# The whole text of a paragraph: a token, and nothing else.
TOKEN_RE = re.compile(r"\[\[data:([a-z][a-z-]{0,40})(?::([0-9]{1,12}))?\]\]")
# name -> what the editor calls it ("Data block: Panel members — rendered from the review").
NAMES = {
    "terms-of-reference": "Terms of reference and key lines of enquiry",
    "key-lines": "Key lines of enquiry",
    "panel": "Panel members",
    "contributors": "Contributing agencies and IMR authors",
    "key-episodes": "Key episodes",
    "episode-chronology": "Chronology of a key episode",
    "recommendations": "Recommendations table",
    "actions": "Actions agreed and their progress",
    "family": "Involvement of family, friends and others (by designation)",
}
# More rows than a report's table can hold: the rest are left to the chronology's appendix/export.
CHRONOLOGY_ROWS = 500


def token_of(block: richtext.Block) -> re.Match[str] | None:
    """The data-block token a paragraph is, if its whole text is one."""
    if block.tag != "p":
        return None
    return TOKEN_RE.fullmatch(block.text.strip())


def _e(value: object) -> str:
    return htmllib.escape(str(value), quote=False)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _paragraphs(text: str) -> str:
    return "".join(
        f"<p>{_e(' '.join(part.split()))}</p>" for part in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if part.strip()
    )


def _date(value) -> str:
    return f"{value:%-d %B %Y}"


@dataclass(frozen=True)
class Choice:
    """A block the editor offers: its token and its label."""

    token: str
    label: str


class DataBlocks:
    """The data blocks of one review, each read once however often it is used."""

    def __init__(self, review, unresolved: list[str], recommendations=None):
        self.review = review
        self.unresolved = unresolved  # the composer's: an unknown block is reported with the references
        self.recommendations = recommendations  # () -> rows, as the Recommendations section has them
        self.cache: dict[tuple[str, str], tuple[str, bool]] = {}

    def expand(self, blocks: Iterable[richtext.Block], where: str) -> Iterator[tuple[int, richtext.Block]]:
        """The section's blocks, each token paragraph replaced by its blocks; every block with the
        index of the block it came from in the text (the editor's ?block=)."""
        for index, block in enumerate(blocks):
            match = token_of(block)
            if match is None:
                yield index, block
                continue
            for expanded in richtext.blocks(self.html(match, where)):
                yield index, expanded

    def html(self, match: re.Match[str], where: str) -> str:
        name, arg = match.group(1), match.group(2) or ""
        key = (name, arg)
        if key not in self.cache:
            known = name in NAMES and (name == "episode-chronology") == bool(arg)
            if not known:
                self.cache[key] = (f"<p>{_e('[unknown data block: ' + match.group(0)[7:-2] + ']')}</p>", False)
            elif name == "episode-chronology" and not self._episode(arg):
                self.cache[key] = (f"<p>[unknown episode: {_e(arg)}]</p>", False)
            else:
                self.cache[key] = (richtext.sanitise(getattr(self, "_" + name.replace("-", "_"))(arg)), True)
        value, resolved = self.cache[key]
        if not resolved:
            self.unresolved.append(f"{match.group(0)} in {where}")
        return value

    def _episode(self, arg: str) -> KeyEpisode | None:
        """Only this review's episode: another review's id is an unknown episode, nothing of it read."""
        return KeyEpisode.objects.filter(review=self.review, pk=int(arg)).first()

    def _terms_of_reference(self, _arg: str) -> str:
        lines = list(self.review.key_lines.order_by("position").values_list("text", flat=True))
        out = _paragraphs(self.review.terms_of_reference or "")
        if lines:
            out += "<ol>" + "".join(f"<li>{_e(' '.join(text.split()))}</li>" for text in lines) + "</ol>"
        return out or "<p>No terms of reference or key lines of enquiry are recorded for this review yet.</p>"

    def _key_lines(self, _arg: str) -> str:
        """The key lines of enquiry alone (a briefing's methodology: the terms of reference in short)."""
        lines = list(self.review.key_lines.order_by("position").values_list("text", flat=True))
        if not lines:
            return "<p>No key lines of enquiry are recorded for this review yet.</p>"
        return "<ol>" + "".join(f"<li>{_e(' '.join(text.split()))}</li>" for text in lines) + "</ol>"

    def _panel(self, _arg: str) -> str:
        members = (
            ReviewMembership.objects.filter(
                review=self.review, role__in=[ReviewMembership.Role.CHAIR, ReviewMembership.Role.PANEL]
            )
            .select_related("user")
            .order_by("role", "user__last_name", "user__first_name", "pk")
        )
        rows = []
        for member in members:
            role = member.panel_role.strip()
            if member.role == ReviewMembership.Role.CHAIR:
                role = f"Chair, {role}" if role and "chair" not in role.lower() else role or "Chair"
            rows.append([member.user.display_name, role or member.get_role_display()])
        if not rows:
            return "<p>No panel members are recorded for this review yet.</p>"
        return _table(["Name", "Role"], rows)

    def _contributors(self, _arg: str) -> str:
        """Every agency asked for an IMR: its IMR's state and author, or its nil return and why."""
        imrs = Imr.objects.filter(review=self.review).select_related("agency", "author").order_by("agency__name", "pk")
        rows = []
        for imr in imrs:
            contribution = imr.get_status_display()
            if imr.status == Imr.Status.NIL_RETURN and imr.nil_return_reason.strip():
                contribution = f"Nil return: {' '.join(imr.nil_return_reason.split())}"
            rows.append([imr.agency.name, imr.author.display_name if imr.author else "", contribution])
        if not rows:
            return "<p>No agencies have been asked for an IMR yet.</p>"
        return _table(["Agency", "IMR author", "Contribution"], rows)

    def _key_episodes(self, _arg: str) -> str:
        episodes = KeyEpisode.objects.filter(review=self.review).order_by("start", "end", "title")
        items = [f"<li>{_e(e.title)} ({_date(e.start)} to {_date(e.end)})</li>" for e in episodes]
        return f"<ul>{''.join(items)}</ul>" if items else "<p>No key episodes are recorded for this review yet.</p>"

    def _episode_chronology(self, arg: str) -> str:
        episode = self._episode(arg)
        assert episode is not None  # html() looked first
        chronology = (
            IntegratedChronology.objects.defer("timeline_svg")
            .filter(review=self.review, status=IntegratedChronology.Status.READY)
            .order_by("-version")
            .first()
        )
        title = f"<p>{_e(episode.title)} ({_date(episode.start)} to {_date(episode.end)}): "
        if chronology is None:
            return title + "the integrated chronology has not been built yet.</p>"
        entries = list(
            chronology.entries.filter(date_start__lte=episode.end, date_end__gte=episode.start)
            .order_by("seq")
            .values_list("date_display", "agency_name", "event", "details")[: CHRONOLOGY_ROWS + 1]
        )
        if not entries:
            return title + "the integrated chronology has no entries in this episode.</p>"
        more = len(entries) > CHRONOLOGY_ROWS
        rows = [[date, agency, event, " ".join(details.split())] for date, agency, event, details in entries]
        note = f"<p>The first {CHRONOLOGY_ROWS} entries; the chronology has more in this episode.</p>" if more else ""
        return _table(["Date", "Agency", "Event", "Details"], rows[:CHRONOLOGY_ROWS]) + note

    def _recommendations(self, _arg: str) -> str:
        if self.recommendations is None:
            from reports.compose import _recommendation_rows  # compose imports this module

            rows = _recommendation_rows(self.review, None, "")
        else:
            rows = self.recommendations()
        if not rows:
            return "<p>No recommendations are recorded for this review yet.</p>"
        return _table(
            ["No.", "Recommendation", "Agencies", "Scope", "Expected outcome"],
            [[str(r.number), r.text, r.agencies, r.scope, r.expected_outcome] for r in rows],
        )

    def _actions(self, _arg: str) -> str:
        """The action plan's actions (the render fingerprint has them, as printed)."""
        actions = (
            Action.objects.filter(recommendation__review=self.review)
            .select_related("recommendation", "lead_agency")
            .order_by("recommendation__number", "target_date", "pk")
        )
        rows = [
            [str(a.recommendation.number), " ".join(a.text.split()), a.lead_agency.name, _date(a.target_date),
             a.get_effective_status_display()]
            for a in actions
        ]  # fmt: skip
        if not rows:
            return "<p>No actions are recorded for this review yet.</p>"
        return _table(["Rec.", "Action", "Lead agency", "Target date", "Status"], rows)

    def _family(self, _arg: str) -> str:
        """The family involvement log, by designation and as each person consented."""
        return family_block.family_block_html(self.review)


def choices(review) -> list[Choice]:
    """The blocks the editor offers for a review, episodes by title."""
    out = [Choice(f"[[data:{name}]]", label) for name, label in NAMES.items() if name != "episode-chronology"]
    for pk, title in (
        KeyEpisode.objects.filter(review=review).order_by("start", "end", "title").values_list("pk", "title")
    ):
        out.append(Choice(f"[[data:episode-chronology:{pk}]]", f"Chronology of “{title}”"))
    return out


def used(bodies: Iterable[str]) -> set[str]:
    return {match.group(1) for body in bodies for match in TOKEN_RE.finditer(body or "")}


def revision_state(review, bodies: Iterable[str]) -> list:
    """What the data blocks in these texts read (for the render fingerprint): a change to the key
    lines, memberships, IMRs or episodes makes the rendered files out of date (the chronology
    version and the recommendations are in the fingerprint already)."""
    names = used(bodies)
    if not names:
        return []
    state: list = [sorted(names)]
    if "key-lines" in names:
        state.append(list(review.key_lines.order_by("position").values_list("text", flat=True)))
    if "terms-of-reference" in names:
        state.append(
            [review.terms_of_reference, list(review.key_lines.order_by("position").values_list("text", flat=True))]
        )
    if "panel" in names:
        members = ReviewMembership.objects.filter(review=review, role__in=["chair", "panel"]).order_by("pk")
        state.append(
            list(
                members.values_list("pk", "role", "panel_role", "user__first_name", "user__last_name", "user__username")
            )
        )
    if "contributors" in names:
        imrs = Imr.objects.filter(review=review).order_by("pk")
        state.append(
            list(
                imrs.values_list(
                    "pk",
                    "agency__name",
                    "status",
                    "nil_return_reason",
                    "author__first_name",
                    "author__last_name",
                    "author__username",
                )
            )
        )
    if names & {"key-episodes", "episode-chronology"}:
        state.append(
            list(KeyEpisode.objects.filter(review=review).order_by("pk").values_list("pk", "title", "start", "end"))
        )
    if "family" in names:
        state.append(family_block.family_block_state(review))
    return state
