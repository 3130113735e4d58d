"""Enqueue the scheduled jobs that are due. Safe with several schedulers running: each due
job is claimed under a row lock, so one run is enqueued once."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.module_loading import import_string

from caremarket.core import clock

from .models import ScheduledJob
from .timetable import next_run_after

logger = logging.getLogger(__name__)


def dispatch_due_jobs() -> list[str]:
    """Enqueue every enabled job whose time has come; returns their names."""
    now = clock.now()
    enqueued = []
    due = ScheduledJob.objects.filter(enabled=True, next_run_at__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            job = ScheduledJob.objects.select_for_update(skip_locked=True).filter(pk=pk, next_run_at__lte=now).first()
            if job is None:
                continue  # another scheduler took it
            import_string(job.task_path).enqueue()
            job.last_enqueued_at = now
            job.next_run_at = next_run_after(now, every_minutes=job.every_minutes, daily_at=job.daily_at)
            job.save(update_fields=["last_enqueued_at", "next_run_at"])
            enqueued.append(job.name)
            logger.info("scheduled job %s enqueued; next at %s", job.name, job.next_run_at)
    return enqueued
