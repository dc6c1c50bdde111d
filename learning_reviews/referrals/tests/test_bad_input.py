"""Bad input on the referral pages: a missing required field, a future or impossible date, an
oversize or wrong-type attachment, a 10,000-character name, HTML or script in text, a stale page.
Each gets a clear error beside the field (with the GOV.UK error summary), nothing already typed
is lost, nothing is saved, and nothing is ever a 500 (the test client re-raises any exception a
view raises, so a 500 fails the test).
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent
from learning_reviews.improvement_group.testing import CaseContent, referral_at
from learning_reviews.referrals import services
from learning_reviews.referrals.models import HouseholdMember, Referral, Status
from learning_reviews.referrals.views import SECTION_PAGES

# ---------------------------------------------------------------------------------------------
# A small HTML tree, to find what sits beside what.

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    parent: "Node | None" = None
    children: list["Node | str"] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestor(self, css: str) -> "Node | None":
        node = self.parent
        while node is not None and css not in node.classes:
            node = node.parent
        return node


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def tree(response: Any) -> Node:
    builder = _Builder()
    builder.feed(response.content.decode())
    return builder.root


def _inputs(root: Node, name: str) -> list[Node]:
    """The controls for a field; a date's are `name_0`, `name_1`, `name_2`."""
    return [
        n
        for n in root.walk()
        if n.tag in {"input", "textarea", "select"}
        and (n.attrs.get("name") == name or n.attrs.get("name", "").startswith(f"{name}_"))
    ]


def _clean(text: str) -> str:
    return " ".join(text.replace("Error:", "", 1).split())


def error_beside(response: Any, name: str) -> str:
    """The error message shown beside the field `name`, after checking it is in the field's
    form group (marked as in error) and listed, linked to the field, in the error summary."""
    root = tree(response)
    found = [n for n in root.walk() if n.attrs.get("id") == f"id_{name}-error"]
    assert found, f"no error message beside {name}"
    message = found[0]
    assert "govuk-error-message" in message.classes
    group = message.ancestor("govuk-form-group")
    assert group is not None and "govuk-form-group--error" in group.classes
    controls = _inputs(group, name)
    assert controls, f"the error for {name} is not beside its field"
    text = _clean(message.text())
    summary = [n for n in root.walk() if "govuk-error-summary" in n.classes]
    assert summary, "no error summary"
    links = {_clean(a.text()): a.attrs["href"] for s in summary for a in s.walk() if a.tag == "a"}
    assert text in links, f"{text!r} is not in the error summary"
    ids = {n.attrs.get("id") for n in group.walk()}
    assert links[text].lstrip("#") in ids, "the summary does not link to the field"
    return text


def all_errors(response: Any) -> set[str]:
    """Every message shown beside a field (or for the form as a whole)."""
    return {_clean(n.text()) for n in tree(response).walk() if "govuk-error-message" in n.classes}


def value_of(response: Any, name: str) -> Any:
    """What the re-rendered form shows for a field: its text, or the checked choices."""
    controls = [n for n in tree(response).walk() if n.attrs.get("name") == name]
    assert controls, f"no field {name}"
    first = controls[0]
    if first.tag == "textarea":
        return first.text().removeprefix("\n")
    if first.attrs.get("type") in {"radio", "checkbox"}:
        return [n.attrs.get("value") for n in controls if "checked" in n.attrs]
    return first.attrs.get("value", "")


# ---------------------------------------------------------------------------------------------
# Helpers


def snapshot(referral: Referral) -> dict[str, Any]:
    """The referral's fields and rows, and the changes recorded in the audit trail."""
    fresh = Referral.objects.get(pk=referral.pk)
    state: dict[str, Any] = {
        f.attname: str(getattr(fresh, f.attname)) for f in Referral._meta.concrete_fields
    }
    for relation in ("household", "agencies", "chronology", "reasons", "supervision_notes"):
        state[relation] = list(getattr(fresh, relation).values())
    state["changes"] = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()
    return state


def section_url(referral: Referral, key: str) -> str:
    return reverse("referrals:section", args=[referral.pk, key])


