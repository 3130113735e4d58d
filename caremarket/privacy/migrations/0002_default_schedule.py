"""The retention schedule Caremarket ships with, and its nightly job. docs/data-protection.md
says where each period comes from; a council changes them on the data protection page."""

import datetime as dt

from django.db import migrations

CODE_OF_PRACTICE = "Records Management Code of Practice for Health and Social Care 2021, Appendix II"

DEFAULTS = [
    ("citizen", 8, "A citizen's social care record is kept for eight years after their care ended, to answer "
     "complaints, claims and safeguarding reviews about the care the council arranged, and no longer.",
     f"{CODE_OF_PRACTICE}: adult social care records, 8 years after the end of care or death"),
    ("carer", 6, "The register is the evidence for the consortium's payments by results, and a claim on a "
     "contract can be brought for six years after it.",
     "Limitation Act 1980, section 5: six years for a claim on a contract"),
    ("access_log", 8, "Who looked at a citizen's record answers their right of access and any complaint about "
     "who saw it, for as long as the record itself is kept.",
     f"{CODE_OF_PRACTICE}: audit trails kept as long as the records they relate to; UK GDPR Article 15"),
    ("email", 2, "A copy for the recipient's notifications page; what the e-mail was about (an offer, a payment, "
     "a decision) is kept in its own record.",
     "Caremarket's default under UK GDPR Article 5(1)(e): the copies are part of no other record"),
]


def load(apps, schema_editor):
    rules = apps.get_model("privacy", "RetentionRule").objects
    for kind, years, reason, source in DEFAULTS:
        rules.get_or_create(kind=kind, defaults={"years": years, "legal_reason": reason, "source": source})
    rules.get_or_create(kind="event_details", defaults={
        "years": 0, "months": 3, "source": "UK GDPR Article 5(1)(c) and (e): data minimisation and storage limitation",
        "legal_reason": "The council's systems allowed a citizen's details have had them once the event was "
                        "delivered; the pull feed keeps the event without them."})
    apps.get_model("scheduling", "ScheduledJob").objects.get_or_create(name="apply-retention", defaults={
        "task_path": "caremarket.privacy.tasks.apply_retention", "daily_at": dt.time(3, 0),
        "next_run_at": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("scheduling", "0005_seal_audit_trail")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
