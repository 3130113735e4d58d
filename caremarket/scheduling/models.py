from django.db import models


class ScheduledJob(models.Model):
    """A background task that runs on a timetable, enqueued by ``manage.py scheduler``."""

    name = models.SlugField(max_length=100, unique=True)
    task_path = models.CharField(max_length=200, help_text="Dotted path of a django-tasks task")
    every_minutes = models.PositiveIntegerField(null=True, blank=True)
    daily_at = models.TimeField(null=True, blank=True, help_text="UK time")
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["next_run_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(every_minutes__isnull=False) ^ models.Q(daily_at__isnull=False),
                name="job_has_exactly_one_timetable",
            )
        ]

    def __str__(self):
        return self.name
