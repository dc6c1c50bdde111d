"""The draft report of a Learning Review (§5, §3.6), assembled from the workspace after the
report skeleton SCIE's reviewers use (shared/PRODUCT.md): why this case was chosen; a summary
of the case; family composition; time frame; methodology; reviewing expertise and independence;
methodological comment and limitations; appraisal of professional practice; the findings; what
went well; conclusion; appendix: the review process.

The report is kept as Word, so that the lead reviewer can edit it and upload it back. The PDF is
laid out from a version's Word file (generated or uploaded), so it always reads as that version.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import IO, Literal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from learning_reviews.core.text import xml_safe
from learning_reviews.documents.pdf import render_pdf
from learning_reviews.referrals.models import ChronologyEntry
from learning_reviews.reviews.models import (
    Conversation,
    Finding,
    KeyPracticeEpisode,
    Outline,
    Participant,
    Review,
    ReviewChronologyEntry,
    Session,
)
from learning_reviews.reviews.workspace import Factor, Pattern, Reach, Source

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A Word file expands when unzipped; one that would expand past this is refused unread.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
NOT_RECORDED = "Not recorded."
TO_WRITE = "[For the lead reviewer to write.]"

Kind = Literal["title", "h1", "h2", "h3", "p", "bullet", "list", "table"]


@dataclass
class Block:
    """One heading, paragraph, bullet or table of the report, in the order it is read."""

    kind: Kind
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)  # a table's rows, the first its header
    items: list[str] = field(default_factory=list)  # a list's bullets


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return "not recorded"
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"{value.day} {value:%B %Y}"


def _dates(start: datetime.date, end: datetime.date | None) -> str:
    return _date(start) if end is None or end == start else f"{_date(start)} to {_date(end)}"


def _label(choices: type[Reach] | type[Pattern] | type[Factor] | type[Source], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def load_review(review: Review) -> Review:
    """The review with everything the report reads, one query per kind of record."""
    return (
        Review.objects.select_related("referral", "referral__team", "organisation")
        .prefetch_related(
            "lead_reviewers",
            "referral__household",
            "referral__reasons",
            Prefetch("referral__chronology", queryset=ChronologyEntry.objects.order_by("date")),
            Prefetch("participants", queryset=Participant.objects.order_by("id")),
            "case_files",
            Prefetch("sessions", queryset=Session.objects.prefetch_related("participants")),
            Prefetch("conversations", queryset=Conversation.objects.order_by("participant_id")),
            Prefetch("chronology", queryset=ReviewChronologyEntry.objects.order_by("date", "id")),
            Prefetch(
                "episodes",
                queryset=KeyPracticeEpisode.objects.order_by("start", "id"),
            ),
            "sources",
            Prefetch("findings", queryset=Finding.objects.prefetch_related("episodes")),
            Prefetch("outlines", queryset=Outline.objects.prefetch_related("responses")),
            "reports",
        )
        .get(pk=review.pk)
    )


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def add(self, kind: Kind, text: str = "") -> None:
        self.blocks.append(Block(kind, text.strip()))

    def paragraphs(self, text: str, empty: str = NOT_RECORDED) -> None:
        parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        for part in parts or [empty]:
            self.add("p", part)

    def bullets(self, items: list[str], empty: str = NOT_RECORDED) -> None:
        for item in items:
            self.add("bullet", item)
        if not items:
            self.add("p", empty)

    def table(self, header: list[str], rows: list[list[str]], empty: str = NOT_RECORDED) -> None:
        if rows:
            self.blocks.append(Block("table", rows=[header, *rows]))
        else:
            self.add("p", empty)


def report_blocks(review: Review, *, number: int) -> list[Block]:
    """The report's content, in order. `review` as `load_review` gives it."""
    w = _Writer()
    referral = review.referral
    organisation = review.organisation
    w.add("title", f"Learning Review of {referral.reference}")
    w.add(
        "p",
        f"{organisation.name}. Draft report, version {number}, prepared for the "
        f"{organisation.improvement_group_name} on {_date(timezone.localdate())}.",
    )
    w.add("p", f"Child or young person: {referral.child_name or NOT_RECORDED}")
    _why(w, review)
    _the_case(w, review)
    _methodology(w, review)
    _limitations(w, review)
    _appraisal(w, review)
    _findings(w, review)
    _went_well(w, review)
    w.add("h1", "Conclusion")
    w.add("p", TO_WRITE)
    _appendix(w, review)
    return w.blocks


