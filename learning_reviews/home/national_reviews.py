"""The national data set's Learning Reviews and their workspaces, as far as each has gone (§5,
Appendix 4) (`national_data.py`)."""

from typing import Any

from django.db import models

from learning_reviews.accounts.models import (
    Role,
    User,
)
from learning_reviews.home import national_content as content
from learning_reviews.home.national_base import (
    ORDER,
    REPORT_DOCX,
    STEPS_TAKEN,
    Case,
    Council,
    insert,
    link,
    n_days,
)
from learning_reviews.referrals.models import (
    Referral,
    Status,
)
from learning_reviews.reviews.models import (
    CaseFileReview,
    Conversation,
    EvidenceSource,
    Finding,
    KeyPracticeEpisode,
    Outline,
    OutlineResponse,
    Participant,
    ReportVersion,
    Review,
    ReviewChronologyEntry,
    Session,
)
from learning_reviews.reviews.workspace import Factor, Pattern, Reach


class Reviews(Council):
    """Reviews and what the lead reviewers record in them."""

    # Reviews ------------------------------------------------------------------------------

    def _reviews(self) -> None:
        reviewing = [c for c in self.cases if c.status == Status.REVIEW_COMMISSIONED]
        reviews = []
        readers, leads = [], []
        for c in reviewing:
            d, decision = c.dates, c.decision
            assert decision is not None  # noqa: S101
            steps = STEPS_TAKEN[c.stage]
            status = {
                0: Review.Status.COMMISSIONED,
                1: Review.Status.PREPARING,
                2: Review.Status.CONVERSATIONS,
                3: Review.Status.ACCURACY_CHECK,
                4: Review.Status.DRAFTING,
                5: Review.Status.READY,
                6: Review.Status.PRESENTED,
                7: Review.Status.PRESENTED,
                8: Review.Status.CLOSED,
            }[steps]
            review = Review(
                referral=c.referral,
                commissioned_on=decision.confirmed_on,
                decided_on=decision.date_discussed,
                rationale=decision.rationale,
                status=status,
                objectives=list(self.rng.sample(content.OBJECTIVES, 2)),
                period_start=decision.period_start,
                period_end=decision.period_end,
                scope=decision.scope,
                who_involved=decision.who_involved,
                timescale=decision.timescale or decision.date_discussed + n_days(16 * 7),
                version=1 + steps * 3,
                **self._scoped(decision.confirmed_on, self.chair),
            )
            lead = c.leads[0]
            if steps >= 1:
                review.format_plan = (
                    "One-to-one conversations, then one group meeting of the case group."
                )
                if steps >= 2 or self.rng.random() < 0.5:
                    review.objectives_confirmed_on = self._moment(
                        self._after(d["review_started"], 1, 5), 11
                    )
            if steps >= 2:
                review.participants_confirmed_by = c.referral.service_manager
                review.participants_confirmed_on = self._moment(d["conversations"], 10)
            if steps >= 6:
                review.presented_on = d["presented"]
            if steps >= 8:
                review.closed_on = d["closed"]
                review.family_consent = self.rng.random() < 0.5
                if review.family_consent:
                    review.family_perspective = "The family said what helped and what did not."
            last = max((d[k] for k in ORDER[:steps]), default=decision.date_discussed)
            review.modified_on, review.modified_by = self._moment(last, 16), lead
            c.review = review
            reviews.append(review)
            readers += [{"referral_id": c.referral.pk, "user_id": u.pk} for u in c.leads]
        insert(reviews)
        for c in reviewing:
            assert c.review is not None  # noqa: S101
            leads += [{"review_id": c.review.pk, "user_id": u.pk} for u in c.leads]
            self._review_events(c)
        link(Review.lead_reviewers.through, leads)
        link(Referral.readers.through, readers)
        self._workspaces(reviewing)

    def _review_events(self, c: Case) -> None:
        review, d, lead = c.review, c.dates, c.leads[0]
        assert review is not None and c.decision is not None  # noqa: S101
        rec = ("reviews.review", review.pk)
        at = c.decision.confirmed_on
        self._event(
            at,
            self.chair,
            "referral.readers_added",
            "The lead reviewers of the Learning Review may read the referral",
            ("referrals.referral", c.referral.pk),
        )
        self._event(
            at,
            self.chair,
            "review.commissioned",
            "Commissioned the Learning Review",
            rec,
            {"timescale": str(review.timescale)},
        )
        moves = (
            (
                "review_started",
                "review.start",
                "Started preparing the review",
                "commissioned",
                "preparing",
            ),
            (
                "conversations",
                "review.begin_conversations",
                "Began the conversations",
                "preparing",
                "conversations",
            ),
            (
                "outline_shared",
                "review.outline_shared",
                "Shared the outline of the findings for an accuracy check",
                "conversations",
                "accuracy_check",
            ),
            (
                "check_closed",
                "review.close_accuracy_check",
                "Closed the accuracy check",
                "accuracy_check",
                "drafting",
            ),
            (
                "ready",
                "review.mark_ready",
                "Marked the review ready to present to the improvement group",
                "drafting",
                "ready",
            ),
        )
        for key, action, summary, before, after in moves:
            if key in d:
                self._event(d[key], lead, action, summary, rec, {"status": [before, after]})
        if "presented" in d:
            self._event(
                d["presented"],
                self.people.one(Role.CFCIG_MEMBER),
                "review.record_presented",
                "The findings were presented to the improvement group",
                rec,
                {"status": ["ready", "presented"]},
            )

    def _workspaces(self, reviewing: list[Case]) -> None:
        """What the lead reviewer records, as far as each review has gone (§5)."""
        rows: dict[type[models.Model], list[Any]] = {
            m: []
            for m in (
                Participant,
                CaseFileReview,
                Session,
                Conversation,
                ReviewChronologyEntry,
                KeyPracticeEpisode,
                EvidenceSource,
                Finding,
                Outline,
                OutlineResponse,
                ReportVersion,
            )
        }
        links: dict[str, list[dict[str, int]]] = {"session": [], "episode": [], "finding": []}
        staged: list[tuple[Case, dict[str, Any]]] = []
        for c in reviewing:
            if STEPS_TAKEN[c.stage] >= 1:
                made = self._preparation(c, rows)
                staged.append((c, made))
        insert(rows[Participant])
        for c, made in staged:
            self._conversations(c, made, rows)
        for model in (
            CaseFileReview,
            Session,
            Conversation,
            ReviewChronologyEntry,
            KeyPracticeEpisode,
            EvidenceSource,
            Finding,
        ):
            insert(rows[model])
        for c, made in staged:
            links["session"] += [
                {"session_id": s.pk, "participant_id": p.pk}
                for s in made["sessions"]
                for p in (
                    made["participants"]
                    if s.kind == Session.Kind.GROUP
                    else made["participants"][:1]
                )
            ]
            for episode in made["episodes"]:
                for conversation in made["conversations"][: self.rng.randint(0, 2)]:
                    links["episode"].append(
                        {"keypracticeepisode_id": episode.pk, "conversation_id": conversation.pk}
                    )
            for finding in made["findings"]:
                for episode in self.rng.sample(
                    made["episodes"], min(len(made["episodes"]), self.rng.randint(1, 2))
                ):
                    links["finding"].append(
                        {"finding_id": finding.pk, "keypracticeepisode_id": episode.pk}
                    )
            self._accuracy_check(c, made, rows)
        link(Session.participants.through, links["session"])
        link(KeyPracticeEpisode.conversations.through, links["episode"])
        link(Finding.episodes.through, links["finding"])
        insert(rows[Outline])
        for _, made in staged:
            for outline, responders in made.get("outlines", []):
                rows[OutlineResponse] += [
                    OutlineResponse(
                        outline=outline,
                        participant=p,
                        confirmed=self.rng.random() < 0.8,
                        comment=""
                        if self.rng.random() < 0.8
                        else "One date in the outline is not right.",
                        **self._scoped(outline.shared_on + n_days(self.rng.randint(1, 9)), p.user),
                    )
                    for p in responders
                ]
        insert(rows[OutlineResponse])
        insert(rows[ReportVersion])
        self.findings = {c.review.pk: made["findings"] for c, made in staged if c.review}

    def _preparation(self, c: Case, rows: dict[type[models.Model], list[Any]]) -> dict[str, Any]:
        review, d, lead, r = c.review, c.dates, c.leads[0], c.referral
        assert review is not None  # noqa: S101
        started = d["review_started"]
        scoped = self._scoped(self._moment(started, 11), lead)
        accounts: list[User | None] = [r.worker, r.line_manager]
        others = [u for u in self.people.by_role[Role.WORKER] if u.pk != r.worker_id]
        accounts.append(self.rng.choice(others) if others else None)
        participants = []
        for n in range(self.rng.randint(4, 7)):
            job, role = content.PARTICIPANT_ROLES[n % len(content.PARTICIPANT_ROLES)]
            account = accounts[n] if n < len(accounts) else None
            participants.append(
                Participant(
                    review=review,
                    user=account,
                    name=account.full_name if account else content.person(self.rng),
                    current_job=job,
                    role_in_period=role,
                    told_about_process_on=self._after(started, 1, 4),
                    protocol_sent_on=self._after(started, 2, 5),
                    **scoped,
                )
            )
        rows[Participant] += participants
        rows[CaseFileReview] += [
            CaseFileReview(
                review=review,
                records=records,
                reviewed_by=lead.full_name,
                reviewed_on=self._after(started, 3, 15),
                **scoped,
            )
            for records in self.rng.sample(content.CASE_FILES, 2)
        ]
        sessions = [
            Session(
                review=review,
                kind=Session.Kind.ONE_TO_ONE,
                date=self._after(started, 10, 30),
                place="Team office",
                **scoped,
            ),
            Session(
                review=review,
                kind=Session.Kind.GROUP,
                date=self._after(started, 30, 50),
                place="Meeting Room 4, Council Offices",
                **scoped,
            ),
        ]
        rows[Session] += sessions
        for p in participants:
            self._event(
                self._moment(started, 11),
                lead,
                "review.participant_add",
                f"Added {p.name} to the case group",
                ("reviews.review", review.pk),
            )
        return {
            "participants": participants,
            "sessions": sessions,
            "episodes": [],
            "findings": [],
            "conversations": [],
        }

    def _conversations(
        self, c: Case, made: dict[str, Any], rows: dict[type[models.Model], list[Any]]
    ) -> None:
        steps = STEPS_TAKEN[c.stage]
        if steps < 2:
            return
        review, d, lead = c.review, c.dates, c.leads[0]
        assert review is not None  # noqa: S101
        begun = d["conversations"]
        talked = (
            made["participants"]
            if steps > 2
            else made["participants"][: self.rng.randint(1, len(made["participants"]))]
        )
        for p in talked:
            sections = {
                k: v.replace("Jenna Scott", p.name) for k, v in content.CONVERSATION.items()
            }
            day = self._after(begun, 0, 20)
            conversation = Conversation(
                review=review,
                participant=p,
                date=day,
                sections=sections,
                factors=dict(content.CONVERSATION_FACTORS),
                version=2,
                **self._scoped(self._moment(day, 15), lead),
            )
            if p.user is not None and self.rng.random() < 0.3:
                conversation.participant_comment = "I have read it: that is how it was."
                conversation.participant_commented_on = self._moment(self._after(day, 1, 10), 12)
            made["conversations"].append(conversation)
            self._event(
                self._moment(day, 15),
                lead,
                "review.conversation_update",
                f"Recorded the conversation with {p.name}",
                ("reviews.review", review.pk),
            )
        rows[Conversation] += made["conversations"]
        scoped = self._scoped(self._moment(begun, 14), lead)
        rows[ReviewChronologyEntry] += [
            ReviewChronologyEntry(
                review=review, date=day, event=e, source=s, from_referral=True, **scoped
            )
            for day, e, s in c.chronology
        ] + [
            ReviewChronologyEntry(
                review=review,
                date=c.dates["identified"] - n_days(self.rng.randint(30, 300)),
                event=e,
                source=s,
                **scoped,
            )
            for e, s in self.rng.sample(content.REVIEW_CHRONOLOGY, 2)
        ]
        period_start = c.decision.period_start if c.decision and c.decision.period_start else begun
        episodes = []
        for title, assessment, factors, sub_factors in self.rng.sample(
            content.EPISODE_POOL, self.rng.randint(3, 4)
        ):
            start = period_start + n_days(self.rng.randint(0, 200))
            episodes.append(
                KeyPracticeEpisode(
                    review=review,
                    title=title,
                    start=start,
                    end=start + n_days(self.rng.randint(1, 60))
                    if self.rng.random() < 0.5
                    else None,
                    what_happened=c.referral.key_facts or "What happened, from the case records.",
                    assessment=assessment,
                    local_rationality="How it looked at the time: the safest choice that day.",
                    factors=dict(factors),
                    sub_factors=sub_factors,
                    **scoped,
                )
            )
        made["episodes"] = episodes
        rows[KeyPracticeEpisode] += episodes
        rows[EvidenceSource] += [
            EvidenceSource(review=review, heading=heading, description=text, **scoped)
            for heading, text in self.rng.sample(list(content.SOURCE_TEXTS.items()), 2)
        ]
        n = self.rng.randint(0, 3) if steps == 2 else self.rng.randint(4, 6)
        findings = []
        for title, text, issues, pattern, reach in self.rng.sample(
            content.FINDING_POOL, min(n, len(content.FINDING_POOL))
        ):
            findings.append(
                Finding(
                    review=review,
                    title=title,
                    text=text,
                    evidence="Seen in the conversations and the case records.",
                    issues_for_the_group=issues,
                    reach=reach,
                    pattern=pattern if self.rng.random() < 0.8 else "",
                    factors=self.rng.sample(content.FACTORS, self.rng.randint(1, 3)),
                    version=1,
                    **scoped,
                )
            )
        made["findings"] = findings
        rows[Finding] += findings

    def _accuracy_check(
        self, c: Case, made: dict[str, Any], rows: dict[type[models.Model], list[Any]]
    ) -> None:
        steps = STEPS_TAKEN[c.stage]
        if steps < 3:
            return
        review, d, lead = c.review, c.dates, c.leads[0]
        assert review is not None  # noqa: S101
        outline_content = [
            {
                "finding": f.pk,
                "title": f.title,
                "text": f.text,
                "evidence": f.evidence,
                "issues_for_the_group": f.issues_for_the_group,
                "reach": str(Reach(f.reach).label),
                "pattern": str(Pattern(f.pattern).label) if f.pattern else "",
                "factors": [str(Factor(x).label) for x in f.factors],
                "episodes": [],
            }
            for f in made["findings"]
        ]
        with_accounts = [p for p in made["participants"] if p.user is not None]
        outlines = []
        numbers = 1 if steps == 3 else self.rng.randint(1, 2)
        for number in range(1, numbers + 1):
            shared = d["outline_shared"] + n_days(7 * (number - 1))
            outline = Outline(
                review=review,
                number=number,
                content=outline_content,
                shared_on=self._moment(shared, 10),
                respond_by=shared + n_days(14),
                **self._scoped(self._moment(shared, 10), lead),
            )
            rows[Outline].append(outline)
            responders = (
                with_accounts
                if steps > 3
                else with_accounts[: self.rng.randint(0, len(with_accounts))]
            )
            outlines.append((outline, responders if number == numbers else []))
        made["outlines"] = outlines
        if steps >= 4:
            for number in range(1, (1 if steps == 4 else self.rng.randint(1, 2)) + 1):
                day = self._after(d["check_closed"], number - 1, number * 3)
                rows[ReportVersion].append(
                    ReportVersion(
                        review=review,
                        number=number,
                        docx=REPORT_DOCX,
                        uploaded=number > 1,
                        note="Uploaded" if number > 1 else "Generated from the workspace",
                        **self._scoped(self._moment(day, 12), lead),
                    )
                )
                self._event(
                    self._moment(day, 12),
                    lead,
                    "review.report_generated",
                    f"Generated version {number} of the draft report",
                    ("reviews.review", review.pk),
                )
