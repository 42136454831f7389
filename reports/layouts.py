"""The sections a new document starts with, by review type and document kind. Configuration,
not code: the chair adds, renames, reorders and removes sections afterwards.

The DHR overview report follows the Home Office overview-report layout (as in the published
Birmingham review); CSPR, SAR and SCR layouts follow the published reviews of each kind."""

from __future__ import annotations

RECOMMENDATIONS = "Recommendations"

DHR_OVERVIEW = [
    "Introduction",
    "Timescales",
    "Confidentiality",
    "Terms of reference",
    "Methods",
    "Involvement of family, friends, work colleagues and neighbours",
    "Contributors to the review",
    "The review panel members",
    "Author of the overview report",
    "Parallel reviews",
    "Equality and diversity",
    "Dissemination",
    "Background information (the facts)",
    "Chronology",
    "Overview",
    "Analysis",
    "Conclusions",
    "Lessons to be learned",
    RECOMMENDATIONS,
]
DHR_SUMMARY = [
    "The review process",
    "Contributors to the review",
    "The review panel members",
    "Author of the overview report",
    "Terms of reference",
    "Summary chronology",
    "Key issues arising from the review",
    "Conclusions",
    "Lessons to be learned",
    RECOMMENDATIONS,
]
CSPR_OVERVIEW = [
    "Introduction",
    "Why this case was chosen for review",
    "Methodology and terms of reference",
    "Family involvement",
    "Case summary",
    "Key practice episodes",
    "Analysis of practice",
    "Findings",
    "Learning",
    RECOMMENDATIONS,
]
CSPR_SUMMARY = ["Introduction", "Case summary", "Findings and learning", RECOMMENDATIONS]
RAPID_OVERVIEW = [
    "Case summary",
    "Immediate safeguarding actions",
    "Agency involvement",
    "Learning identified",
    "Decision on a child safeguarding practice review",
    RECOMMENDATIONS,
]
RAPID_SUMMARY = ["Case summary", "Learning identified", RECOMMENDATIONS]
SAR_OVERVIEW = [
    "Introduction",
    "Terms of reference",
    "Methodology",
    "Involvement of the adult and their family",
    "Background",
    "Key episodes",
    "Analysis",
    "Findings",
    "Conclusions",
    RECOMMENDATIONS,
]
SAR_SUMMARY = ["Introduction", "Summary of the case", "Findings", RECOMMENDATIONS]
SCR_OVERVIEW = [
    "Introduction",
    "Terms of reference and methodology",
    "Agency involvement and individual management reviews",
    "Case summary",
    "Key issues and analysis",
    "Conclusions",
    "Lessons learnt",
    RECOMMENDATIONS,
]
SCR_SUMMARY = ["Introduction", "The case", "Key issues", "Conclusions", "Lessons learnt", RECOMMENDATIONS]

# A learning briefing (seed 003's shape, the "7-minute briefing"): what happened, how the review
# looked at it, what it found and learned, what it recommends and what the board is doing. Its
# sections stand in this order for every review type, their titles in each type's own words; the
# briefing is written from the review's data and documents when it is made (reports.briefing).
BRIEFING_PARTS = ("summary", "methodology", "episodes", "findings", "learning", "recommendations", "response")
DHR_BRIEFING = [
    "Summary of the case",
    "Methodology and terms of reference",
    "Key episodes",
    "Findings",
    "Lessons to be learned",
    RECOMMENDATIONS,
    "The partnership's response",
]
CSPR_BRIEFING = [
    "Summary of the case",
    "Methodology and scope",
    "Key practice episodes",
    "Findings",
    "Learning for practice",
    RECOMMENDATIONS,
    "The safeguarding partners' response",
]
RAPID_BRIEFING = [
    "Summary of the case",
    "Scope of the rapid review",
    "Key episodes",
    "Findings",
    "Learning identified",
    RECOMMENDATIONS,
    "The safeguarding partners' response",
]
SAR_BRIEFING = [
    "Summary of the case",
    "Methodology and terms of reference",
    "Key episodes",
    "Findings",
    "Learning for practice",
    RECOMMENDATIONS,
    "The board's response",
]
SCR_BRIEFING = [
    "Summary of the case",
    "Methodology",
    "The case history",
    "Analysis of practice",
    "Lessons learnt",
    RECOMMENDATIONS,
    "The board's response",
]

LAYOUTS: dict[tuple[str, str], list[str]] = {
    ("dhr", "overview"): DHR_OVERVIEW,
    ("dhr", "executive_summary"): DHR_SUMMARY,
    ("cspr", "overview"): CSPR_OVERVIEW,
    ("cspr", "executive_summary"): CSPR_SUMMARY,
    ("rapid", "overview"): RAPID_OVERVIEW,
    ("rapid", "executive_summary"): RAPID_SUMMARY,
    ("sar", "overview"): SAR_OVERVIEW,
    ("sar", "executive_summary"): SAR_SUMMARY,
    ("scr", "overview"): SCR_OVERVIEW,
    ("scr", "executive_summary"): SCR_SUMMARY,
    ("dhr", "learning_briefing"): DHR_BRIEFING,
    ("cspr", "learning_briefing"): CSPR_BRIEFING,
    ("rapid", "learning_briefing"): RAPID_BRIEFING,
    ("sar", "learning_briefing"): SAR_BRIEFING,
    ("scr", "learning_briefing"): SCR_BRIEFING,
}


def layout_for(review_type: str, kind: str) -> list[str]:
    """Section titles for a new document; an unknown type falls back to the DHR layout."""
    return LAYOUTS.get((review_type, kind)) or LAYOUTS[("dhr", kind)]