def _why(w: _Writer, review: Review) -> None:
    referral = review.referral
    w.add("h1", "Why this case was chosen")
    w.paragraphs(review.rationale)
    w.add("p", "The referral gave these reasons for a Learning Review:")
    w.bullets([reason.text for reason in referral.reasons.all()])


def _the_case(w: _Writer, review: Review) -> None:
    referral = review.referral
    w.add("h1", "A summary of the case")
    w.paragraphs(referral.circumstances)
    if referral.key_facts:
        w.paragraphs(referral.key_facts)
    w.add("h1", "Family composition")
    w.add("p", f"Parents or carers: {referral.parents_carers or NOT_RECORDED}")
    w.table(
        ["Others in the household", "Relationship"],
        [[m.name, m.relationship] for m in referral.household.all()],
        empty="No others in the household were recorded.",
    )
    w.add("h1", "Time frame")
    if review.period_start or review.period_end:
        start, end = _date(review.period_start), _date(review.period_end)
        w.add("p", f"The review considered the period from {start} to {end}.")
    else:
        w.add("p", "The period under review was not set.")
    if review.scope:
        w.paragraphs(f"Scope of the review: {review.scope}")


def _methodology(w: _Writer, review: Review) -> None:
    w.add("h1", "Methodology")
    w.add("h2", "Objectives")
    w.add("p", f"The {review.organisation.improvement_group_name} set these key objectives:")
    w.bullets(list(review.objectives))
    if review.objectives_note:
        w.paragraphs(f"Clarification of the objectives: {review.objectives_note}")
    w.add("h2", "Participants")
    w.table(
        ["Name", "Current job", "Role in the period under review"],
        [[p.name, p.current_job, p.role_in_period] for p in review.participants.all()],
    )
    w.add("h2", "Case files")
    w.table(
        ["Records reviewed", "Reviewed by", "Date", "Notes"],
        [
            [c.records, c.reviewed_by, _date(c.reviewed_on), c.notes]
            for c in review.case_files.all()
        ],
    )
    w.add("h2", "Format")
    if review.format_plan:
        w.paragraphs(review.format_plan)
    w.table(
        ["Date", "Format", "Place", "Participants"],
        [
            [
                _date(s.date),
                s.get_kind_display(),
                s.place,
                ", ".join(p.name for p in s.participants.all()),
            ]
            for s in review.sessions.all()
        ],
        empty="No conversations or meetings were recorded.",
    )
    w.add("h2", "What the review draws on")
    order = list(Source.values)
    sources = sorted(
        review.sources.all(),
        key=lambda s: order.index(s.heading) if s.heading in order else len(order),
    )
    w.bullets(
        [
            f"{_label(Source, s.heading)}: {s.description}" + (f" ({s.link})" if s.link else "")
            for s in sources
        ]
    )
    w.add("h1", "Reviewing expertise and independence")
    w.bullets(
        [
            person.get_full_name() + (f", {person.job_title}" if person.job_title else "")
            for person in review.lead_reviewers.all()
        ]
    )
    w.add("p", TO_WRITE)


def _limitations(w: _Writer, review: Review) -> None:
    participants = list(review.participants.all())
    spoken = {c.participant_id for c in review.conversations.all()}
    w.add("h1", "Methodological comment and limitations")
    w.add("h2", "Participation of professionals")
    w.add(
        "p",
        f"{len(participants)} member{'s' if len(participants) != 1 else ''} of the case group "
        f"took part; a conversation was recorded with {len(spoken)}.",
    )
    w.add("h2", "Perspectives of the parents")
    if review.family_consent and review.family_perspective:
        w.add("p", "The family consented to give their view. The family's perspective:")
        w.paragraphs(review.family_perspective)
    elif review.family_consent:
        w.add("p", "The family consented to give their view; it has not yet been recorded.")
    else:
        w.add("p", "The family's perspective was not gathered for this review.")


def _factors(factors: dict[str, str]) -> list[str]:
    return [
        _label(Factor, key) + (f": {note}" if note else "")
        for key, note in factors.items()
        if key in Factor.values
    ]


