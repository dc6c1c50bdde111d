"""The subject access export: everything held about one child, as a ZIP of JSON and the stored
documents (docs/data-protection.md, "Subject access"): the referrals naming them with every
record of their cases, and the register's cases routed to another kind of review with their
triage answers.

Only the organisation's auditors make it: they read every referral and change nothing, and the
export is the one way they read a case's confidential records too, since the child is entitled
to all of it (docs/decisions/0037-retention-and-subject-access.md). Each export is audited.

The records are loaded with a fixed number of queries however many there are, and the ZIP is
written to a temporary file that spills to disk beyond a few megabytes, the documents copied
into it in chunks."""

import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404

from learning_reviews.accounts.models import Role, User
from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.audit.services import _json_safe
from learning_reviews.referrals.models import Referral
from learning_reviews.retention.cases import TO_REFERRAL
from learning_reviews.triage.models import CaseReview, Triage

IN_MEMORY = 5 * 1024 * 1024


def subject_access_organisation(user: object) -> int:
    """The organisation whose subject access requests `user` may answer: an active auditor's
    own; 404 for everyone else."""
    if not isinstance(user, User) or not user.is_active or not user.has_role(Role.AUDITOR):
        raise Http404("No such page")
    return int(user.organisation_id)


def matching_referrals(organisation_id: int, *, swis: str, name: str) -> list[Referral]:
    """The organisation's referrals naming the child: as the referred child by SWIS number
    (exactly) or name (ignoring case and spacing), or by name among the others in a household
    (a sibling's referral). Each is marked `named_in_household` if only the household names
    them."""
    swis, name = swis.strip(), " ".join(name.split())
    if not swis and not name:
        return []
    as_child = Q(pk__in=[])
    if swis:
        as_child |= Q(swis_number__iexact=swis)
    if name:
        as_child |= Q(child_name__iexact=name)
    in_household = Q(household__name__iexact=name) if name else Q(pk__in=[])
    found: list[Any] = list(
        Referral.objects.filter(as_child | in_household, organisation_id=organisation_id)
        .annotate(as_child=ExpressionWrapper(as_child, output_field=BooleanField()))
        .distinct()
        .order_by("pk")
    )
    for referral in found:
        referral.named_in_household = not referral.as_child
    return found


def matching_register(organisation_id: int, *, swis: str, name: str) -> list[CaseReview]:
    """The organisation's register cases (routed to another kind of review) naming the child,
    by SWIS number (exactly) or name (ignoring case and spacing): one query."""
    swis, name = swis.strip(), " ".join(name.split())
    if not swis and not name:
        return []
    wanted = Q(pk__in=[])
    if swis:
        wanted |= Q(swis_number__iexact=swis)
    if name:
        wanted |= Q(child_name__iexact=name)
    return list(
        CaseReview.objects.filter(wanted, organisation_id=organisation_id)
        .select_related("review_type")
        .order_by("pk")
    )


