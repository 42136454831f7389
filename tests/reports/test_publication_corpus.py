"""The adversarial corpus of the publication pipeline: every way a name or a date of birth was
seen to get through, and every way ordinary English was seen to be rewritten.

- BLOCKED: each text alone in a document stops the publication PDF and DOCX, with a finding that
  names the section and paragraph; no file is stored.
- PASSES: all of them in one document render to a publication PDF and DOCX in which no
  registered name, alias, forename, surname or date of birth can be found by an independent
  search of every part of the file, and in which each expected wording appears as written.
- The publication preview and the render agree on every case (one implementation).
"""

from __future__ import annotations

import datetime
import html as html_lib
import re
import unicodedata

import pytest

from casereview.storage import file_bytes
from reports import render_service
from reports.models import DocumentRender
from reports.render import render_input
from reports.tasks import render_document_task
from reviews.publication.files import file_parts
from tests.factories import PersonFactory
from tests.reports.render_fixtures import make_document

pytestmark = pytest.mark.django_db
# Each test renders or exports inside a savepoint: the world is built once for the module
# (tests/conftest.py), the register on it by each test.
SHARED_WORLD = True

SHY, ZWSP, ZWJ, WJ, RLO, PDF_, LRM = "\u00ad", "\u200b", "\u200d", "\u2060", "\u202e", "\u202c", "\u200e"

