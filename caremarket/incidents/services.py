"""Reporting, triaging and closing incidents (``rules`` decides; this stores and records)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.references import with_reference
from caremarket.quality.services import record_intelligence

from . import rules
from .models import Incident


def report(actor, incident: Incident) -> Incident:
    problems = rules.report_problems(incident.kind, incident.occurred_on, incident.what_happened,
                                     incident.immediate_action, clock.today())
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        incident.reported_by, incident.reported_at = actor, clock.now()
        with_reference(incident, "INC")
        record(actor, "incident.reported", incident,
               after={"kind": incident.kind, "service": incident.location_id, "occurred on": str(incident.occurred_on)})
    return incident


def triage(actor, incident: Incident, *, substantiated: bool, severity: str, notes: str) -> Incident:
    if not notes.strip():
        raise ValidationError({"notes": "Say why you decided as you did"})
    if severity not in Incident.Severity.values:
        raise ValidationError({"severity": "Choose how severe it is"})
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.status != Incident.Status.REPORTED:
            raise ValidationError("This report was triaged already")
        incident.substantiated, incident.severity, incident.triage_notes = substantiated, severity, notes
        incident.triaged_by, incident.triaged_at = actor, clock.now()
        incident.status = Incident.Status.INVESTIGATING if substantiated else Incident.Status.CLOSED
        if not substantiated:
            incident.closed_by, incident.closed_on = actor, clock.today()
            incident.findings = incident.learning = "Triaged as not standing: " + notes
        incident.save()
        record(actor, "incident.triaged", incident, after={"stands": substantiated, "severity": severity},
               reason=notes)
    kind = rules.intelligence_kind(incident.kind, substantiated)
    if kind:  # counts towards the service's triggers, which are checked at once
        intelligence = record_intelligence(incident.location, actor, kind=kind, on=incident.occurred_on,
                                           description=f"{incident.reference}: {incident.get_kind_display()}")
        Incident.objects.filter(pk=incident.pk).update(intelligence=intelligence)
    return incident


def close(actor, incident: Incident, *, findings: str, learning: str) -> Incident:
    problems = rules.close_problems(findings, learning)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.status != Incident.Status.INVESTIGATING:
            raise ValidationError("Only a report being investigated can be closed")
        incident.findings, incident.learning = findings, learning
        incident.status, incident.closed_by, incident.closed_on = Incident.Status.CLOSED, actor, clock.today()
        incident.save()
        record(actor, "incident.closed", incident, reason=learning)
    return incident
