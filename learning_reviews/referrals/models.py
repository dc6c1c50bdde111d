"""The Learning Review Referral Form (Appendix 3) and its pathway (§3 steps 0–3)."""

from django.conf import settings
from django.db import models

from learning_reviews.core.models import OrganisationScopedModel


class Status(models.TextChoices):
    """Where a referral stands on the pathway. The moves between them are in pathway.py."""

    DRAFT = "draft", "Identified — form in progress"
    DISCUSSED = "discussed", "Discussed in supervision"
    SIGNED_BY_WORKER = "signed_by_worker", "Signed by worker — with line manager"
    WITH_SERVICE_MANAGER = "with_service_manager", "With Service Manager"
    AGREED = "agreed", "Agreed by Service Manager — awaiting the improvement group"
    NOT_AGREED = "not_agreed", "Not agreed by Service Manager"
    REVIEW_COMMISSIONED = "review_commissioned", "Review commissioned by the improvement group"
    NOT_PROCEEDING = "not_proceeding", "Not proceeding — further action agreed"
    FURTHER_ACTION_COMPLETE = "further_action_complete", "Further action complete"


class Ground(models.TextChoices):
    """§2: the criteria for undertaking a Learning Review."""

    GOOD_PRACTICE = (
        "good_practice",
        "Good practice within a case which would benefit from being shared across the service",
    )
    LACK_OF_PROGRESS = (
        "lack_of_progress",
        "Concerns about apparent lack of progress in progressing the child's plan",
    )
    PLACEMENT_BREAKDOWN = (
        "placement_breakdown",
        "Placement breakdown e.g. fostering and residential placements",
    )
    DISRUPTION = "disruption", "Disruption meetings e.g. permanency or adoption breakdown"
    LEGAL_SYSTEM = (
        "legal_system",
        "Failure to secure a child through the legal system, despite this being recommended by "
        "the professionals involved",
    )


GROUND_GUIDANCE = {
    Ground.GOOD_PRACTICE: "Practice that worked well for the child and that other teams could "
    "learn from. Say what made the difference.",
    Ground.LACK_OF_PROGRESS: "The child's plan is not moving forward as intended despite the "
    "work of the team around the child.",
    Ground.PLACEMENT_BREAKDOWN: "A foster or residential placement ended unplanned, or several "
    "have.",
    Ground.DISRUPTION: "A permanent or adoptive placement has broken down, or a disruption "
    "meeting has been held.",
    Ground.LEGAL_SYSTEM: "The grounds or order the professionals recommended (for example at a "
    "Children's Hearing or court) were not obtained.",
}


class IdentifiedAt(models.TextChoices):
    """§3: where the need for a Learning Review was first identified."""

    TAC_MEETING = "tac_meeting", "Team Around the Child (TAC) meeting"
    REVIEW_MEETING = "review_meeting", "Review meeting"
    OTHER = "other", "Other"


class Referral(OrganisationScopedModel):
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    status_changed_on = models.DateTimeField()
    # When the stage the referral is at is due (referrals/due_dates.py), kept from when the
    # stage started; empty for a state with no due date and for referrals from before.
    due_on = models.DateField("due date", null=True, blank=True)
    # Set when someone changed the due date by hand, with a reason: it then stands against the
    # rules (the group's first meeting); cleared when the next stage starts.
    due_on_by_hand = models.BooleanField(default=False)
    # Incremented on every save through a service: a stale form is a conflict, not an overwrite.
    version = models.PositiveIntegerField(default=1)

    # People on the pathway.
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_as_worker"
    )
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_as_line_manager",
    )
    service_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_as_service_manager",
    )
    # People a later stage has asked to read the referral: the lead reviewers of the review
    # commissioned from it (`referral_add_readers`). The referral knows nothing of that stage.
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="referrals_to_read", blank=True
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="referrals")

    # Appendix 3, the worker's part.
    person_completing = models.CharField("Name of person completing this Report", max_length=200)
    date_submitted = models.DateField("Date form submitted to Service Manager", null=True)
    child_name = models.CharField("Name of Child or Young Person", max_length=200, blank=True)
    swis_number = models.CharField("SWIS No.", max_length=20, blank=True)
    parents_carers = models.TextField("Name of Parents/Carers", blank=True)
    no_agencies_known = models.BooleanField("No other agencies known to be involved", default=False)
    grounds = models.JSONField(default=list, blank=True)
    circumstances = models.TextField(
        "Brief description of the circumstances of the Case", blank=True
    )
    key_facts = models.TextField("Key Facts/Background to the Case", blank=True)

    # §3 step 0: where and when the need was identified.
    identified_at = models.CharField(max_length=30, choices=IdentifiedAt.choices, blank=True)
    identified_at_other = models.CharField(max_length=200, blank=True)
    identified_on = models.DateField(null=True, blank=True)

    # Child's Plan Form 1 (optional attachment, stored privately and streamed by a checked view).
    childs_plan = models.FileField(upload_to="childs_plans/%Y/%m/", blank=True)
    childs_plan_name = models.CharField(max_length=255, blank=True)

    # §3 step 1: raised and discussed in supervision.
    supervision_date = models.DateField(null=True, blank=True)
    supervision_note = models.TextField(blank=True)

    # Signatures: a confirmation by the signed-in user, with its time.
    worker_signed_on = models.DateTimeField(null=True, blank=True)
    worker_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    line_manager_signed_on = models.DateTimeField(null=True, blank=True)
    line_manager_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # §3 step 3: the Service Manager's decision.
    service_manager_decided_on = models.DateTimeField(null=True, blank=True)
    service_manager_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_on"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="referral_org_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}"

    @property
    def reference(self) -> str:
        return f"LR-{self.pk:05d}"

    def get_grounds_display(self) -> list[str]:
        return [str(Ground(g).label) for g in self.grounds if g in Ground.values]


class ReferralChild(OrganisationScopedModel):
    """Base for the repeatable parts of the form."""

    class Meta:
        abstract = True


class HouseholdMember(ReferralChild):
    """Others In Household (name & relationship)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="household")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]
        verbose_name = "other in household"
        verbose_name_plural = "others in household"


class AgencyInvolvement(ReferralChild):
    """Other agencies known to be involved, with the professionals' names and disciplines."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="agencies")
    agency = models.CharField(max_length=200)
    professional_name = models.CharField(max_length=200, blank=True)
    discipline = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "other agency involved"
        verbose_name_plural = "other agencies involved"


class ChronologyEntry(ReferralChild):
    """Key Facts/Background to the Case: the chronology, shown in date order."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="chronology")
    date = models.DateField()
    event = models.TextField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "chronology entry"
        verbose_name_plural = "chronology"


class ReviewReason(ReferralChild):
    """One numbered reason why a Learning Review has been requested."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reasons")
    text = models.TextField()

    class Meta:
        ordering = ["id"]
        verbose_name = "reason for the review"
        verbose_name_plural = "reasons why a Learning Review has been requested"


class SupervisionNote(OrganisationScopedModel):
    """An entry in the worker's supervision notes, readable by the worker and line manager.

    §3.1 puts the supervision discussion here; §3.3 puts a Service Manager's reasons for not
    agreeing here too.
    """

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Discussed in supervision"
        SERVICE_MANAGER_DECLINED = "declined", "Service Manager did not agree"
        RETURNED = "returned", "Referral form returned for changes"

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="supervision_notes"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_notes"
    )
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    text = models.TextField()

    class Meta:
        ordering = ["-date", "-id"]
