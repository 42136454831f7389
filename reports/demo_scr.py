"""The demo's Serious Case Review ("Family B", Bournemouth & Poole) gets its documents: the
executive summary is seed 000's text (sections 1 to 5, paragraph by paragraph), and the overview
report a short one drawn from the same text, with the review's own terms of reference, panel and
contributors as data blocks.

The draft names people as the agencies' records do, by the demo's person register (reviews.demo_data:
Mrs B is Linda Barlow, Mr B Gary Bristow, Child 1 Chloe Barlow, Child 2 Megan Barlow, Child 3
Ellie-May Hughes, her mother X Stacey Hughes); the publication version prints the seed's designations
back. The seed's recommendations are the review's (loaded with its action plan), which the
recommendations section prints as a table."""

from __future__ import annotations

from accounts.models import User
from reports import document_services, services
from reports.models import Document, Section
from reports.publication_check import publication_check
from reviews.models import Review
from reviews.publication_services import publication_acknowledge

# Seed 000, section 1.
INTRODUCTION = [
    (
        "This case relates to three children: Chloe Barlow aged seven and her sister Megan Barlow who were "
        "the children of Linda Barlow, and Ellie-May Hughes granddaughter of Linda Barlow. They had all been "
        "living with Linda Barlow and her partner Gary Bristow (who was not the father to any of the "
        "children) until the couple’s separation."
    ),
    (
        "In September 2007 Linda Barlow had been visiting her estranged partner, Gary Bristow to collect the "
        "children following an overnight contact, when she was attacked by him. The children were nearby at "
        "the time of the attack, but were not direct witnesses."
    ),
    (
        "Linda Barlow later died of her injuries. This resulted in Gary Bristow being charged and convicted "
        "of her murder."
    ),
    (
        "Bournemouth &amp; Poole Safeguarding Children Board agreed that the grounds for a serious case "
        "review under Working Together to Safeguard Children (DfES 2006) were met."
    ),
    (
        "Relevant agencies in Bournemouth and Poole who had contact with the family, completed Individual "
        "Management Reviews (IMR) in which individual and organisational practice was critically scrutinised."
        " A Serious Case Review Panel was appointed to collate and analyse the information and to oversee the"
        " process of the review."
    ),
]

# Section 2: the summary of contact between professionals and the family.
CASE = [
    (
        "In this case there are two distinct sets of events during the period under review. Firstly, events "
        "arising out of the care proceedings with regard to Ellie-May Hughes. These took place in 2005-2006. "
        "Secondly, the events leading up to the death of Linda Barlow at the hands of her partner in 2007."
    ),
    "The following is a brief summary of the contacts with various professionals.",
    (
        "In December 2004, Ellie-May Hughes, who was 18 months old at the time, had been accommodated by the "
        "local authority because her mother Stacey Hughes, (daughter of Linda Barlow from her first "
        "marriage), who was 18 years old at the time, was unable to care for her at that time. In April 2005 "
        "social services made an application for a care order and a CAFCASS guardian was appointed."
    ),
    (
        "In September 2005 Ellie-May Hughes’s legal father made an application for a residence order, and in "
        "October 2005 Linda Barlow, Ellie-May Hughes’s maternal grandparent, also made an application for a "
        "residence order."
    ),
    (
        "Both parties were the subject of assessments by the local authority. At the professionals meeting in"
        " February 2006 it was concluded that the placement with Linda Barlow ‘appeared to be the most viable"
        " option to secure Ellie-May Hughes’s long term future.’"
    ),
    (
        "The guardian made a number of assessments over subsequent months. In May 2006 the Family Proceedings"
        " Court made a residence order in favour of Linda Barlow with a Family Assistance Order to the Local "
        "Authority."
    ),
    "Between May 2006 and April 2007 there was no significant contact with professionals and the family members.",
    (
        "In April 2007 Gary Bristow assaulted Linda Barlow. He had returned home drunk and she had confronted"
        " him about his drinking. He assaulted her. Police attended and Gary Bristow was arrested and charged"
        " with assault and bailed with conditions not to make contact with Linda Barlow. Though the children "
        "were in the home, they did not directly witness the actual assault. Prior to this time there had "
        "been a significant history of alcohol misuse by Gary Bristow."
    ),
    (
        "There was recognition on the part of Linda Barlow that what had happened would have had an adverse "
        "impact on all the children in terms of their emotional development."
    ),
    (
        "An Initial Assessment was completed. It was reported in the initial assessment that the victim’s "
        "partner had been drinking for approximately a year but that his intake had increased over the last "
        "few months."
    ),
    (
        "In May 2007 Linda Barlow telephoned the police to report that Gary Bristow had visited her address. "
        "She also reported to the telephone operator that threats to kill had been made against her. "
        "Subsequently, she did not report this to the attending officer. As a result, police failed to deal "
        "with the threat to kill allegation or carry out a risk assessment."
    ),
    (
        "They also failed to identify that he was still on bail with conditions not to visit the family home."
        " This appears to have been due to a failure of the computer system to display this information."
    ),
    (
        "In May 2007 a ‘Children in Need’ Review was undertaken. It was noted that Linda Barlow had taken "
        "precautions based on the advice given to her about the safety of the children and herself. The "
        "children were having contact with both sides of the extended family. She stated that she had stopped"
        " overnight contact of the children to Gary Bristow and would ensure that future contact would be "
        "safe."
    ),
    (
        "Gary Bristow self referred to a drugs and alcohol service via the Probation Service; he reported "
        "difficulties in adjusting to normal life after many years of working on fairgrounds. He appeared "
        "before the Court for Assault by Beating, for which he received a Community Service Order (80 hours)."
    ),
    (
        "In June 2007 following an attempted suicide by Gary Bristow, the local hospital undertook an initial"
        " psychiatric referral. He disclosed to the crisis team that he had threatened to kill Linda Barlow. "
        "He described himself as feeling on edge; desperate, and without help, would kill himself with "
        "knives. The Risk Screening concluded that he was a risk to himself and others when intoxicated."
    ),
    (
        "The following day Gary Bristow was transferred to a local acute inpatient unit where he was subject "
        "to further joint assessment. He was discharged due to being more settled and agreeing to the "
        "discharge plan. This plan failed to recognise the risk to others as identified in the initial risk "
        "assessment."
    ),
    (
        "In June 2007 a ‘Child in Need’ review meeting was undertaken and it was concluded that Linda Barlow "
        "was aware of the damaging effects of domestic violence on her children. She had put in place "
        "protection strategies and would not resume her relationship with Gary Bristow although she agreed to"
        " contact with the children. There was on-going inter-agency liaison and information sharing and "
        "there were no concerns other than those relating to domestic violence."
    ),
    (
        "In July 2007 Gary Bristow was taken to the local hospital by ambulance having stated that he had "
        "taken an overdose. He left the hospital building to have a cigarette and never returned. He was "
        "recorded as having been discharged. There was no evidence of referral to any other agencies."
    ),
    "In September 2007 Gary Bristow stabbed Linda Barlow.",
]

