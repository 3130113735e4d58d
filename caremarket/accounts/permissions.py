"""Who may see and do what: the one place Caremarket decides it.

Two questions, answered here and nowhere else:

- **What may this person do?** ``can(user, action)``: actions are granted to roles.
- **Which records may this person see?** ``visible(queryset, user)``: council staff see
  every organisation's records; everyone else sees only their own organisation's
  (a consortium integrator also sees its consortium's members'). A model says how a
  record belongs to an organisation with ``owner_path`` (and, with ``shared_with_path``,
  which other organisation takes part in it: the assessor given an inspection); a model
  without one (citizens) is the council's alone. A model marked ``hidden_from_council``
  (the carers register) is the reverse: its organisations' alone, the council seeing only
  figures made from it. The public sees nothing private.

A council's own records (a model with ``council_path``: its citizens) are that council's alone,
and ``for_council`` says so in one place, inside ``visible`` for council staff.

Views and API routes call these; they never filter by organisation themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .roles import COUNCIL_ROLES, Role

_C = Role
# Council staff who buy, place, pay for and manage care: everyone at the council but its data
# protection officer, who reaches personal data only through one person's subject access.
_CARE_STAFF = COUNCIL_ROLES - {_C.DATA_PROTECTION_OFFICER}

# Actions and the roles granted them.
GRANTS: dict[str, frozenset[str]] = {
    "manage_people": frozenset({_C.COMMISSIONER}),
    "manage_own_organisation_people": frozenset({_C.PROVIDER_ADMIN, _C.CONSORTIUM_INTEGRATOR}),
    "manage_reference_data": frozenset({_C.COMMISSIONER}),
    "view_audit_trail": frozenset({_C.COMMISSIONER, _C.QUALITY_OFFICER, _C.FINANCE_OFFICER,
                                   _C.DATA_PROTECTION_OFFICER}),
    "view_citizens": frozenset(_CARE_STAFF - {_C.ACCOUNT_MANAGER}),
    # The client record system's token: people and assessments in (citizens.intake).
    "send_client_records": frozenset({_C.COMMISSIONER, _C.SOCIAL_WORKER}),
    # A change from it that clashes with care arranged since waits for one of these.
    "decide_client_record_changes": frozenset({_C.SOCIAL_WORKER, _C.BROKERAGE_OFFICER, _C.COMMISSIONER}),
    # Who looked at citizens' records: for the council's data protection officer.
    "view_access_log": frozenset({_C.COMMISSIONER, _C.DATA_PROTECTION_OFFICER}),
    # Data protection (privacy): a person's subject access export, a legal hold, a carer's
    # erasure, and the retention schedule and its runs.
    "answer_subject_access": frozenset({_C.DATA_PROTECTION_OFFICER}),
    "manage_retention": frozenset({_C.DATA_PROTECTION_OFFICER}),
    "publish_payment_periods": frozenset({_C.FINANCE_OFFICER, _C.COMMISSIONER}),
    "view_organisations": frozenset(COUNCIL_ROLES),
    "edit_own_organisation": frozenset({_C.PROVIDER_ADMIN, _C.CONSORTIUM_INTEGRATOR}),
    "enrol": frozenset({_C.PROVIDER_ADMIN}),
    "decide_applications": frozenset({_C.COMMISSIONER}),
    "verify_documents": frozenset({_C.COMMISSIONER, _C.QUALITY_OFFICER}),
    "record_quality_evidence": frozenset({_C.QUALITY_OFFICER, _C.COMMISSIONER}),
    "assign_inspections": frozenset({_C.QUALITY_OFFICER, _C.COMMISSIONER}),
    # An independent quality assessor records the inspections the council gives it (and no others).
    "record_assigned_inspections": frozenset({_C.QUALITY_ASSESSOR}),
    "import_cqc_data": frozenset({_C.QUALITY_OFFICER, _C.COMMISSIONER}),
    "view_brokerage": frozenset({_C.BROKERAGE_OFFICER, _C.SOCIAL_WORKER, _C.COMMISSIONER}),
    "raise_requirements": frozenset({_C.BROKERAGE_OFFICER, _C.SOCIAL_WORKER}),
    "award_care": frozenset({_C.BROKERAGE_OFFICER, _C.COMMISSIONER}),
    "cancel_requirements": frozenset({_C.BROKERAGE_OFFICER, _C.COMMISSIONER}),
    "hand_back_packages": frozenset({_C.COMMISSIONER}),
    "make_offers": frozenset({_C.PROVIDER_ADMIN, _C.PROVIDER_STAFF}),
    "view_care_packages": frozenset(_CARE_STAFF | {_C.PROVIDER_ADMIN, _C.PROVIDER_STAFF}),
    "manage_fees": frozenset({_C.FINANCE_OFFICER, _C.COMMISSIONER}),
    "request_package_changes": frozenset({_C.BROKERAGE_OFFICER, _C.SOCIAL_WORKER, _C.FINANCE_OFFICER,
                                          _C.COMMISSIONER}),
    "approve_package_changes": frozenset({_C.FINANCE_OFFICER, _C.COMMISSIONER}),
    "view_payments": frozenset({_C.FINANCE_OFFICER, _C.COMMISSIONER, _C.PROVIDER_ADMIN, _C.PROVIDER_STAFF,
                                _C.CONSORTIUM_INTEGRATOR, _C.CONSORTIUM_MEMBER}),
    "submit_visits": frozenset({_C.PROVIDER_ADMIN, _C.PROVIDER_STAFF}),
    # The council's own call-monitoring feed sends visits for any provider (API only).
    "send_council_visit_feed": frozenset({_C.FINANCE_OFFICER}),
    "settle_payment_queries": frozenset({_C.FINANCE_OFFICER}),
    "run_payments": frozenset({_C.FINANCE_OFFICER}),
    # The quarter's national Client Level Data return, which names citizens, for NHS England.
    "make_national_return": frozenset({_C.COMMISSIONER}),
    "view_spend": frozenset({_C.FINANCE_OFFICER, _C.COMMISSIONER}),
    # Incidents, concerns and safeguarding: anyone who works with a service reports; quality triages.
    "report_incidents": frozenset(_CARE_STAFF - {_C.FINANCE_OFFICER} | {_C.PROVIDER_ADMIN, _C.PROVIDER_STAFF}),
    "triage_incidents": frozenset({_C.QUALITY_OFFICER, _C.COMMISSIONER}),
    # Contract management: the council's own record of each provider, and its reviews.
    "view_provider_records": frozenset(_CARE_STAFF - {_C.SOCIAL_WORKER}),
    "manage_accounts": frozenset({_C.ACCOUNT_MANAGER, _C.COMMISSIONER, _C.QUALITY_OFFICER}),
    # Performance from call monitoring and packages: a provider its own, the council everyone's.
    "view_performance": frozenset(_CARE_STAFF - {_C.SOCIAL_WORKER} | {_C.PROVIDER_ADMIN, _C.PROVIDER_STAFF}),
    # Open-book cost-of-care returns: a provider sends its own; council staff who manage
    # contracts see every provider's, a provider its own (peers only as quartiles).
    "send_cost_of_care": frozenset({_C.PROVIDER_ADMIN}),
    "view_cost_of_care": frozenset(_CARE_STAFF - {_C.SOCIAL_WORKER} | {_C.PROVIDER_ADMIN, _C.PROVIDER_STAFF}),
    # The market at a glance (market intelligence): council staff who buy and manage care.
    "view_market": frozenset(_CARE_STAFF - {_C.SOCIAL_WORKER}),
    # Contracts paid by results (outcomes). The council sees a consortium's figures, never its carers.
    "view_consortium_contracts": frozenset({_C.COMMISSIONER, _C.FINANCE_OFFICER, _C.ACCOUNT_MANAGER,
                                            _C.CONSORTIUM_INTEGRATOR, _C.CONSORTIUM_MEMBER}),
    "release_consortium_payments": frozenset({_C.FINANCE_OFFICER, _C.COMMISSIONER}),
    "send_quarterly_returns": frozenset({_C.CONSORTIUM_INTEGRATOR}),
    "keep_carers_register": frozenset({_C.CONSORTIUM_INTEGRATOR, _C.CONSORTIUM_MEMBER}),
    "merge_carers": frozenset({_C.CONSORTIUM_INTEGRATOR}),
    "manage_voucher_budgets": frozenset({_C.CONSORTIUM_INTEGRATOR}),
    # Members and local organisations offer activities that carers spend their vouchers on.
    "list_marketplace_activities": frozenset({_C.CONSORTIUM_INTEGRATOR, _C.CONSORTIUM_MEMBER, _C.PROVIDER_ADMIN}),
    # Alliances: every partner sees the whole alliance (open book); each shows only its own costs.
    "view_alliances": frozenset({_C.COMMISSIONER, _C.FINANCE_OFFICER, _C.ACCOUNT_MANAGER, _C.QUALITY_OFFICER,
                                 _C.PROVIDER_ADMIN, _C.PROVIDER_STAFF, _C.CONSORTIUM_INTEGRATOR,
                                 _C.CONSORTIUM_MEMBER}),
    "show_alliance_costs": frozenset({_C.PROVIDER_ADMIN, _C.CONSORTIUM_INTEGRATOR, _C.CONSORTIUM_MEMBER}),
    "score_alliance_kpis": frozenset({_C.COMMISSIONER, _C.QUALITY_OFFICER}),
    "settle_alliances": frozenset({_C.COMMISSIONER}),
}


def can(user, action: str) -> bool:
    if action not in GRANTS:
        raise KeyError(f"unknown action {action!r}")
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role in GRANTS[action]


def require(user, action: str) -> None:
    """Raise ``PermissionDenied`` (403) unless ``user`` may do ``action``."""
    if not can(user, action):
        raise PermissionDenied(f"You do not have permission to {action.replace('_', ' ')}")


def organisations_acted_for(user) -> list[int]:
    """The organisations whose records a non-council person may see."""
    if not user.is_authenticated or user.organisation_id is None:
        return []
    ids = [user.organisation_id]
    if user.role == Role.CONSORTIUM_INTEGRATOR:  # the consortia it leads, and their members
        organisations = type(user.organisation).objects
        led = user.organisation.consortium_memberships.filter(is_lead=True).values("consortium_id")
        ids += list(organisations.filter(consortium_memberships__consortium_id__in=led).values_list("pk", flat=True))
        ids += list(led.values_list("consortium_id", flat=True))
    return sorted(set(ids))


def council_acted_for(user) -> int | None:
    """The council whose records alone this person works with: a council person's own. None
    for everyone else, whose records the code scopes by organisation."""
    if user.is_authenticated and not user.is_superuser and user.role in COUNCIL_ROLES:
        return user.organisation_id
    return None


def for_council(queryset: QuerySet, user) -> QuerySet:
    """The one scoping rule: a record a council owns (its model says how with ``council_path``) is
    that council's alone, seen and changed only by its own people and systems. A record no
    council owns that a council reaches through its contracts (a consortium's carer) says how
    with ``reached_by_council``."""
    path = getattr(queryset.model, "council_path", None)
    reached = getattr(queryset.model, "reached_by_council", None)
    if (path is None and reached is None) or user.is_superuser:
        return queryset
    if user.role not in COUNCIL_ROLES or user.organisation_id is None:
        return queryset.none()
    found = reached(user.organisation_id) if reached else Q(**{path: user.organisation_id})
    if shared_with := getattr(queryset.model, "shared_with", None):  # a joint framework's partners
        found |= shared_with(user.organisation_id)
    return queryset.filter(found)


def visible(queryset: QuerySet, user) -> QuerySet:
    """The part of ``queryset`` that ``user`` may see."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.role in COUNCIL_ROLES or user.is_superuser:
        if getattr(queryset.model, "hidden_from_council", False):
            return queryset.none()
        return for_council(queryset, user)
    owner_path = getattr(queryset.model, "owner_path", None)
    if owner_path is None:
        return queryset.none()
    acted_for = organisations_acted_for(user)
    found = Q(**{f"{owner_path}__in": acted_for})
    if shared_with := getattr(queryset.model, "shared_with_path", None):  # another organisation's part in it
        found |= Q(**{f"{shared_with}__in": acted_for})
    return queryset.filter(found)


def get_visible_or_404(queryset: QuerySet | type[Model], user, **lookup) -> Model:
    """One record the user may see, else 404: a record someone may not see is, to them, not there."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        return visible(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