def _appraisal(w: _Writer, review: Review) -> None:
    w.add("h1", "Appraisal of professional practice")
    w.add("h2", "Summary of the chronology")
    w.table(
        ["Date", "Event", "Source"],
        [[_date(e.date), e.event, e.source] for e in review.chronology.all()]
        or [[_date(e.date), e.event, e.source] for e in review.referral.chronology.all()],
    )
    w.add("h2", "Key practice episodes")
    episodes = list(review.episodes.all())
    if not episodes:
        w.add("p", "No key practice episodes were recorded.")
    for index, episode in enumerate(episodes, 1):
        w.add("h3", f"Episode {index}: {episode.title}")
        w.add("p", f"{_dates(episode.start, episode.end)}. {episode.get_assessment_display()}.")
        w.paragraphs(episode.what_happened)
        if episode.local_rationality:
            w.add("p", "How did it look at the time?")
            w.paragraphs(episode.local_rationality)
        factors = _factors(episode.factors)
        if factors:
            w.add("p", "Contributory factors:")
            w.bullets(factors)
        if episode.sub_factors:
            w.paragraphs(f"SCIE sub-factors: {episode.sub_factors}")


def _finding(w: _Writer, index: int, finding: Finding) -> None:
    w.add("h3", f"Finding {index}: {finding.title}")
    w.paragraphs(finding.text)
    if finding.evidence:
        w.paragraphs(f"Evidence: {finding.evidence}")
    episodes = [e.title for e in finding.episodes.all()]
    if episodes:
        w.add("p", "Key practice episodes: " + "; ".join(episodes) + ".")
    factors = [_label(Factor, f) for f in finding.factors]
    if factors:
        w.add("p", "Contributory factors: " + "; ".join(factors) + ".")
    if finding.pattern:
        w.add("p", f"SCIE pattern: {_label(Pattern, finding.pattern)}.")
    w.add("p", f"Reach: {_label(Reach, finding.reach)}.")
    w.add("p", "Issues for the group to consider:")
    w.paragraphs(finding.issues_for_the_group)


def _findings(w: _Writer, review: Review) -> None:
    findings = list(review.findings.all())
    numbered = list(enumerate(findings, 1))
    w.add("h1", "The findings")
    w.add("p", "What light has this case shed on the reliability of our systems?")
    w.add("h2", "Summary of findings")
    w.bullets([f"Finding {i}: {f.title}" for i, f in numbered], empty="No findings recorded.")
    w.add("h2", "Key issues for this case")
    here = [(i, f) for i, f in numbered if f.reach == Reach.THIS_CASE]
    for index, finding in here:
        _finding(w, index, finding)
    if not here:
        w.add("p", "No findings apply to this case alone.")
    w.add("h2", "Implications for other teams or the service as a whole")
    wider = [(i, f) for i, f in numbered if f.reach != Reach.THIS_CASE]
    for index, finding in wider:
        _finding(w, index, finding)
    if not wider:
        w.add("p", "No findings reach beyond this case.")


def _went_well(w: _Writer, review: Review) -> None:
    w.add("h1", "What went well")
    good = [e for e in review.episodes.all() if e.assessment == KeyPracticeEpisode.Assessment.GOOD]
    w.bullets([f"{e.title} ({_dates(e.start, e.end)}): {e.what_happened}" for e in good], empty="")
    if not good:
        w.blocks.pop()
    # What participants said went well, without saying who said it.
    said = [
        c.sections.get("went_well", "").strip()
        for c in review.conversations.all()
        if c.sections.get("went_well", "").strip()
    ]
    if said:
        w.add("p", "From the conversations with the case group:")
        w.bullets(said)
    if not good and not said:
        w.add("p", NOT_RECORDED)


def _appendix(w: _Writer, review: Review) -> None:
    w.add("h1", "Appendix: the review process")
    steps = [
        f"{_date(review.decided_on)}: the {review.organisation.improvement_group_name} "
        "decided to proceed to a Learning Review.",
    ]
    if review.objectives_confirmed_on:
        steps.append(f"{_date(review.objectives_confirmed_on)}: the objectives were confirmed.")
    if review.participants_confirmed_on:
        steps.append(
            f"{_date(review.participants_confirmed_on)}: the Service Manager agreed the "
            "participants."
        )
    for p in review.participants.all():
        if p.told_about_process_on or p.protocol_sent_on:
            steps.append(
                f"{p.name}: told about the review process {_date(p.told_about_process_on)}; "
                f"sent the protocol {_date(p.protocol_sent_on)}."
            )
    for c in review.case_files.all():
        steps.append(f"{_date(c.reviewed_on)}: {c.records} reviewed by {c.reviewed_by}.")
    for s in review.sessions.all():
        steps.append(f"{_date(s.date)}: {s.get_kind_display().lower()}.")
    for outline in review.outlines.all():
        responses = list(outline.responses.all())
        confirmed = sum(1 for r in responses if r.confirmed)
        steps.append(
            f"{_date(outline.shared_on)}: version {outline.number} of the outline of the "
            f"findings shared for an accuracy check; {confirmed} of {len(responses)} "
            f"response{'s' if len(responses) != 1 else ''} confirmed it."
        )
    w.bullets(steps)


