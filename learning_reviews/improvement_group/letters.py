"""The written feedback on the improvement group's decision (§3.4a and §3.4b): the wording, as
the organisation's administrator keeps it, filled in for one decision and laid out as a letter
in PDF and in Word.

§3.4a: "Agreement to proceed to Learning Review. Lead reviewer identified, parameters of the
review established and timescales set. Feedback to team manager and worker by Service Manager
in writing, including copy of Learning Review Protocol."
§3.4b: "Agreement not to proceed to Learning Review. Feedback to team manager and worker by
Service Manager in writing, explaining rationale for decision and recommendations for further
action where appropriate. Team Manager to report back to CFCIG on progress against any
recommendations."
"""

import datetime
import io
import string

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from learning_reviews.accounts.models import Organisation
from learning_reviews.core.text import xml_safe
from learning_reviews.documents.pdf import render_pdf
from learning_reviews.improvement_group.models import Decision, LetterTemplate

Kind = LetterTemplate.Kind

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The names a letter's wording may use, each with what it is filled in with.
PLACEHOLDERS: dict[str, str] = {
    "worker_name": "The worker's name",
    "line_manager_name": "The team manager's (line manager's) name",
    "service_manager_name": "The Service Manager's name",
    "reference": "The referral's reference, for example LR-00012",
    "child_name": "The name of the child or young person",
    "date_discussed": "The date the group discussed the referral",
    "rationale": "The group's rationale for its decision",
    "objectives": "The key objectives of the Review, numbered (decision to proceed)",
    "lead_reviewers": "The lead reviewer, or the two lead reviewers (decision to proceed)",
    "period": "The period under review (decision to proceed)",
    "scope": "The scope of the review (decision to proceed)",
    "timescale": "The timescale for completion (decision to proceed)",
    "further_actions": "The further actions, numbered, each with its owner and due date "
    "(decision not to proceed)",
    "group_name": "The name of the improvement group",
    "organisation": "The name of the organisation",
}

_GREETING = "Dear $worker_name and $line_manager_name,"
# The child is named in the letter, never in its subject: a subject is copied into e-mail
# subjects and file names, which leave the service.
_DISCUSSED = (
    "The $group_name discussed the Learning Review referral $reference ($child_name) on "
    "$date_discussed."
)

DEFAULTS: dict[str, tuple[str, str]] = {
    Kind.PROCEED: (
        "Learning Review referral $reference: agreement to proceed to Learning Review",
        "\n\n".join(
            [
                _GREETING,
                _DISCUSSED,
                "Decision: Agreement to proceed to Learning Review. Lead reviewer identified, "
                "parameters of the review established and timescales set.",
                "Rationale: $rationale",
                "Key objectives of the Review:\n$objectives",
                "Lead Reviewer: $lead_reviewers",
                "Period under review: $period",
                "Scope of the review: $scope",
                "Timescale for completion: $timescale",
                "The lead reviewer will agree with me the individuals to be involved in the "
                "Review, and will make sure that everyone taking part is aware of the review "
                "process. A copy of the Learning Review Protocol is attached.",
            ]
        ),
    ),
    Kind.NOT_PROCEED: (
        "Learning Review referral $reference: agreement not to proceed to Learning Review",
        "\n\n".join(
            [
                _GREETING,
                _DISCUSSED,
                "Decision: Agreement not to proceed to Learning Review.",
                "Rationale for the decision: $rationale",
                "Recommendations for further action:\n$further_actions",
                "As team manager, $line_manager_name will report back to the $group_name on "
                "progress against each of these recommendations until the group agrees that "
                "the further action is complete.",
            ]
        ),
    ),
}

NOT_SET = "Not set by the group"


def kind_of(decision: Decision) -> str:
    return Kind.PROCEED if decision.proceed else Kind.NOT_PROCEED


def letter_template_for(organisation: Organisation, kind: str) -> LetterTemplate:
    """The organisation's wording of the letter, or (unsaved) the protocol's default."""
    saved = LetterTemplate.objects.filter(organisation=organisation, kind=kind).first()
    if saved is not None:
        return saved
    subject, body = DEFAULTS[kind]
    return LetterTemplate(organisation=organisation, kind=kind, subject=subject, body=body)


def unknown_placeholders(text: str) -> list[str]:
    """The `$names` in the text that are not among PLACEHOLDERS, in order of appearance."""
    found: list[str] = []
    for match in string.Template.pattern.finditer(text):
        name = match.group("named") or match.group("braced")
        if name and name not in PLACEHOLDERS and name not in found:
            found.append(name)
    return found


def unknown_placeholders_message(names: list[str]) -> str:
    listed = ", ".join(f"${n}" for n in names)
    one = len(names) == 1
    return (
        f"{listed} {'is not a name' if one else 'are not names'} the letter can fill in. "
        "Use only the names listed on this page, or remove the $ sign."
    )


