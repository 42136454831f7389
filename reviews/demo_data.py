"""Demo data for the ``load_demo`` command: pure data, no Django.

Built from two published reviews in ``shared/seeds/``:

* 002_6dddf133ef4ab455.txt: Birmingham Community Safety Partnership, Domestic
  Homicide Review BDHR2012/13-04 (overview report by Birgitta Lundberg, December 2014).
* 000_3a50b1d5f81dd073.txt: Bournemouth & Poole Safeguarding Children Board,
  Serious Case Review "Family B" (executive summary).

Published reviews are anonymised. Every ``real_name``, alias and date of birth
below is INVENTED and fictitious; the designations are the seeds' own.
Anything the seeds do not state is marked ``# assumed``.
"""

from datetime import date
from typing import Any

PARTNERSHIPS: list[dict[str, Any]] = [
    {"slug": "birmingham-csp", "name": "Birmingham Community Safety Partnership", "kind": "community_safety"},
    {"slug": "bournemouth-poole-lscb", "name": "Bournemouth & Poole Safeguarding Children Board", "kind": "children"},
]

# Agency names used in REVIEWS below must match these exactly.
BHAM_POLICE = "West Midlands Police"
BHAM_CSC = "Birmingham City Council – Children, Young People and Families Directorate"
BHAM_WA = "Birmingham and Solihull Women's Aid"
BHAM_HOUSING = "Birmingham City Council – Homeless and Pre-Tenancy Service"
BHAM_BCHC = "Birmingham Community Healthcare NHS Trust"
BHAM_BWH = "Birmingham Women's NHS Foundation Trust"
BHAM_CLUSTER = "Birmingham and Solihull NHS Cluster and relevant GPs"
BHAM_NURSERY = "Children's Centre Nursery"
BHAM_AMBULANCE = "West Midlands Ambulance Service"
BHAM_BCSP = "Birmingham Community Safety Partnership"
BHAM_EARLY_YEARS = "Birmingham City Council – Early Years, Childcare and Children's Centres"

# A key line of enquiry the seed addresses to one agency starts with that agency's short name:
# it is asked of that agency only.
KEY_LINE_AGENCIES = {
    "West Midlands Police": BHAM_POLICE,
    "Children's Social Care": BHAM_CSC,
    "Birmingham and Solihull Women's Aid": BHAM_WA,
}
# Invented signing-off managers for the agencies' submitted IMRs (the seeds do not name them),
# given in turn; each signs off as the agency's head of safeguarding.
SIGNING_OFF_MANAGERS = [
    "Janet Price", "Martin Doyle", "Aisha Rahman", "Graham Holt", "Claire Benson", "Tom Adeyemi",
    "Ruth Kelly", "Owen Hughes", "Sara Patel", "David Moss", "Fiona Grant", "Imran Ali",
]  # fmt: skip

BP_POLICE = "Dorset Police"
BP_CSC = "Bournemouth Borough Council Children's Social Care"  # assumed: seed says only "social services" / "Children's Services"
BP_ASC = "Bournemouth Borough Council Adult Social Care"  # assumed authority (seed: "Adult Services")
BP_CAFCASS = "Children and Family Court Advisory and Support Service (CAFCASS)"
BP_PROBATION = "Dorset Probation Area"
BP_HOSPITAL = (
    "Royal Bournemouth and Christchurch Hospitals NHS Foundation Trust"  # assumed: seed says "the local hospital"
)
BP_MH = "Dorset HealthCare NHS Foundation Trust"  # assumed provider of the crisis team and acute inpatient unit
BP_GP = "Bournemouth and Poole Teaching Primary Care Trust (GP practice)"  # assumed; seed: "Primary Care"
BP_DRUGS = "Bournemouth Drug and Alcohol Service"  # assumed name; seed: "a drugs and alcohol service"
BP_IDVA = "Independent Domestic Violence Advisor Service"  # seed: "the local Independent Domestic Violence Advisor"
BP_SCHOOL = "Primary school attended by Child 1 and Child 2"  # assumed; seed: "School"
BP_AMBULANCE = "South Western Ambulance Service NHS Trust"  # assumed name; seed: "by ambulance"