# (case, paragraph as stored, kind of the finding)
BLOCKED = [
    ("forename alone", "Zoë rang the helpline.", "forename"),
    ("forename in capitals", "ZOË rang the helpline.", "forename"),
    ("forename without its accent", "Zoe rang the helpline.", "forename"),
    ("forename with decomposed accent", "Zoe\u0308 rang the helpline.", "forename"),
    ("forename with a soft hyphen", f"Zo{SHY}ë rang the helpline.", "forename"),
    ("forename with a zero-width space", f"Zo{ZWSP}ë rang.", "forename"),
    ("forename with a zero-width joiner", f"Z{ZWJ}oë rang.", "forename"),
    ("forename with a word joiner", f"Zo{WJ}ë rang.", "forename"),
    ("forename inside a bidi override", f"{RLO}Zoë{PDF_} rang.", "forename"),
    ("forename with a left-to-right mark", f"Zo{LRM}ë rang.", "forename"),
    ("forename with a Cyrillic look-alike letter", "Z\u043eë rang.", "forename"),
    ("surname with Cyrillic look-alike letters", "Mr R\u0430f\u0456q rang.", "surname"),
    ("surname alone", "Mrs O'Brien-Smith called.", "surname"),
    ("half a double-barrelled surname", "The O'Brien family called.", "surname"),
    ("surname with curly apostrophe", "The O’Brien family called.", "surname"),
    ("surname with opening quote as apostrophe", "The O‘Brien family called.", "surname"),
    ("surname with backtick", "The O`Brien family called.", "surname"),
    ("surname with no apostrophe", "The OBrien family called.", "surname"),
    ("surname with acute accent as apostrophe", "The O´Brien family called.", "surname"),
    ("plural of a surname", "The Rafiqs were at home.", "surname"),
    ("plural of an English surname", "The Stones were at home.", "surname"),
    ("possessive of a surname", "Rafiq's car was outside.", "surname"),
    ("possessive without s", "The Rafiqs' car was outside.", "surname"),
    ("surname glued to a paragraph number", "13.1Rafiq said no.", "surname"),
    ("surname glued to digits", "Filed as Rafiq2019.", "surname"),
    ("surname glued to underscores", "File rafiq_kai_notes.docx.", "surname"),
    ("forename in a hashtag", "Posted #JusticeForZoe online.", "forename"),
    ("name glued in camel case", "Account KaiRafiq01.", "name"),
    ("English forename capitalised", "Hope said she was frightened.", "forename"),
    ("English alias capitalised", "Will rang the helpline.", "alias"),
    ("English alias mid-sentence", "Staff told Will that.", "alias"),
    ("English surname capitalised", "Stone Road Surgery saw her.", "surname"),
    ("English full name in lower case", "He was seen with mark stone again.", "name"),
    ("English full name half capitalised", "Mark stone was seen.", "name"),
    ("surname of the perpetrator as a title", "Mr Stone attended.", "surname"),
    ("forename of a child", "Kai went to school.", "forename"),
    ("date of birth, slashes", "Born 14/03/1990 in Leeds.", "date of birth"),
    ("date of birth, GP system form", "DOB 14-Mar-1990.", "date of birth"),
    ("date of birth, two-digit year", "Born 14 Mar 90.", "date of birth"),
    ("date of birth, no separators", "DOB 14031990.", "date of birth"),
    ("date of birth, en dashes", "Born 14–03–1990.", "date of birth"),
    ("date of birth, em dashes", "Born 14—03—1990.", "date of birth"),
    ("date of birth, ordinal word", "Born on the fourteenth of March 1990.", "date of birth"),
    ("date of birth, ordinal with of", "Born on the 14th of March 1990.", "date of birth"),
    ("date of birth, month first", "Born March 14, 1990.", "date of birth"),
    ("date of birth, ISO", "Born 1990-03-14.", "date of birth"),
    ("date of birth, dots", "Born 14.3.90.", "date of birth"),
    ("date of birth, spaces", "Born 14 03 1990.", "date of birth"),
    ("date of birth, compact month", "DOB 14MAR1990.", "date of birth"),
    ("child's date of birth", "Kai's DOB 02/09/2015.", "forename"),
    (
        "name in a link address",
        '<a href="https://news.example/mark-stone-jailed-for-murder-of-zoe-obrien-smith">the report</a>',
        "forename",
    ),
    ("name in a mailto address", '<a href="mailto:zoe.obrien@example.org">write</a>', "forename"),
    ("percent-encoded name in a link", '<a href="https://example.org/Zo%C3%AB%20Rafiq">x</a>', "forename"),
    ("name split by markup", "<strong>Zoë</strong> O'Brien-Smith rang.", "name"),
    ("name inside a list", "<ul><li>Contact with Kai</li></ul>", "forename"),
    ("name in a table cell", "<table><tbody><tr><td>Rafiq</td></tr></tbody></table>", "surname"),
    ("name in a heading", "<h3>What Hope said</h3>", "forename"),
    # found by adversarial testing
    ("surname with a variation selector", "Mr Ra\ufe0ffiq rang.", "surname"),
    ("surname with a combining grapheme joiner", "Mr Ra\u034ffiq rang.", "surname"),
    ("surname with a Hangul filler", "Mr Ra\u3164fiq rang.", "surname"),
    ("surname with an Armenian look-alike", "Mr Rafi\u0566 rang.", "surname"),
    ("forename in small capitals", "\u1d0b\u1d00\u026a rang.", "forename"),
    ("surname run into an email address", "Write to jrafiq84@gmail.com today.", "surname"),
    ("names run into a handle", "Messages from @zoeobrien on the app.", "forename"),
    ("forename run into a lower-case hashtag", "Posted #justiceforkai online.", "forename"),
    ("full name run together", "Account Kairafiq was used.", "name"),
    ("name run into a link address", '<a href="https://facebook.com/kairafiq2015">profile</a>', "name"),
    ("date of birth, month the day", "Born March the 14th, 1990.", "date of birth"),
    ("date of birth, Roman month", "Born 14.iii.1990.", "date of birth"),
    ("date of birth, American order", "DOB 03/14/1990.", "date of birth"),
    ("date of birth, glued to a label", "DOB14/03/1990.", "date of birth"),
    ("surname with a supplementary variation selector", "Mr Ra\U000e0100fiq rang.", "surname"),
    ("surname with an enclosing mark", "Mr Ra\u20ddfiq rang.", "surname"),
    ("surname with a letter with a hook", "Mr Rafi\u024b rang.", "surname"),
    ("surname with a saltillo for its apostrophe", "The O\ua78cBrien family called.", "surname"),
    ("surname with a space for its apostrophe", "The O Brien family called.", "surname"),
    ("date of birth, doubled separators", "Born 14//03//1990.", "date of birth"),
    ("date of birth, Japanese middle dots", "Born 14\u30fb03\u30fb1990.", "date of birth"),
    ("date of birth, Arabic-Indic digits", "Born \u0661\u0664/\u0660\u0663/\u0661\u0669\u0669\u0660.", "date of birth"),
]

