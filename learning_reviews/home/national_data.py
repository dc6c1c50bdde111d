"""A fictional national data set for the benchmarks (issue 13, `make bench-data`): at scale 1.0,
40 councils, 20,000 referrals at every step of the pathway, 5,000 reviews at every stage with
their workspaces and outcomes, 200,000 chronology entries, 20,000 entries in the learning
library, 50,000 actions and 2,000,000 audit events.

The demo (`demo.py`) goes through the services, which is right for a few dozen records and far
too slow for these. Here every record is written with bulk inserts, shaped as the services
would leave it: each state's fields set as its service sets them, dates in the order the steps
happen, every record in its organisation, counters (versions), the library's tags and redacted
text, due dates. Each council is written in its own transaction; the audit events go in with
COPY on PostgreSQL. The words come from the demo's fictional cases (`national_content.py`),
varied by a random generator seeded for repeatable runs.
"""

import logging
import time
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from learning_reviews.accounts.models import (
    Organisation,
    Team,
    User,
)
from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.core.errors import Conflict
from learning_reviews.home import national_content as content
from learning_reviews.home.national_base import (
    LETTER_DOCX,
    LETTER_PDF,
    REPORT_DOCX,
    dates_as_given,
    plan_for,
    write_audit,
)
from learning_reviews.home.national_outcomes import Outcomes
from learning_reviews.home.national_pathway import Pathway
from learning_reviews.home.national_people import CouncilAndPeople
from learning_reviews.home.national_reviews import Reviews
from learning_reviews.improvement_group import letters
from learning_reviews.improvement_group.models import (
    AgendaItem,
    Decision,
    Letter,
    Meeting,
)
from learning_reviews.outcomes.models import (
    Action,
    ActionUpdate,
    Briefing,
    LibraryEntry,
    Recommendation,
)
from learning_reviews.referrals.models import (
    ChronologyEntry,
    Referral,
)
from learning_reviews.reviews.models import (
    Conversation,
    Finding,
    KeyPracticeEpisode,
    ReportVersion,
    Review,
    ReviewChronologyEntry,
)
from learning_reviews.reviews.report import report_docx
from learning_reviews.triage.models import CaseReview

# --- The generator -------------------------------------------------------------------------


def generate(
    scale: float = 1.0, seed: int = 13, out: Callable[[str], object] = print
) -> dict[str, int]:
    """Add the national data set at `scale` to the current database; returns how many of each
    record there are now. Deterministic for a seed (given the same day). Refused (Conflict) if
    its organisations are already there."""
    plan = plan_for(scale)
    names = [content.place(i) for i in range(plan.organisations)]
    taken = list(Organisation.objects.filter(name__in=names).values_list("name", flat=True))
    if taken:
        raise Conflict(
            f"The national data set is already in this database ({taken[0]}, …): start from "
            "an empty database (`make bench-data` drops and re-creates it)."
        )
    started = time.monotonic()
    now = timezone.now()
    for index in range(plan.organisations):
        data = _OrganisationData(plan, index, seed, now)
        with transaction.atomic():
            with dates_as_given():
                data.make()
            data.plan_next_meeting()
        out(
            f"  {names[index]}: done ({index + 1}/{plan.organisations}, "
            f"{time.monotonic() - started:.0f} s)"
        )
    _summarise_views(names)
    _store_documents()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts()


# The data set's page views are events, as a service upgraded from before views were summarised
# holds them (docs/decisions/0041-views-summarised.md); its summaries are made from them as
# that upgrade's migration (audit 0005) made them, for the data set's councils only.
SUMMARISE_VIEWS = """
INSERT INTO audit_viewsummary (
    organisation_id, record_type, record_id, actor_id, actor_name, summary, views,
    first_viewed_at, last_viewed_at
)
SELECT MAX(organisation_id), record_type, record_id, actor_id, MAX(actor_name),
       'Viewed (summarised from the audit trail)', COUNT(*), MIN(at), MAX(at)
FROM audit_auditevent
WHERE kind = 'access' AND action = 'viewed' AND actor_id IS NOT NULL
  AND record_type NOT IN ('list', 'download') AND organisation_id IN ({councils})
GROUP BY record_type, record_id, actor_id
"""


def _summarise_views(names: list[str]) -> None:
    councils = list(Organisation.objects.filter(name__in=names).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(SUMMARISE_VIEWS.format(councils=", ".join(["%s"] * len(councils))), councils)


def _store_documents() -> None:
    """The stored files every letter and draft report of the data set points at: one real
    letter (PDF and Word) and one real report, made from the first of each, so that a download
    finds a file; the benchmarks time making the documents, not these."""
    # The PDF's font subsetting logs every table it reads: not for this output.
    logging.disable(logging.INFO)
    try:
        _store_letter_and_report()
    finally:
        logging.disable(logging.NOTSET)


def _store_letter_and_report() -> None:
    letter = Letter.objects.filter(pdf=LETTER_PDF).select_related("decision").first()
    if letter is not None:
        decision = letter.decision
        files = {
            LETTER_PDF: letters.letter_pdf(decision, letter.subject, letter.body),
            LETTER_DOCX: letters.letter_docx(decision, letter.subject, letter.body),
        }
        for name, data in files.items():
            default_storage.delete(name)
            default_storage.save(name, ContentFile(data))
    version = ReportVersion.objects.filter(docx=REPORT_DOCX).select_related("review").first()
    if version is not None:
        default_storage.delete(REPORT_DOCX)
        default_storage.save(REPORT_DOCX, ContentFile(report_docx(version.review, number=1)))


COUNTED: tuple[tuple[str, type[models.Model]], ...] = (
    ("organisations", Organisation),
    ("teams", Team),
    ("users", User),
    ("referrals", Referral),
    ("chronology entries", ChronologyEntry),
    ("review chronology entries", ReviewChronologyEntry),
    ("decisions", Decision),
    ("meetings", Meeting),
    ("agenda items", AgendaItem),
    ("letters", Letter),
    ("reviews", Review),
    ("conversations", Conversation),
    ("key practice episodes", KeyPracticeEpisode),
    ("findings", Finding),
    ("recommendations", Recommendation),
    ("actions", Action),
    ("action updates", ActionUpdate),
    ("briefings", Briefing),
    ("library entries", LibraryEntry),
    ("case reviews", CaseReview),
    ("audit events", AuditEvent),
    ("view summaries", ViewSummary),
)


def counts() -> dict[str, int]:
    """How many of each kind of record the database holds."""
    return {name: model._default_manager.count() for name, model in COUNTED}


class _OrganisationData(CouncilAndPeople, Pathway, Reviews, Outcomes):
    """One council's share of the data set, written in dependency order."""

    def make(self) -> None:
        self._organisation()
        self._people()
        self._meetings()
        self._referrals()
        self._decisions()
        self._reviews()
        self._outcomes()
        self._agendas()
        self._case_reviews()
        self._views()
        write_audit(self.audit)
