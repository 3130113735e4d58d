"""People and assessments in from the client record system, by the API or a nightly file.

Each batch is checked whole first (citizens.client_records): one wrong row refuses the batch,
with every problem named by row and field, and nothing is stored. A good batch is stored in one
transaction as upserts on the sender's keys (the person id, the assessment id): a row that
matches what is held changes nothing, so the same batch or file sent twice changes nothing the
second time. A change to an assessment that Caremarket has acted on since (a requirement raised
from it, tendered or awarded) is not written over: it waits for a person to accept or reject.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from caremarket.accounts.roles import COUNCIL_ROLES
from caremarket.audit.trail import record, record_many, snapshot
from caremarket.core import clock
from caremarket.core.bulk import create_all, insert_rows
from caremarket.organisations.councils import council_of
from caremarket.geography.models import Ward
from caremarket.reference.models import NeedGroup, ServiceType

from .client_records import Known, Problem, read_assessment, read_person, repeated_keys
from .models import Assessment, Citizen, IntakeBatch, WaitingChange

MOST_ROWS = 100_000  # in one batch or file: a larger one is split by the sender
PROBLEMS_KEPT = 300  # named in the answer; the count says how many there were in all
CHUNK = 2_000  # rows read from the database at a time
SOURCE = "From the client record system"


class BatchRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems):,} problems")
        self.problems = problems


class KeyReused(Exception):
    """An Idempotency-Key already used for a different batch."""


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    waiting: int = 0  # changes that clash with what Caremarket has done since, waiting for a person


def known() -> Known:
    staff = get_user_model().objects.filter(role__in=COUNCIL_ROLES, is_active=True)
    return Known(service_types={c.lower(): pk for c, pk in ServiceType.objects.values_list("code", "pk")},
                 need_groups={c.lower(): pk for c, pk in NeedGroup.objects.values_list("code", "pk")},
                 wards={c.lower(): pk for c, pk in Ward.objects.values_list("ons_code", "pk")},
                 social_workers={e.lower(): pk for e, pk in staff.values_list("email", "pk") if e})


def _checked(rows: list, read, key: str, what: str) -> list[dict]:
    """Every row read, or BatchRefused with every problem in the batch."""
    if len(rows) > MOST_ROWS:
        raise BatchRefused([Problem(MOST_ROWS + 1, key, f"a batch holds at most {MOST_ROWS:,} {what}: "
                                                        "send the rest in another")])
    facts, today, problems, read_rows = known(), clock.today(), [], []
    for number, raw in enumerate(rows, start=1):
        if not isinstance(raw, dict):
            problems.append(Problem(number, key, "the row is not a set of named fields"))
            continue
        values, found = read(number, raw, facts, today)
        problems += found
        read_rows.append(values)
    keys = [str(raw.get(key) or "").strip() if isinstance(raw, dict) else "" for raw in rows]
    problems += [Problem(number, key, f"is also on row {earlier:,}: a batch names each once")
                 for number, earlier in repeated_keys(keys).items()]
    if problems:
        raise BatchRefused(sorted(problems, key=lambda p: p.row))
    return read_rows


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


PERSON_STORED = ("given_name", "family_name", "date_of_birth", "nhs_number", "address", "postcode", "ward_id",
                 "social_worker_id", "died_on")


def _council_of(sender) -> int:
    """The council whose people a batch is: its sender's; the install's only council for a file."""
    return council_of(sender)


def receive_people(rows: list, sender) -> Outcome:
    people = _checked(rows, read_person, "person_id", "people")
    council, outcome = _council_of(sender), Outcome()
    with transaction.atomic():
        for chunk in _chunks(people):
            held = {c.reference: c for c in Citizen.objects.select_for_update()
                    .filter(council=council, reference__in=[p["reference"] for p in chunk])}
            new = create_all(Citizen, [Citizen(**values, council_id=council)
                                       for values in chunk if values["reference"] not in held])
            record_many(sender, "citizen.received", new, [snapshot(c) for c in new], reason=SOURCE)
            outcome.created += len(new)
            for values in chunk:
                citizen = held.get(values["reference"])
                if citizen is None:
                    continue
                changed = [f for f in PERSON_STORED if getattr(citizen, f) != values[f]]
                if not changed:
                    outcome.unchanged += 1
                    continue
                before = snapshot(citizen)
                for name in changed:
                    setattr(citizen, name, values[name])
                citizen.save(update_fields=changed)
                # The trail names what changed; a person's details are never copied into it.
                changes = ", ".join(Citizen._meta.get_field(name).verbose_name for name in changed)
                record(sender, "citizen.updated", citizen, before=before, reason=f"{SOURCE}: changed {changes}")
                outcome.updated += 1
    return outcome


ASSESSMENT_STORED = ("assessed_on", "service_type_id", "eligible_needs", "outcomes", "weekly_hours",
                     "weekly_budget_pence", "status")


def _differences(assessment: Assessment, values: dict, groups: list[int]) -> dict:
    changed = {f: values[f] for f in ASSESSMENT_STORED if getattr(assessment, f) != values[f]}
    if groups != sorted(group.pk for group in assessment.need_groups.all()):  # prefetched with the batch
        changed["need_group_ids"] = groups
    return changed


def receive_assessments(rows: list, sender) -> Outcome:
    assessments = _checked(rows, read_assessment, "assessment_id", "assessments")
    citizens, council = {}, _council_of(sender)
    for chunk in _chunks(sorted({a["person_id"] for a in assessments})):
        citizens.update(Citizen.objects.filter(council=council, reference__in=chunk)
                        .values_list("reference", "pk"))
    missing = [Problem(number, "person_id", f"no person '{a['person_id'][:20]}' has been sent: send the person "
                                            "first, then their assessments")
               for number, a in enumerate(assessments, start=1) if a["person_id"] not in citizens]
    if missing:
        raise BatchRefused(missing)
    outcome = Outcome()
    with transaction.atomic():
        for chunk in _chunks(assessments):
            held = {a.source_id: a for a in Assessment.objects.select_for_update()
                    .filter(council=council, source_id__in=[a["source_id"] for a in chunk])
                    .prefetch_related("need_groups")}
            outcome.created += _create_assessments([a for a in chunk if a["source_id"] not in held], citizens, council,
                                                  sender)
            for values in chunk:
                assessment = held.get(values["source_id"])
                if assessment is None:
                    continue
                values = dict(values)
                groups, _ = values.pop("need_group_ids"), values.pop("person_id")
                changed = _differences(assessment, values, groups)
                if not changed:
                    outcome.unchanged += 1
                elif assessment.requirements.exclude(status="cancelled").exists():
                    outcome.waiting += _wait(assessment, changed, sender)
                else:
                    _apply(assessment, changed, sender, reason=SOURCE)
                    outcome.updated += 1
    return outcome


def _create_assessments(rows: list[dict], citizens: dict[str, int], council: int, sender) -> int:
    new = create_all(Assessment, [
        # The person as far as the audit trail's label needs them (their number), not read again.
        Assessment(citizen=Citizen(pk=citizens[row["person_id"]], reference=row["person_id"]), council_id=council,
                   **{name: value for name, value in row.items() if name not in ("person_id", "need_group_ids")})
        for row in rows])
    insert_rows(Assessment.need_groups.through, ("assessment_id", "needgroup_id"),
                [(assessment.pk, group) for assessment, row in zip(new, rows) for group in row["need_group_ids"]])
    record_many(sender, "assessment.received", new,
                [snapshot(a, related=False) | {"need_groups": sorted(row["need_group_ids"])}
                 for a, row in zip(new, rows)], reason=SOURCE)
    return len(new)


def _wait(assessment: Assessment, changed: dict, sender) -> int:
    """Keep the clashing change for a person to decide; the same change sent again waits once."""
    proposed = json.loads(json.dumps(changed, default=str))
    digest = hashlib.sha256(json.dumps(proposed, sort_keys=True).encode()).hexdigest()
    if WaitingChange.objects.filter(assessment=assessment, decided_at__isnull=True, values_sha256=digest).exists():
        return 0
    waiting = WaitingChange.objects.create(assessment=assessment, values=proposed, values_sha256=digest,
                                           received_at=clock.now())
    record(sender, "assessment.change_waiting", waiting, reason="Care has been arranged from this assessment since")
    return 1


def _apply(assessment: Assessment, changed: dict, actor, *, reason: str) -> None:
    before = snapshot(assessment)
    groups = changed.pop("need_group_ids", None)
    for name, value in changed.items():
        setattr(assessment, name, value)
    if changed:
        assessment.save(update_fields=list(changed))
    if groups is not None:
        assessment.need_groups.set(groups)
    record(actor, "assessment.updated", assessment, before=before, reason=reason)


def decide(waiting: WaitingChange, person, *, accept: bool, reason: str) -> WaitingChange:
    """A person accepts a waiting change (it is written to the assessment) or rejects it."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why"})
    with transaction.atomic():
        waiting = WaitingChange.objects.select_for_update().select_related("assessment").get(pk=waiting.pk)
        if waiting.decided_at is None:
            if accept:
                values = dict(waiting.values)
                field_of = {f.attname: f for f in Assessment._meta.concrete_fields}
                changed = {name: field_of[name].to_python(value) if name in field_of else value
                           for name, value in values.items()}
                _apply(waiting.assessment, changed, person, reason=reason)
            waiting.accepted, waiting.decided_by, waiting.decided_at = accept, person, clock.now()
            waiting.reason = reason.strip()
            waiting.save()
            record(person, "assessment.change_accepted" if accept else "assessment.change_rejected", waiting,
                   reason=reason)
    return waiting


