"""Unit tests for learning_reviews.outcomes.redaction and the redact command."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command

from learning_reviews.outcomes.redaction import Change, Known, Redaction, redact

FAMILY = [
    Known("Amber Kelly", "the child"),
    Known("Lisa Kelly", "the mother"),
    Known("5140675", "[SWIS number]"),
    Known("Oakfield Primary School", "the school"),
    Known("Sarah Brennan", "the social worker"),
]


def reasons(result: Redaction) -> dict[str, str]:
    return {c.original: c.reason for c in result.changes}


def test_known_name_and_parts_and_variants() -> None:
    r = redact("Amber Kelly said AMBER was tired. Amber's coat was wet. Kelly agreed.", FAMILY)
    assert "Amber" not in r.text and "AMBER" not in r.text and "Kelly" not in r.text
    assert r.text.startswith("The child said the child was tired. The child's coat was wet.")
    # The surname is shared by the child and the mother, so it cannot name either.
    assert "[name] agreed." in r.text


def test_staff_become_their_role() -> None:
    r = redact("The visit was by Sarah Brennan. Sarah wrote it up.", FAMILY)
    assert r.text == "The visit was by the social worker. The social worker wrote it up."


def test_ordinary_word_name_is_redacted_only_as_a_name() -> None:
    r = redact("Will said he will come back.", [Known("Will Gallacher", "the sibling")])
    assert r.text == "The sibling said he will come back."


def test_mc_mac_o_and_hyphenated_names() -> None:
    known = [Known("Hope McAllister", "the child"), Known("Siobhan O'Neill", "the mother")]
    r = redact("Mrs MacAllister met Siobhan O’Neill and Ms ONeill.", known)
    assert "Allister" not in r.text and "Neill" not in r.text
    r = redact("Ellie-Mae was seen; Ellie was upset.", [Known("Ellie-Mae Johnstone", "the child")])
    assert "Ellie" not in r.text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Call 0131 496 0723 today.", "phone"),
        ("Call 07700 900461 today.", "phone"),
        ("Call +44 7700 900872 today.", "phone"),
        ("Write to jo.bloggs@example.org today.", "email"),
        ("Her postcode is EH6 5QT now.", "postcode"),
        ("Her postcode is G41 2AB now.", "postcode"),
        ("Her CHI is 0303161234 now.", "chi"),
        ("Her CHI is 150508 4421 now.", "chi"),
        ("NHS number 943 476 5919 noted.", "nhs"),
        ("NI number QQ 12 34 56 C noted.", "ni"),
        ("NI number QQ123456C noted.", "ni"),
        ("SWIS number 4417023 noted.", "swis"),
        ("Reference LR-2025-0042 noted.", "reference"),
        ("Reference CR/2023/0917 noted.", "reference"),
        ("Car SK19 ABC seen.", "vehicle"),
        ("She lives at 27 Craigentinny Road now.", "address"),
        ("She lives at Flat 2/1 now.", "address"),
        ("She lives at 3F2 now.", "address"),
        ("She attends Leith Academy now.", "place"),
        ("Seen at Craigmillar Medical Practice today.", "place"),
        ("Born on 3 March 2016 in the city.", "date_of_birth"),
        ("DOB 03/03/2016 noted.", "date_of_birth"),
    ],
)
def test_patterns(text: str, reason: str) -> None:
    r = redact(text)
    assert reason in {c.reason for c in r.changes}, r.changes


def test_exact_dates_become_month_and_year() -> None:
    assert redact("Seen on 14 March 2025.").text == "Seen in March 2025."
    assert redact("Seen on 14/03/2025.").text == "Seen in March 2025."
    assert redact("Seen on Friday 14th March.").text == "Seen in March."
    assert redact("Seen in March 2025.").text == "Seen in March 2025."


def test_date_of_birth_is_removed_entirely() -> None:
    r = redact("Amber (DOB 03/03/2016) was born on 3 March 2016.")
    assert "2016" not in r.text and "March" not in r.text


def test_suspected_names_and_places() -> None:
    r = redact("Her friend Eilidh and Mr Baxter drove to Penicuik. Ruaridh said no.")
    suspected = {c.original for c in r.suspected}
    assert {"Eilidh", "Mr Baxter", "Penicuik", "Ruaridh"} <= suspected
    r = redact("Hope said she was scared. Staff hope to help. Grace's coat was wet.")
    assert "Hope" not in r.text and "Grace" not in r.text and "Staff hope to help" in r.text


def test_roles_agencies_and_terms_survive() -> None:
    text = (
        "The Team Manager, the Reviewing Officer and Police Scotland met with NHS Lothian, "
        "CAMHS and the Children's Reporter about the Child's Plan and the Learning Review."
    )
    assert redact(text).text == text


def test_keep_restores_only_suspected() -> None:
    text = "Eilidh met Amber at 27 Craigentinny Road."
    r = redact(text, FAMILY, keep=["eilidh", "Amber", "27 Craigentinny Road"])
    assert r.text.startswith("Eilidh met the child at [address]")
    assert not r.suspected


def test_extra_redacts_every_whole_word_occurrence() -> None:
    r = redact("The red bike. RED BIKE again; redbike not.", extra=["red bike"])
    assert r.text == "The [redacted]. [redacted] again; redbike not."
    assert {c.reason for c in r.changes} == {"added"}


def test_changes_point_at_the_original_and_do_not_overlap() -> None:
    text = "Amber Kelly (SWIS 5140675) lives at 27 Craigentinny Road, EH7 6QR, with Dean."
    r = redact(text, FAMILY)
    last = 0
    for change in r.changes:
        assert isinstance(change, Change)
        assert text[change.start : change.end] == change.original
        assert change.start >= last
        last = change.end
    rebuilt, position = [], 0
    for change in r.changes:
        rebuilt += [text[position : change.start], change.replacement]
        position = change.end
    assert "".join([*rebuilt, text[position:]]) == r.text


def test_deterministic() -> None:
    text = "Amber Kelly and Eilidh met Kieran at Leith Academy on 14 March 2025."
    assert redact(text, FAMILY) == redact(text, FAMILY)


def test_fast_on_a_long_text() -> None:
    paragraph = (
        "On 14 March 2025 the social worker visited Amber Kelly at 27 Craigentinny Road, "
        "EH7 6QR. Amber told her that Eilidh and Mr Baxter had called on 0131 496 0723. "
        "The Team Manager agreed that Police Scotland should be told. "
    )
    text = paragraph * 50  # about 2,000 words
    redact(text, FAMILY)  # word lists load once
    started = time.perf_counter()
    redact(text, FAMILY)
    assert time.perf_counter() - started < 1.0


def test_command_reads_stdin_and_writes_stdout() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "redact",
        "--known",
        "Lisa Kelly=the mother",
        "--known",
        "5140675",
        "--changes",
        stdin=io.StringIO("Lisa Kelly (SWIS 5140675) phoned on 07700 900461."),
        stdout=out,
        stderr=err,
    )
    assert out.getvalue() == "The mother (SWIS [redacted]) phoned on [phone]."
    assert "known: Lisa Kelly → The mother" in err.getvalue()
    assert "phone: 07700 900461 → [phone]" in err.getvalue()


def test_a_surname_alone_is_not_given_to_the_one_known_person_who_has_it():
    r = redact(
        "Summer Blyth, the aunt, took Kai home. Blyth said Mrs Cross would help.",
        [Known("Kai Blyth", "the child"), Known("Megan Cross", "the social worker")],
    )
    assert r.text == (
        "[name] [name], the aunt, took the child home. [name] said the social worker would help."
    )


def test_pets_and_names_after_called_are_names_whatever_the_word():
    r = redact("He came with his dog, Biscuit, and a cat called Pepper. Tam drives a van.")
    for name in ("Biscuit", "Pepper", "Tam"):
        assert name not in r.text
    assert "a van" in r.text
