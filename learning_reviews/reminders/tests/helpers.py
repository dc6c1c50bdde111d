"""Deadlines of each kind made through the real services on a chosen day, with the worked
case's fictional content (shared/examples/worked-case.md); and the reminders' e-mails read back
from the test mail box."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine

from learning_reviews.accounts.models import LocalHoliday
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.improvement_group.models import Decision, FurtherAction, Letter
from learning_reviews.improvement_group.testing import CaseContent
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.reminders.services import send_reminders

LONDON = ZoneInfo("Europe/London")
# A child's name and SWIS No. in the test data, which no reminder may carry.
CHILD = CaseContent(child_name="Isla-Rose Ferguson", swis_number="7730412")


@contextmanager
def on(day: datetime.date, hour: int = 9) -> Iterator[None]:
    """The clock at `hour` o'clock on `day`, in the service's time zone."""
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)
    with time_machine.travel(moment, tick=False):
        yield


def run_on(day: datetime.date, hour: int = 9) -> int:
    with on(day, hour):
        return send_reminders()


def referral_with_service_manager(make_referral, recommended: datetime.date) -> Referral:
    """A referral the line manager recommended to the Service Manager on `recommended`."""
    with on(recommended, 10):
        return make_referral(Status.WITH_SERVICE_MANAGER, content=CHILD)


def further_action(
    make_referral, people, *, decided: datetime.date, owner, due_on
) -> FurtherAction:
    """A referral the group decided not to take forward on `decided`, its written feedback sent,
    with one further action owned by `owner` due on `due_on`."""
    with on(decided, 10):
        referral = make_referral(Status.NOT_PROCEEDING, content=CHILD)
    decision = Decision.objects.get(referral=referral)
    Letter.objects.create(
        organisation=referral.organisation,
        decision=decision,
        subject="The improvement group's decision",
        body="Fictional letter.",
        sent_on=datetime.datetime.combine(decided, datetime.time(11), tzinfo=LONDON),
        sent_by=people.service_manager,
    )
    action = FurtherAction.objects.get(decision=decision)
    action.owner = owner
    action.due_on = due_on
    action.save(update_fields=["owner", "due_on"])
    return action


def local_holiday(people, day: datetime.date) -> LocalHoliday:
    return LocalHoliday.objects.create(
        organisation=people.org, date=day, name="Autumn holiday Thursday"
    )


class Outbox:
    """The e-mails written to the outbox (core/outbox.py) since it was made or last read."""

    def __init__(self) -> None:
        self.seen = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def read(self) -> list[OutgoingEmail]:
        new = list(OutgoingEmail.objects.filter(pk__gt=self.seen).order_by("pk"))
        if new:
            self.seen = new[-1].pk
        return new
