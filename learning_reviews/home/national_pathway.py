"""The national data set's referrals along the pathway (§3 steps 0–3), the group's decisions,
further action, letters and the agendas of its meetings (`national_data.py`)."""

import datetime
import string
from typing import Any

from django.db import models

from learning_reviews.accounts.models import (
    Role,
    User,
)
from learning_reviews.core.working_days import add_working_days
from learning_reviews.home import national_content as content
from learning_reviews.home.national_base import (
    BATCH,
    LETTER_DOCX,
    LETTER_PDF,
    ORDER,
    REVIEW_STEPS,
    STEPS_TAKEN,
    YEARS,
    Case,
    Council,
    insert,
    link,
    n_days,
)
from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.letters import DEFAULTS as LETTER_WORDING
from learning_reviews.improvement_group.models import (
    AgendaItem,
    Decision,
    FurtherAction,
    Letter,
    LetterTemplate,
    Meeting,
    Objective,
    ProgressReport,
)
from learning_reviews.referrals.models import (
    AgencyInvolvement,
    ChronologyEntry,
    HouseholdMember,
    Referral,
    ReviewReason,
    Status,
    SupervisionNote,
)


class Pathway(Council):
    """Referrals, decisions, letters and agendas."""

    # Referrals ------------------------------------------------------------------------

    def _referrals(self) -> None:
        statuses: list[tuple[Status, str]] = [
            (status, "")
            for status, total in self.plan.referrals.items()
            for _ in range(self.plan.share(total, self.index))
        ]
        statuses += [
            (Status.REVIEW_COMMISSIONED, stage)
            for stage, total in self.plan.reviews.items()
            for _ in range(self.plan.share(total, self.index))
        ]
        self.rng.shuffle(statuses)
        # Some agreed referrals have the group's decision recorded at its last meeting, waiting
        # for the chair's confirmation: the first always, so every state is there.
        agreed = [n for n, (status, _) in enumerate(statuses) if status == Status.AGREED]
        recorded = {n for n in agreed if n == agreed[0] or self.rng.random() < 0.3}
        self.cases = [
            self._case(status, stage, recorded=n in recorded)
            for n, (status, stage) in enumerate(statuses)
        ]
        self.cases.sort(key=lambda c: c.dates["started"])
        insert([c.referral for c in self.cases])
        self._referral_items()

    def _dates(
        self, status: Status, stage: str, recorded: bool
    ) -> tuple[dict[str, datetime.date], Meeting | None]:
        rng, today = self.rng, self.today
        d: dict[str, datetime.date] = {}
        meeting = None
        decided_by_group = status in (
            Status.REVIEW_COMMISSIONED,
            Status.NOT_PROCEEDING,
            Status.FURTHER_ACTION_COMPLETE,
        )
        if decided_by_group:
            if status == Status.REVIEW_COMMISSIONED:
                steps = REVIEW_STEPS[: STEPS_TAKEN[stage]]
                spans = [rng.randint(lo, hi) for _, lo, hi in steps]
                if stage == "closed":
                    lag = rng.randint(0, max(1, 365 * YEARS - sum(spans) - 120))
                elif stage in ("actions", "released"):
                    lag = rng.randint(0, 240)
                else:
                    lag = rng.randint(1, 20)
                meeting = self._meeting_before(today - n_days(sum(spans) + lag))
            elif status == Status.NOT_PROCEEDING:
                meeting = self._meeting_before(today - n_days(rng.randint(7, 150)))
            else:
                meeting = self._meeting_before(today - n_days(rng.randint(200, 365 * YEARS - 60)))
            d["discussed"] = meeting.date
            d["decided"] = meeting.date - n_days(rng.randint(3, 25))
        elif status == Status.NOT_AGREED:
            d["decided"] = today - n_days(rng.randint(1, 365 * YEARS - 60))
        elif status == Status.AGREED and recorded:
            d["decided"] = self.meeting_days[-1] - n_days(rng.randint(1, 10))
        elif status == Status.AGREED:
            d["decided"] = today - n_days(rng.randint(0, 25))
        elif status == Status.WITH_SERVICE_MANAGER:
            d["recommended"] = today - n_days(rng.randint(0, 14))
        elif status == Status.SIGNED_BY_WORKER:
            d["signed"] = today - n_days(rng.randint(0, 10))
        elif status == Status.DISCUSSED:
            d["supervision"] = today - n_days(rng.randint(0, 20))
        else:
            d["started"] = today - n_days(rng.randint(0, 30))
        # Back from the last step reached to when the need was identified.
        back = (
            ("decided", "recommended", 1, 12),
            ("recommended", "signed", 0, 5),
            ("signed", "supervision", 1, 10),
            ("supervision", "started", 1, 10),
        )
        for later, earlier, low, high in back:
            if later in d:
                d[earlier] = d[later] - n_days(rng.randint(low, high))
        d["identified"] = d["started"] - n_days(rng.randint(1, 20))
        if meeting is not None:
            self._forward(d, status, stage)
        return d, meeting

    def _forward(self, d: dict[str, datetime.date], status: Status, stage: str) -> None:
        """The dates after the group's decision: the letter, further action, the review."""
        confirmed = d["discussed"]
        d["letter_sent"] = self._after(confirmed, 1, 6)
        if status == Status.FURTHER_ACTION_COMPLETE:
            d["completed"] = self._after(confirmed, 60, 180)
        if status != Status.REVIEW_COMMISSIONED:
            return
        day = confirmed
        for name, low, high in REVIEW_STEPS[: STEPS_TAKEN[stage]]:
            day = self._after(day, low, high)
            if name in ("presented", "outcome_confirmed"):
                meeting = self._meeting_after(day)
                day = meeting.date if meeting is not None else self.meeting_days[-1]
                day = max(day, d[ORDER[ORDER.index(name) - 1]] if ORDER.index(name) else day)
            d[name] = day

    def _case(self, status: Status, stage: str, recorded: bool) -> Case:
        rng = self.rng
        dates, meeting = self._dates(status, stage, recorded)
        team = rng.choice(self.teams)
        worker = rng.choice(self.people.workers[team.pk])
        line_manager = self.people.line_managers[team.pk][0]
        service_manager = rng.choice(self.people.by_role[Role.SERVICE_MANAGER])
        case = rng.choice(content.CASES).content
        child_name, parents = content.child(rng)
        complete = status != Status.DRAFT or rng.random() < 0.5
        started = self._moment(dates["started"], 9 + rng.randrange(8))
        referral = Referral(
            status=status,
            team=team,
            worker=worker,
            line_manager=line_manager,
            person_completing=worker.full_name,
            child_name=child_name,
            swis_number=f"5{rng.randrange(10**6):06d}",
            **self._scoped(started, worker),
        )
        if complete:
            old_first = case.child_name.split()[0]
            new_first = child_name.split()[0]
            referral.parents_carers = parents
            referral.grounds = list(case.grounds)
            referral.circumstances = case.circumstances.replace(old_first, new_first)
            referral.key_facts = case.key_facts
            referral.identified_at = case.identified_at
            referral.identified_on = dates["identified"]
            if case.identified_at == "other":
                referral.identified_at_other = "Professionals' meeting"
        made = Case(referral=referral, status=status, stage=stage, dates=dates, meeting=meeting)
        made.recorded = recorded
        self._fill_steps(made, worker, line_manager, service_manager, complete, case)
        return made

    def _fill_steps(
        self,
        made: Case,
        worker: User,
        line_manager: User,
        service_manager: User,
        complete: bool,
        case: Any,
    ) -> None:
        r, d, rng = made.referral, made.dates, self.rng
        last = r.created_on
        version = 1
        if complete:
            n = rng.randint(6, 14)
            pool = [(e, s) for c in content.CASES for _, e, s in c.content.chronology]
            picked = rng.sample(pool, min(n - 1, len(pool)))
            span = 900
            days = sorted(d["identified"] - n_days(rng.randint(1, span)) for _ in picked)
            made.chronology = [(day, e, s) for day, (e, s) in zip(days, picked, strict=True)] + [
                (d["identified"], "Meeting asks whether a learning review would help", "Minute")
            ]
            made.household = list(case.household)
            made.agencies = list(case.agencies)
            made.reasons = list(case.reasons)
            version += 1 + len(made.chronology) + len(case.household) + len(case.agencies)
            version += len(case.reasons)
        if "supervision" in d:
            r.supervision_date = d["supervision"]
            r.supervision_note = rng.choice(content.SUPERVISION_NOTES)
            last = self._moment(d["supervision"], 14)
            version += 1
        if "signed" in d:
            r.worker_signed_on, r.worker_signed_by = self._moment(d["signed"], 11), worker
            last = r.worker_signed_on
            version += 1
        if "recommended" in d:
            r.line_manager_signed_on = self._moment(d["recommended"], 15)
            r.line_manager_signed_by = line_manager
            r.service_manager = service_manager
            r.date_submitted = d["recommended"]
            last = r.line_manager_signed_on
            version += 1
        if "decided" in d:
            r.service_manager_decided_on = self._moment(d["decided"], 12)
            last = r.service_manager_decided_on
            version += 1
            if made.status == Status.NOT_AGREED:
                r.service_manager_reasons = rng.choice(content.DECLINED)
        if made.meeting is not None:
            last = self._moment(d["discussed"], 15)
            version += 1
            if "completed" in d:
                last = self._moment(d["completed"], 15)
                version += 1
        r.status_changed_on = last
        r.modified_on = max(last, r.created_on)
        r.modified_by = r.worker
        r.version = version
        r.due_on = self._due_on(made)

    def _due_on(self, made: Case) -> datetime.date | None:
        d, org = made.dates, self.org
        if made.status == Status.WITH_SERVICE_MANAGER:
            return add_working_days(
                d["recommended"], org.service_manager_decision_days, self.holidays
            )
        if made.status == Status.AGREED:
            return add_working_days(d["decided"], org.group_decision_days, self.holidays)
        if made.meeting is not None:
            return add_working_days(d["discussed"], org.feedback_letter_days, self.holidays)
        return None

    def _referral_items(self) -> None:
        items: dict[type[models.Model], list[Any]] = {
            HouseholdMember: [],
            AgencyInvolvement: [],
            ChronologyEntry: [],
            ReviewReason: [],
            SupervisionNote: [],
        }
        for c in self.cases:
            r = c.referral
            common = {"referral": r, **self._scoped(r.created_on, r.worker)}
            items[HouseholdMember] += [
                HouseholdMember(name=n, relationship=rel, **common) for n, rel in c.household
            ]
            items[AgencyInvolvement] += [
                AgencyInvolvement(agency=a, professional_name=p, discipline=di, **common)
                for a, p, di in c.agencies
            ]
            items[ChronologyEntry] += [
                ChronologyEntry(date=day, event=e, source=s, **common) for day, e, s in c.chronology
            ]
            items[ReviewReason] += [ReviewReason(text=t, **common) for t in c.reasons]
            if r.supervision_date:
                items[SupervisionNote].append(
                    SupervisionNote(
                        worker=r.worker,
                        line_manager=r.line_manager,
                        kind=SupervisionNote.Kind.DISCUSSION,
                        date=r.supervision_date,
                        text=r.supervision_note,
                        referral=r,
                        **self._scoped(self._moment(r.supervision_date, 14), r.line_manager),
                    )
                )
            if c.status == Status.NOT_AGREED:
                day = c.dates["decided"]
                items[SupervisionNote].append(
                    SupervisionNote(
                        worker=r.worker,
                        line_manager=r.line_manager,
                        kind=SupervisionNote.Kind.SERVICE_MANAGER_DECLINED,
                        date=day,
                        text=r.service_manager_reasons,
                        referral=r,
                        **self._scoped(self._moment(day, 12), r.service_manager),
                    )
                )
            self._referral_events(c)
        for objects in items.values():
            insert(objects)

    def _referral_events(self, c: Case) -> None:
        r, d = c.referral, c.dates
        rec = ("referrals.referral", r.pk)
        self._event(
            r.created_on,
            r.worker,
            "referral.started",
            "Started the referral form",
            rec,
            {"team": r.team.name},
        )
        if r.circumstances:
            self._event(
                r.created_on + n_days(1),
                r.worker,
                "referral.updated",
                "Changed “The child”",
                rec,
                {"child_name": [None, r.child_name]},
            )
            for kind, label, n in (
                ("household", "others in household", len(c.household)),
                ("agencies", "other agencies involved", len(c.agencies)),
                ("chronology", "chronology", len(c.chronology)),
                ("reasons", "reasons why a Learning Review has been requested", len(c.reasons)),
            ):
                for _ in range(n):
                    self._event(
                        r.created_on + n_days(1),
                        r.worker,
                        f"referral.{kind}.added",
                        f"Added to “{label}”",
                        rec,
                    )
        steps = (
            (
                "supervision",
                r.line_manager,
                "referral.record_supervision",
                "Recorded the supervision discussion",
                "discussed",
            ),
            (
                "signed",
                r.worker,
                "referral.sign_as_worker",
                "Signed the referral form as the worker",
                "signed_by_worker",
            ),
            (
                "recommended",
                r.line_manager,
                "referral.recommend",
                f"Signed and recommended a review to {r.service_manager}",
                "with_service_manager",
            ),
        )
        before = "draft"
        for key, actor, action, summary, after in steps:
            if key in d:
                self._event(d[key], actor, action, summary, rec, {"status": [before, after]})
                before = after
        if "decided" in d and r.service_manager is not None:
            agreed = c.status != Status.NOT_AGREED
            self._event(
                r.service_manager_decided_on or d["decided"],
                r.service_manager,
                "referral.agree" if agreed else "referral.decline",
                "Agreed the case meets the criteria"
                if agreed
                else "Did not agree the case meets the criteria",
                rec,
                {"status": [before, "agreed" if agreed else "not_agreed"]},
            )

    # The group's decisions, further action and letters -----------------------------------

    def _decisions(self) -> None:
        members = self.people.by_role[Role.CFCIG_MEMBER]
        leads_pool = self.people.by_role[Role.LEAD_REVIEWER]
        decisions, objectives, actions, letters = [], [], [], []
        lead_rows: list[dict[str, int]] = []
        latest = self.meetings[-1]
        for c in self.cases:
            r, d = c.referral, c.dates
            recorded_only = c.recorded
            if c.meeting is None and not recorded_only:
                continue
            meeting = c.meeting or latest
            member = self.rng.choice(members)
            proceed = c.status == Status.REVIEW_COMMISSIONED
            decision = Decision(
                referral=r,
                meeting=meeting,
                status=Decision.Status.RECORDED if recorded_only else Decision.Status.CONFIRMED,
                version=1 if recorded_only else 2,
                date_discussed=meeting.date,
                proceed=proceed,
                rationale=self.rng.choice(
                    content.GROUP_RATIONALE if proceed else content.NOT_PROCEEDING
                ),
                meets_criteria=True,
                will_benefit=proceed,
                **self._scoped(self._moment(meeting.date, 11), member),
            )
            c.meeting, c.decision = meeting, decision
            if not recorded_only:
                decision.confirmed_by, decision.confirmed_on = (
                    self.chair,
                    self._moment(meeting.date, 15),
                )
                decision.modified_on, decision.modified_by = decision.confirmed_on, self.chair
            if proceed:
                decision.period_end = d["identified"]
                decision.period_start = d["identified"] - n_days(self.rng.randint(300, 900))
                decision.scope = "The period under review and the support around the child."
                decision.who_involved = "The worker, line manager and the professionals involved."
                decision.timescale = meeting.date + n_days(16 * 7)
                decision.support_confirmed = True
                c.leads = self.rng.sample(leads_pool, 1 if self.rng.random() < 0.8 else 2)
            if "completed" in d:
                decision.further_action_completed_on = self._moment(d["completed"], 15)
            decisions.append(decision)
            rec = ("referrals.referral", r.pk)
            self._event(
                self._moment(meeting.date, 11),
                member,
                "referral.group_decision_recorded",
                "Recorded the improvement group's decision: "
                + ("proceed to a Learning Review" if proceed else "do not proceed"),
                rec,
            )
            if not recorded_only:
                after = "review_commissioned" if proceed else "not_proceeding"
                self._event(
                    decision.confirmed_on,
                    self.chair,
                    "referral.group_proceed" if proceed else "referral.group_not_proceed",
                    "The improvement group agreed "
                    + (
                        "to proceed to a Learning Review"
                        if proceed
                        else "not to proceed to a Learning Review"
                    ),
                    rec,
                    {"status": ["agreed", after]},
                )
                self._event(
                    decision.confirmed_on,
                    self.chair,
                    "referral.group_decision_confirmed",
                    "Confirmed the improvement group's decision",
                    rec,
                )
            if "completed" in d:
                self._event(
                    decision.further_action_completed_on,
                    self.chair,
                    "referral.further_action_complete",
                    "The improvement group marked the further action complete",
                    rec,
                    {"status": ["not_proceeding", "further_action_complete"]},
                )
        insert(decisions)
        for c in self.cases:
            if c.decision is None:
                continue
            decision = c.decision
            common = {
                "decision": decision,
                **self._scoped(decision.created_on, decision.created_by),
            }
            if decision.proceed:
                objectives += [
                    Objective(text=t, **common) for t in self.rng.sample(content.OBJECTIVES, 2)
                ]
                lead_rows += [{"decision_id": decision.pk, "user_id": u.pk} for u in c.leads]
            else:
                for _ in range(self.rng.randint(1, 2)):
                    actions.append(
                        FurtherAction(
                            text=self.rng.choice(content.FURTHER_ACTIONS),
                            owner=c.referral.line_manager,
                            due_on=decision.date_discussed + n_days(self.rng.randint(30, 90)),
                            **common,
                        )
                    )
            if decision.status == Decision.Status.CONFIRMED:
                letters.append(self._letter(c))
        insert(objectives)
        insert(actions)
        link(Decision.lead_reviewers.through, lead_rows)
        insert([letter for letter in letters if letter is not None])
        self._progress_reports(actions)

    def _letter(self, c: Case) -> Letter | None:
        decision, r = c.decision, c.referral
        assert decision is not None  # noqa: S101
        sent = c.dates["letter_sent"]
        if sent >= self.today:
            return None  # not yet written: the Service Manager's task
        kind = LetterTemplate.Kind.PROCEED if decision.proceed else LetterTemplate.Kind.NOT_PROCEED
        subject, body = LETTER_WORDING[kind]
        values = {
            "worker_name": r.worker.full_name,
            "line_manager_name": r.line_manager.full_name,
            "service_manager_name": r.service_manager.full_name if r.service_manager else "",
            "reference": r.reference,
            "child_name": r.child_name,
            "date_discussed": f"{decision.date_discussed.day} {decision.date_discussed:%B %Y}",
            "rationale": decision.rationale,
            "group_name": self.org.improvement_group_name,
            "organisation": self.org.name,
        }
        by = r.service_manager or self.people.one(Role.SERVICE_MANAGER)
        letter = Letter(
            decision=decision,
            subject=string.Template(subject).safe_substitute(values),
            body=string.Template(body).safe_substitute(values),
            pdf=LETTER_PDF,
            docx=LETTER_DOCX,
            recipients=[
                {"name": p.full_name, "email": p.email} for p in (r.worker, r.line_manager)
            ],
            sent_on=self._moment(sent, 11),
            sent_by=by,
            **self._scoped(self._moment(sent, 10), by),
        )
        rec = ("referrals.referral", r.pk)
        self._event(
            letter.created_on,
            by,
            "referral.letter_prepared",
            "Prepared the written feedback on the group's decision",
            rec,
        )
        self._event(
            letter.sent_on,
            by,
            "referral.letter_sent",
            "Sent the written feedback on the group's decision",
            rec,
        )
        return letter

    def _progress_reports(self, actions: list[FurtherAction]) -> None:
        reports = []
        by_decision = {c.decision.pk: c for c in self.cases if c.decision is not None}
        for action in actions:
            c = by_decision[action.decision.pk]
            end = c.dates.get("completed", self.today)
            start = action.decision.date_discussed + n_days(7)
            if start >= end:
                continue
            for _ in range(self.rng.randint(0 if "completed" not in c.dates else 1, 2)):
                day = start + n_days(self.rng.randint(0, (end - start).days))
                reports.append(
                    ProgressReport(
                        action=action,
                        text=self.rng.choice(content.PROGRESS),
                        reported_on=day,
                        **self._scoped(day, c.referral.line_manager),
                    )
                )
                self._event(
                    day,
                    c.referral.line_manager,
                    "referral.progress_reported",
                    "Reported progress on a further action",
                    ("referrals.referral", c.referral.pk),
                )
        insert(reports)

    # The agendas ------------------------------------------------------------------------

    def _agendas(self) -> None:
        """Each past meeting's agenda, minuted: the referrals decided at it, progress reports on
        further action, findings presented, recommendations and action plans."""
        by_meeting: dict[int, list[tuple[str, Case]]] = {}
        for c in self.cases:
            if c.meeting is None:
                continue
            by_meeting.setdefault(c.meeting.pk, []).append((AgendaItem.Kind.REFERRAL, c))
            d = c.dates
            if c.status in (Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE):
                end = d.get("completed", self.today)
                day = c.meeting.date + n_days(1)
                for _ in range(self.rng.randint(1, 3)):
                    m = self._meeting_after(day)
                    if m is None or m.date > end:
                        break
                    by_meeting.setdefault(m.pk, []).append((AgendaItem.Kind.PROGRESS, c))
                    day = m.date + n_days(28)
            for key, kind in (
                ("presented", AgendaItem.Kind.FINDINGS),
                ("outcome_confirmed", AgendaItem.Kind.RECOMMENDATIONS),
            ):
                if key in d:
                    m = self._meeting_after(d[key])
                    if m is not None and m.date == d[key]:
                        by_meeting.setdefault(m.pk, []).append((kind, c))
            if "outcome_confirmed" in d:
                day = d["outcome_confirmed"] + n_days(1)
                end = d.get("closed", self.today)
                for _ in range(self.rng.randint(1, 3)):
                    m = self._meeting_after(day + n_days(self.rng.randint(20, 60)))
                    if m is None or m.date > end:
                        break
                    by_meeting.setdefault(m.pk, []).append((AgendaItem.Kind.ACTION_PLAN, c))
                    day = m.date
        items = []
        member = self.people.one(Role.CFCIG_MEMBER)
        for meeting in self.meetings:
            seen = set()
            position = 0
            for item_kind, c in by_meeting.get(meeting.pk, []):
                if (item_kind, c.referral.pk) in seen:
                    continue
                seen.add((item_kind, c.referral.pk))
                position += 1
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        kind=item_kind,
                        position=position,
                        referral=c.referral,
                        minutes="Discussed; the group's decision and actions are recorded.",
                        version=2,
                        **self._scoped(meeting.created_on, member),
                    )
                )
            if position:
                meeting.version = 1 + 2 * position
                rec = ("improvement_group.meeting", meeting.pk)
                self._event(
                    meeting.created_on,
                    member,
                    "meeting.agenda",
                    f"Added {position} item(s) to the agenda",
                    rec,
                )
                for n in range(1, position + 1):
                    self._event(
                        self._moment(meeting.date, 17),
                        member,
                        "meeting.minutes",
                        f"Minuted item {n}",
                        rec,
                    )
        insert(items)
        Meeting.objects.bulk_update(self.meetings, ["version"], batch_size=BATCH)

    def plan_next_meeting(self) -> None:
        """The next planned meeting, its agenda assembled from the queue by the group's own
        service, as a member would (with the dates of now, so after `dates_as_given`)."""
        member = User.objects.get(pk=self.people.one(Role.CFCIG_MEMBER).pk)
        day = self.today + n_days(7)
        while day.weekday() != 1:
            day += n_days(1)
        group_services.meeting_create(
            by=member,
            date=day,
            place=content.PLACES_TO_MEET[0],
            attendees=[self.chair, member, self.people.one(Role.SERVICE_MANAGER)],
        )
