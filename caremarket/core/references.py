"""Reference numbers people quote (CR-000123, CP-000456): numbered from the primary key."""

import uuid


def with_reference(instance, prefix: str):
    """Save, then number the record from its primary key (unique without a counter to race on)."""
    instance.reference = f"new-{uuid.uuid4().hex[:16]}"
    instance.save()
    instance.reference = f"{prefix}-{instance.pk:06d}"
    type(instance).objects.filter(pk=instance.pk).update(reference=instance.reference)
    return instance