def remembered(sender, key: str, kind: str, body: bytes, work) -> dict:
    """Do ``work`` once for an Idempotency-Key: the same key and body again answers what the
    first answered, and does nothing; the same key with another body is refused."""
    digest = hashlib.sha256(body).hexdigest()
    earlier = IntakeBatch.objects.filter(sender=sender, key=key).first()
    if earlier is not None:
        if earlier.body_sha256 != digest or earlier.kind != kind:
            raise KeyReused("This Idempotency-Key was used for a different batch: use a new key for each batch")
        return earlier.outcome
    outcome = asdict(work())
    try:
        with transaction.atomic():
            IntakeBatch.objects.create(sender=sender, key=key, kind=kind, body_sha256=digest, outcome=outcome,
                                       received_at=clock.now())
    except IntegrityError:  # the same key sent twice at once: the upserts made the second change nothing
        pass
    return outcome


def rows_from_file(stream, name: str, key: str) -> list[dict]:
    """A nightly file's rows: CSV with a header row, or JSON Lines (``.jsonl``), one object a
    line. A file of more than MOST_ROWS rows is refused before the rest of it is read."""
    lines = (raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw for raw in stream)
    rows = []
    try:
        if name.lower().endswith((".jsonl", ".ndjson")):
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as error:
                        raise BatchRefused([Problem(number, key, f"line {number:,} is not JSON ({error.msg})")])
                if len(rows) > MOST_ROWS:
                    break
        else:
            reader = csv.DictReader(lines)
            for row in reader:
                rows.append(row)
                if len(rows) > MOST_ROWS:
                    break
            if reader.fieldnames is None or key not in reader.fieldnames:
                raise BatchRefused([Problem(1, key, f"the header row has no '{key}' column")])
    except UnicodeDecodeError:
        raise BatchRefused([Problem(len(rows) + 1, key, "the file is not UTF-8 text")]) from None
    return rows