def _record(row: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {"id": row.pk}
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        data[field.attname] = value.name if isinstance(field, models.FileField) else value
    return _json_safe(data)


def _rows(referral_ids: list[int]) -> dict[type[models.Model], list[models.Model]]:
    """Every record of these referrals' cases: one query per kind of record."""
    return {
        model: list(model._default_manager.filter(**{f"{path}__in": referral_ids}).order_by("pk"))
        for model, path in TO_REFERRAL.items()
    }


def _about(rows: Iterable[tuple[type[models.Model], Sequence[models.Model]]]) -> Q:
    wanted = Q(pk__in=[])
    for model, records in rows:
        if records:
            wanted |= Q(
                record_type=model._meta.label_lower, record_id__in=[str(r.pk) for r in records]
            )
    return wanted


def _events(
    rows: Iterable[tuple[type[models.Model], Sequence[models.Model]]],
) -> tuple[list[AuditEvent], list[ViewSummary]]:
    """The audit events about these records, and who viewed them (how often, first and last):
    one query each."""
    wanted = _about(list(rows))
    return (
        list(AuditEvent.objects.filter(wanted).order_by("at", "pk")),
        list(ViewSummary.objects.filter(wanted).order_by("first_viewed_at", "pk")),
    )


def _referral_paths(referral_ids: list[int]) -> dict[type[models.Model], dict[int, int]]:
    """Each record's referral, by model and pk, from one query per model of (pk, referral)."""
    return {
        model: dict(
            model._default_manager.filter(**{f"{path}__in": referral_ids}).values_list("pk", path)
        )
        for model, path in TO_REFERRAL.items()
    }


def _files(rows: Iterable[models.Model]) -> Iterable[tuple[str, models.fields.files.FieldFile]]:
    for row in rows:
        for field in row._meta.concrete_fields:
            stored = getattr(row, field.attname) if isinstance(field, models.FileField) else None
            if stored:
                yield f"{row._meta.label_lower}-{row.pk}-{field.name}", getattr(row, field.name)


def _register_case(
    case: CaseReview, triages: dict[int, Triage], events: Sequence[AuditEvent | ViewSummary]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A register case's `case.json` (the case and its triage) and its `audit.json` (or, given
    the view summaries, `views.json`)."""
    triage = triages.get(case.triage_id) if case.triage_id else None
    mine = {("triage.casereview", str(case.pk))}
    if triage is not None:
        mine.add(("triage.triage", str(triage.pk)))
    record = {
        "triage.casereview": [_record(case)],
        "triage.triage": [_record(triage)] if triage is not None else [],
    }
    return record, [_record(e) for e in events if (e.record_type, e.record_id) in mine]


def build_export(referrals: list[Referral], cases: Sequence[CaseReview] = ()) -> IO[bytes]:
    """The ZIP of these referrals' cases and register cases: per referral, `case.json` (every
    record, by kind), `audit.json` (its audit history), `views.json` (who opened its records'
    pages, how often, first and last) and its documents under `files/`; per register case,
    `register-<id>/case.json` (the case and its triage answers), `audit.json` and
    `views.json`. Returned open, at its start."""
    ids = [r.pk for r in referrals]
    rows = _rows(ids)
    owners = _referral_paths(ids)
    triage_ids = {c.triage_id for c in cases if c.triage_id}
    triages = {t.pk: t for t in Triage.objects.filter(pk__in=triage_ids)} if triage_ids else {}
    events, views = _events([*rows.items(), (CaseReview, cases), (Triage, list(triages.values()))])
    by_record = {(m._meta.label_lower, str(pk)): owners[m][pk] for m in owners for pk in owners[m]}
    output = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 - the response closes it
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for referral in referrals:
            folder = referral.reference
            case = {
                model._meta.label_lower: [
                    _record(r) for r in records if owners[model][r.pk] == referral.pk
                ]
                for model, records in rows.items()
            }
            history = [
                _record(e)
                for e in events
                if by_record.get((e.record_type, e.record_id)) == referral.pk
            ]
            viewed = [
                _record(v)
                for v in views
                if by_record.get((v.record_type, v.record_id)) == referral.pk
            ]
            archive.writestr(f"{folder}/case.json", json.dumps(case, indent=2, ensure_ascii=False))
            archive.writestr(
                f"{folder}/audit.json", json.dumps(history, indent=2, ensure_ascii=False)
            )
            archive.writestr(
                f"{folder}/views.json", json.dumps(viewed, indent=2, ensure_ascii=False)
            )
            for model, records in rows.items():
                mine = [r for r in records if owners[model][r.pk] == referral.pk]
                for name, stored in _files(mine):
                    extension = (stored.name or "").rsplit(".", 1)[-1]
                    with (
                        stored.open("rb") as source,
                        archive.open(f"{folder}/files/{name}.{extension}", "w") as target,
                    ):
                        shutil.copyfileobj(source, target, 1024 * 1024)
        for register_case in cases:
            case_record, case_history = _register_case(register_case, triages, events)
            _, case_views = _register_case(register_case, triages, views)
            folder = f"register-{register_case.pk}"
            archive.writestr(
                f"{folder}/case.json", json.dumps(case_record, indent=2, ensure_ascii=False)
            )
            archive.writestr(
                f"{folder}/audit.json", json.dumps(case_history, indent=2, ensure_ascii=False)
            )
            archive.writestr(
                f"{folder}/views.json", json.dumps(case_views, indent=2, ensure_ascii=False)
            )
    output.seek(0)
    return output
