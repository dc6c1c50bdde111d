"""What came of the national data set's reviews (§3 step 6, §4): recommendations, actions,
dissemination, briefings and the learning library (`national_data.py`)."""

import datetime

from django.utils import timezone

from learning_reviews.accounts.models import (
    Role,
)
from learning_reviews.home import national_content as content
from learning_reviews.home.national_base import (
    CANONICAL,
    Case,
    Council,
    canonical_sections,
    insert,
    n_days,
    redacted,
    tags,
)
from learning_reviews.outcomes.models import (
    Action,
    ActionUpdate,
    Briefing,
    DisseminationItem,
    LibraryEntry,
    Recommendation,
    ReviewOutcome,
)


class Outcomes(Council):
    """Recommendations, action plans, briefings and the library."""

    # Outcomes -----------------------------------------------------------------------------

    def _outcomes(self) -> None:
        staged = [
            c for c in self.cases if c.stage in ("considering", "actions", "released", "closed")
        ]
        outcomes, recommendations = [], []
        member_pool = self.people.by_role[Role.CFCIG_MEMBER]
        for c in staged:
            review, d = c.review, c.dates
            assert review is not None  # noqa: S101
            member = self.rng.choice(member_pool)
            presented = d["presented"]
            outcome = ReviewOutcome(
                review=review, version=1, **self._scoped(self._moment(presented, 12), member)
            )
            findings = self.findings.get(review.pk, [])
            recorded = (
                findings
                if c.stage != "considering"
                else findings[: self.rng.randint(0, len(findings))]
            )
            for finding in recorded:
                roll = self.rng.random()
                response = (
                    Recommendation.Response.ACCEPTED
                    if roll < 0.7
                    else Recommendation.Response.ACCEPTED_WITH_CHANGES
                    if roll < 0.85
                    else Recommendation.Response.NOT_ACCEPTED
                )
                recommendations.append(
                    Recommendation(
                        review=review,
                        finding=finding,
                        text=self.rng.choice(content.RECOMMENDATION_POOL),
                        response=response,
                        changes="72 hours, designed jointly by the teams."
                        if response == Recommendation.Response.ACCEPTED_WITH_CHANGES
                        else "",
                        rationale="Outside the service's authority; referred to the "
                        "multi-agency planning group."
                        if response == Recommendation.Response.NOT_ACCEPTED
                        else "",
                        **self._scoped(self._moment(presented, 13), member),
                    )
                )
                outcome.version += 1
                self._event(
                    self._moment(presented, 13),
                    member,
                    "outcome.recommendation_recorded",
                    f"Recorded a recommendation on the finding “{finding.title}”",
                    ("reviews.review", review.pk),
                )
            if c.stage != "considering":
                confirmed = d["outcome_confirmed"]
                outcome.status = ReviewOutcome.Status.CONFIRMED
                outcome.confirmed_by, outcome.confirmed_on = self.chair, self._moment(confirmed, 15)
                outcome.monitoring_reporter = c.referral.service_manager
                outcome.monitoring_interval = self.rng.choice(ReviewOutcome.Interval.values)
                outcome.monitoring_notes = (
                    "The Service Manager reports progress on each action to the group."
                )
                outcome.version += 2
                self._event(
                    outcome.confirmed_on,
                    self.chair,
                    "outcome.recommendations_confirmed",
                    "Confirmed the recommendations",
                    ("reviews.review", review.pk),
                )
            if c.stage == "closed":
                closed = d["closed"]
                outcome.referrers_message = content.MESSAGE_TO_REFERRERS
                outcome.referrers_told_on = self._moment(
                    closed - n_days(self.rng.randint(1, 10)), 11
                )
                outcome.referrers_told_by = self.rng.choice(member_pool)
                outcome.status = ReviewOutcome.Status.CLOSED
                outcome.closed_on, outcome.closed_by = self._moment(closed, 16), self.chair
                outcome.version += 2
                self._event(
                    outcome.referrers_told_on,
                    outcome.referrers_told_by,
                    "referral.outcome_told",
                    "Told the worker and line manager what the review found",
                    ("referrals.referral", c.referral.pk),
                )
                self._event(
                    outcome.closed_on,
                    self.chair,
                    "review.closed",
                    "Closed the review: outcomes checked and the learning disseminated",
                    ("reviews.review", review.pk),
                    {"status": ["presented", "closed"]},
                )
            outcome.modified_on = outcome.closed_on or outcome.confirmed_on or outcome.created_on
            outcomes.append(outcome)
        insert(outcomes)
        insert(recommendations)
        self._actions(staged, recommendations)
        self._briefings(staged)

    def _actions(self, staged: list[Case], recommendations: list[Recommendation]) -> None:
        by_review: dict[int, list[Recommendation]] = {}
        for rec in recommendations:
            by_review.setdefault(rec.review_id, []).append(rec)
        members = self.people.by_role[Role.CFCIG_MEMBER]
        owners = [
            *self.people.by_role[Role.LINE_MANAGER],
            *self.people.by_role[Role.SERVICE_MANAGER],
        ]
        actions, items = [], []
        for c in staged:
            if c.stage == "considering" or c.review is None:
                continue
            review, d = c.review, c.dates
            confirmed = d["outcome_confirmed"]
            closed = d.get("closed")
            for rec in by_review.get(review.pk, []):
                if rec.response == Recommendation.Response.NOT_ACCEPTED:
                    continue
                for _ in range(self.rng.randint(2, 5)):
                    text, intended, measure = self.rng.choice(content.ACTIONS)
                    owner = self.rng.choice(owners)
                    due = confirmed + n_days(self.rng.randint(20, 150))
                    check = due + n_days(self.rng.randint(45, 90))
                    if closed is not None:
                        due = min(due, closed - n_days(30))
                        check = min(check, closed - n_days(2))
                    action = Action(
                        review=review,
                        recommendation=rec,
                        text=text,
                        owner=owner,
                        team=self.rng.choice(self.teams) if self.rng.random() < 0.5 else None,
                        due_on=max(due, confirmed),
                        intended_outcome=intended,
                        measure=measure,
                        outcome_check_on=max(check, confirmed + n_days(1)),
                        **self._scoped(self._moment(confirmed, 16), self.rng.choice(members)),
                    )
                    self._action_progress(action, closed)
                    actions.append(action)
            for audience, method in self.rng.sample(
                list(
                    zip(
                        DisseminationItem.Audience.values,
                        DisseminationItem.Method.values,
                        strict=False,
                    )
                ),
                self.rng.randint(1, 3),
            ):
                planned = confirmed + n_days(self.rng.randint(7, 60))
                done = closed is not None or (planned < self.today and self.rng.random() < 0.5)
                items.append(
                    DisseminationItem(
                        review=review,
                        audience=audience,
                        method=method,
                        owner=self.rng.choice(owners),
                        planned_on=min(planned, closed) if closed else planned,
                        done_on=(min(planned, closed) if closed else self._clamp(planned))
                        if done
                        else None,
                        **self._scoped(self._moment(confirmed, 16), self.rng.choice(members)),
                    )
                )
        insert(actions)
        updates = []
        for action in actions:
            for update in action._updates:  # type: ignore[attr-defined]
                update.action = action
                updates.append(update)
        insert(updates)
        insert(items)

    def _action_progress(self, action: Action, closed: datetime.date | None) -> None:
        """Where the action stands and the updates that took it there: every action of a closed
        review has its outcome checked; others as far as their dates allow."""
        created = action.created_on.date()
        end = closed or self.today
        member = action.created_by
        updates: list[ActionUpdate] = []
        checked = closed is not None or (
            action.outcome_check_on < self.today and self.rng.random() < 0.6
        )
        if checked:
            statuses = [Action.Status.IN_PROGRESS, Action.Status.DONE]
        else:
            statuses = self.rng.choice(
                [[], [Action.Status.IN_PROGRESS], [Action.Status.IN_PROGRESS, Action.Status.DONE]]
            )
        day = created
        previous = str(Action.Status.NOT_STARTED)
        for status in statuses:
            if day >= end:
                break
            day = day + n_days(self.rng.randint(1, max(1, (end - day).days // 2)))
            updates.append(
                ActionUpdate(
                    date=day,
                    text=self.rng.choice(content.ACTION_UPDATES),
                    status=status,
                    **self._scoped(self._moment(day, 14), action.owner),
                )
            )
            action.status = status
            self._event(
                self._moment(day, 14),
                action.owner,
                "outcome.action_progress",
                "Reported progress on an action",
                ("reviews.review", action.review.pk),
                {"status": [previous, status]},
            )
            previous = status
        action.version = 1 + len(updates)
        if checked and action.status == Action.Status.DONE:
            achieved = self.rng.random() < 0.75
            action.status = Action.Status.ACHIEVED if achieved else Action.Status.NOT_ACHIEVED
            action.outcome_evidence = "The figures show the change." if achieved else ""
            action.next_steps = "" if achieved else "Taken into the service plan for next year."
            recorded = min(max(action.outcome_check_on, day), end)
            action.outcome_recorded_by = member
            action.outcome_recorded_on = self._moment(recorded, 15)
            action.version += 1
            self._event(
                action.outcome_recorded_on,
                member,
                "outcome.action_outcome",
                "Recorded the outcome of an action",
                ("reviews.review", action.review.pk),
            )
        action.modified_on = max([action.created_on, *(self._moment(u.date, 14) for u in updates)])
        action._updates = updates  # type: ignore[attr-defined]

    def _briefings(self, staged: list[Case]) -> None:
        members = self.people.by_role[Role.CFCIG_MEMBER]
        briefings, entries = [], []
        for c in staged:
            review, d, r = c.review, c.dates, c.referral
            if review is None or c.stage == "considering":
                continue
            released = c.stage == "released" or (c.stage == "closed" and self.rng.random() < 0.9)
            writing = c.stage == "actions" and self.rng.random() < 0.3
            if not (released or writing):
                continue
            lead = c.leads[0]
            first = r.child_name.split()[0]
            sections = {
                k: v.format(child=r.child_name, first=first)
                for k, v in content.BRIEFING_SECTIONS.items()
            }
            start = self._after(d["outcome_confirmed"], 3, 20)
            briefing = Briefing(
                review=review,
                number=1,
                sections=sections,
                **self._scoped(self._moment(start, 10), lead),
            )
            if released or self.rng.random() < 0.5:
                briefing.status = Briefing.Status.AWAITING_APPROVAL
                briefing.redacted = {
                    k: redacted(v, CANONICAL) for k, v in canonical_sections().items()
                }
                briefing.submitted_on = self._moment(self._after(start, 1, 7), 11)
                briefing.version = 3
            if released:
                when = self._after(timezone.localdate(briefing.submitted_on), 1, 10)
                if d.get("closed"):
                    when = min(when, d["closed"])
                briefing.status = Briefing.Status.RELEASED
                briefing.approved_by = self.rng.choice(
                    [m for m in members if m.pk != lead.pk] or members
                )
                briefing.released_on = self._moment(when, 15)
                briefing.version = 4
            briefings.append(briefing)
        insert(briefings)
        for b in briefings:
            c_review = b.review
            rec = ("reviews.review", c_review.pk)
            self._event(
                b.created_on,
                b.created_by,
                "briefing.started",
                "Started version 1 of the learning briefing",
                rec,
            )
            if b.submitted_on:
                self._event(
                    b.submitted_on,
                    b.created_by,
                    "briefing.submitted",
                    "Sent version 1 of the learning briefing for approval",
                    rec,
                )
            if b.released_on:
                self._event(
                    b.released_on,
                    b.approved_by,
                    "briefing.released",
                    "Released version 1 of the learning briefing",
                    rec,
                )
        by_review = {b.review_id: b for b in briefings}
        recommendations = Recommendation.objects.filter(organisation=self.org).select_related(
            "finding"
        )
        recs_by_review: dict[int, list[Recommendation]] = {}
        for recommendation in recommendations:
            recs_by_review.setdefault(recommendation.review_id, []).append(recommendation)
        for c in staged:
            if c.review is None:
                continue
            review, r = c.review, c.referral
            findings = self.findings.get(review.pk, [])
            published = by_review.get(review.pk)
            if published is not None and published.released_on is not None:
                factors = sorted({f for finding in findings for f in finding.factors})
                patterns = sorted({finding.pattern for finding in findings if finding.pattern})
                text = published.redacted
                entries.append(
                    LibraryEntry(
                        review=review,
                        briefing=published,
                        kind=LibraryEntry.Kind.BRIEFING,
                        title=text.get("title", "") or "Learning briefing",
                        text="\n\n".join(v for k, v in text.items() if k != "title" and v.strip()),
                        team=r.team,
                        year=published.released_on.year,
                        released_on=published.released_on,
                        tags=tags(r.grounds, factors, patterns),
                        **self._scoped(published.released_on, published.approved_by),
                    )
                )
            if c.stage != "closed":
                continue
            at = self._moment(c.dates["closed"], 16)
            common = {
                "review": review,
                "team": r.team,
                "year": at.year,
                "released_on": at,
                **self._scoped(at, self.chair),
            }
            for finding in findings:
                body = "\n\n".join(
                    p for p in (finding.text, finding.issues_for_the_group) if p.strip()
                )
                entries.append(
                    LibraryEntry(
                        kind=LibraryEntry.Kind.FINDING,
                        title=redacted(finding.title),
                        text=redacted(body),
                        tags=tags(r.grounds, finding.factors, [finding.pattern]),
                        **common,
                    )
                )
            for accepted in recs_by_review.get(review.pk, []):
                if accepted.response == Recommendation.Response.NOT_ACCEPTED:
                    continue
                text = accepted.text + (
                    f"\n\nAccepted with changes: {accepted.changes}" if accepted.changes else ""
                )
                entries.append(
                    LibraryEntry(
                        kind=LibraryEntry.Kind.RECOMMENDATION,
                        title=redacted(f"Recommendation on: {accepted.finding.title}"),
                        text=redacted(text),
                        tags=tags(r.grounds, accepted.finding.factors, [accepted.finding.pattern]),
                        **common,
                    )
                )
        insert(entries)
