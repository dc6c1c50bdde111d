"""The Children and Families Continuous Improvement Group (CFCIG): its meetings, its decisions
on referrals (Appendix 3, "To be completed by CFCIG"), the written feedback the Service Manager
sends (§3.4) and the further action after a decision not to proceed (§3.4b)."""

from django.conf import settings
from django.db import models

from learning_reviews.core.models import OrganisationScopedModel


class Meeting(OrganisationScopedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held — minutes being written"
        CLOSED = "closed", "Minutes complete"

    date = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    apologies = models.TextField(blank=True)
    # Of the minutes as a whole: goes up with each item's minutes and each item added, so the
    # chair confirms the minutes they read (core.versions).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"Meeting of {self.date:%d %B %Y}"


class AgendaItem(OrganisationScopedModel):
    """One item on a meeting's agenda, assembled from the queue (§3.4, §3.6, §3.4b)."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral agreed by a Service Manager"
        FINDINGS = "findings", "Findings of a review to present"
        PROGRESS = "progress", "Progress report on further action"
        RECOMMENDATIONS = "recommendations", "Findings to consider: recommendations"
        ACTION_PLAN = "action_plan", "Progress report on a review's action plan"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField()
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    minutes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "referral", "kind"], name="agenda_item_once_per_meeting"
            ),
        ]


class Decision(OrganisationScopedModel):
    """Appendix 3, "To be completed by CFCIG", with §4's checks. Recorded by a group member,
    confirmed by the chair."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "Recorded — awaiting the chair's confirmation"
        CONFIRMED = "confirmed", "Confirmed by the chair"

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="decision"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECORDED)
    version = models.PositiveIntegerField(default=1)
    date_discussed = models.DateField("Date discussed")
    proceed = models.BooleanField("Proceed to Learning Review")
    rationale = models.TextField("Rationale")
    meets_criteria = models.BooleanField("The referral meets the criteria for a Learning Review")
    will_benefit = models.BooleanField(
        "A review would benefit the relevant team, service or organisation"
    )
    # If the decision is to proceed.
    lead_reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    period_start = models.DateField("period under review: from", null=True, blank=True)
    period_end = models.DateField("period under review: to", null=True, blank=True)
    scope = models.TextField("scope of the review", blank=True)
    who_involved = models.TextField("who should be involved", blank=True)
    timescale = models.DateField("Timescale for completion", null=True, blank=True)
    support_confirmed = models.BooleanField(
        "The necessary support and resources are in place", default=False
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_on = models.DateTimeField(null=True, blank=True)
    # §3.4b: the group marks the further action complete.
    further_action_completed_on = models.DateTimeField(null=True, blank=True)


class Objective(OrganisationScopedModel):
    """Key objectives of the Review, numbered."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()

    class Meta:
        ordering = ["id"]


class FurtherAction(OrganisationScopedModel):
    """Further action required (if the decision is not to proceed), each with an owner and a
    due date; the team manager reports progress on each (§3.4b)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="further_actions")
    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due date")

    class Meta:
        ordering = ["id"]


class ProgressReport(OrganisationScopedModel):
    """The team manager's report to the group on progress against a further action."""

    action = models.ForeignKey(FurtherAction, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField("progress")
    reported_on = models.DateField()

    class Meta:
        ordering = ["reported_on", "id"]


class LetterTemplate(OrganisationScopedModel):
    """The organisation's wording of a feedback letter; `$placeholders` are filled in."""

    class Kind(models.TextChoices):
        PROCEED = "proceed", "Decision to proceed to a Learning Review"
        NOT_PROCEED = "not_proceed", "Decision not to proceed to a Learning Review"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # 0 stands for the protocol's default wording, before the organisation first saves its own.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="letter_template_kind"),
        ]


class Letter(OrganisationScopedModel):
    """Written feedback on the group's decision (§3.4a/b), kept with the referral."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    pdf = models.FileField(upload_to="letters/%Y/%m/")
    docx = models.FileField(upload_to="letters/%Y/%m/")
    recipients = models.JSONField(default=list)  # [{"name":…, "email":…}]
    sent_on = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