def _date(value: datetime.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else NOT_SET


def join_names(people: list[str]) -> str:
    if len(people) <= 1:
        return "".join(people) or NOT_SET
    return ", ".join(people[:-1]) + " and " + people[-1]


def letter_values(decision: Decision) -> dict[str, str]:
    """What each placeholder is filled in with, for this decision."""
    referral = decision.referral
    organisation = decision.organisation
    period = (
        f"{_date(decision.period_start)} to {_date(decision.period_end)}"
        if decision.period_start or decision.period_end
        else NOT_SET
    )
    objectives = [f"{i}. {o.text}" for i, o in enumerate(decision.objectives.all(), 1)]
    actions = [
        f"{i}. {a.text} (owner: {a.owner.get_full_name()}; due by {_date(a.due_on)})"
        for i, a in enumerate(decision.further_actions.all(), 1)
    ]
    service_manager = referral.service_manager
    return {
        "worker_name": referral.worker.get_full_name(),
        "line_manager_name": referral.line_manager.get_full_name(),
        "service_manager_name": service_manager.get_full_name() if service_manager else "",
        "reference": referral.reference,
        "child_name": referral.child_name,
        "date_discussed": _date(decision.date_discussed),
        "rationale": decision.rationale,
        "objectives": "\n".join(objectives) or NOT_SET,
        "lead_reviewers": join_names([p.get_full_name() for p in decision.lead_reviewers.all()]),
        "period": period,
        "scope": decision.scope or NOT_SET,
        "timescale": _date(decision.timescale),
        "further_actions": "\n".join(actions) or NOT_SET,
        "group_name": organisation.improvement_group_name,
        "organisation": organisation.name,
    }


def render_letter(decision: Decision) -> tuple[str, str]:
    """The letter's subject and body for this decision, in the organisation's wording."""
    template = letter_template_for(decision.organisation, kind_of(decision))
    values = letter_values(decision)
    subject = string.Template(template.subject).safe_substitute(values)
    body = string.Template(template.body).safe_substitute(values)
    return " ".join(subject.split()), body.replace("\r\n", "\n").strip()


def paragraphs(body: str) -> list[list[str]]:
    """The body as paragraphs (separated by blank lines), each a list of its lines."""
    blocks = [block.strip("\n") for block in body.replace("\r\n", "\n").split("\n\n")]
    return [[line.rstrip() for line in block.split("\n")] for block in blocks if block.strip()]


def document_title(reference: str) -> str:
    """The title in the PDF's and Word file's properties."""
    return f"Written feedback on Learning Review referral {reference}"


def _layout(decision: Decision, subject: str, body: str) -> dict[str, object]:
    referral = decision.referral
    return {
        "title": document_title(referral.reference),
        "organisation": decision.organisation,
        "date": _date(timezone.localdate()),
        "referral": referral,
        "worker": referral.worker,
        "line_manager": referral.line_manager,
        "service_manager": referral.service_manager,
        "subject": subject,
        "paragraphs": paragraphs(body),
    }


def letter_pdf(decision: Decision, subject: str, body: str) -> bytes:
    """The letter laid out for printing or e-mail: OFFICIAL-SENSITIVE, as it names a child."""
    return render_pdf(
        template="improvement_group/letter_pdf.html",
        context=_layout(decision, subject, body),
    )


def letter_docx(decision: Decision, subject: str, body: str) -> bytes:
    """The same letter as a Word document, for the Service Manager to adapt if need be."""
    # Wording saved before forms cleaned it may still hold a character Word's XML refuses.
    subject, body = xml_safe(subject), xml_safe(body)
    layout = _layout(decision, subject, body)
    referral = decision.referral
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    section = document.sections[0]
    for part in (section.header, section.footer):
        marking = part.paragraphs[0]
        marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
        marking.add_run("OFFICIAL-SENSITIVE").bold = True
    # The file's properties leave the service with it, so they name no child whatever the
    # wording of the subject: the reference stands in.
    document.core_properties.title = document_title(referral.reference)
    document.core_properties.author = (
        referral.service_manager.get_full_name() if referral.service_manager else ""
    )

    letterhead = document.add_paragraph()
    letterhead.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    letterhead.add_run(decision.organisation.name).bold = True
    letterhead.add_run().add_break()
    letterhead.add_run(decision.organisation.improvement_group_name)
    letterhead.add_run().add_break()
    letterhead.add_run(str(layout["date"]))

    recipients = document.add_paragraph()
    recipients.add_run("To: ").bold = True
    recipients.add_run(f"{referral.worker.get_full_name()}, worker, {referral.team.name}")
    recipients.add_run().add_break()
    recipients.add_run(f"{referral.line_manager.get_full_name()}, team manager")
    recipients.add_run().add_break()
    recipients.add_run("Reference: ").bold = True
    recipients.add_run(referral.reference)

    document.add_paragraph().add_run(subject).bold = True
    for lines in paragraphs(body):
        paragraph = document.add_paragraph()
        for index, line in enumerate(lines):
            if index:
                paragraph.add_run().add_break()
            paragraph.add_run(line)

    signature = document.add_paragraph("Yours sincerely,")
    signature.paragraph_format.space_before = Pt(12)
    signed = document.add_paragraph()
    if referral.service_manager:
        signed.add_run(referral.service_manager.get_full_name()).bold = True
        signed.add_run().add_break()
    signed.add_run("Service Manager")
    signed.add_run().add_break()
    signed.add_run(decision.organisation.name)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
