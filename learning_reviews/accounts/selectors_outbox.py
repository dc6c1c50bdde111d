"""Reads of the outbox for an organisation's administrators: the e-mails that could not be sent
(core/outbox.py). 404 for anyone else, and for another organisation's e-mails."""

from django.db.models import QuerySet
from django.http import Http404

from learning_reviews.accounts.selectors import administered_organisation
from learning_reviews.core.models import OutgoingEmail

Status = OutgoingEmail.Status


def failed_emails_for(user: object) -> QuerySet[OutgoingEmail]:
    """The organisation's e-mails that could not be sent after every attempt, newest first."""
    organisation = administered_organisation(user)
    return OutgoingEmail.objects.filter(organisation=organisation, status=Status.FAILED).order_by(
        "-created_on", "-pk"
    )


def retrying_count_for(user: object) -> int:
    """How many of the organisation's e-mails failed at least once and will be tried again."""
    organisation = administered_organisation(user)
    return OutgoingEmail.objects.filter(
        organisation=organisation, status=Status.PENDING, attempts__gt=0
    ).count()


def get_failed_email_for(user: object, pk: int) -> OutgoingEmail:
    email = failed_emails_for(user).filter(pk=pk).first()
    if email is None:
        raise Http404("No such e-mail")
    return email
