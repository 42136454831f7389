"""reviews.publication.pipeline: the chair's decisions on findings. Pure: no database."""

from reviews.publication import Decision, Person, Publication, Register, Where, text_hash

REGISTER = Register([Person("Jade Marsh", ("Jade",), "the victim"), Person("Hope Grimes", (), "Adult C")])
WHERE = Where("footnote 1, details", "entry:abc:details")
TEXT = "Jade seen at home. The family Hope service called."


def _run(*decisions: Decision) -> Publication:
    return Publication(REGISTER, list(decisions))


def test_without_decisions_each_finding_blocks():
    run = _run()
    assert run.text(TEXT, WHERE) == TEXT
    assert [(f.kind, f.hit.found) for f in run.blocking] == [("alias", "Jade"), ("forename", "Hope")]
    # Named by its words and the words either side, and which of those it is.
    assert run.blocking[0].key == f"entry:abc:details|{text_hash(TEXT)}|jade||seen|1"


def test_a_finding_confirmed_as_the_person_is_replaced_and_one_acknowledged_passes():
    run = _run(
        Decision("entry:abc:details", text_hash(TEXT), "replace", "jade||seen", 1),
        Decision(
            "entry:abc:details", text_hash(TEXT), "acknowledge", "hope|family|service", 1, reason="A service's name"
        ),
    )
    assert run.text(TEXT, WHERE) == "The victim seen at home. The family Hope service called."
    assert run.blocking == []
    assert [f.acknowledged.reason for f in run.acknowledged] == ["A service's name"]
    assert run.replacements[("footnote 1, details", "the victim")] == 1


def test_a_decision_lapses_when_its_text_changes():
    run = _run(Decision("entry:abc:details", text_hash(TEXT), "acknowledge", "hope|family|service", 1, reason="x"))
    changed = TEXT + " Later, more."
    run.text(changed, WHERE)
    assert [f.hit.found for f in run.blocking] == ["Jade", "Hope"]


def test_a_redacted_field_is_published_as_redacted():
    run = _run(Decision("entry:abc:details", text_hash(TEXT), "redact"))
    assert run.text(TEXT, WHERE) == "[Redacted]"
    assert run.findings == []


def test_an_acknowledged_finding_is_recognised_in_the_finished_file_by_its_neighbouring_words():
    run = _run(Decision("entry:abc:details", text_hash(TEXT), "acknowledge", "hope|family|service", 1, reason="x"))
    run.text(TEXT, WHERE)
    assert run.check_file("csv", b"details\nThe family Hope service called.\n", "CSV file") == []
    # Both neighbours must be the same: "the" or "family" alone is not enough.
    found = run.check_file("csv", b"details\nHope rang.\nThe family Hope rang.\n", "CSV file")
    assert [finding.hit.context for finding in found] == ["Hope rang.", "The family Hope rang."]


def test_a_change_to_the_register_cannot_move_an_acknowledgement_onto_another_name():
    text = "Hope Marsh rang. Later Hope said the family hope service helped."
    acknowledged = Decision("section:1", text_hash(text), "acknowledge", "hope|later|said", 1, reason="x")
    where = Where("paragraph 1.1", "section:1")
    before = Publication(REGISTER, [acknowledged])
    before.text(text, where)
    assert [f.hit.found for f in before.acknowledged] == ["Hope"]
    assert "Later Hope said" in before.acknowledged[0].hit.context
    # "Hope Marsh" registered as well: the first "Hope" is now replaced; the decision still names
    # the one between "Later" and "said", never the first one found.
    register = Register([*REGISTER.people, Person("Hope Marsh", (), "Adult D")])
    after = Publication(register, [acknowledged])
    assert after.text(text, where).startswith("Adult D rang.")
    assert [f.hit.found for f in after.acknowledged] == ["Hope"]
    assert "Later Hope said" in after.acknowledged[0].hit.context
