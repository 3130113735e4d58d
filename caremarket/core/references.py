"""Reference numbers people quote (CR-000123, CP-000456): numbered from the primary key."""

import uuid


def with_reference(instance, prefix: str, *, separator: str = "-", digits: int = 6):
    """Save, then number the record from its primary key (unique without a counter to race on).
    The carers register numbers its carers without a separator and to seven digits (C0000123)."""
    instance.reference = f"new-{uuid.uuid4().hex[:16]}"
    instance.save()
    instance.reference = f"{prefix}{separator}{instance.pk:0{digits}d}"
    type(instance).objects.filter(pk=instance.pk).update(reference=instance.reference)
    return instance
