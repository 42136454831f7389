"""reviews.anonymise: replacing names with designations, and the publication check. No database."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviews.anonymise import Anonymiser, Leak, RegisteredPerson, anonymiser_for_review

PEOPLE = [
    RegisteredPerson("Jade Louise Marsh", ("Jade Marsh", "Jade", "JJ"), "the victim", datetime.date(1990, 3, 14)),
    RegisteredPerson("Susan Marsh", (), "the victim's mother", datetime.date(1965, 11, 2)),
    RegisteredPerson("Danny Rafiq", ("Dan", "", "   "), "the perpetrator"),
    RegisteredPerson("Kai Rafiq-Marsh", ("Kai",), "Child 1", datetime.date(2015, 9, 4)),
    RegisteredPerson("Chris Jones", (), "Mr J"),
    RegisteredPerson("Sean O'Brien", (), "Mr O"),
    RegisteredPerson("Zoë Ødegård", (), "Ms Z"),
    RegisteredPerson("John Smith (Jnr)", (), "Mr S"),
]
ANON = Anonymiser(PEOPLE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # longest match first
        ("Jade Louise Marsh attended.", "The victim attended."),
        ("Seen with Jade Marsh today.", "Seen with the victim today."),
        ("Seen with Jade today.", "Seen with the victim today."),
        ("Seen with JJ today.", "Seen with the victim today."),
        ("Kai Rafiq-Marsh and Kai", "Child 1 and Child 1"),
        # case-insensitive
        ("Met JADE LOUISE MARSH.", "Met the victim."),
        ("met jade marsh", "met the victim"),
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
        ("Jaded staff and Danny, not Dan.", "Jaded staff and Danny, not the perpetrator."),
        ("Danny Rafiq-Marsh is someone else", "Danny Rafiq-Marsh is someone else"),
        ("Jade-Louise phoned", "Jade-Louise phoned"),
        # whitespace inside a name
        ("Seen by Jade\nMarsh.", "Seen by the victim."),
        ("Seen by Jade  Louise\tMarsh.", "Seen by the victim."),
        ("Seen by Jade\u00a0Marsh.", "Seen by the victim."),
        # sentence-start capitalisation
        ("Police spoke to Jade. Jade said no.", "Police spoke to the victim. The victim said no."),
        (
            "Was it Dan? Dan denied it! Dan left.",
            "Was it the perpetrator? The perpetrator denied it! The perpetrator left.",
        ),
        ("Line one\nJade called", "Line one\nThe victim called"),
        ('She said: "no". "Jade is fine"', 'She said: "no". "The victim is fine"'),
        ("Chris Jones attended.", "Mr J attended."),
        # people lists
        ("Jade Marsh; Danny Rafiq", "The victim; the perpetrator"),
        ("Susan Marsh;Kai;Chris Jones", "The victim's mother;Child 1;Mr J"),
        # special characters and Unicode
        ("Sean O'Brien called.", "Mr O called."),
        ("Sean O’Brien called.", "Mr O called."),
        ("Letter to John Smith (Jnr) sent.", "Letter to Mr S sent."),
        ("Zoë Ødegård and ZOË ØDEGÅRD", "Ms Z and Ms Z"),
        # nothing to do
        ("", ""),
        ("No one named here.", "No one named here."),
    ],
)
def test_apply_replaces_names_and_aliases_with_designations(text: str, expected: str) -> None:
    assert ANON.apply(text) == expected


def test_apply_handles_case_folds_where_match_and_registered_name_casefold_apart() -> None:
    # re matches "İ" (Turkish dotted capital I) to "i" case-insensitively, but "İ".casefold() is "i̇".
    anonymiser = Anonymiser([RegisteredPerson("Kim Hill", (), "Ms H")])
    assert anonymiser.apply("Saw KİM HİLL.") == "Saw Ms H."
    assert [leak.term for leak in anonymiser.leaks("Saw Ms HİLL.")] == ["Hill"]


def test_apply_all_keeps_order() -> None:
    assert ANON.apply_all(["Jade", "Dan"]) == ["The victim", "The perpetrator"]


def test_bare_surnames_and_first_names_are_left_for_the_check() -> None:
    assert ANON.apply("Susan phoned Mr Rafiq.") == "Susan phoned Mr Rafiq."


def test_a_registry_with_no_usable_names_changes_nothing() -> None:
    anonymiser = Anonymiser([RegisteredPerson("  ", ("",), "Adult 1")])
    assert anonymiser.apply("Jade Marsh") == "Jade Marsh"
    assert anonymiser.leaks("Jade Marsh") == []
    assert Anonymiser([]).leaks("Jade Marsh 14/03/1990") == []


def test_a_person_without_a_designation_is_refused() -> None:
    with pytest.raises(ValueError, match="designation"):
        Anonymiser([RegisteredPerson("Amy Hale", (), " ")])


def test_leak_reports_a_surname_with_where_it_is() -> None:
    text = "The GP wrote to Ms Marsh about the appointment."
    [leak] = ANON.leaks(text)
    assert leak == Leak("Marsh", "surname", "the victim", 19, 24, text)
    assert text[leak.start : leak.end] == "Marsh"


def test_leaks_report_names_and_aliases_in_text_order() -> None:
    text = "JJ met Susan Marsh and Mr Jones; Danny Rafiq left."
    found = [(leak.term, leak.kind, leak.designation) for leak in ANON.leaks(text)]
    assert found == [
        ("JJ", "alias", "the victim"),
        ("Susan Marsh", "name", "the victim's mother"),
        ("Jones", "surname", "Mr J"),
        ("Danny Rafiq", "name", "the perpetrator"),
    ]


def test_leak_context_is_about_forty_characters_either_side_on_one_line() -> None:
    text = "x" * 100 + "\nMarsh\n" + "y" * 100
    [leak] = ANON.leaks(text)
    assert leak.context == "x" * 39 + " Marsh " + "y" * 39


@pytest.mark.parametrize(
    "written",
    [
        "14/03/1990",
        "14/3/1990",
        "14.03.1990",
        "14-03-1990",
        "14/03/90",
        "1990-03-14",
        "14 March 1990",
        "14 Mar 1990",
        "14th March 1990",
        "14 march, 1990",
        "March 14, 1990",
        "Mar. 14 1990",
    ],
)
def test_leak_reports_a_date_of_birth_in_each_written_form(written: str) -> None:
    [leak] = ANON.leaks(f"Born {written}, seen at home.")
    assert (leak.term, leak.kind, leak.designation) == ("14/03/1990", "date of birth", "the victim")
    assert leak.start == 5 and leak.end == 5 + len(written)


def test_single_digit_days_and_months_and_september_abbreviations() -> None:
    for written in ["4/9/2015", "04/09/2015", "2015-09-04", "4 Sept 2015", "Sep 4, 2015"]:
        assert [leak.designation for leak in ANON.leaks(written)] == ["Child 1"], written


def test_other_dates_and_longer_numbers_are_not_dates_of_birth() -> None:
    assert ANON.leaks("Seen 15/03/1990, ref 114/03/1990, 14/03/19901 and 14/04/1990.") == []


def test_double_barrelled_surname_is_found_whole_and_by_part() -> None:
    found = [(leak.term, leak.kind) for leak in ANON.leaks("The Rafiq-Marsh family: Mr Rafiq, Ms Marsh.")]
    assert found == [("Rafiq-Marsh", "surname"), ("Rafiq", "surname"), ("Marsh", "surname")]


def test_surname_skips_generational_suffix_and_short_surnames() -> None:
    anonymiser = Anonymiser([*PEOPLE, RegisteredPerson("Tom Ng", (), "Mr N")])
    assert [leak.term for leak in anonymiser.leaks("Smith and Ng and Jnr and Tom Ng")] == ["Smith", "Tom Ng"]


def test_surname_inside_a_word_is_not_a_leak_but_joined_by_hyphen_is() -> None:
    assert ANON.leaks("Marshall, Marshes, Jonesy") == []
    assert [leak.term for leak in ANON.leaks("Mrs Smith-Jones")] == ["Smith", "Jones"]


def test_designation_text_is_not_a_leak() -> None:
    anonymiser = Anonymiser([RegisteredPerson("Susan Marsh", (), "Mrs Marsh"), *PEOPLE[2:]])
    assert anonymiser.leaks("Mrs Marsh said; MRS MARSH's son; Mrs\nMarsh.") == []
    [leak] = anonymiser.leaks("Mrs Marsh met Marsh.")
    assert (leak.term, leak.start) == ("Marsh", 14)


def test_anonymised_text_passes_the_check() -> None:
    text = (
        "Jade Louise Marsh (known as JJ) lived with Danny Rafiq and Kai. Susan Marsh's neighbour, "
        "Sean O'Brien, called Zoë Ødegård; Chris Jones' van was outside."
    )
    assert ANON.leaks(text)
    assert ANON.leaks(ANON.apply(text)) == []


REGISTERED_TERMS = sorted({term for p in PEOPLE for term in (p.real_name, *p.aliases) if term.strip()})
REGISTERED_WORDS = {w.casefold().strip("()") for term in REGISTERED_TERMS for w in term.replace("-", " ").split()}
# Near misses ("Marshall", "Jaded", "Susanna") check the word boundaries; registered words are excluded
# so every surname left after apply would be a real failure.
FILLER = [
    w
    for w in "the visit GP school Marshall Jaded Danny Susanna Kaiser Jonesy Smithy Brien said home on police "
    "referral mother Child victim perpetrator Mr Mrs Ms and of with (Jnr) O'Neill Zoe Odegard".split()
    if w.casefold().strip("()") not in REGISTERED_WORDS
]
# No plain "-" (a hyphen joins words into another name, which apply deliberately leaves alone) and
# no empty separator (which would glue words together).
SEPARATORS = [" ", "  ", "\n", "\u00a0", ", ", ". ", "? ", "; ", "'s ", "’s ", "' ", " (", ") ", " — ", ': "']


@given(st.lists(st.tuples(st.sampled_from(REGISTERED_TERMS + FILLER), st.sampled_from(SEPARATORS)), max_size=30))
def test_no_name_or_alias_survives_apply(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + separator for word, separator in pieces)
    assert ANON.leaks(ANON.apply(text)) == []


@given(st.lists(st.tuples(st.sampled_from(FILLER), st.sampled_from(SEPARATORS)), max_size=30))
def test_text_without_registered_names_is_unchanged(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + separator for word, separator in pieces)
    assert ANON.apply(text) == text


def test_anonymiser_for_review_reads_the_person_register() -> None:
    people = [
        SimpleNamespace(real_name="Jade Marsh", aliases=["JJ"], designation="the victim", date_of_birth=None),
        SimpleNamespace(
            real_name="Danny Rafiq", aliases=[], designation="the perpetrator", date_of_birth=datetime.date(1988, 1, 2)
        ),
    ]
    review = SimpleNamespace(people=SimpleNamespace(all=lambda: people))
    anonymiser = anonymiser_for_review(review)
    assert anonymiser.apply("JJ and Danny Rafiq") == "The victim and the perpetrator"
    assert [leak.kind for leak in anonymiser.leaks("Mr Rafiq, born 2 January 1988")] == ["surname", "date of birth"]


def test_module_imports_without_django_settings() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    root = Path(__file__).resolve().parents[2]
    code = "import sys, reviews.anonymise; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True)