# (case, paragraph as stored, what the publication version must say)
PASSES = [
    ("full name", "Zoë O'Brien-Smith rang the helpline.", "The victim rang the helpline."),
    ("full name, soft hyphen", f"Zo{SHY}ë O'Brien-Smith rang.", "The victim rang."),
    ("full name, zero-width space", f"Zoë O'Brien{ZWSP}-Smith rang.", "The victim rang."),
    ("full name, bidi controls", f"{RLO}Zoë O'Brien-Smith{PDF_} rang.", "The victim rang."),
    ("full name, decomposed", "Zoe\u0308 O'Brien-Smith rang.", "The victim rang."),
    ("full name, no accent, curly apostrophe", "Zoe O’Brien-Smith rang.", "The victim rang."),
    ("full name, capitals", "ZOË O'BRIEN-SMITH rang.", "The victim rang."),
    ("full name over a line break", "Seen by Zoë\nO'Brien-Smith.", "Seen by the victim."),
    ("possessive full name", "Mark Stone's car was seen.", "The perpetrator's car was seen."),
    ("English full name capitalised", "Police spoke to Mark Stone.", "Police spoke to the perpetrator."),
    ("alias not English", "Kai Rafiq and Kazzy were seen.", "Child 1 and Child 1 were seen."),
    ("ordinary English: will", "The panel will meet in May.", "The panel will meet in May."),
    ("ordinary English: mark stone", "Asked to mark the stone surfaces.", "Asked to mark the stone surfaces."),
    (
        "ordinary English: hope",
        "The family hope that lessons will be learned.",
        "The family hope that lessons will be learned.",
    ),
    (
        "ordinary English: stone wall",
        "An accepted entry mentions the stone wall.",
        "An accepted entry mentions the stone wall.",
    ),
    ("ordinary English: hopes", "Their hopes were not met.", "Their hopes were not met."),
    ("ordinary English: marked", "The file was marked urgent.", "The file was marked urgent."),
    ("near miss", "Mr Rafiqi and Ms Stonehouse visited.", "Mr Rafiqi and Ms Stonehouse visited."),
    ("a date that is nobody's birthday", "Seen on 15/03/1990 and 14/03/1991.", "Seen on 15/03/1990 and 14/03/1991."),
    ("a link with no name", '<a href="https://www.gov.uk/guidance">the guidance</a> applies.', "the guidance applies."),
    ("redacted passage", 'At <span class="redaction">14 Acacia Avenue</span> then.', "At [Redacted] then."),
    (
        "redacted link",
        'See <a href="https://maps.example/14-acacia-avenue"><span class="redaction">the house</span></a> then.',
        "See [Redacted] then.",
    ),
]


@pytest.fixture
def register(world):
    PersonFactory(
        review=world.review, real_name="Zoë O'Brien-Smith", aliases=[], designation="the victim",
        date_of_birth=datetime.date(1990, 3, 14),
    )  # fmt: skip
    PersonFactory(review=world.review, real_name="Mark Stone", aliases=["Will"], designation="the perpetrator")
    PersonFactory(review=world.review, real_name="Hope Grimes", aliases=[], designation="Adult C")
    PersonFactory(
        review=world.review, real_name="Kai Rafiq", aliases=["Kazzy"], designation="Child 1",
        date_of_birth=datetime.date(2015, 9, 2),
    )  # fmt: skip
    return world


def _render(document, fmt: str) -> DocumentRender:
    row = render_service.render_request(actor=None, document=document, fmt=fmt, publication=True)
    render_document_task(row.pk)
    row.refresh_from_db()
    return row


def _body(html: str) -> str:
    return (
        html
        if html.startswith("<") and not html.startswith("<a ") and not html.startswith("<strong")
        else f"<p>{html}</p>"
    )


@pytest.mark.parametrize(("case", "html", "kind"), BLOCKED, ids=[c for c, _, _ in BLOCKED])
def test_each_adversarial_text_blocks_both_formats_and_says_where(register, case, html, kind):
    document = make_document(register, sections=[("Intro", "<p>Opening.</p>"), ("Case", _body(html))])
    composed = render_input(document, publication=True).composed
    findings = composed.run.blocking
    assert findings, case
    assert kind in {f.kind for f in findings}
    assert all(f.where.label.startswith("Overview report, section 2. Case") for f in findings)
    for fmt in ("pdf", "docx"):
        row = _render(document, fmt)
        assert row.status == DocumentRender.Status.FAILED, (case, fmt)
        assert file_bytes(row.file) == b""
        assert "Overview report, section 2. Case" in row.error
        # The preview and the render give the same first finding.
        assert findings[0].message() in row.error


def _folded(text: str) -> str:
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").casefold()


# An independent search: not the pipeline's own code. Names that are not English words anywhere,
# English ones wherever capitalised; and the dates of birth as digits.
NEVER = re.compile(r"(?<![a-z])(zoe|o.?brien|smith|rafiq|kai|kazzy|grimes)(?![a-z])")
NEVER_CAPITALISED = re.compile(r"\b(Mark|Stone|Will|Hope)\b")
NEVER_DATES = re.compile(r"14\D{0,3}0?3\D{0,3}(19)?90|0?2\D{0,3}0?9\D{0,3}(20)?15")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_passing_cases_leave_no_name_in_any_part_of_either_file_and_no_rewrite(register, fmt):
    sections = [(f"Case {n}", _body(html)) for n, (_case, html, _expected) in enumerate(PASSES, start=1)]
    document = make_document(register, sections=sections)
    row = _render(document, fmt)
    assert row.status == DocumentRender.Status.READY, row.error
    parts = file_parts(fmt, file_bytes(row.file))
    whole = " ".join(" ".join(part.text.split()) for part in parts)
    for part in parts:
        assert not NEVER.search(_folded(part.text)), (part.where, part.text[:200])
        assert not NEVER_CAPITALISED.search(part.text), (part.where, part.text[:200])
        assert not NEVER_DATES.search(part.text), (part.where, part.text[:200])
    for case, _html, expected in PASSES:
        assert expected in whole, case
    assert "acacia" not in whole.lower()  # nor in a link address on the redacted passage


