"""Everything the case record knows that identifies someone, and what each becomes when
redacted: the child "the child", family members their relationship ("the mother"), staff their
role ("the social worker"), numbers their kind ("[SWIS number]")."""

import re

from learning_reviews.outcomes.redaction import Known
from learning_reviews.reviews.models import Review

# "Lisa Kelly (mother), Darren Kelly (father)" or "Lisa Kelly - mother" on the referral form.
_NAMED_RELATIONSHIP = re.compile(r"^\s*(?P<name>[^()\-–—:]+?)\s*[(\-–—:]\s*(?P<rel>[^()]+?)\)?\s*$")


def _role(text: str, fallback: str) -> str:
    text = " ".join(text.split()).strip().rstrip(".")
    if not text:
        return fallback
    lowered = text[0].lower() + text[1:] if not text[:2].isupper() else text
    return lowered if lowered.startswith(("the ", "a ", "an ")) else f"the {lowered}"


def _parents_carers(text: str) -> list[Known]:
    found = []
    for part in re.split(r"[,;\n]| and ", text):
        if not part.strip():
            continue
        match = _NAMED_RELATIONSHIP.match(part)
        if match:
            found.append(Known(match["name"].strip(), _role(match["rel"], "a parent or carer")))
        else:
            found.append(Known(part.strip(), "a parent or carer"))
    return found


def known_identifiers(review: Review) -> list[Known]:
    """The identifiers of one review's case, read from the referral and the review. Longest
    first, so "Amber Kelly" is replaced whole before "Kelly" on its own."""
    referral = review.referral
    known: list[Known] = []
    if referral.child_name:
        known.append(Known(referral.child_name, "the child"))
    if referral.swis_number:
        known.append(Known(referral.swis_number, "[SWIS number]"))
    known.append(Known(referral.reference, "[reference]"))
    known += _parents_carers(referral.parents_carers)
    known += [
        Known(m.name, _role(m.relationship, "a member of the household"))
        for m in referral.household.all()
    ]
    known += [
        Known(a.professional_name, _role(a.discipline, f"a professional from {a.agency}"))
        for a in referral.agencies.all()
        if a.professional_name
    ]
    staff = [
        (referral.worker, "the social worker"),
        (referral.line_manager, "the line manager"),
        (referral.service_manager, "the Service Manager"),
    ]
    known += [Known(person.get_full_name(), role) for person, role in staff if person is not None]
    if referral.person_completing:
        known.append(Known(referral.person_completing, "the referrer"))
    known += [Known(p.get_full_name(), "the lead reviewer") for p in review.lead_reviewers.all()]
    known += [
        Known(p.name, _role(p.current_job or p.role_in_period, "a member of the case group"))
        for p in review.participants.all()
    ]
    unique = {k.text.strip().lower(): k for k in known if k.text.strip()}
    return sorted(unique.values(), key=lambda k: -len(k.text))
