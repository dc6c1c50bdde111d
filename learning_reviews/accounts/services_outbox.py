"""An administrator sends again an e-mail that could not be sent (core/outbox.py)."""

from django.db import transaction

from learning_reviews.accounts.models import Role, User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.core.outbox import send_again


@transaction.atomic
def email_send_again(*, by: User, email: OutgoingEmail) -> OutgoingEmail:
    """Put a failed e-mail of the administrator's organisation back in the outbox: the task
    worker sends it, with the same retries as a new one."""
    if (
        email.organisation_id is None
        or by.organisation_id != email.organisation_id
        or not by.is_active
        or not by.has_role(Role.ADMINISTRATOR)
    ):
        raise NotAllowed("Only an administrator of this organisation can do this.")
    locked = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if locked.status != OutgoingEmail.Status.FAILED:
        raise WrongState("This e-mail is already being sent again.")
    last_error = locked.last_error
    send_again(locked)
    record_change(
        actor=by,
        record=locked,
        action="email.sent_again",
        summary=f"Sent again an e-mail that could not be sent: “{locked.subject}”",
        changes={"to": locked.to, "last_error": last_error},
    )
    return locked