def test_the_preview_shows_what_the_render_publishes(register, client):
    from django.urls import reverse

    sections = [(f"Case {n}", _body(html)) for n, (_case, html, _expected) in enumerate(PASSES, start=1)]
    document = make_document(register, sections=sections)
    client.force_login(register.chair)
    url = reverse("reports:document_preview", args=[register.review.pk, document.pk])
    page = client.get(url, {"version": "publication"}).content.decode()
    assert "The publication check passes" in page
    words = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", page)).split())
    for case, _html, expected in PASSES:
        assert expected in words, case


def test_corpus_holds_at_least_sixty_cases():
    assert len(BLOCKED) + len(PASSES) >= 60


# --- the same corpus through a designations export of the integrated chronology -----------------

PLAIN_BLOCKED = [(case, text, kind) for case, text, kind in BLOCKED if "<" not in text]
PLAIN_PASSES = [(case, text, expected) for case, text, expected in PASSES if "<" not in text]


def _chronology_of(world, texts: list[str]):
    from chronology.models import ChronologyEntry
    from reviews.models import Imr
    from tests.chronology.integrated_world import build
    from tests.factories import EntryFactory

    ChronologyEntry.objects.filter(imr__review=world.review).delete()
    start = datetime.date(2011, 1, 1)
    for n, text in enumerate(texts):
        day = start + datetime.timedelta(days=n)
        EntryFactory(imr=world.imr_a, date_start=day, date_end=day, date_display=f"{day:%-d %b %Y}", details=text,
                     people=[], event="Contact")  # fmt: skip
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    Imr.objects.filter(review=world.review).exclude(pk=world.imr_a.pk).update(status=Imr.Status.NIL_RETURN)
    return build(world.review)


def test_every_adversarial_text_in_an_agency_entry_blocks_a_designations_export_naming_its_entry(register):
    from chronology.exports.services import render_export
    from reviews.publication import PublicationBlocked

    chronology = _chronology_of(register, [text for _case, text, _kind in PLAIN_BLOCKED])
    for fmt in ("csv", "json"):
        with pytest.raises(PublicationBlocked) as blocked:
            render_export(chronology, fmt=fmt, names="designations")
        labels = " ".join(finding.where.label for finding in blocked.value.findings)
        for seq, (case, _text, _kind) in enumerate(PLAIN_BLOCKED, start=1):
            assert f"entry #{seq} " in labels, (fmt, case)


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "pdf"])
def test_the_passing_texts_leave_no_name_in_a_designations_export(register, fmt):
    from chronology.exports.services import render_export

    chronology = _chronology_of(register, [text for _case, text, _expected in PLAIN_PASSES])
    data = render_export(chronology, fmt=fmt, names="designations")
    parts = file_parts(fmt, data)
    for part in parts:
        assert not NEVER.search(_folded(part.text)), (part.where, part.text[:200])
        assert not NEVER_CAPITALISED.search(part.text), (part.where, part.text[:200])
        assert not NEVER_DATES.search(part.text), (part.where, part.text[:200])
    whole = " ".join(" ".join(part.text.split()) for part in parts)
    for case, _text, expected in PLAIN_PASSES:
        if fmt != "pdf":  # the PDF's table wraps lines; its text is searched above
            assert expected in whole, case


def test_a_long_footnote_is_shortened_after_names_are_replaced_and_at_a_word(register):
    entry = register.entry_b
    entry.details = "word " * 46 + "Zoë O'Brien-Smith rang the duty desk and asked for help with the children."
    entry.save(update_fields=["details"])
    document = make_document(register, sections=[("Case", f"<p>A call [[entry:{entry.pk}]].</p>")])
    composed = render_input(document, publication=True).composed
    note = composed.footnotes[0].text
    assert composed.run.blocking == []
    # The name became "the victim" first; the text was then cut at the last whole word before
    # 240 characters ("victim" did not fit), never inside a name ("Zoë O'Bri…").
    assert note.endswith(": Contact. " + "word " * 46 + "the…") or note.endswith(". " + "word " * 46 + "the…"), note
    assert "O'Bri" not in note and "Zo" not in note


def test_a_footnote_mark_inside_a_date_of_birth_does_not_hide_it(register):
    entry = register.entry_b
    document = make_document(register, sections=[("Case", f"<p>Born 14/03[[entry:{entry.pk}]]/1990.</p>")])
    findings = render_input(document, publication=True).composed.run.blocking
    assert [(f.kind, f.designation) for f in findings] == [("date of birth", "the victim")]