# Section 3: key issues arising from the case (the two lead-ins in bold, as the seed sets them).
KEY_ISSUES = [
    (
        "<strong>Residence order assessment process.</strong> It is clear from the detailed individual "
        "management reviews that there should have been more robust assessments taking place in relation to "
        "the decision regarding with whom Ellie-May Hughes should reside. This especially applies to the "
        "assessment of Gary Bristow, which appears not to have been completed due to confusion as to who was "
        "responsible. This left the children vulnerable to Gary Bristow. This was compounded by the failure "
        "to effectively obtain and then assess the individual backgrounds of Gary Bristow and Linda Barlow, "
        "how they met and the dynamics of their relationship. It would appear that the guardian was very "
        "reliant on social services providing information and that assumptions were made that all was well, "
        "despite this background information not being provided."
    ),
    (
        "The legal father of Ellie-May Hughes should have been subject to greater consideration. He appears "
        "to have been a responsible person but was dismissed due to his legal immigration status and the "
        "ongoing problems this might cause. When considered against the full background information in "
        "respect of Gary Bristow and Linda Barlow he may have not been ruled out as quickly, and indeed may "
        "have been included in the safeguarding network around the child."
    ),
    (
        "<strong>Domestic Violence risk assessment.</strong> The police were using a risk assessment process "
        "at the time of the incident. However, the assessment process being applied by the local Independent "
        "Domestic Violence Advisor was not the same and this resulted in the police risk assessing this case "
        "as high, but the Independent Domestic Violence Advisor assessing risk as low on the bases that the "
        "victim understood the threat."
    ),
    (
        "When Gary Bristow was assessed, following his attempted suicide, in June 2007 the level of risk "
        "identified was changed within 24hrs and he was discharged with a plan that failed to recognise the "
        "risk that he posed not only to himself but to other individuals including the children."
    ),
    (
        "During the Children in Need meetings too much reliance was placed on the word of Linda Barlow to be "
        "able to keep her children safe. Interagency involvement was not sought."
    ),
    (
        "Practitioners did not correctly ascertain Linda Barlow’s circumstances and position at the time Gary"
        " Bristow was facing court for Assault, and did not evaluate the implications of him having contact "
        "with Linda Barlow and the children."
    ),
]