AGENCIES: dict[str, list[dict[str, str]]] = {
    "birmingham-csp": [
        {"name": BHAM_POLICE, "kind": "police"},
        {"name": BHAM_CSC, "kind": "childrens_social_care"},
        {"name": BHAM_WA, "kind": "domestic_abuse_service"},
        {"name": BHAM_HOUSING, "kind": "housing"},
        {"name": BHAM_BCHC, "kind": "health_visiting"},  # health visiting and district nursing
        {"name": BHAM_BWH, "kind": "hospital"},  # maternity services
        {"name": BHAM_CLUSTER, "kind": "gp"},  # GP practices and the Walk in Centre
        {"name": BHAM_NURSERY, "kind": "nursery"},
        {"name": BHAM_AMBULANCE, "kind": "ambulance"},
        {"name": BHAM_EARLY_YEARS, "kind": "education"},
        {"name": BHAM_BCSP, "kind": "other"},
        # Other CSP members named in para 158 of the seed:
        {"name": "Staffordshire and West Midlands Area Probation Trust", "kind": "probation"},
        {"name": "West Midlands Fire Service", "kind": "other"},
        {
            "name": "Birmingham and Solihull Mental Health NHS Foundation Trust",
            "kind": "mental_health",
        },  # assumed: not named in the seed
    ],
    "bournemouth-poole-lscb": [
        {"name": BP_POLICE, "kind": "police"},
        {"name": BP_CSC, "kind": "childrens_social_care"},
        {"name": BP_ASC, "kind": "adult_social_care"},
        {"name": BP_CAFCASS, "kind": "other"},
        {"name": BP_PROBATION, "kind": "probation"},
        {"name": BP_HOSPITAL, "kind": "hospital"},
        {"name": BP_MH, "kind": "mental_health"},
        {"name": BP_GP, "kind": "gp"},
        {"name": BP_DRUGS, "kind": "other"},
        {"name": BP_IDVA, "kind": "domestic_abuse_service"},
        {"name": BP_SCHOOL, "kind": "education"},
        {"name": BP_AMBULANCE, "kind": "ambulance"},
    ],
}

BDHR_TOR = """\
The BCSP Domestic Homicide Review Steering Group recommended on 21 August 2012 that a review should be undertaken, as the criteria in section 9 of the Domestic Violence, Crime and Victims Act 2004 had been met. The Chair of BCSP approved the recommendation and the Home Office was notified on 29 August 2012. The Terms of Reference were reviewed by the DHR Panel and its independent Chair in November 2012.

The aim of the DHR is to: establish what lessons are to be learned from the domestic homicide regarding the way in which local professionals and organisations work individually and together to safeguard victims; identify clearly what those lessons are, both within and between agencies, how and within what timescales they will be acted on, and what is expected to change as a result; apply these lessons to service responses, including changes to policies and procedures as appropriate; and prevent domestic homicide and improve service responses for all domestic violence victims and their children through improved intra- and inter-agency working.

Scope: the Review will consider agencies' contact with the victim and the alleged perpetrator, including relevant contacts with the children. The Overview Report will consider relevant research and learning from previous Domestic Homicide Reviews, nationally and locally. The Panel will consider how and when family members should be invited to contribute, mindful of the criminal investigation; the Panel Chair will arrange liaison with the family, where necessary through a designated advocate. No other Community Safety Partnership is involved.

BCSP will obtain legal advice as necessary and will notify the Strategic Health Authority and the Coroner. Relevant information from the criminal proceedings will be taken into account; the police representative on the Panel will liaise with the Crown Prosecution Service, and the Panel Chair and BCSP will liaise with the Senior Investigating Officer, West Midlands Police, on disclosure. Public and media enquiries will be handled by the Chair of the Domestic Homicide Steering Group. At the conclusion, agencies will debrief the staff involved and BCSP will disseminate the key learning through targeted seminars.

Review period: from April 2008, a point before the birth of the oldest child, to the death of the victim in August 2012. West Midlands Police are asked to consider their involvement with the perpetrator from 2003. Significant information from outside the period may be included if the Panel agrees it is relevant.

Individual Management Reviews, each with a comprehensive chronology of the agency's involvement with the family, are requested from the agencies involved. The review will give due consideration to the protected characteristics under section 149 of the Equality Act 2010, in particular the victim's gender, young age and repeated pregnancies, and the mixed heritage of the perpetrator and the children.
"""

