"""Changing the organisation's retention schedule: its administrators only, audited."""

from django.db import transaction

from learning_reviews.accounts.models import Organisation, Role, User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, ServiceError
from learning_reviews.core.versions import check_version
from learning_reviews.retention.models import RetentionPeriod, RetentionSchedule
from learning_reviews.retention.schedule import RULES
from learning_reviews.retention.selectors import periods_of


class InvalidPeriod(ServiceError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@transaction.atomic
def retention_update(
    *, by: User, periods: dict[str, int | None], version: int | None
) -> dict[str, list[int]]:
    """Set the organisation's retention period of each kind of record (`schedule.RULES`' keys),
    each a whole number of the rule's unit from 1 to its largest. `version` is the schedule's
    as the page was opened. Returns what changed, as {key: [old, new]}, which is also what the
    audit event records."""
    if not by.is_active or not by.has_role(Role.ADMINISTRATOR):
        raise NotAllowed("Only an administrator of this organisation can do this.")
    organisation_id = by.organisation_id
    # One lock for the whole schedule, so that two administrators' saves take turns.
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    schedule, _ = RetentionSchedule.objects.get_or_create(
        organisation=organisation, defaults={"created_by": by, "modified_by": by}
    )
    check_version(schedule.version, version, what="the retention schedule")
    before = {p.rule.key: p.period for p in periods_of(organisation_id)}
    changes: dict[str, list[int]] = {}
    for rule in RULES:
        value = periods.get(rule.key)
        if value is None or not 1 <= value <= rule.largest:
            raise InvalidPeriod(
                rule.key, f"Enter a whole number of {rule.unit} from 1 to {rule.largest}"
            )
        if value != before[rule.key]:
            changes[rule.key] = [before[rule.key], value]
            RetentionPeriod.objects.update_or_create(
                organisation_id=organisation_id,
                record_type=rule.key,
                defaults={"period": value, "modified_by": by},
                create_defaults={"period": value, "created_by": by, "modified_by": by},
            )
    if changes:
        schedule.version += 1
        schedule.modified_by = by
        schedule.save(update_fields=["version", "modified_by", "modified_on"])
        record_change(
            actor=by,
            record=organisation,
            action="organisation.retention_updated",
            summary="Changed the retention schedule",
            changes=changes,
        )
    return changes