# Section 4: the conclusion; its last paragraph (on MARAC) is unnumbered in the seed.
CONCLUSION = [
    (
        "There was a lack of reference to Adult Protection Procedures, in relation to Gary Bristow’s "
        "substance misuse and mental health issues. Had notice been taken of the consistent threats/risks "
        "Gary Bristow posed to Linda Barlow, and had the information been collated, then this might have "
        "triggered an alert within the pan Dorset Adult Protection Procedures. There was no liaison and "
        "information sharing between Children’s Services to Adult Services, and Adult Services to Children’s "
        "Services"
    ),
    (
        "Two risk assessments of Gary Bristow were undertaken within a twelve-hour period without any "
        "reference to each other. The examining doctor appears to have ignored the risk posed to others and "
        "discharged Gary Bristow without any inter-agency communication or follow up."
    ),
    (
        "School was not informed of the domestic violence and alcohol abuse within the family and staff were "
        "therefore not able to offer support to the children."
    ),
    (
        "Home visits by the key worker were classed as Child in Need Reviews and no other agency was informed"
        " of this or given the opportunity to attend."
    ),
    (
        "The introduction of the Multi-agency Risk Assessment Conference process (MARAC), which was not in "
        "operation at the time of the work with this family, has significantly altered the multi-agency risk "
        "assessment process. Its success in addressing domestic abuse has been evidenced nationally by the "
        "quality assurance findings by Co-ordinated Action Against Domestic Abuse (CAADA)."
    ),
]


def _p(paragraphs: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


RECOMMENDATIONS_INTRO = "<p>The overview report made the following recommendations.</p>"

# The executive summary as the seed has it: (layout title, the seed's title, text). Its layout's
# "Lessons learnt" has no counterpart in the seed and is removed.
SUMMARY: list[tuple[str, str, str]] = [
    ("Introduction", "Introduction", _p(INTRODUCTION)),
    ("The case", "Summary of contact between professionals and the family", _p(CASE)),
    ("Key issues", "Key issues arising from the case", _p(KEY_ISSUES)),
    ("Conclusions", "Conclusion", _p(CONCLUSION)),
    ("Recommendations", "Overview report recommendations", RECOMMENDATIONS_INTRO),
]
SUMMARY_REMOVED = ("Lessons learnt",)

# A short overview report (assumed: the seed is the executive summary only), by the layout's titles.
OVERVIEW: dict[str, str] = {
    "Introduction": _p(INTRODUCTION),
    "Terms of reference and methodology": _p(["[[data:terms-of-reference]]"]),
    "Agency involvement and individual management reviews": _p(
        [
            INTRODUCTION[-1],
            "[[data:contributors]]",
            "The panel that oversaw the review:",
            "[[data:panel]]",
        ]
    ),
    "Case summary": _p(CASE),
    "Key issues and analysis": _p(KEY_ISSUES),
    "Conclusions": _p(CONCLUSION[:-1]),
    "Lessons learnt": _p(CONCLUSION[-1:]),
    "Recommendations": RECOMMENDATIONS_INTRO,
}


def _write(document: Document, texts: dict[str, str], author: User) -> None:
    for section in document.sections.all():
        text = texts.get(section.title)
        if text:
            services.section_save(section_id=section.pk, body=text, base_version=section.version, actor=author)


def documents_load(review: Review, *, chair: User) -> None:
    """Both documents of the demo SCR; does nothing if they exist."""
    if review.documents.exists():
        return
    overview = document_services.document_create(review=review, kind=Document.Kind.OVERVIEW, actor=chair)
    _write(overview, OVERVIEW, chair)
    summary = document_services.document_create(review=review, kind=Document.Kind.EXECUTIVE_SUMMARY, actor=chair)
    for title in SUMMARY_REMOVED:
        services.section_remove(section=Section.objects.get(document=summary, title=title), actor=chair)
    for layout_title, seed_title, text in SUMMARY:
        section = Section.objects.get(document=summary, title=layout_title)
        services.section_rename(section=section, title=seed_title, actor=chair)
        services.section_save(section_id=section.pk, body=text, base_version=section.version, actor=chair)
    for document in (overview, summary):
        _months_acknowledged(document, chair)


def _months_acknowledged(document: Document, chair: User) -> None:
    """The chair's decisions on what the publication check finds: Child 3's invented name
    (Ellie-May) makes "May" a forename, and "In May 2007" the month, acknowledged one by one."""
    for finding in publication_check(document).blocking:
        if finding.kind == "forename" and finding.hit.found == "May":
            publication_acknowledge(
                review=document.review,
                finding=finding,
                reason="“May” here is the month, not Child 3’s name.",
                actor=chair,
            )
