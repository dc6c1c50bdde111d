"""Written feedback on the improvement group's decision (§3.4a/b): the administrator keeps the
wording; the Service Manager who agreed the referral prepares the letter once the chair has
confirmed the decision, and sends it to the worker and team manager. Atomic, permission-checked,
audited; the e-mail is written to the outbox with the change and sent after it commits."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.models import Organisation, Role, User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.files import store
from learning_reviews.core.outbox import Attachment, queue_email
from learning_reviews.core.versions import check_version
from learning_reviews.improvement_group import letters
from learning_reviews.improvement_group.models import Decision, Letter, LetterTemplate
from learning_reviews.referrals.models import Referral

PROTOCOL_FILENAME = "learning-review-protocol.pdf"
PROTOCOL_MADE_BY = "learning_reviews.documents.protocol.protocol_pdf"
SUBJECT_MAX = LetterTemplate._meta.get_field("subject").max_length or 300


def _require_service_manager(user: User, referral: Referral) -> None:
    if user.organisation_id != referral.organisation_id or user.pk != referral.service_manager_id:
        raise NotAllowed(
            "Only the Service Manager the referral was sent to can prepare and send the "
            "written feedback."
        )


@transaction.atomic
def letter_template_update(
    *, by: User, organisation: Organisation, kind: str, subject: str, body: str, version: int | None
) -> LetterTemplate:
    """The administrator changes the wording of one of the two letters. Only the names in
    `letters.PLACEHOLDERS` may be used. `version` is the wording's as the page was opened (0 for
    the protocol's default): wording someone else saved since is not overwritten unseen."""
    if by.organisation_id != organisation.pk or not by.has_role(Role.ADMINISTRATOR):
        raise NotAllowed("Only an administrator of the organisation can change the letters.")
    if kind not in LetterTemplate.Kind.values:
        raise WrongState("There is no such letter.")
    subject = " ".join(subject.split())
    body = body.replace("\r\n", "\n").strip()
    problems = []
    if not subject:
        problems.append("Enter the subject of the letter.")
    if len(subject) > SUBJECT_MAX:
        problems.append(f"The subject must be {SUBJECT_MAX} characters or fewer.")
    if not body:
        problems.append("Enter the wording of the letter.")
    unknown = letters.unknown_placeholders(f"{subject}\n{body}")
    if unknown:
        problems.append(letters.unknown_placeholders_message(unknown))
    if problems:
        raise WrongState(" ".join(problems))
    template = (
        LetterTemplate.objects.select_for_update()
        .filter(organisation=organisation, kind=kind)
        .first()
    )
    check_version(template.version if template else 0, version, what="the wording")
    before = letters.letter_template_for(organisation, kind) if template is None else template
    changes = {"subject": [before.subject, subject], "body": [before.body, body]}
    if template is None:
        template = LetterTemplate(organisation=organisation, kind=kind, created_by=by, version=0)
    template.version += 1
    template.subject = subject
    template.body = body
    template.modified_by = by
    template.save()
    record_change(
        actor=by,
        record=template,
        action="letter_template.updated",
        summary=f"Changed the wording of the letter: {template.get_kind_display()}",
        changes=changes,
    )
    return template


def _decision_for_letter(pk: int) -> Decision:
    decision = Decision.objects.select_related("organisation").get(pk=pk)
    decision.referral = Referral.objects.select_related(
        "worker", "line_manager", "service_manager", "team"
    ).get(pk=decision.referral_id)
    prefetch_related_objects([decision], "objectives", "further_actions__owner", "lead_reviewers")
    return decision


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


