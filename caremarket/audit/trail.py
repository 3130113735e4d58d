"""Recording changes in the audit trail.

Call ``record`` inside the transaction that makes the change, so that the change
and its record are stored together or not at all::

    with transaction.atomic():
        before = snapshot(provider)
        provider.name = "New name"
        provider.save()
        record(request.user, "organisation.renamed", provider, before=before, reason="Company renamed")
"""

from __future__ import annotations

import json

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import FileField, Model

from caremarket.core import clock, tenancy
from caremarket.core.bulk import insert_rows

from .chain import HASHED_FIELDS, check_chain, event_hash
from .models import AuditEvent, AuditHead

NEVER_RECORDED = {"password", "key_hash"}  # secrets, even hashed, stay out of the trail
# A person's own details (a model lists them as ``personal_fields``) are named in the trail but
# never copied into it: the trail is kept for ever and cannot be changed, and what it holds of
# a person must go when the person's record is anonymised (privacy.retention).
PERSONAL = "(personal data: not kept in the audit trail)"


def _as_json(value):
    """The value exactly as the JSON column will give it back (dates and Decimals as text)."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: Model, *, related: bool = True) -> dict:
    """A record's stored fields (foreign keys by id), for ``before`` and ``after``; with
    ``related``, its many-to-many links too (one query each)."""
    data = {}
    personal = getattr(instance, "personal_fields", ())
    for field in instance._meta.concrete_fields:
        if field.name in NEVER_RECORDED:
            continue
        value = field.value_from_object(instance)
        if field.name in personal:
            value = PERSONAL if value not in (None, "") else value
        data[field.attname] = value.name if isinstance(field, FileField) else value  # a file by its path
    for field in instance._meta.many_to_many if related else ():
        if instance.pk is not None:
            data[field.name] = sorted(related.pk for related in field.value_from_object(instance))
    return _as_json(data)


def _object_label(obj: Model) -> str:
    """How the trail names a record: by its ``audit_name_field`` (a citizen's record number)
    when it has one, never by a person's name."""
    name_field = getattr(obj, "audit_name_field", None)
    return str(getattr(obj, name_field) if name_field else obj)[:300]


def council_of_event(actor, obj: Model) -> int | None:
    """Whose work an event records: the record's own council; else the council person's who
    made the change, or the council a task works for; else none (national)."""
    council = getattr(obj, "council_id", None)
    if council is None and getattr(actor, "is_council", False):
        council = actor.organisation_id
    return council if council is not None else tenancy.current()


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return f"{actor.get_username()} ({actor.get_role_display() or 'administrator'})"


def record(actor, action: str, obj: Model, *, before=None, after=..., reason: str = "") -> AuditEvent:
    """Append one event to the trail. ``actor`` is a user, or text naming a system job.

    ``after`` defaults to a snapshot of ``obj`` as it is now; pass ``None`` for a deletion.
    The event is written as it is, without a lock (``seal`` gives it its place in the chain).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction that makes the change")
    return AuditEvent.objects.create(
        occurred_at=clock.now(), actor_id=getattr(actor, "pk", None), actor_label=_actor_label(actor),
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk), object_label=_object_label(obj),
        before=_as_json(before), after=snapshot(obj) if after is ... else _as_json(after), reason=reason,
        council_id=council_of_event(actor, obj))


def record_many(actor, action: str, objs: list[Model], afters: list[dict], *, reason: str = "") -> None:
    """One event for each of many records made together (a nightly file's 100,000 people), with
    each one's ``after`` (a ``snapshot``): as ``record`` would write them, in one bulk insert."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the transaction that makes the change")
    occurred_at = AuditEvent._meta.get_field("occurred_at").get_db_prep_save(clock.now(), connection)
    actor_id, label = getattr(actor, "pk", None), _actor_label(actor)
    insert_rows(AuditEvent, ("occurred_at", "actor_id", "actor_label", "action", "object_type", "object_id",
                             "object_label", "after", "reason", "council_id"),
                [(occurred_at, actor_id, label, action, obj._meta.label_lower, str(obj.pk), _object_label(obj),
                  json.dumps(after), reason, council_of_event(actor, obj)) for obj, after in zip(objs, afters)])


SEAL_BATCH = 5000


def seal(batch: int = SEAL_BATCH) -> int:
    """Seal the events written since the last seal into the hash chain, in the order they were
    written (their ids), in batches; returns how many. Sealers take turns on the chain's head
    row, so any number may run: each seals what the one before left. Safe to re-run."""
    sealed = 0
    while True:
        with transaction.atomic():
            head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
            waiting = list(AuditEvent.objects.filter(sequence__isnull=True).order_by("pk")
                           .values("pk", *HASHED_FIELDS)[:batch])
            if not waiting:
                return sealed
            sequence, previous, links = head.sequence, head.hash, []
            for event in waiting:  # the content as stored: what the verifier will read back
                sequence += 1
                event.update(sequence=sequence, previous_hash=previous)
                previous = event_hash(event)
                links.append(AuditEvent(pk=event["pk"], sequence=sequence, previous_hash=event["previous_hash"],
                                        hash=previous))
            AuditEvent.objects.bulk_update(links, ["sequence", "previous_hash", "hash"], batch_size=1000)
            AuditHead.objects.filter(pk=1).update(sequence=sequence, hash=previous)
            sealed += len(links)


def model_of(object_type: str):
    """The model a label names, or once named before it moved app (``audit_former_labels``)."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return next((m for m in apps.get_models() if object_type in getattr(m, "audit_former_labels", ())), None)


def labels_of(object_type: str) -> list[str]:
    """A kind of record's label and the labels it was audited under before it moved app (a
    model names them in ``audit_former_labels``): events keep the label they were signed with."""
    model = model_of(object_type)
    if model is None:
        return [object_type]
    return [model._meta.label_lower, *getattr(model, "audit_former_labels", ())]


def history(obj: Model):
    """Events about one record, newest first."""
    return AuditEvent.objects.filter(object_type__in=labels_of(obj._meta.label_lower), object_id=str(obj.pk))


def verify():
    """Every problem with the sealed chain (an empty list when it is intact)."""
    with transaction.atomic():
        head = AuditHead.objects.filter(pk=1).values("sequence", "hash").first()
        events = (AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence")
                  .values(*HASHED_FIELDS, "hash").iterator(chunk_size=2000))
        return check_chain(events, head)


def waiting_to_be_sealed() -> int:
    return AuditEvent.objects.filter(sequence__isnull=True).count()
