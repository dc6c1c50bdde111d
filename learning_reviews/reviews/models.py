"""A Learning Review the improvement group has commissioned (§3.4a, §3.5). The lead reviewer's
workspace (§5, Appendix 4) builds on this."""

from django.conf import settings
from django.db import models

from learning_reviews.core.models import OrganisationScopedModel


class Review(OrganisationScopedModel):
    class Status(models.TextChoices):
        """Where the review stands in the lead reviewer's work (§5); moves in workflow.py."""

        COMMISSIONED = "commissioned", "Commissioned"
        PREPARING = "preparing", "Preparing: objectives, participants and case files"
        CONVERSATIONS = "conversations", "Conversations and analysis"
        ACCURACY_CHECK = "accuracy_check", "Outline of findings shared for an accuracy check"
        DRAFTING = "drafting", "Drafting the report"
        READY = "ready", "Ready to present to the improvement group"
        PRESENTED = "presented", "Findings presented to the improvement group"
        CLOSED = "closed", "Closed — outcomes checked and learning shared"

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="review"
    )
    # What the improvement group decided, copied in when it commissioned the review (§3.4a), so
    # the review's pages and report need nothing of the group's records.
    commissioned_on = models.DateTimeField("commissioned on", null=True, blank=True)
    decided_on = models.DateField("date the group discussed the referral", null=True, blank=True)
    rationale = models.TextField("the group's rationale for a Learning Review", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMMISSIONED)
    lead_reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    objectives = models.JSONField("key objectives of the Review", default=list)
    period_start = models.DateField("period under review: from", null=True, blank=True)
    period_end = models.DateField("period under review: to", null=True, blank=True)
    scope = models.TextField("scope of the review", blank=True)
    who_involved = models.TextField("who should be involved", blank=True)
    timescale = models.DateField("timescale for completion")
    version = models.PositiveIntegerField(default=1)
    # §5: ensure clarity of objectives.
    objectives_confirmed_on = models.DateTimeField(null=True, blank=True)
    objectives_note = models.TextField("clarification of the objectives", blank=True)
    # §5: agree with the Service Manager the individuals to be involved.
    participants_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    participants_confirmed_on = models.DateTimeField(null=True, blank=True)
    # §5: plan the format the review will take.
    format_plan = models.TextField("format of the review", blank=True)
    # SCIE: the family's perspective, with consent.
    family_consent = models.BooleanField("the family consented to give their view", default=False)
    family_perspective = models.TextField("the family's perspective", blank=True)
    presented_on = models.DateField(null=True, blank=True)
    # Set by the outcomes app's closing service once every action's outcome is checked and the
    # learning disseminated (§4).
    closed_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Learning Review of {self.referral.reference}"


class WorkspaceRecord(OrganisationScopedModel):
    """Base for what the lead reviewer records inside one review."""

    class Meta:
        abstract = True


class Participant(WorkspaceRecord):
    """A member of the case group (§5, Appendix 4 section 1)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_participations",
    )
    name = models.CharField(max_length=200)
    current_job = models.CharField("current job", max_length=200)
    role_in_period = models.CharField("role in the period under review", max_length=300)
    told_about_process_on = models.DateField("told about the review process", null=True, blank=True)
    protocol_sent_on = models.DateField("received a copy of the protocol", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]


class CaseFileReview(WorkspaceRecord):
    """§5: case files reviewed before the group meeting."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="case_files")
    records = models.CharField("records reviewed", max_length=300)
    reviewed_by = models.CharField(max_length=200)
    reviewed_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["reviewed_on", "id"]


class Session(WorkspaceRecord):
    """§5: the format — one-to-one conversations and group meetings."""

    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one conversation"
        GROUP = "group", "Group meeting"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    participants = models.ManyToManyField(Participant, related_name="sessions", blank=True)

    class Meta:
        ordering = ["date", "id"]


class Conversation(WorkspaceRecord):
    """One participant's conversation, by Appendix 4's sections. Confidential: only the review
    team and that participant may read it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="conversations")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="conversation"
    )
    date = models.DateField(null=True, blank=True)
    sections = models.JSONField(default=dict)  # {section key: text}
    factors = models.JSONField(default=dict)  # {Factor value: note}
    participant_comment = models.TextField(blank=True)
    participant_commented_on = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)


class ReviewChronologyEntry(WorkspaceRecord):
    """The review's chronology: starts from the referral's, extended by the reviewer."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology")
    date = models.DateField()
    event = models.TextField()
    source = models.CharField(max_length=200, blank=True)
    from_referral = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "id"]


class KeyPracticeEpisode(WorkspaceRecord):
    """An action, inaction or period that shaped how the case developed (SCIE)."""

    class Assessment(models.TextChoices):
        GOOD = "good", "Good practice"
        PROBLEMATIC = "problematic", "Problematic"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="episodes")
    title = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    what_happened = models.TextField()
    assessment = models.CharField(max_length=20, choices=Assessment.choices)
    local_rationality = models.TextField("how did it look at the time?", blank=True)
    factors = models.JSONField(default=dict)  # {Factor value: note}
    sub_factors = models.TextField("SCIE sub-factors (optional)", blank=True)
    conversations = models.ManyToManyField(Conversation, related_name="episodes", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["start", "id"]


class EvidenceSource(WorkspaceRecord):
    """What the review draws on (the "anatomy"), under its four headings."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="sources")
    heading = models.CharField(max_length=30)  # workspace.Source
    description = models.TextField()
    link = models.URLField(blank=True)
    file = models.FileField(upload_to="review_sources/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["heading", "id"]


class Finding(WorkspaceRecord):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(max_length=300)
    text = models.TextField("the finding")
    evidence = models.TextField(blank=True)
    issues_for_the_group = models.TextField("issues for the group to consider", blank=True)
    reach = models.CharField(max_length=20)  # workspace.Reach
    pattern = models.CharField(max_length=30, blank=True)  # workspace.Pattern
    factors = models.JSONField(default=list)  # [Factor value]
    episodes = models.ManyToManyField(KeyPracticeEpisode, related_name="findings", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]


class Outline(WorkspaceRecord):
    """A version of the outline of the findings shared with the case group (§5)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outlines")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=list)  # the findings as shared: [{title, text, …}]
    shared_on = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="outline_number"),
        ]


class OutlineResponse(WorkspaceRecord):
    outline = models.ForeignKey(Outline, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="outline_responses"
    )
    confirmed = models.BooleanField("the outline is accurate")
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outline", "participant"], name="one_response"),
        ]


class ReportVersion(WorkspaceRecord):
    """A version of the draft report: generated from the workspace, or a revised Word file
    uploaded back."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    number = models.PositiveIntegerField()
    docx = models.FileField(upload_to="review_reports/%Y/%m/")
    uploaded = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="report_number"),
        ]
