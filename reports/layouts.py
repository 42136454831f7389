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
}


def layout_for(review_type: str, kind: str) -> list[str]:
    """Section titles for a new document; an unknown type falls back to the DHR layout."""
    return LAYOUTS.get((review_type, kind)) or LAYOUTS[("dhr", kind)]
