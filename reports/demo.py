"""The demo review's overview report and executive summary, drafted from the published
Birmingham review (seed 002): real sections with real text, a revision history, comments,
a panel member's suggested edit (tracked changes), a redacted passage, references and the review's glossary.

The draft names people as agencies' records do (the invented names of the demo's person
register); the publication version shows their designations instead."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from chronology.models import ChronologyEntry
from reports import (
    citations,
    demo_front,
    demo_scr,
    discussion_services,
    document_services,
    glossary_services,
    services,
)
from reports.models import Document, Section
from reviews.models import Imr, Review

# The seed's own glossary.
GLOSSARY = [
    ("AAFDA", "Advocacy After Fatal Domestic Abuse"),
    ("ACPO", "Association of Chief Police Officers"),
    ("BCC", "Birmingham City Council"),
    ("BCSP", "Birmingham Community Safety Partnership"),
    ("BSCB", "Birmingham Safeguarding Children Board"),
    ("CCG", "Clinical Commissioning Group"),
    ("CPP", "Child protection plan"),
    ("CPS", "Crown Prosecution Service"),
    ("DASH", "Domestic Abuse, Stalking and Honour Based Violence risk identification, assessment and management model"),
    ("DHR", "Domestic Homicide Review"),
    ("GP", "General Practitioner"),
    ("ICPC", "Initial child protection conference"),
    ("IMR", "Individual Management Review"),
    ("MAPPA", "Multi-Agency Public Protection Arrangements"),
    ("MARAC", "Multi-Agency Risk Assessment Conference"),
    ("NHS", "National Health Service"),
    ("PPU", "Public Protection Unit of West Midlands Police"),
    ("SCR", "Serious Case Review"),
]


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _styled(style: str, *paragraphs: str) -> str:
    """Paragraphs styled as findings or learning points (the learning briefing copies them)."""
    return "".join(f'<p data-style="{style}">{text}</p>' for text in paragraphs)


OVERVIEW: dict[str, str] = {
    "Introduction": _p(
        "The tragic death of the victim in August 2012 was notified to the Birmingham Community Safety "
        "Partnership (BCSP) on the following day.",
        "At the time of her death, Jade Marsh was 22 years old and had three young children under the age of "
        "5 years, who were all subject of child protection plans under the category of emotional abuse in "
        "relation to the domestic violence and abuse being experienced by the victim from their father, the "
        "perpetrator.",
        "An Initial child protection conference [[term:ICPC]] had taken place in June 2012 following section 47 "
        "child protection enquiries and assessment carried out by Children's Social Care{entry_icpc}. The core "
        "group of agencies, in this case Children's Social Care, the health visitor and maternity services, "
        "were working to the child protection plan and the oldest child was attending a nursery at a "
        "children's centre.",
        "The perpetrator was charged shortly after the event and convicted of the murder of the victim in "
        "January 2013. He was sentenced to life, with a minimum of twenty-two years imprisonment.",
        "The perpetrator had been involved in eleven documented offences and had come to police notice on "
        "twenty-five occasions prior to the murder of the victim{imr_police}. The reported incidents "
        "demonstrated patterns of behaviour where the risks to the victims increased at times of pregnancy, "
        "separation and contact to children.",
    ),
    "Terms of reference": _p(
        "The Terms of Reference were drawn up by the BCSP DHR Steering Group and reviewed by the DHR Panel and "
        "its independent Chair in November 2012. They follow, with the key lines of enquiry every IMR answered.",
        "[[data:terms-of-reference]]",
    ),
    "Involvement of family, friends, work colleagues and neighbours": _p(
        "The family members were approached by the police Family Liaison Officer, who hand delivered letters "
        "from the independent Chair. They were advised in the accompanying leaflets about advocacy and victim "
        "support services.",
        "Susan Marsh, who was caring for the children of the victim and the perpetrator, expressed an interest "
        "in meeting the Chair and in contributing to the Review supported by two organisations: the National "
        "Homicide Service and AAFDA. Karen Doyle was also present at the meeting, which took place in the "
        "family home at their request in February 2013.",
        "The victim's mother and aunt described their concerns for the victim when she attended the child "
        "protection conference and subsequent core group meeting as the perpetrator was present at those "
        "meetings. Their view was that he controlled and intimidated her and they feared for her safety "
        "arriving and leaving the meetings.",
        '<span class="redaction">The family shared information about a private medical matter, which they '
        "asked the Review not to publish.</span>",
        "The most important message from them was that the police and Children's Social Care should focus less "
        "on the victim as just the mother of the children but see the picture as a whole and focus their work "
        "on controlling the perpetrators of violence and abuse.",
        "The review's contacts with the family and the offers made to them were:",
        "[[data:family]]",
    ),
    "Timescales": _p(
        "The death was notified to the BCSP in August 2012; the DHR Steering Group recommended a review on 21 "
        "August 2012 and the Home Office was notified of the decision on 29 August 2012.",
        "The Review took longer than the six months the guidance expects: the criminal trial ended in January "
        "2013, and some agencies needed more time to complete their IMRs. The BCSP DHR Steering Group was kept "
        "informed of progress throughout.",
    ),
    "Confidentiality": _p(
        "The findings of the Review were confidential until the Overview Report was approved for publication. "
        "Information was available only to participating officers, professionals and their line managers.",
        "To protect the identity of the family, this report refers to people by their designations: the "
        "victim, the perpetrator, and the oldest, second and third child.",
    ),
    "Methods": _p(
        "Agencies that had contact with the victim, the perpetrator or the children were asked to provide a "
        "chronology of their contacts and an IMR answering the key lines of enquiry. The chronologies were "
        "merged into one integrated chronology, from which the key practice episodes were identified.",
        "The Panel met six times between November 2012 and May 2013 to quality assure the IMRs, request "
        "clarification and additional material, and discuss the emerging findings.",
    ),
    "Contributors to the review": _p(
        "IMRs and chronologies were provided by the agencies below. West Midlands Ambulance Service provided a "
        "brief information report and the Panel determined that no further review was needed.",
        "[[data:contributors]]",
        "Of the 41 agencies contacted, 28 reported that the family was not known to them.",
    ),
    "The review panel members": _p(
        "The Panel consisted of senior managers and designated professionals from the key statutory agencies, "
        "none of whom had direct contact with or management involvement in the family's case:",
        "[[data:panel]]",
    ),
    "Author of the overview report": _p(
        "The independent Chair and Overview Author compiled the Overview Report and the Executive Summary and "
        "coordinated the integrated action plan. The author is a registered social worker with thirty years' "
        "experience of practice and management in local authority social care, and is independent of every "
        "agency involved."
    ),
    "Parallel reviews": _p(
        "The Birmingham Safeguarding Children Board Serious Case Review Subgroup decided on 16 November 2012 "
        "that there would not be a separate Serious Case Review; the Overview Report and Action Plan of this "
        "Review were presented to the BSCB instead. The criminal proceedings concluded in January 2013."
    ),
    "Equality and diversity": _p(
        "The Review gave due consideration to all of the protected characteristics under Section 149 of the "
        "Equality Act 2010, in particular the victim's gender, young age and repeated pregnancies, and the mixed "
        "heritage of the perpetrator and the children. IMR authors were asked whether their services were "
        "accessible and appropriate to the family's needs."
    ),
    "Dissemination": _p(
        "The key learning will be disseminated to professionals in the member agencies of the BCSP and the BSCB "
        "through targeted seminars, and each agency will give feedback to the staff involved in the IMR process."
    ),
    "Background information (the facts)": _p(
        "The victim was 22 years old and the mother of three children under five. She had been in a relationship "
        "with the perpetrator since 2008. The perpetrator had a history of violence against a previous partner "
        "and members of his own family, known to the police from 2003.",
        "The victim's mother and extended family lived nearby and gave the victim and the children support, "
        "although at times the perpetrator stopped the victim from seeing them.",
    ),
    "Overview": _p(
        "The integrated chronology shows two key episodes: August to October 2010, when the victim first "
        "reported violence to the police, and February to August 2012, when the children became subject to "
        "child protection plans and the victim separated from the perpetrator.",
        "In both episodes agencies responded to single incidents without the full history of the perpetrator, "
        "and the information each held was not brought together.",
    ),
    "Analysis": _styled(
        "finding",
        "The risk assessments completed after each reported incident were based on the incident alone. The DASH "
        "risk assessment in August 2010 did not draw on the perpetrator's previous offending, which would have "
        "raised the assessed level of risk.",
        "The perpetrator attended the child protection conference and the core group meetings. The victim was "
        "not able to speak freely in his presence, and the plan relied on her to protect the children from him.",
    ),
    "Chronology": _p(
        "The intention in this section is not to reproduce the full integrated chronology of agency contacts "
        "but to draw out significant key episodes and provide an account of what is known in agency records "
        "about contacts with the victim, the children and the perpetrator.",
        "When the records were merged into the integrated chronology, patterns of contacts and services "
        "emerged. Specific key episodes were revealed where the opportunity had been missed by agencies in "
        "various ways to ensure that the victim's safety and the children's welfare were promoted effectively.",
        "[[data:key-episodes]]",
        "The sections below are based on the information from the integrated chronology, the IMRs, including "
        "staff interviews, and the information from the maternal family.",
    )
    + "<h2>The first key episode: August to October 2010</h2>"
    + _p(
        "The victim reported violence by the perpetrator to the police for the first time. The DASH risk "
        "assessment recorded the incident as standard risk, and no referral was made to the MARAC.",
        "The information held by children's social care and the health visitor about the family was not "
        "shared with the police, and the perpetrator's previous offending was not taken into account.",
    )
    + "<h2>The second key episode: February to August 2012</h2>"
    + _p(
        "The children became subject to child protection plans. The perpetrator attended the conference and "
        "the core group meetings, and the plan relied on the victim to keep the children safe from him.",
        "The victim separated from the perpetrator and moved with the children into temporary accommodation. "
        "Agencies did not reassess the risk he posed after the separation.",
    ),
    "Conclusions": _p(
        "In the light of the information available to this Review from the IMRs, the integrated chronology, the "
        "discussions in Panel meetings and the meeting with the victim's family it has emerged that, if the "
        "work had been carried out across the agencies in accordance with good practice and the requirements "
        "in place in agencies at the time, it might have been possible to prevent the death of the victim.",
        "The outcome might have been different if the risk assessments had been based on the full background "
        "information about the perpetrator from the first report by the victim in August 2010, and if the "
        "social work assessment had been undertaken in collaboration with other agencies such as the GP and the "
        "health visitor.",
        "The volatile and controlling nature of the perpetrator's behaviour was not fully understood at any "
        "point in the interventions by the agencies. As the risk assessment had been flawed, they were not able "
        "to predict the level of risk and danger that the perpetrator posed to the victim and the children.",
        "The services provided to the victim and the children were not effective in keeping them safe. The "
        "overall conclusion has to be that the victim, who had reported her fears and concerns, was not really "
        "listened to or heard by the agencies.",
    ),
    "Lessons to be learned": _p(
        "The Review has identified a number of areas where improvements could be made by implementing changes "
        "to promote good practice and a more effective response to victims of domestic violence and abuse. The "
        "key issues to be addressed were identified as follows:"
    )
    + _styled(
        "learning-point",
        "Finding means to remove barriers and boundaries between and within agencies to enable professionals "
        "to work together and to collaborate to provide responsive and safe services to victims and their "
        "children.",
        "Improving the use of risk assessment tools such as DASH as one part of the work with victims.",
        "Ensuring that the child protection processes are carried out in collaboration with other agencies "
        "such as GPs, health visitors, housing officers, Women's Aid workers and, where there is domestic "
        "violence and abuse, the police.",
        "Improving the safe management of child protection conferences to address the risks posed by "
        "perpetrators towards the adult victim as well as the children.",
    ),
    "Recommendations": _p(
        "The recommendations from the Individual Management Reviews are set out in the Action Plan. The "
        "recommendations by the Report Author are intended to complement the recommendations in the IMRs and to "
        "address the agencies collectively."
    ),
}

SUMMARY: dict[str, str] = {
    "The review process": _p(
        "This summary outlines the process undertaken by the Birmingham Community Safety Partnership Domestic "
        "Homicide Review panel in reviewing the death of the victim, a resident of Birmingham, in August 2012.",
        "The Home Office was notified of the decision to hold a DHR in August 2012. Agencies that had contact "
        "with the victim, the children or the perpetrator were asked to provide an IMR and a chronology.",
    ),
    "Contributors to the review": _p(
        "Eight agencies provided IMRs and chronologies; West Midlands Ambulance Service provided a brief "
        "information report, and 28 further agencies reported that the family was not known to them."
    ),
    "The review panel members": _p(
        "The Panel consisted of senior managers and designated professionals from the key statutory agencies, "
        "none of whom had direct contact with or management involvement in the family's case:",
        "[[data:panel]]",
    ),
    "Author of the overview report": _p(
        "The independent Chair and Overview Author, a registered social worker independent of every agency "
        "involved, compiled the Overview Report and this Executive Summary."
    ),
    "Terms of reference": _p(
        "The Review considered agencies' contact with the victim, the perpetrator and the children from April "
        "2008 to the death in August 2012, and the police's involvement with the perpetrator from 2003."
    ),
    "Summary chronology": _p(
        "The victim first reported violence by the perpetrator to the police in August 2010. In 2012, after "
        "further incidents, the children became subject to child protection plans under the category of "
        "emotional abuse. The victim separated from the perpetrator and was living with her family, and then in "
        "temporary accommodation, when she was killed in August 2012."
    ),
    "Lessons to be learned": _p(
        "Risk assessments must draw on the full history of the perpetrator; child protection processes must "
        "involve every agency working with the family; and conferences must be managed so that victims can speak "
        "safely."
    ),
    "Key issues arising from the review": _p(
        "The risk assessments were not based on the full background information about the perpetrator, which "
        "was known to the police from his previous relationship.",
        "The perpetrator attended the child protection conference and core group meetings, and the victim was "
        "not able to speak freely in his presence.",
    ),
    "Conclusions": _p(
        "It might have been possible to prevent the death of the victim if the work had been carried out across "
        "the agencies in accordance with good practice and the requirements in place at the time."
    ),
    "Recommendations": _p("The Review makes the following recommendations to the partnership's agencies."),
}

COMMENTS = [
    (
        "Introduction",
        "Should we say here which agencies provided IMRs, or leave that to the methods section?",
        "twenty-five occasions prior to the murder of the victim",
    ),
    ("Conclusions", "The family asked that the conclusion names the police and Children's Social Care.", ""),
]


def _references(review: Review) -> dict[str, str]:
    entry = (
        ChronologyEntry.objects.filter(imr__review=review, imr__status__in=Imr.CITABLE_STATUSES)
        .filter(details__icontains="conference")
        .select_related("imr")
        .order_by("date_start", "pk")
        .first()
    )
    imr = (
        Imr.objects.filter(review=review, status__in=Imr.SHARED_STATUSES, agency__name__icontains="police")
        .order_by("pk")
        .first()
    )
    # An entry is cited by its fingerprint (reports.citations), which survives a new import.
    return {
        "entry_icpc": f" [[entry:{citations.entry_key(entry)}]]" if entry else "",
        "imr_police": f" [[imr:{imr.pk}]]" if imr else "",
    }


def _write(document: Document, texts: dict[str, str], author: User, refs: dict[str, str]) -> None:
    for section in document.sections.all():
        text = texts.get(section.title)
        if text:
            services.section_save(
                section_id=section.pk, body=text.format(**refs), base_version=section.version, actor=author
            )


def documents_load(review: Review, *, chair: User, panel: User) -> None:
    """Draft both documents for the demo review; does nothing if they exist."""
    if review.documents.exists():
        return
    glossary_services.glossary_terms_import(
        review=review,
        text="\n".join(f"{abbreviation}: {expansion}" for abbreviation, expansion in GLOSSARY),
        actor=chair,
    )
    refs = _references(review)
    overview = document_services.document_create(review=review, kind=Document.Kind.OVERVIEW, actor=chair)
    _write(overview, OVERVIEW, chair, refs)
    summary = document_services.document_create(review=review, kind=Document.Kind.EXECUTIVE_SUMMARY, actor=chair)
    _write(summary, SUMMARY, chair, refs)
    # Written from the review's data and the overview report's findings and learning points.
    document_services.document_create(review=review, kind=Document.Kind.LEARNING_BRIEFING, actor=chair)

    # A second, revised version of the conclusions: the history has something to compare.
    conclusions = Section.objects.get(document=overview, title="Conclusions")
    revised = conclusions.body.replace(
        "it might have been possible to prevent the death of the victim.",
        "it might have been possible to prevent the death of the victim, and thus the loss of their mother for "
        "the children.",
    )
    services.section_save(section_id=conclusions.pk, body=revised, base_version=conclusions.version, actor=chair)

    for title, text, quote in COMMENTS:
        section = Section.objects.get(document=overview, title=title)
        comment = discussion_services.comment_add(section=section, actor=panel, text=text, quote=quote)
        if title == "Introduction":
            discussion_services.comment_add(
                section=section,
                actor=chair,
                text="The methods section lists them; I will add a cross-reference here.",
                parent=comment,
            )

    # A panel member's suggested edit: tracked changes for the chair to accept or reject.
    lessons = Section.objects.get(document=overview, title="Lessons to be learned")
    change = f'data-author="{panel.pk}" data-time="{timezone.now():%Y-%m-%dT%H:%M:%SZ}"'
    wording = (
        "a number of areas where improvements could be made by implementing changes to promote good practice and "
        "a more effective response to victims of domestic violence and abuse"
    )
    suggested = lessons.body.replace(
        wording,
        f'<del data-change="demo-lessons-1" {change}>{wording}</del><ins data-change="demo-lessons-2" {change}>areas '
        "where practice must improve so that victims of domestic violence and abuse, and their children, receive a "
        "safe and effective response</ins>",
    )
    services.section_save(
        section_id=lessons.pk, body=suggested, base_version=lessons.version, actor=panel, suggest_only=True
    )
    discussion_services.comment_add(
        section=lessons, actor=panel, text="Clearer and more direct, as the family asked.", quote=wording[:60]
    )


def review_documents_load(review: Review, *, chair: User, panel: User) -> None:
    """Every demo review's front matter and documents: the DHR's drafted from seed 002, the
    SCR's from seed 000 (reports.demo_scr)."""
    demo_front.front_load(review)
    if review.review_type == Review.Type.SCR:
        demo_scr.documents_load(review, chair=chair)
    else:
        documents_load(review, chair=chair, panel=panel)
