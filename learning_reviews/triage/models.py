"""Appendix 1: the kinds of case review, the triage of a case between them, and the register
of every case review an organisation records."""

from django.db import models

from learning_reviews.core.models import OrganisationScopedModel


class Kind(models.TextChoices):
    """The six kinds of case review in Appendix 1. The triage rules key on these, so an
    organisation can rename a review type without breaking them."""

    SIGNIFICANT_CASE_REVIEW = "scr", "Significant Case Review"
    LAC_LEARNING_REVIEW = "lac", "LAC learning review"
    CPR_CASE_REVIEW = "cpr", "CPR case review"
    DISRUPTION_REVIEW = "disruption", "Disruption reviews"
    STRUCTURED_DEBRIEF = "debrief", "Structured Debrief"
    LEARNING_REVIEW = "learning_review", "(Social Work) Learning review"


class AgencyScope(models.TextChoices):
    SINGLE = "single", "Single agency"
    MULTI = "multi", "Multi-agency"


class ReviewType(OrganisationScopedModel):
    """One row of Appendix 1, as the organisation has it."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    criteria = models.JSONField("criteria for review", default=list)
    agency_scope = models.CharField(max_length=10, choices=AgencyScope.choices)
    commissioned_by = models.CharField(max_length=200, blank=True)
    undertaken_by = models.CharField(max_length=200, blank=True)
    guidance_title = models.CharField("protocol or guidance", max_length=300, blank=True)
    guidance_url = models.URLField("link to the protocol or guidance", blank=True)
    contact = models.CharField(
        "how to contact",
        max_length=300,
        blank=True,
        help_text="A team or role mailbox, never a named person's address",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="review_type_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class Triage(OrganisationScopedModel):
    """One run of the "which review fits?" questions: the facts given and what was advised."""

    answers = models.JSONField(default=dict)
    recommended = models.JSONField(default=list)  # Kind values, in table order
    completed_on = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on"]


class CaseReview(OrganisationScopedModel):
    """The register: a case routed to a kind of review other than this protocol's Learning
    Review. (Learning Review referrals are listed beside these from the referrals app.)"""

    class Status(models.TextChoices):
        ROUTED = "routed", "Routed"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    review_type = models.ForeignKey(ReviewType, on_delete=models.PROTECT, related_name="+")
    triage = models.ForeignKey(Triage, on_delete=models.SET_NULL, null=True, blank=True)
    child_name = models.CharField("Name of Child or Young Person", max_length=200)
    swis_number = models.CharField("SWIS No.", max_length=20, blank=True)
    routed_on = models.DateField("date routed")
    contact = models.CharField("contact", max_length=300)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ROUTED)
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-routed_on", "-id"]
