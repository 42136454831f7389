"""A document's front matter as published reviews have it (seed 002's cover: "Domestic Homicide
Review under section 9 of the Domestic Violence Crime and Victims Act 2004 / In respect of the
death of a woman / Report produced by ... Independent Chair and Author / December 2014"):

- the statutory line, by review type;
- the chair and the report's author (Review.report_author, else the chair);
- the month and year of the document's date;
- whether the document opens with a contents page (``show_contents``).

In a publication version every text of the cover goes through the publication pipeline, as the
case name does (reports.compose)."""

from __future__ import annotations

import datetime
import re

from reports.compose import ComposedDocument
from reports.models import Document
from reviews.models import Review, ReviewMembership
from reviews.publication import Publication, Where

# The statute each kind of review is held under, as the published reviews word it.
STATUTORY_BASIS: dict[str, str] = {
    Review.Type.DHR: "under section 9 of the Domestic Violence, Crime and Victims Act 2004",
    Review.Type.CSPR: ("under section 16F of the Children Act 2004 and Working Together to Safeguard Children 2023"),
    Review.Type.RAPID: (
        "of a serious incident notified under section 16C of the Children Act 2004, as Working Together "
        "to Safeguard Children 2023 sets out"
    ),
    Review.Type.SAR: "under section 44 of the Care Act 2014",
    Review.Type.SCR: "under Regulation 5 of the Local Safeguarding Children Boards Regulations 2006",
}
_THE_DEATH_OF = re.compile(r"^\s*(?:in respect of\s+)?the death of\s+", re.IGNORECASE)

# An executive summary this short opens with its text, not a contents page: seed 000 (5 sections,
# about 2,200 words, no contents). A contents page earns its place when there is much to find:
# twelve sections or more, or 2,500 words or more (the composed text as printed, headings
# included, footnotes not). Overview reports always have one.
SHORT_SUMMARY_SECTIONS = 12  # fewer sections than this
SHORT_SUMMARY_WORDS = 2500  # and fewer words than this
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def statutory_line(review_type: str, review_type_label: str, case_name: str) -> str:
    """The cover's line saying what the review is and the law it is held under. A domestic
    homicide review names whose death it is about ("Report into the death of Adult A under
    section 9 ..."), with the case name as published."""
    basis = STATUTORY_BASIS.get(review_type, "")
    if review_type == Review.Type.DHR:
        subject = _THE_DEATH_OF.sub("", case_name).strip() or case_name
        return f"Report into the death of {subject} {basis}".strip()
    return f"{review_type_label} {basis}".strip()


def chair_name(review: Review) -> str:
    """The review's chair as the cover names them (the first chair if there are two)."""
    membership = (
        ReviewMembership.objects.filter(review=review, role=ReviewMembership.Role.CHAIR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user.display_name if membership else ""


def cover_people(review: Review, run: Publication | None) -> tuple[str, str]:
    """(chair, author) as printed: through the publication pipeline in a publication version (a
    chair is not normally a registered person, but nothing on a cover goes unchecked)."""
    chair = chair_name(review)
    author = review.report_author.strip() or chair
    if run is not None:
        if chair:
            chair = run.text(chair, Where("Cover, independent chair", "review:chair", group="Cover"))
        if author:
            author = run.text(author, Where("Cover, author", "review:report_author", group="Cover"))
    return chair, author


def published_text(text: str, run: Publication | None, label: str, scope: str) -> str:
    if run is None or not text:
        return text
    return run.text(text, Where(label, scope, group="Cover"))


_MONTHS = ("January February March April May June July August September October November December").split()


def month_year(day: datetime.date) -> str:
    """ "March 2026": English whatever the process's locale."""
    return f"{_MONTHS[day.month - 1]} {day.year}"


def word_count(composed: ComposedDocument) -> int:
    """The words of the composed text (headings and blocks), as printed."""
    words = 0
    for section in composed.sections:
        words += len(_WORD.findall(section.title))
        for block in section.blocks:
            words += len(_WORD.findall(_TAG.sub(" ", block.html)))
    return words


def show_contents(composed: ComposedDocument) -> bool:
    """A contents page, except for a short executive summary: fewer than SHORT_SUMMARY_SECTIONS
    sections and fewer than SHORT_SUMMARY_WORDS words."""
    if composed.document.kind != Document.Kind.EXECUTIVE_SUMMARY:
        return True
    short = len(composed.sections) < SHORT_SUMMARY_SECTIONS and word_count(composed) < SHORT_SUMMARY_WORDS
    return not short