# Word ------------------------------------------------------------------------------------


def blocks_to_docx(blocks: list[Block], *, title: str) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    section = document.sections[0]
    for part in (section.header, section.footer):
        marking = part.paragraphs[0]
        marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
        marking.add_run("OFFICIAL-SENSITIVE").bold = True
    document.core_properties.title = xml_safe(title)
    # Text saved before forms cleaned it, or read from an uploaded file, may still hold a
    # character Word's XML refuses.
    blocks = [
        Block(
            block.kind,
            xml_safe(block.text),
            [[xml_safe(cell) for cell in row] for row in block.rows],
            [xml_safe(item) for item in block.items],
        )
        for block in blocks
    ]
    for block in blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind in ("h1", "h2", "h3"):
            document.add_heading(block.text, level=int(block.kind[1]))
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "table":
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for index, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
                    if index == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
        else:
            document.add_paragraph(block.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_docx(review: Review, *, number: int) -> bytes:
    """Version `number` of the draft report, as an editable Word document."""
    loaded = load_review(review)
    return blocks_to_docx(
        report_blocks(loaded, number=number),
        title=f"Learning Review of {loaded.referral.reference}",
    )


_STYLES: dict[str, Kind] = {"Title": "title", "Heading 1": "h1", "Heading 2": "h2"}


def _paragraph_kind(paragraph: Paragraph) -> Kind:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name in _STYLES:
        return _STYLES[name]
    if name.startswith("Heading"):
        return "h3"
    if name.startswith("List"):
        return "bullet"
    return "p"


def docx_to_blocks(stream: IO[bytes]) -> list[Block]:
    """What a Word file says, as headings, paragraphs, bullets and tables (its layout aside)."""
    blocks: list[Block] = []
    for item in Document(stream).iter_inner_content():
        if isinstance(item, Table):
            rows = [[cell.text for cell in row.cells] for row in item.rows]
            if rows:
                blocks.append(Block("table", rows=rows))
        elif item.text.strip():
            blocks.append(Block(_paragraph_kind(item), item.text))
    return blocks


def _lists(blocks: list[Block]) -> list[Block]:
    """Consecutive bullets gathered into one list, as a reader of the PDF expects."""
    gathered: list[Block] = []
    for block in blocks:
        if block.kind != "bullet":
            gathered.append(block)
        elif gathered and gathered[-1].kind == "list":
            gathered[-1].items.append(block.text)
        else:
            gathered.append(Block("list", items=[block.text]))
    return gathered


def report_pdf(review: Review, *, number: int, stream: IO[bytes]) -> bytes:
    """A version of the report laid out for printing, from that version's Word file."""
    return render_pdf(
        template="reviews/report_pdf.html",
        context={
            "review": review,
            "referral": review.referral,
            "number": number,
            "blocks": _lists(docx_to_blocks(stream)),
        },
    )


def docx_problem(upload: IO[bytes], size: int) -> str | None:
    """Why an upload is not an acceptable Word document, or None: judged by its content (a zip
    holding word/document.xml, not too big once unzipped), never by its name."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if not size:
        return "The selected file is empty"
    if size > limit:
        return f"The selected file must be smaller than {limit // 1048576} MB"
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        names, unzipped = [], 0
    finally:
        upload.seek(0)
    if "word/document.xml" not in names:
        return "The selected file must be a Word document (.docx)"
    if unzipped > MAX_UNZIPPED_BYTES:
        return "The selected file is too large to read"
    try:
        Document(upload)
    except Exception:  # noqa: BLE001 - any failure to read it means it is not usable
        return "The selected file could not be read as a Word document"
    finally:
        upload.seek(0)
    return None


def with_own_properties(content: bytes, *, title: str) -> bytes:
    """An uploaded Word file with its properties replaced by the service's: whatever title,
    subject, keywords or comments its author's Word gave it (a child's name, often) would
    otherwise leave the service with every download."""
    document = Document(io.BytesIO(content))
    properties = document.core_properties
    properties.title = title
    for name in ("subject", "keywords", "comments", "category", "content_status", "identifier"):
        setattr(properties, name, "")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
