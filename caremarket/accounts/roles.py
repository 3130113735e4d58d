"""The roles people hold, and which kind of organisation each belongs to."""

from django.db import models


class Role(models.TextChoices):
    # The council
    COMMISSIONER = "commissioner", "Commissioner"
    BROKERAGE_OFFICER = "brokerage_officer", "Brokerage officer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    QUALITY_OFFICER = "quality_officer", "Quality officer"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    ACCOUNT_MANAGER = "account_manager", "Account manager"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"
    # Care providers
    PROVIDER_ADMIN = "provider_admin", "Provider administrator"
    PROVIDER_STAFF = "provider_staff", "Provider staff"
    # Consortia
    CONSORTIUM_INTEGRATOR = "consortium_integrator", "Consortium integrator"
    CONSORTIUM_MEMBER = "consortium_member", "Consortium member"
    # Independent quality assessors
    QUALITY_ASSESSOR = "quality_assessor", "Independent quality assessor"


COUNCIL_ROLES = frozenset(
    {
        Role.COMMISSIONER,
        Role.BROKERAGE_OFFICER,
        Role.SOCIAL_WORKER,
        Role.QUALITY_OFFICER,
        Role.FINANCE_OFFICER,
        Role.ACCOUNT_MANAGER,
        Role.DATA_PROTECTION_OFFICER,
    }
)
PROVIDER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.PROVIDER_STAFF})
CONSORTIUM_ROLES = frozenset({Role.CONSORTIUM_INTEGRATOR, Role.CONSORTIUM_MEMBER})

# Which roles a person in each kind of organisation may hold.
ROLES_BY_ORGANISATION_KIND = {
    "council": COUNCIL_ROLES,
    "provider": PROVIDER_ROLES | CONSORTIUM_ROLES,
    "charity": PROVIDER_ROLES | CONSORTIUM_ROLES,
    "consortium": CONSORTIUM_ROLES,
    "assessor": frozenset({Role.QUALITY_ASSESSOR}),
}
