from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One change of state: who, when, what, on which record, before and after, and why.

    Append-only and hash-chained: each event's ``hash`` covers its content and the
    previous event's hash, so editing or deleting a stored event breaks the chain
    (``manage.py verify_audit_trail``). An event is written without a place in the chain
    (so that writers never wait for one another) and sealed into it, in the order events
    were written, within seconds (``audit.trail.seal``, run by ``manage.py seal_audit_trail``).
    """

    sequence = models.PositiveBigIntegerField(unique=True, null=True, help_text="Its place in the chain, once sealed")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=300)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    reason = models.TextField(blank=True)
    previous_hash = models.CharField(max_length=64, unique=True, null=True)
    hash = models.CharField(max_length=64, unique=True, null=True)
    # Whose work it records (audit.trail.council_of_event): blank for what is national, a
    # provider's own records or the CQC register. It says who may read the event; the chain
    # covers what happened, not who reads it.
    council = models.ForeignKey("organisations.Organisation", null=True, on_delete=models.PROTECT,
                                related_name="+", editable=False)

    class Meta:
        ordering = [models.F("sequence").desc(nulls_first=True), "-id"]  # newest first, waiting to be sealed on top
        indexes = [models.Index(fields=["object_type", "object_id"]),
                   models.Index(fields=["council", "sequence"], name="audit_by_council"),
                   models.Index(fields=["id"], condition=models.Q(sequence__isnull=True), name="audit_unsealed")]

    def __str__(self):
        return f"#{self.sequence or 'new'} {self.action} {self.object_label}"

    @property
    def sealed(self) -> bool:
        return self.sequence is not None

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("audit events are never changed once written")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit events are never deleted")


class AuditHead(models.Model):
    """The chain's newest link (one row), moved on in the same transaction as each seal.

    Only the sealer locks it (writers never touch it), and it lets the verifier notice
    when the newest sealed events have been deleted.
    """

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