FAMILY_B_TOR = """\
Bournemouth & Poole Safeguarding Children Board agreed that the grounds for a serious case review under Working Together to Safeguard Children (DfES 2006) were met after Mrs B was attacked by her estranged partner, Mr B, in September 2007 and later died of her injuries. Three children, Child 1, Child 2 and Child 3, had been living with Mrs B and Mr B until the couple separated.

The purpose of the review is to establish whether there are lessons to be learned about the way in which local professionals and organisations work individually and together to safeguard and promote the welfare of children, to identify clearly what those lessons are, and how they will be acted on.

Relevant agencies in Bournemouth and Poole that had contact with the family will complete Individual Management Reviews in which individual and organisational practice is critically scrutinised. A Serious Case Review Panel will collate and analyse the information and oversee the review.

Review period: from December 2004, when Child 3 was accommodated by the local authority, to the attack on Mrs B in September 2007. The review will consider two sets of events: the care proceedings concerning Child 3 in 2005-2006, and the events leading up to the death of Mrs B in 2007.
"""  # assumed: the executive summary does not reproduce its terms of reference; condensed from sections 1-2

REVIEWS: list[dict[str, Any]] = [
    {
        "partnership": "birmingham-csp",
        "reference": "BDHR2012/13-04",
        "review_type": "dhr",
        "case_name": "The death of a woman",  # the seed's title: "In respect of the death of a woman"
        # The seed gives only "August 2012". Para 54 puts the hotel visit four days before the
        # death, and the ToR dates that visit 02.08.12, hence 6 August.  # assumed day
        "incident_date": date(2012, 8, 6),
        "notification_date": date(2012, 8, 7),  # "notified ... on the following day"
        "decision_date": date(2012, 8, 29),  # decision made and Home Office notified
        "scope_start": date(2008, 4, 1),  # "from April 2008"  # assumed day
        "scope_end": date(2012, 8, 6),  # the victim's death
        # The report was published in December 2014. The demo shows the review as it stood in
        # about April 2013: the overview was being drafted while Children's Social Care's final
        # IMR (received May 2013) and two other late IMRs were still awaited.  # assumed snapshot
        "stage": "drafting",
        "terms_of_reference": BDHR_TOR,
        "key_lines_of_enquiry": [
            "What knowledge or information did the agency have that indicated domestic violence, "
            "and how did the agency respond to this information?",
            "What services did the agency offer to the victim, including meeting the children's "
            "needs? Were they accessible, appropriate, empowering and empathetic to all their needs?",
            "Were there issues in relation to capacity or resources in the agency that impacted on "
            "its ability to provide services to the victim and her children, the perpetrator or any "
            "other members of either family, and on its ability to work effectively with other agencies?",
            "Identify any lessons learnt and implemented during the Review: give evidence of changes "
            "already acted on, their expected outcomes, and how they will be maintained and embedded.",
            "West Midlands Police: whether the perpetrator's previous violent history impacted upon "
            "decision-making in the reports of domestic violence made by the victim.",
            "West Midlands Police: an evaluation of the outcome of the police investigation into alleged "
            "assaults and of the charging decisions on 09.08.10 and 14.01.12.",
            "West Midlands Police: how risk to the victim and the children was assessed and responded "
            "to as a result of these and historic police reports, including whether thresholds were "
            "reached for making a disclosure.",
            "Children's Social Care: the nature of the assessment of and response to the risks and needs "
            "of the three children, and how the safety of the victim featured in them.",
            "Children's Social Care: an evaluation of the assessment on 02.08.12, when the perpetrator was "
            "found to have discovered the victim's temporary accommodation and was considered to be under "
            "the influence of a substance. Was information shared with other agencies at this time?",
            "Children's Social Care: whether a referral to MARAC was considered.",
            "Birmingham and Solihull Women's Aid: the victim was on the waiting list for several months. "
            "How was the waiting list managed, was it prioritised according to risk, and did the wait "
            "affect engagement with the victim?",
        ],
        # IMRs requested in mid-October 2012; first drafts were presented to the Panel on
        # 12 December 2012.  # assumed due date
        # The demo shows the review in spring 2013: Children's Social Care's IMR was returned
        # for clarification and accepted in its final form (May 2013); two agencies "needed
        # more time" (which two is not stated).  # assumed
        "imrs": [
            {"agency": BHAM_POLICE, "status": "accepted", "due_date": date(2012, 12, 7)},
            {
                "agency": BHAM_CSC,
                "status": "accepted",
                "due_date": date(2012, 12, 7),
                "question": "The IMR does not yet cover the assessment of 02.08.12, when the perpetrator found the "
                "victim's temporary accommodation: was information shared with other agencies, and was a "
                "referral to MARAC considered?",
                "answer": "Section 6 of the final IMR now covers 02.08.12. The Emergency Duty Team shared the "
                "information with the police by telephone that evening; no MARAC referral was considered, "
                "which the IMR identifies as a missed opportunity.",
            },
            {"agency": BHAM_WA, "status": "accepted", "due_date": date(2012, 12, 7)},
            {"agency": BHAM_HOUSING, "status": "submitted", "due_date": date(2012, 12, 7)},
            {"agency": BHAM_BCHC, "status": "accepted", "due_date": date(2012, 12, 7)},
            {"agency": BHAM_BWH, "status": "accepted", "due_date": date(2012, 12, 7)},
            {
                "agency": BHAM_CLUSTER,
                "status": "returned",
                "due_date": date(2012, 12, 7),
                "question": "At the consultation on 09/07/2012, was the victim asked about domestic abuse, and did "
                "the practice know the children were subject to child protection plans?",
            },
            {"agency": BHAM_NURSERY, "status": "accepted", "due_date": date(2012, 12, 7)},
            # brief information report only; the Panel required no further review
            {"agency": BHAM_AMBULANCE, "status": "nil_return", "due_date": date(2012, 12, 7)},
        ],
        # The chair's key practice episodes, named after the seed's own ("the first key episode").
        "episodes": [
            {
                "title": "The first key episode: August to October 2010",
                "start": date(2010, 8, 1),
                "end": date(2010, 10, 31),
            },
            {
                "title": "The second key episode: February to August 2012",
                "start": date(2012, 2, 1),
                "end": date(2012, 8, 6),
            },
        ],
        # Section 1.5 of the seed: only the chair is named; other members by job title.
        "panel": [
            {"name": "Birgitta Lundberg", "role_title": "Independent Chair and Overview Author", "agency": None},
            {
                "name": "Senior Service Manager for Violence Against Women",
                "role_title": "Panel member",
                "agency": BHAM_BCSP,
            },
            {"name": "Detective Chief Inspector", "role_title": "Panel member", "agency": BHAM_POLICE},
            {"name": "Head of Safeguarding", "role_title": "Panel member", "agency": BHAM_CLUSTER},
            {"name": "Assistant Chief Executive", "role_title": "Panel member", "agency": BHAM_WA},
            {
                "name": "Lead Nurse/Midwife Safeguarding Children and Adults",
                "role_title": "Panel member and IMR author",
                "agency": BHAM_BWH,
            },
            {
                "name": "Senior Service Manager, Homelessness and Pre-Tenancy Service",
                "role_title": "Panel member",
                "agency": BHAM_HOUSING,
            },
            {"name": "Associate Director Safeguarding", "role_title": "Panel member", "agency": BHAM_BCHC},
            {
                "name": "Senior Service Manager, Early Years, Childcare and Children's Centres",
                "role_title": "Panel member",
                "agency": BHAM_EARLY_YEARS,
            },
            {"name": "Manager, Child Protection and Review Service", "role_title": "Panel member", "agency": BHAM_CSC},
            {"name": "DHR Administrator", "role_title": "Panel administrator", "agency": BHAM_BCSP},
        ],
        # Ages at the death (seed table, para 62): victim 22, perpetrator 28, children 3½, 2 and
        # 11 months. The perpetrator's birthday was the day before the death (para 132).
        # All names, aliases and exact dates of birth are invented.
        "people": [
            {
                "real_name": "Jade Louise Marsh",
                "aliases": ["Jade Marsh", "Jadey", "Jade"],
                # "jade" is a word too; in this review "Jade" always means her.
                "always": ["Jade"],
                "dob": date(1990, 3, 14),
                "relationship": "victim",
                "designation": "the victim",
            },
            {
                "real_name": "Daniel Rafiq",
                "aliases": ["Danny Rafiq", "Danny", "Mr Rafiq", "Daniel"],
                "always": ["Daniel"],
                "dob": date(1984, 8, 5),
                "relationship": "perpetrator",
                "designation": "the perpetrator",
            },
            {
                "real_name": "Mia Rafiq-Marsh",
                "aliases": ["Mia Marsh", "Mia"],
                "dob": date(2009, 2, 2),
                "relationship": "child",
                "designation": "the oldest child",
            },
            {
                "real_name": "Kian Rafiq-Marsh",
                "aliases": ["Kian Marsh", "Kian"],
                "dob": date(2010, 6, 20),
                "relationship": "child",
                "designation": "the second child",
            },
            {
                "real_name": "Layla Rafiq-Marsh",
                "aliases": ["Layla Marsh", "Layla"],
                "dob": date(2011, 9, 8),
                "relationship": "child",
                "designation": "the third child",
            },
            {
                "real_name": "Susan Marsh",
                "aliases": ["Sue Marsh"],
                "dob": None,
                "relationship": "family_member",
                "designation": "the victim's mother",
            },
            {
                "real_name": "Karen Doyle",
                "aliases": [],
                "dob": None,
                "relationship": "family_member",
                "designation": "the victim's aunt",
            },
            {
                "real_name": "Michael Marsh",
                "aliases": ["Mick Marsh"],
                "dob": None,
                "relationship": "family_member",
                "designation": "the victim's father",
            },
            {
                "real_name": "Tariq Rafiq",
                "aliases": [],
                "dob": None,
                "relationship": "family_member",
                "designation": "the perpetrator's father",
            },
            {
                "real_name": "Leanne Price",
                "aliases": ["Leanne"],
                "dob": None,
                "relationship": "partner",
                "designation": "the ex-partner",
            },
        ],
    },
    {
        "partnership": "bournemouth-poole-lscb",
        "reference": "BPSCR-FamilyB",  # assumed: the executive summary gives no reference
        "review_type": "scr",
        "case_name": "Family B",
        "incident_date": date(2007, 9, 14),  # seed: "September 2007"  # assumed day
        "notification_date": date(2007, 9, 17),  # assumed
        "decision_date": date(2007, 10, 11),  # assumed
        "scope_start": date(2004, 12, 1),  # first event summarised: December 2004  # assumed day
        "scope_end": date(2007, 9, 14),  # the attack on Mrs B
        "stage": "published",  # the executive summary has been published
        "terms_of_reference": FAMILY_B_TOR,
        # assumed: the seed sets out key issues (section 3) rather than questions; these
        # restate them as lines of enquiry.
        "key_lines_of_enquiry": [
            "Were the assessments for the residence order concerning Child 3 robust, including the "
            "assessment of Mr B and of the backgrounds and relationship of Mr and Mrs B?",
            "Was the legal father of Child 3 given sufficient consideration as a carer or as part of "
            "the safeguarding network around the child?",
            "How did the police and the Independent Domestic Violence Advisor assess domestic violence "
            "risk, and why did their assessments differ?",
            "Did the mental health assessments of Mr B after his attempted suicide in June 2007 "
            "recognise the risk he posed to others, including the children?",
            "Did the Child in Need reviews involve other agencies, or rely too heavily on Mrs B's "
            "ability to keep the children safe?",
            "Did practitioners understand Mrs B's circumstances while Mr B faced court for assault, and "
            "evaluate the implications of his contact with Mrs B and the children?",
            "Were Adult Protection Procedures considered in relation to Mr B's substance misuse and "
            "mental health, and was information shared between adult and children's services?",
        ],
        # assumed: the executive summary does not list the IMR agencies; these are the agencies
        # it describes as having contact with the family. Due dates are assumed.
        "imrs": [
            {"agency": BP_POLICE, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_CSC, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_CAFCASS, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_PROBATION, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_HOSPITAL, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_MH, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_GP, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_DRUGS, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_IDVA, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_SCHOOL, "status": "accepted", "due_date": date(2007, 12, 14)},
            {"agency": BP_ASC, "status": "nil_return", "due_date": date(2007, 12, 14)},  # assumed
        ],
        # assumed: the executive summary names no panel members; job titles only.
        "panel": [
            {"name": "Independent Chair", "role_title": "Chair of the Serious Case Review Panel", "agency": None},
            {"name": "Independent Overview Author", "role_title": "Overview report author", "agency": None},
            {"name": "Detective Inspector, Public Protection", "role_title": "Panel member", "agency": BP_POLICE},
            {"name": "Head of Safeguarding and Quality Assurance", "role_title": "Panel member", "agency": BP_CSC},
            {"name": "Designated Nurse Safeguarding Children", "role_title": "Panel member", "agency": BP_GP},
            {"name": "Named Nurse Safeguarding", "role_title": "Panel member", "agency": BP_HOSPITAL},
            {"name": "Service Manager", "role_title": "Panel member", "agency": BP_CAFCASS},
            {"name": "Assistant Chief Officer", "role_title": "Panel member", "agency": BP_PROBATION},
            {"name": "Adult Protection Co-ordinator", "role_title": "Panel member", "agency": BP_ASC},
            {"name": "LSCB Business Manager", "role_title": "Panel administrator", "agency": None},
        ],
        # Seed: Child 1 aged seven (a girl) and her sister Child 2 are Mrs B's children; Child 3,
        # Mrs B's granddaughter, was 18 months old in December 2004; her mother X was then 18.
        # Mr B is not the father of any of the children. Names and dates of birth are invented.
        "people": [
            {
                "real_name": "Linda Barlow",
                "aliases": ["Linda Hughes"],  # alias: name from first marriage
                "dob": date(1966, 11, 23),
                "relationship": "victim",
                "designation": "Mrs B",
            },
            {
                "real_name": "Gary Bristow",
                "aliases": ["Gaz Bristow"],
                "dob": date(1961, 4, 2),
                "relationship": "perpetrator",
                "designation": "Mr B",
            },
            {
                "real_name": "Chloe Barlow",
                "aliases": [],
                "dob": date(2000, 3, 11),
                "relationship": "child",
                "designation": "Child 1",
            },
            {
                "real_name": "Megan Barlow",
                "aliases": [],
                "dob": date(2002, 10, 4),
                "relationship": "child",
                "designation": "Child 2",
            },  # age assumed
            {
                "real_name": "Ellie-May Hughes",
                "aliases": ["Ellie Hughes"],
                "dob": date(2003, 6, 9),
                "relationship": "child",
                "designation": "Child 3",
            },
            {
                "real_name": "Stacey Hughes",
                "aliases": [],
                "dob": date(1986, 5, 2),
                "relationship": "family_member",
                "designation": "X",
            },
            {
                "real_name": "James Carter",
                "aliases": [],
                "dob": None,
                "relationship": "family_member",
                "designation": "Child 3's father",
            },
        ],
    },
]
