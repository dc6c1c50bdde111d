"""Archive, never delete, a person: the model refuses, and no code of the service (tests
aside) deletes people another way, by a queryset of users or a cascade from an organisation."""

import re
from pathlib import Path

import pytest

from learning_reviews.accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
DELETES_PEOPLE = re.compile(
    r"(User\.objects[^\n]*\.delete\(|\buser\.delete\(|\bperson\.delete\(|users[^\n]*\.delete\("
    r"|Organisation\.objects[^\n]*\.delete\(|organisation\.delete\()"
)


def test_the_model_refuses_to_delete_a_person(people):
    with pytest.raises(PermissionError):
        people.worker.delete()
    assert User.objects.filter(pk=people.worker.pk).exists()


def _service_code() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def test_no_code_of_the_service_deletes_people():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _service_code()
        for match in DELETES_PEOPLE.finditer(path.read_text())
    ]
    assert found == []


def test_the_walk_would_see_a_deletion():
    assert DELETES_PEOPLE.search("User.objects.filter(is_active=False).delete()")
    assert DELETES_PEOPLE.search("    user.delete()")