def post_section(client: Any, referral: Referral, key: str, data: dict[str, Any]) -> Any:
    """POST a section page as the browser does: every version field, then the data."""
    version = Referral.objects.get(pk=referral.pk).version
    versions = {"version": version, "item-version": version, "plan-version": version}
    return client.post(section_url(referral, key), {**versions, **data})


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def draft(people, make_referral, client, settings, tmp_path):
    """A complete draft referral of `people.worker`, who is signed in; uploads go to tmp."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people.worker)
    return make_referral(Status.DRAFT)


def stored_files(root: Any) -> list[Any]:
    return [p for p in root.rglob("*") if p.is_file()]


# ---------------------------------------------------------------------------------------------
# A required field left out


@dataclass(frozen=True)
class Missing:
    data: dict[str, Any]
    field: str
    message: str
    kept: dict[str, Any]


DATE_2025 = {"identified_on_0": "11", "identified_on_1": "3", "identified_on_2": "2025"}

MISSING = {
    "about": Missing(
        {"person_completing": ""},
        "person_completing",
        "Enter the name of the person completing this report",
        {},
    ),
    "identified": Missing(
        {"identified_at_other": "Hospital discharge meeting", **DATE_2025},
        "identified_at",
        "Select where the need was first identified",
        {"identified_at_other": "Hospital discharge meeting", **DATE_2025},
    ),
    "child": Missing(
        {"child_name": "", "swis_number": "7730012"},
        "child_name",
        "Enter the name of the child or young person",
        {"swis_number": "7730012"},
    ),
    "household": Missing(
        {
            "parents_carers": "",
            "item-name": "Ewan Dalgleish (16)",
            "item-relationship": "Foster carers' son",
        },
        "parents_carers",
        "Enter name of Parents/Carers",
        {"item-name": "Ewan Dalgleish (16)", "item-relationship": "Foster carers' son"},
    ),
    "agencies": Missing(
        {
            "action": "add",
            "no_agencies_known": "",
            "item-agency": "",
            "item-professional_name": "Dr Leon Fraser",
            "item-discipline": "Clinical psychologist",
        },
        "item-agency",
        "Enter agency",
        {"item-professional_name": "Dr Leon Fraser", "item-discipline": "Clinical psychologist"},
    ),
    "grounds": Missing({}, "grounds", "Select at least one ground", {}),
    "circumstances": Missing(
        {"circumstances": "   "},
        "circumstances",
        "Enter a brief description of the circumstances of the case",
        {},
    ),
    "background": Missing(
        {
            "key_facts": "",
            "item-date_0": "9",
            "item-date_1": "4",
            "item-date_2": "2024",
            "item-event": "Emergency move to carers B",
            "item-source": "SWIS case note",
        },
        "key_facts",
        "Enter the key facts and background to the case",
        {
            "item-date_0": "9",
            "item-date_1": "4",
            "item-date_2": "2024",
            "item-event": "Emergency move to carers B",
            "item-source": "SWIS case note",
        },
    ),
    "reasons": Missing({"action": "add", "item-text": ""}, "item-text", "Enter reason", {}),
}


def test_every_section_has_a_missing_field_case():
    assert set(MISSING) == set(SECTION_PAGES)


@pytest.mark.parametrize("key", list(MISSING))
def test_missing_required_field_is_shown_beside_it_and_nothing_typed_is_lost(client, draft, key):
    case = MISSING[key]
    before = snapshot(draft)

    response = post_section(client, draft, key, {"action": "save", **case.data})

    assert response.status_code == 200
    assert error_beside(response, case.field) == case.message
    for name, value in case.kept.items():
        assert value_of(response, name) == value, name
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    "key",
    list(MISSING),
)
def test_missing_required_field_is_the_only_error_shown(client, draft, key):
    case = MISSING[key]

    response = post_section(client, draft, key, {"action": "save", **case.data})

    assert all_errors(response) == {case.message}


@pytest.mark.parametrize(
    ("key", "data", "message"),
    [
        ("household", {"parents_carers": ""}, "Enter name of Parents/Carers"),
        ("background", {"key_facts": ""}, "Enter the key facts and background to the case"),
    ],
)
def test_empty_add_another_row_gets_no_errors_when_the_section_fails(
    client, draft, key, data, message
):
    empty_row = {
        "item-name": "",
        "item-relationship": "",
        "item-date_0": "",
        "item-date_1": "",
        "item-date_2": "",
        "item-event": "",
        "item-source": "",
    }

    response = post_section(client, draft, key, {"action": "save", **empty_row, **data})

    assert all_errors(response) == {message}


# ---------------------------------------------------------------------------------------------
# Dates


@dataclass(frozen=True)
class DateField:
    page: str  # a section key, or "supervision"
    name: str
    label: str
    others: dict[str, Any]


DATE_FIELDS = {
    "identified_on": DateField(
        "identified",
        "identified_on",
        "Date it was identified",
        {"identified_at": "review_meeting"},
    ),
    "chronology": DateField(
        "background",
        "item-date",
        "Date of the event",
        {"key_facts": "Three unplanned endings.", "item-event": "Carers B end placement"},
    ),
    "supervision": DateField(
        "supervision",
        "date",
        "Date of the supervision discussion",
        {"note": "Discussed the three placement moves."},
    ),
}


def _tomorrow() -> tuple[str, str, str]:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return str(day.day), str(day.month), str(day.year)


BAD_DATES = {
    "future": (_tomorrow, "{label} must be today or in the past"),
    "31 February": (lambda: ("31", "2", "2024"), "{label} must be a real date"),
    "no month": (lambda: ("11", "", "2024"), "{label} must include a month"),
    "letters": (lambda: ("eleven", "March", "2024"), "{label} must be a real date"),
    "no day or year": (lambda: ("", "3", ""), "{label} must include a day and year"),
}


@pytest.mark.parametrize("bad", list(BAD_DATES))
@pytest.mark.parametrize("where", list(DATE_FIELDS))
def test_bad_date_gets_the_right_message_and_keeps_what_was_typed(client, draft, where, bad):
    spec = DATE_FIELDS[where]
    parts_of, message = BAD_DATES[bad]
    parts = parts_of()
    typed = {f"{spec.name}_{i}": part for i, part in enumerate(parts)}
    before = snapshot(draft)

    if spec.page == "supervision":
        response = client.post(
            reverse("referrals:supervision", args=[draft.pk]), {**typed, **spec.others}
        )
    else:
        response = post_section(
            client, draft, spec.page, {"action": "save", **typed, **spec.others}
        )

    assert response.status_code == 200
    assert error_beside(response, spec.name) == message.format(label=spec.label)
    for name, value in {**typed, **spec.others}.items():
        shown = value_of(response, name)
        assert shown in (value, [value]), name
    assert snapshot(draft) == before


# ---------------------------------------------------------------------------------------------
# Attachments


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body/></w:document>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

BAD_FILES = {
    "11 MB": (
        "childs-plan.pdf",
        lambda: PDF_BYTES + b"0" * (11 * 1024 * 1024),
        "The selected file must be smaller than 10 MB",
    ),
    "exe renamed pdf": (
        "childs-plan.pdf",
        lambda: b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 512,
        "The selected file must be a PDF or a Word document",
    ),
    "text renamed pdf": (
        "childs-plan.pdf",
        lambda: b"Child's plan: see the LAC review minute.\n",
        "The selected file must be a PDF or a Word document",
    ),
    "zip renamed docx": (
        "childs-plan.docx",
        zip_bytes,
        "The selected file must be a PDF or a Word document",
    ),
    "empty": ("childs-plan.pdf", lambda: b"", "file is empty"),
}


@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_bad_attachment_gets_a_message_and_nothing_is_stored(
    client, draft, settings, tmp_path, bad
):
    filename, content, message = BAD_FILES[bad]
    before = snapshot(draft)
    typed = {
        "item-agency": "Education",
        "item-professional_name": "Ms Priya Sandhu",
        "item-discipline": "Class teacher",
    }

    response = post_section(
        client,
        draft,
        "agencies",
        {**typed, "plan-childs_plan": SimpleUploadedFile(filename, content())},
    )

    assert response.status_code == 200
    assert message in error_beside(response, "plan-childs_plan")
    for name, value in typed.items():
        assert value_of(response, name) == value
    assert snapshot(draft) == before
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(
    ("filename", "content"),
    [("Form 1 - Zara.docx", docx_bytes()), ("Form 1 - Zara.pdf", PDF_BYTES)],
    ids=["docx", "pdf"],
)
def test_word_or_pdf_attachment_is_stored_and_downloadable_by_the_worker(
    client, people, draft, tmp_path, filename, content
):
    response = post_section(
        client, draft, "agencies", {"plan-childs_plan": SimpleUploadedFile(filename, content)}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.childs_plan_name == filename
    assert len(stored_files(tmp_path)) == 1
    views_before = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).count()

    download = client.get(reverse("referrals:childs_plan", args=[draft.pk]))

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert "attachment" in download["Content-Disposition"]
    extension = filename.rsplit(".", 1)[1]
    assert (
        f'filename="{draft.reference}-childs-plan.{extension}"' in (download["Content-Disposition"])
    ), "downloaded under the reference, not the uploaded name (which names the child)"
    assert download["Cache-Control"] == "no-store"
    viewed = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).order_by("-id")
    assert viewed.count() == views_before + 1
    event = viewed.first()
    assert event.actor_id == people.worker.pk
    assert event.record_id == str(draft.pk)
    assert event.summary == "Viewed the Child's Plan Form 1"


# ---------------------------------------------------------------------------------------------
# Over-long text


@pytest.mark.parametrize(
    ("key", "name", "length", "message", "others"),
    [
        (
            "child",
            "child_name",
            10_000,
            "Name of Child or Young Person must be 200 characters or fewer",
            {"swis_number": "5120448"},
        ),
        (
            "circumstances",
            "circumstances",
            20_001,
            "Brief description of the circumstances of the Case must be 20,000 characters or fewer",
            {},
        ),
        (
            "about",
            "person_completing",
            201,
            "Name of person completing this Report must be 200 characters or fewer",
            {},
        ),
    ],
)
def test_over_long_text_gets_the_max_length_message_and_is_kept(
    client, draft, key, name, length, message, others
):
    before = snapshot(draft)
    long_text = ("Zara Quinn " * (length // 11 + 1))[:length]

    response = post_section(client, draft, key, {name: long_text, **others})

    assert response.status_code == 200
    assert error_beside(response, name) == message
    assert value_of(response, name) == long_text
    for other, value in others.items():
        assert value_of(response, other) == value
    assert snapshot(draft) == before


# ---------------------------------------------------------------------------------------------
# HTML and script are text


SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_script_in_circumstances_is_saved_as_text_and_shown_escaped(client, draft):
    response = post_section(client, draft, "circumstances", {"circumstances": SCRIPT})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.circumstances == SCRIPT

    for url in (
        reverse("referrals:check", args=[draft.pk]),
        reverse("referrals:history", args=[draft.pk]),
        section_url(draft, "circumstances"),
    ):
        html = client.get(url).content.decode()
        assert ESCAPED in html, url
        assert "<script>alert" not in html, url


def test_script_in_child_name_is_shown_escaped_on_every_page(client, people, draft):
    response = post_section(
        client, draft, "child", {"child_name": SCRIPT, "swis_number": "5120448"}
    )
    assert response.status_code == 302

    for url in (
        reverse("home"),
        reverse("referrals:list"),
        reverse("referrals:detail", args=[draft.pk]),
        reverse("referrals:form", args=[draft.pk]),
        reverse("referrals:check", args=[draft.pk]),
        reverse("referrals:history", args=[draft.pk]),
        reverse("referrals:supervision", args=[draft.pk]),
        section_url(draft, "child"),
    ):
        html = client.get(url).content.decode()
        assert ESCAPED in html, url
        assert "<script>alert" not in html, url


# ---------------------------------------------------------------------------------------------
# A stale page: someone else saved in between


CONFLICT = "Someone else changed this referral since you opened it."


@pytest.mark.parametrize(
    ("key", "data"),
    [
        ("child", {"child_name": "Typed By Worker", "swis_number": "5120448"}),
        (
            "household",
            {
                "parents_carers": "Typed By Worker",
                "action": "add",
                "item-name": "Typed By Worker",
                "item-relationship": "Uncle",
            },
        ),
        ("reasons", {"action": "add", "item-text": "Typed By Worker"}),
    ],
)
def test_stale_version_gets_the_conflict_message_and_overwrites_nothing(
    client, people, draft, key, data
):
    stale = draft.version
    services.referral_update(
        referral=draft,
        by=people.line_manager,
        version=stale,
        data={"child_name": "Saved By Line Manager", "parents_carers": "Saved By Line Manager"},
        section="The child",
    )
    before = snapshot(draft)
    versions = {"version": stale, "item-version": stale, "plan-version": stale}

    response = client.post(section_url(draft, key), {**versions, "action": "save", **data})

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert snapshot(draft) == before
    draft.refresh_from_db()
    assert draft.child_name == draft.parents_carers == "Saved By Line Manager"


def test_stale_version_keeps_what_the_user_typed(client, people, draft):
    stale = draft.version
    services.referral_update(
        referral=draft,
        by=people.line_manager,
        version=stale,
        data={"circumstances": "Saved By Line Manager"},
        section="Circumstances",
    )

    response = client.post(
        section_url(draft, "circumstances"),
        {"version": stale, "action": "save", "circumstances": "Typed By Worker"},
        follow=True,
    )

    assert value_of(response, "circumstances") == "Typed By Worker"
    # What the other person saved is named, so the worker knows what saving again replaces.
    assert "“Saved By Line Manager”" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Other bad requests: never a 500, nothing changed


@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_section_key_is_404(client, draft, method):
    before = snapshot(draft)

    response = getattr(client, method)(section_url(draft, "no-such-section"))

    assert response.status_code == 404
    assert snapshot(draft) == before


def test_declining_without_reasons_gets_an_error_beside_reasons(client, people, make_referral):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    before = snapshot(referral)
    client.force_login(people.service_manager)

    response = client.post(
        reverse("referrals:decision", args=[referral.pk]), {"decision": "decline", "reasons": ""}
    )

    assert response.status_code == 200
    assert error_beside(response, "reasons") == (
        "Give the reasons the case does not meet the criteria"
    )
    assert value_of(response, "decision") == ["decline"]
    assert snapshot(referral) == before


def test_recommending_to_another_organisations_service_manager_is_refused(
    client, people, make_referral
):
    referral = make_referral(Status.SIGNED_BY_WORKER)
    before = snapshot(referral)
    client.force_login(people.line_manager)

    response = client.post(
        reverse("referrals:recommend", args=[referral.pk]),
        {"service_manager": people.outsider_line_manager.pk, "confirm": "on"},
    )

    assert response.status_code == 200
    assert error_beside(response, "service_manager") == "Choose a Service Manager from the list"
    assert snapshot(referral) == before


@pytest.mark.parametrize(
    ("key", "data", "field_name"),
    [
        ("grounds", {"grounds": ["not_a_ground"]}, "grounds"),
        ("identified", {"identified_at": "<b>x</b>", **DATE_2025}, "identified_at"),
        ("child", {"child_name": "Zara Quinn", "swis_number": "51 20/448"}, "swis_number"),
    ],
)
def test_choice_or_format_not_offered_gets_a_message_beside_the_field(
    client, draft, key, data, field_name
):
    before = snapshot(draft)

    response = post_section(client, draft, key, data)

    assert response.status_code == 200
    assert error_beside(response, field_name)
    assert snapshot(draft) == before


@pytest.mark.parametrize("version", ["abc", "", "99999999999999999999999"])
def test_tampered_version_is_refused_without_a_500(client, draft, version):
    before = snapshot(draft)

    response = client.post(
        section_url(draft, "child"),
        {"version": version, "child_name": "Typed By Worker", "swis_number": "5120448"},
    )

    # Never saved, so never the redirect a save gets: the page again, with what was typed and
    # the reason at the top (an invalid version fails the form; a well-formed but wrong one is
    # refused by the service as a conflict).
    assert response.status_code == 200
    assert snapshot(draft) == before
    assert value_of(response, "child_name") == "Typed By Worker"
    assert [n for n in tree(response).walk() if "govuk-error-summary" in n.classes]


def test_removing_another_referrals_row_removes_nothing(client, people, draft):
    other = referral_at(
        Status.DRAFT,
        worker=people.other_worker,
        line_manager=people.other_line_manager,
        service_manager=people.service_manager,
        team=people.other_team,
        content=CaseContent(child_name="Kyle Fenwick"),
    )
    theirs = other.household.first()
    before = snapshot(draft)

    response = post_section(
        client, draft, "household", {"parents_carers": draft.parents_carers, "remove": theirs.pk}
    )

    assert response.status_code == 200
    assert "That entry has already been removed." in response.content.decode()
    assert HouseholdMember.objects.filter(pk=theirs.pk).exists()
    assert snapshot(draft)["household"] == before["household"]


def test_tampered_remove_value_is_refused_without_a_500(client, draft):
    before = snapshot(draft)

    response = post_section(
        client, draft, "household", {"parents_carers": draft.parents_carers, "remove": "abc"}
    )

    assert response.status_code == 200
    assert snapshot(draft)["household"] == before["household"]


def test_tampered_remove_value_gets_a_plain_english_message(client, draft):
    response = post_section(
        client,
        draft,
        "household",
        {"parents_carers": draft.parents_carers, "remove": "abc"},
    )

    page = response.content.decode()
    assert "That entry has already been removed." in page
    assert "invalid literal" not in page
