"""reviews.publication.text and .dates: normalising, replacing names with designations, and the
check of what remains. Pure: no database."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviews.publication import Person, Register, normalise, register_for_review
from reviews.publication.words import is_ordinary_english

PEOPLE = [
    Person("Jade Louise Marsh", ("Jade Marsh", "JJ"), "the victim", datetime.date(1990, 3, 14)),
    Person("Susan Marsh", (), "the victim's mother", datetime.date(1965, 11, 2)),
    Person("Danny Rafiq", ("Dan", "", "   "), "the perpetrator"),
    Person("Kai Rafiq-Marsh", ("Kai",), "Child 1", datetime.date(2015, 9, 4)),
    Person("Chris Jones", (), "Mr J"),
    # Not "Mr O": followed by the filler word "Brien" that would read "Mr O Brien", which the
    # check rightly finds (the generated text, not the replacement, made the name).
    Person("Sean O'Brien", (), "Mr Q"),
    Person("Zoë Ødegård", (), "Ms Z"),
    Person("John Smith (Jnr)", (), "Mr S"),
]
REGISTER = Register(PEOPLE)


def replaced(text: str) -> str:
    return REGISTER.replace(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # longest match first
        ("Jade Louise Marsh attended.", "The victim attended."),
        ("Seen with Jade Marsh today.", "Seen with the victim today."),
        ("Seen with JJ today.", "Seen with the victim today."),
        ("Kai Rafiq-Marsh and Kai", "Child 1 and Child 1"),
        # case: a name that is not ordinary English is replaced however it is written
        ("Met JADE LOUISE MARSH.", "Met the victim."),
        ("met jade louise marsh", "met the victim"),
        # possessives
        ("At Susan Marsh's house", "At the victim's mother's house"),
        ("At Susan Marsh’s house", "At the victim's mother’s house"),
        ("In Chris Jones' car", "In Mr J's car"),
        ("In Chris Jones’ car", "In Mr J’s car"),
        ("In Chris Jones's car", "In Mr J's car"),
        ("Kai's school", "Child 1's school"),
        ("He was named as 'Chris Jones' by staff", "He was named as 'Mr J' by staff"),
        # whole words only
        ("Mr Marshall visited; Ms Marsh called.", "Mr Marshall visited; Ms Marsh called."),
        ("Danny Rafiq-Marsh is someone else", "Danny Rafiq-Marsh is someone else"),
        # whitespace inside a name
        ("Seen by Jade\nMarsh.", "Seen by the victim."),
        ("Seen by Jade  Louise\tMarsh.", "Seen by the victim."),
        ("Seen by Jade\u00a0Marsh.", "Seen by the victim."),
        # sentence-start capitalisation
        ("Police spoke to Kai. Kai said no.", "Police spoke to Child 1. Child 1 said no."),
        ("Was it JJ? JJ denied it! JJ left.", "Was it the victim? The victim denied it! The victim left."),
        ("Line one\nJJ called", "Line one\nThe victim called"),
        ('She said: "no". "JJ is fine"', 'She said: "no". "The victim is fine"'),
        # people lists
        ("Jade Marsh; Danny Rafiq", "The victim; the perpetrator"),
        ("Susan Marsh;Kai;Chris Jones", "The victim's mother;Child 1;Mr J"),
        # apostrophe look-alikes and none at all
        ("Sean O'Brien called.", "Mr Q called."),
        ("Sean O’Brien called.", "Mr Q called."),
        ("Sean O‘Brien called.", "Mr Q called."),
        ("Sean O`Brien called.", "Mr Q called."),
        ("Sean OBrien called.", "Mr Q called."),
        ("Letter to John Smith (Jnr) sent.", "Letter to Mr S sent."),
        # diacritics, decomposed accents, invisible characters inside a name
        ("Zoë Ødegård and ZOË ØDEGÅRD", "Ms Z and Ms Z"),
        # characters that show nothing but are not format characters: variation selectors, the
        # combining grapheme joiner, Hangul fillers, a Mongolian variation selector
        (
            "Ka\u034fi, Ka\ufe0fi, Ka\u180bi, Ka\u17b4i and Ka\u3164i rang",
            "Child 1, Child 1, Child 1, Child 1 and Child 1 rang",
        ),
        ("Zoe\u0308 O\u0308degård rang", "Ms Z rang"),
        ("Zoe Odegard rang", "Ms Z rang"),
        ("Zo\u00adë Øde\u200bgård rang", "Ms Z rang"),
        ("Ka\u2060i and Ja\u200dde Marsh", "Child 1 and the victim"),
        ("\u202eKai\u202c rang", "Child 1 rang"),
        # letters of another script that pass for Latin ones (Cyrillic а, о, і; Greek Κ)
        ("Zоë Ødegård rang", "Ms Z rang"),
        ("\u039aаі rang", "Child 1 rang"),
        # Armenian, Cherokee and Lisu look-alikes, small capitals, Latin alpha
        ("Jade Louise Mars\u0570 rang", "The victim rang"),
        ("\u13a0anny R\u0251fiq rang", "The perpetrator rang"),
        ("\ua4d3anny Rafiq rang", "The perpetrator rang"),
        # nothing to do
        ("", ""),
        ("No one named here.", "No one named here."),
    ],
)
def test_replace_puts_designations_in_place_of_names_and_aliases(text: str, expected: str) -> None:
    assert replaced(text) == expected


def test_a_short_name_in_capitals_is_found_not_rewritten_as_it_may_be_an_abbreviation() -> None:
    register = Register([Person("Mia Rafiq", ("Mia",), "Child 1")])
    assert register.replace("The MIA team met Mia.").text == "The MIA team met Child 1."
    assert [hit.found for hit in register.check("The MIA team met Child 1.")] == ["MIA"]


def test_replace_counts_what_it_replaced_by_designation() -> None:
    result = REGISTER.replace("Kai, Kai and Danny Rafiq")
    assert result.counts == {"Child 1": 2, "the perpetrator": 1}


ENGLISH = Register(
    [
        Person("Mark Stone", ("Will",), "the lodger"),
        Person("Hope Grimes", (), "Adult C"),
        Person("Dan the Man", (), "Adult D"),
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The panel will meet in May.", "The panel will meet in May."),
        ("He was asked to mark stone surfaces.", "He was asked to mark stone surfaces."),
        ("The family hope that lessons will be learned.", "The family hope that lessons will be learned."),
        ("Mark Stone attended.", "The lodger attended."),
        ("MARK STONE attended.", "The lodger attended."),
        ("Dan the Man's van", "Adult D's van"),
        # a single ordinary-English alias is never rewritten: its capitalised uses are findings
        ("Will rang the helpline.", "Will rang the helpline."),
    ],
)
def test_ordinary_english_is_never_rewritten(text: str, expected: str) -> None:
    assert ENGLISH.replace(text).text == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The panel will meet.", []),
        ("The family hope that lessons will be learned.", []),
        ("Will rang the helpline.", [("alias", "Will")]),
        ("She told Will that.", [("alias", "Will")]),
        ("Hope said no.", [("forename", "Hope")]),
        ("Mrs Grimes said no.", [("surname", "Grimes")]),
        ("He was asked to mark stone surfaces.", [("name", "mark stone")]),
        ("Mark stone surfaces first.", [("name", "Mark stone")]),
        ("the stone wall", []),
        ("Stone Road Surgery", [("surname", "Stone")]),
    ],
)
def test_ordinary_english_names_are_found_when_capitalised_or_as_a_phrase(text: str, found: list) -> None:
    assert [(hit.kind, hit.found) for hit in ENGLISH.check(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mr Rafiq rang.", [("surname", "Rafiq")]),
        ("Susan rang.", [("forename", "Susan")]),
        ("Zoë rang the helpline.", [("forename", "Zoë")]),
        ("ZOE rang", [("forename", "ZOE")]),
        ("Zo\u00adë rang", [("forename", "Zo\u00adë")]),
        ("Jones' car", [("surname", "Jones'")]),
        ("the Joneses came", [("surname", "Joneses")]),
        ("the Rafiqs came", [("surname", "Rafiqs")]),
        ("Rafiq's car", [("surname", "Rafiq's")]),
        ("13.1Rafiq said", [("surname", "Rafiq")]),
        ("see rafiq_2019.pdf", [("surname", "rafiq")]),
        ("#JusticeForZoe", [("forename", "Zoe")]),
        ("#SusanMarsh", [("name", "SusanMarsh")]),
        ("\u1d0d\u1d00\u0280s\u029c rang", [("surname", "\u1d0d\u1d00\u0280s\u029c")]),
        ("O‘Brien, O`Brien and OBrien", [("surname", "O‘Brien"), ("surname", "O`Brien"), ("surname", "OBrien")]),
        ("The Rafiq-Marsh family", [("surname", "Rafiq-Marsh")]),
        ("Mrs Smith-Jones", [("surname", "Smith"), ("surname", "Jones")]),
        ("Marshall and Jonesy and Smithy", []),
        ("Ng and Jnr", []),
    ],
)
def test_check_finds_forenames_surnames_plurals_possessives_and_glued_names(text: str, found: list) -> None:
    assert [(hit.kind, hit.found) for hit in REGISTER.check(text)] == found


def test_a_finding_says_where_it_is_and_quotes_the_wording_around_it() -> None:
    text = "x" * 50 + " Mr Rafiq " + "y" * 50
    [hit] = REGISTER.check(text)
    assert (hit.kind, hit.term, hit.designation) == ("surname", "Rafiq", "the perpetrator")
    assert text[hit.start : hit.end] == "Rafiq"
    assert hit.context == "x" * 36 + " Mr Rafiq " + "y" * 39


DOB_FORMS = [
    "14/03/1990", "14/3/1990", "14.03.1990", "14-03-1990", "14/03/90", "14 03 1990", "14031990",
    "1990-03-14", "19900314", "14–03–1990", "14—03—1990", "14 March 1990", "14 Mar 1990", "14-Mar-1990",
    "14 Mar 90", "14th March 1990", "14th of March 1990", "14 march, 1990", "March 14, 1990", "Mar. 14 1990",
    "March 14th 1990", "fourteenth of March 1990", "the fourteenth of March, 1990", "14th Mar '90", "14MAR1990",
    # found by adversarial testing
    "March the 14th, 1990", "1990-03-14T00:00", "14.iii.1990", "03/14/1990", "14th day of March 1990",
    "1990 March 14", "March fourteenth, 1990", "14.III.1990", "14/III/90", "3/14/1990", "1990-Mar-14", "1990MAR14",
    "fourteen March 1990", "the fourteenth day of March 1990", "14 March of 1990", "14 March 1990AD",
    "14 March A.D. 1990", "1990-03-14Z", "19900314T0000", "14-03-'90", "14/3/'90", "14_03_1990",
    "14\u204403\u20441990", "14\u221503\u22151990", "14\u00b703\u00b71990", "14:03:1990", "14|03|1990",
    "14\\03\\1990", "\u0661\u0664/\u0660\u0663/\u0661\u0669\u0669\u0660", "\u0967\u096a/03/1990", "14. März 1990",
    "14 mars 1990", "14 Ma\u034frch 1990",
]  # fmt: skip


@pytest.mark.parametrize("written", DOB_FORMS)
def test_a_date_of_birth_is_found_in_each_written_form(written: str) -> None:
    [hit] = REGISTER.check(f"Born DOB{written}, seen at home.")
    assert (hit.term, hit.kind, hit.designation) == ("14/03/1990", "date of birth", "the victim")
    assert hit.found in written  # "1990-03-14" of "1990-03-14T00:00"


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 9: "ninth", 12: "twelfth", 20: "twentieth",
            21: "twenty-first", 23: "twenty-third", 28: "twenty-eighth"}  # fmt: skip
SEPARATORS = ["/", ".", "-", "–", " "]


@st.composite
def written_dates(draw):
    """A date and one way a record, a letter or a person might write it."""
    day = draw(st.sampled_from(sorted(ORDINALS)))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(1930, 2025))
    date = datetime.date(year, month, day)
    name = MONTHS[month - 1]
    sep = draw(st.sampled_from(SEPARATORS))
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 23: "rd"}.get(day, "th")
    forms = [
        f"{day:02d}{sep}{month:02d}{sep}{year}",
        f"{day}{sep}{month}{sep}{year}",
        # A two-digit year with a mark between the numbers ("14 03 90" could be three figures).
        f"{day:02d}{sep.strip() or '/'}{month:02d}{sep.strip() or '/'}{year % 100:02d}",
        f"{year}-{month:02d}-{day:02d}",
        f"{day:02d}{month:02d}{year}",
        f"{day} {name} {year}",
        f"{day}-{name[:3]}-{year}",
        f"{day} {name[:3]} {year % 100:02d}",
        f"{day}{suffix} of {name} {year}",
        f"{name} {day}{suffix}, {year}",
        f"{ORDINALS[day]} of {name} {year}",
        f"the {ORDINALS[day]} of {name.upper()}, {year}",
    ]
    return date, draw(st.sampled_from(forms)), draw(st.sampled_from(["Born ", "DOB: ", "(", "d.o.b. ", ""]))


@given(written_dates())
def test_every_written_form_of_a_registered_date_of_birth_is_found(case) -> None:
    date, written, before = case
    register = Register([Person("Kim Hill", (), "Ms H", date)])
    hits = register.check(f"{before}{written}) seen")
    assert [(hit.kind, hit.found) for hit in hits] == [("date of birth", written)], written


@given(written_dates())
def test_a_date_that_is_nobodys_birthday_is_not_a_finding(case) -> None:
    date, written, before = case
    other = date + datetime.timedelta(days=400)
    register = Register([Person("Kim Hill", (), "Ms H", other)])
    assert register.check(f"{before}{written} seen") == []


def test_a_month_and_year_is_not_a_day_of_that_month() -> None:
    register = Register([Person("Kim Hill", (), "Ms H", datetime.date(2010, 6, 20))])
    assert register.check("Seen in Jun 2010 and June 2010.") == []
    assert [hit.found for hit in register.check("Born Jun 20 2010.")] == ["Jun 20 2010"]


def test_figures_references_and_addresses_are_not_dates_of_birth() -> None:
    register = Register([Person("Kim Hill", (), "Ms H", datetime.date(1990, 3, 14))])
    for text in ["Figures: 14, 3, 90 and 12.", "14 3 90", "Crime reference 900314.", "Server 10.14.3.90 logs",
                 "Seen 14.3.90.2 times"]:  # fmt: skip
        assert register.check(text) == [], text
    assert [hit.found for hit in register.check("14\u202703\u20271990, 14//03//1990")] == [
        "14\u202703\u20271990", "14//03//1990",
    ]  # fmt: skip


def test_longer_numbers_are_not_dates_of_birth() -> None:
    assert REGISTER.check("Seen 15/03/1990, ref 114/03/1990, 14/03/19901 and 14/04/1990.") == []


def test_replaced_text_passes_the_check() -> None:
    text = (
        "Jade Louise Marsh (known as JJ) lived with Danny Rafiq and Kai. Susan Marsh's neighbour, "
        "Sean O'Brien, called Zoë Ødegård; Chris Jones' van was outside."
    )
    assert REGISTER.check(text)
    assert REGISTER.check(replaced(text)) == []


# A single word that is also ordinary English ("Dan") is never replaced, only found: left out here.
REGISTERED_TERMS = sorted(
    {
        term
        for p in PEOPLE
        for term in (p.real_name, *p.aliases)
        if term.strip() and not (" " not in term and is_ordinary_english(term))
    }
)
REGISTERED_WORDS = {w.casefold().strip("()") for term in REGISTERED_TERMS for w in term.replace("-", " ").split()}
FILLER = [
    w
    for w in "the visit GP school Marshall Jaded Susanna Kaiser Jonesy Smithy Brien said home on police "
    "referral mother Child victim perpetrator Mr Mrs Ms and of with (Jnr) O'Neill".split()
    if w.casefold().strip("()") not in REGISTERED_WORDS
]
JOINERS = [" ", "  ", "\n", "\u00a0", ", ", ". ", "? ", "; ", "'s ", "’s ", "' ", " (", ") ", " — ", ': "']


@given(st.lists(st.tuples(st.sampled_from(REGISTERED_TERMS + FILLER), st.sampled_from(JOINERS)), max_size=30))
def test_no_name_or_alias_survives_replacement(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + joiner for word, joiner in pieces)
    assert REGISTER.check(replaced(text)) == []


@given(st.lists(st.tuples(st.sampled_from(FILLER), st.sampled_from(JOINERS)), max_size=30))
def test_text_without_registered_names_is_unchanged(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + joiner for word, joiner in pieces)
    assert replaced(text) == text


def test_normalise_removes_format_characters_and_composes_accents() -> None:
    assert normalise("Zo\u00ade\u0308 \u200bO\u2060Brien\u202e\u200d\x00") == "Zoë OBrien"
    assert normalise("plain text") == "plain text"


def test_a_designation_holding_part_of_the_persons_name_is_reported() -> None:
    assert REGISTER.designation_problems("Peter Grimes", "Mr Grimes") == ["Grimes"]
    assert REGISTER.designation_problems("Peter Grimes", "the lodger") == []


def test_register_for_review_reads_the_person_register() -> None:
    people = [
        SimpleNamespace(real_name="Jade Marsh", aliases=["JJ"], designation="the victim", date_of_birth=None),
        SimpleNamespace(
            real_name="Danny Rafiq", aliases=[], designation="the perpetrator", date_of_birth=datetime.date(1988, 1, 2)
        ),
    ]
    review = SimpleNamespace(people=SimpleNamespace(all=lambda: people))
    register = register_for_review(review)
    assert register.replace("JJ and Danny Rafiq").text == "The victim and the perpetrator"
    assert [hit.kind for hit in register.check("Mr Rafiq, born 2 January 1988")] == ["surname", "date of birth"]


def test_the_text_steps_import_without_django_settings() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    root = Path(__file__).resolve().parents[2]
    code = "import sys, reviews.publication.pipeline, reviews.publication.files; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True)


def test_an_english_word_confirmed_as_always_this_person_is_replaced_when_capitalised() -> None:
    register = Register([Person("Jade Louise Marsh", ("Jade", "Will"), "the victim", confirmed=("Jade", "Hope"))])
    assert register.replace("Jade rang; the jade ring; Will rang.").text == "The victim rang; the jade ring; Will rang."
    assert [(hit.kind, hit.found) for hit in register.check("The victim rang; the jade ring; Will rang.")] == [
        ("alias", "Will")
    ]


@given(st.text(alphabet=st.characters(max_codepoint=0x24F)), st.text(alphabet=st.characters(max_codepoint=127)))
def test_a_capital_after_a_small_letter_is_found_alike_in_ascii_and_in_any_text(text: str, ascii_text: str) -> None:
    """The check reads a text a second time, split at such capitals, when ``has_camel`` says so:
    in ASCII it answers by the letters' cases, elsewhere by the pattern; both mean the pattern."""
    from reviews.publication.text import _CAMEL_RE, has_camel

    for sample in (text, ascii_text, ascii_text + "JusticeForZoe"):
        assert has_camel(sample) == bool(_CAMEL_RE.search(sample))


