"""What comes of a review's findings (protocol §3 step 6, §4): the group's recommendations and
its response to each, the action plan whose actions close only on a checked outcome, how
implementation is monitored, how the learning is disseminated, the anonymised learning briefing
and the learning library it feeds."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from learning_reviews.core.models import OrganisationScopedModel


class ReviewOutcome(OrganisationScopedModel):
    """The group's work on one review once its findings are presented: one row per review."""

    class Status(models.TextChoices):
        CONSIDERING = (
            "considering",
            "Recommendations being recorded — awaiting the chair's confirmation",
        )
        CONFIRMED = "confirmed", "Recommendations confirmed — action plan under way"
        CLOSED = "closed", "Review closed"

    class Interval(models.TextChoices):
        EVERY_MEETING = "every_meeting", "At every meeting of the group"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Every three months"
        SIX_MONTHLY = "six_monthly", "Every six months"

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.PROTECT, related_name="outcome"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONSIDERING)
    version = models.PositiveIntegerField(default=1)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_on = models.DateTimeField(null=True, blank=True)
    # §4: how implementation is monitored.
    monitoring_reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="who reports progress to the group",
    )
    monitoring_interval = models.CharField(
        "how often", max_length=20, choices=Interval.choices, blank=True
    )
    monitoring_notes = models.TextField("how implementation is monitored", blank=True)
    # §4 / §3.4a: the referral's worker and line manager hear what came of it.
    referrers_message = models.TextField("what the review found and what is changing", blank=True)
    referrers_told_on = models.DateTimeField(null=True, blank=True)
    referrers_told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )


class Recommendation(OrganisationScopedModel):
    """A recommendation the group records against one finding, with its response."""

    class Response(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        ACCEPTED_WITH_CHANGES = "accepted_with_changes", "Accepted with changes"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="recommendations"
    )
    finding = models.ForeignKey(
        "reviews.Finding", on_delete=models.PROTECT, related_name="recommendations"
    )
    text = models.TextField("recommendation")
    response = models.CharField(max_length=30, choices=Response.choices)
    changes = models.TextField("what changed", blank=True)
    rationale = models.TextField("rationale for not accepting it", blank=True)

    class Meta:
        ordering = ["finding_id", "id"]

    @property
    def accepted(self) -> bool:
        return self.response != self.Response.NOT_ACCEPTED


class Action(OrganisationScopedModel):
    """One action of the plan: who does what by when, the outcome it is meant to bring about
    and the measure that will show it. "Done" alone never closes it: only the group's outcome
    check does."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done — outcome to be checked"
        ACHIEVED = "achieved", "Closed — outcome achieved"
        NOT_ACHIEVED = "not_achieved", "Closed — outcome not achieved"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)
    # The statuses the owner may report; the last two only the group's outcome check sets.
    REPORTABLE = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="actions"
    )
    text = models.TextField("action")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="outcome_actions",
        verbose_name="owner (or the team's named lead)",
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="owning team",
    )
    due_on = models.DateField("due date")
    intended_outcome = models.TextField("intended outcome")
    measure = models.TextField("measure: what data, from where")
    outcome_check_on = models.DateField("outcome-check date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)
    # The group's outcome check.
    outcome_evidence = models.TextField("evidence of the outcome", blank=True)
    next_steps = models.TextField("what happens next", blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_recorded_on = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ActionUpdate(OrganisationScopedModel):
    """A dated progress update on an action, with an evidence file if there is one."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField("date of the update")
    text = models.TextField("progress")
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    evidence = models.FileField(upload_to="action_evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["date", "id"]


class DisseminationItem(OrganisationScopedModel):
    """§4: how the learning reaches one audience."""

    class Audience(models.TextChoices):
        WORKERS = "workers", "The workers involved"
        TEAMS = "teams", "Their teams"
        SERVICE = "service", "The service"
        WORKFORCE = "workforce", "The wider workforce"

    class Method(models.TextChoices):
        BRIEFING = "briefing", "Learning briefing"
        TEAM_MEETING = "team_meeting", "Team meeting"
        PRACTICE_FORUM = "practice_forum", "Practice forum"
        TRAINING = "training", "Training"
        NEWSLETTER = "newsletter", "Newsletter"
        GUIDANCE = "guidance", "Practice guidance"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="dissemination"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    method = models.CharField(max_length=20, choices=Method.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField("date planned")
    done_on = models.DateField("date done", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["planned_on", "id"]


class Briefing(OrganisationScopedModel):
    """A learning briefing, one version. Only its author sees the words as written; everyone
    else sees them redacted. A released version is never edited, only superseded."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft — only the author can see it"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval by a second person"
        RELEASED = "released", "Released"
        SUPERSEDED = "superseded", "Superseded by a later version"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="briefings")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    sections = models.JSONField(default=dict)  # {section key: text as the author wrote it}
    keep = models.JSONField(default=list)  # suspected redactions the author restored
    extra = models.JSONField(default=list)  # redactions the author added
    redacted = models.JSONField(default=dict)  # {section key: redacted text}, frozen on submit
    submitted_on = models.DateTimeField(null=True, blank=True)
    returned_note = models.TextField("why it was returned", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_on = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="briefing_number"),
        ]


class LibraryEntry(OrganisationScopedModel):
    """One released piece of learning, redacted: a briefing, or a finding or accepted
    recommendation of a closed review. Only released learning is ever written here."""

    class Kind(models.TextChoices):
        BRIEFING = "briefing", "Learning briefing"
        FINDING = "finding", "Finding"
        RECOMMENDATION = "recommendation", "Recommendation"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    text = models.TextField()
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    released_on = models.DateTimeField()
    # " ground:x factor:y pattern:z " — filterable with a plain contains on both databases.
    tags = models.TextField(default=" ")
    # PostgreSQL's weighted tsvector of title and text, set by a trigger on every insert and on
    # every change to either (migration 0003); empty on SQLite, whose FTS5 table does the work.
    search = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-released_on", "id"]
        indexes = [models.Index(fields=["organisation", "year"], name="library_org_year")]
