"""A person's own choices on "Your account": how they get their reminders of due dates
(learning_reviews.reminders, docs/decisions/0028-reminders.md). Each person changes only their
own, and every change is audited."""

from django.db import transaction

from learning_reviews.accounts.models import ReminderDelivery, User
from learning_reviews.accounts.services import Invalid
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed


@transaction.atomic
def reminder_delivery_update(*, by: User, delivery: str) -> User:
    """Set how `by` gets their reminders: an e-mail for each, or one a day listing them all."""
    if not by.is_authenticated or not by.is_active:
        raise NotAllowed("Only a signed-in person can change how they get reminders.")
    if delivery not in ReminderDelivery.values:
        raise Invalid("delivery", "Select how you want to get your reminders")
    user = User.objects.select_for_update().get(pk=by.pk)
    before = user.reminder_delivery
    if before == delivery:
        return user
    user.reminder_delivery = delivery
    user.save(update_fields=["reminder_delivery"])
    record_change(
        actor=by,
        record=user,
        action="user.reminder_delivery_updated",
        summary="Changed how they get reminders",
        changes={"reminder_delivery": [before, delivery]},
    )
    by.reminder_delivery = delivery
    return user