NAME_PIECES = ["jade", "louise", "marsh", "rafiq", "kai", "o'brien", "o brien", "obrien", "zoe", "odegard", "jj", "dan"]


@given(st.lists(st.sampled_from([*NAME_PIECES, " ", "-", "'", "s", "es", "x", "1", "_", "é", "\n"]), max_size=8))
def test_the_check_finds_each_name_where_a_plain_choice_of_the_names_as_words_does(pieces: list[str]) -> None:
    """The check's pattern groups the names by their first letter, so that it is searched for
    quickly: it finds exactly what one choice of all the names, each a word of its own, finds."""
    import re

    from reviews.publication.text import _CHECK_AFTER, _CHECK_BEFORE, _alternation

    register = Register([*PEOPLE, Person("'Tasha Bell", ("'Tash",), "the neighbour")])
    terms = [*register._checked, *register._joined]
    plain = re.compile(f"{_CHECK_BEFORE}(?:{_alternation(terms)}){_CHECK_AFTER}")
    text = "".join(pieces)
    assert [m.span() for m in register._check_re.finditer(text)] == [m.span() for m in plain.finditer(text)]


@given(
    st.sets(
        st.lists(
            st.sampled_from(["Jade", "Marsh", "JusticeForJade", "jadey", "#jademarsh", "14/03/1990", "Zoë", "Ødegård",
                             "Kai", "seen", "visit", " ", "\n", "McDonald", "é", "—", "1", "jm@x.org", "www.", "http://a/"]),
            max_size=5,
        ).map("".join),
        max_size=12,
    )
)  # fmt: skip
def test_texts_checked_together_are_found_clean_exactly_when_each_alone_is(texts: set[str]) -> None:
    """A large export's texts are checked together, in groups joined by a mark no name crosses
    (ASCII; with a capital after a small letter; with the mark of a handle or an address; the
    rest): each is found clean exactly when the check finds nothing in it alone."""
    from reviews.publication import Publication

    assert Publication(REGISTER).clean_texts(texts) == {text for text in texts if not REGISTER.check(text)}