@transaction.atomic
def letter_prepare(*, decision: Decision, by: User) -> Letter:
    """The Service Manager prepares the written feedback on a confirmed decision, as a PDF and
    a Word document kept with the referral. Preparing it again (before it is sent) replaces it,
    so a change to the organisation's wording can be taken up."""
    Decision.objects.select_for_update().filter(pk=decision.pk).get()
    decision = _decision_for_letter(decision.pk)
    referral = decision.referral
    _require_service_manager(by, referral)
    if decision.status != Decision.Status.CONFIRMED:
        raise WrongState(
            "The written feedback can be prepared once the chair has confirmed the group's "
            "decision."
        )
    letter = Letter.objects.select_for_update().filter(decision=decision).first()
    if letter is not None and letter.sent_on is not None:
        raise WrongState("This letter has been sent, so it can no longer change.")
    subject, body = letters.render_letter(decision)
    pdf = letters.letter_pdf(decision, subject, body)
    docx = letters.letter_docx(decision, subject, body)
    replaced = [letter.pdf.name, letter.docx.name] if letter is not None else []
    if letter is None:
        letter = Letter(decision=decision, organisation_id=decision.organisation_id, created_by=by)
    letter.subject = subject
    letter.body = body
    letter.modified_by = by
    store(letter.pdf, ContentFile(pdf), kind="pdf")
    store(letter.docx, ContentFile(docx), kind="docx")
    letter.save()
    # Files are not part of the transaction: the old ones go once the new ones are kept.
    transaction.on_commit(lambda: _delete_files(replaced), robust=True)
    record_change(
        actor=by,
        record=referral,
        action="referral.letter_prepared",
        summary="Prepared the written feedback on the group's decision"
        + (" (replacing the earlier draft)" if replaced else ""),
        changes={"subject": subject, "body": body},
    )
    return letter


def _email_body(decision: Decision, by: User, *, protocol: bool) -> str:
    """The covering e-mail. It names no child: the letter itself is in the attachments."""
    referral = decision.referral
    organisation = decision.organisation
    outcome = "to proceed" if decision.proceed else "not to proceed"
    link = settings.SERVICE_URL.rstrip("/") + reverse("group:letter", args=[referral.pk])
    attached = "The letter is attached as a PDF and as a Word document."
    if protocol:
        attached += " A copy of the Learning Review Protocol is also attached."
    return "\n\n".join(
        [
            f"Dear {referral.worker.get_full_name()} and {referral.line_manager.get_full_name()},",
            f"{by.get_full_name()}, Service Manager, has sent you the written feedback on the "
            f"{organisation.improvement_group_name}'s decision on Learning Review referral "
            f"{referral.reference}: the group agreed {outcome} to a Learning Review.",
            attached,
            f"You can also read the letter in Learning Reviews: {link}",
            "The attachments are OFFICIAL-SENSITIVE. Keep them only where your organisation "
            "allows.",
        ]
    )


@transaction.atomic
def letter_send(*, letter: Letter, by: User) -> Letter:
    """The Service Manager sends the prepared letter to the worker and team manager by e-mail,
    with the letter as PDF and Word and, for a decision to proceed, the protocol (§3.4a).
    A letter is sent once."""
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    decision = _decision_for_letter(locked.decision_id)
    referral = decision.referral
    _require_service_manager(by, referral)
    if locked.sent_on is not None:
        raise WrongState("This letter has already been sent. A letter is sent only once.")
    people = [referral.worker, referral.line_manager]
    missing = [p.get_full_name() for p in people if not p.email]
    if missing:
        raise WrongState(
            f"{letters.join_names(missing)} {'has' if len(missing) == 1 else 'have'} no e-mail "
            "address in the service. Ask an administrator to add it, then send the letter."
        )
    # The letter's stored files, by reference: the e-mail is sent later, by the task worker.
    # A sent letter can no longer change, so they stay as they are.
    attachments: list[Attachment] = [
        {
            "filename": f"{referral.reference}-feedback-letter.pdf",
            "content_type": "application/pdf",
            "stored": locked.pdf.name,
        },
        {
            "filename": f"{referral.reference}-feedback-letter.docx",
            "content_type": letters.DOCX_CONTENT_TYPE,
            "stored": locked.docx.name,
        },
    ]
    if decision.proceed:
        attachments.append(
            {
                "filename": PROTOCOL_FILENAME,
                "content_type": "application/pdf",
                "made_by": PROTOCOL_MADE_BY,
            }
        )
    recipients = [{"name": p.get_full_name(), "email": p.email} for p in people]
    addresses = list(dict.fromkeys(p.email for p in people))
    locked.recipients = recipients
    locked.sent_on = timezone.now()
    locked.sent_by = by
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=referral,
        action="referral.letter_sent",
        summary="Sent the written feedback to "
        + letters.join_names([r["name"] for r in recipients]),
        changes={"recipients": recipients, "attachments": [a["filename"] for a in attachments]},
    )
    queue_email(
        organisation_id=decision.organisation_id,
        to=addresses,
        subject=f"Written feedback from the {decision.organisation.improvement_group_name} "
        f"on referral {referral.reference}",
        body=_email_body(decision, by, protocol=decision.proceed),
        reply_to=[by.email] if by.email else [],
        attachments=attachments,
    )
    return locked