PIECES = ["a", "Z", " ", "\x00", "\u00ad", "e\u0301", "é", "\u200b", "1"]  # NUL, soft hyphen, combining accent


@given(st.sets(st.lists(st.sampled_from(PIECES)).map("".join)))
def test_texts_normalised_together_are_each_as_normalise_makes_it(texts: set[str]) -> None:
    from reviews.publication.characters import normalised_each

    assert normalised_each(texts) == {text: normalise(text) for text in texts}


# Characters that fold to one, to none (invisible, NUL) and to several ("æ", "ß", "ﬁ"), marks,
# look-alikes, digits of other scripts, apostrophes and dashes.
ODD_CHARACTERS = [
    "a", "Z", " ", "\x00", "\u00ad", "\u200b", "\u0301", "é", "æ", "ß", "ﬁ", "о", "١", "’", "–", "\ufeff", "😀", "\t",
]  # fmt: skip


@given(st.lists(st.sampled_from(ODD_CHARACTERS)).map("".join))
def test_normalise_and_fold_of_any_text_are_those_of_its_characters_one_by_one(text: str) -> None:
    """``normalise`` and ``fold`` translate a text that is not ASCII in one pass, and fold it
    character for character where each character folds to one: the same as going through it
    character by character."""
    import unicodedata

    from reviews.publication.characters import _fold_each, fold, is_invisible

    text += "é"  # not ASCII (an ASCII text is read as it always was)
    assert normalise(text) == unicodedata.normalize("NFC", "".join(ch for ch in text if not is_invisible(ch)))
    folded, each = fold(text), _fold_each(text, split_camel=False)
    assert folded.text == each.text
    spans = [(start, end) for start in range(len(folded.text) + 1) for end in range(start, len(folded.text) + 1)]
    assert [folded.span(*span) for span in spans] == [each.span(*span) for span in spans]
