"""Councils as tenants: what a council owns, and the database's own lock on it.

A record a council owns (its citizens, their requirements, tenders, offers and packages …)
carries its council in a ``council`` column. Two locks keep one council's records from another's:

- in the code, ``accounts.permissions.for_council``, inside ``visible()``, the one scoping rule;
- in PostgreSQL, a row-level security policy on every such table (``install_policies``), keyed
  on the ``caremarket.council`` setting (``core.tenancy``) that each council person's request
  sets, so that a query which forgets the first lock still finds nothing of another council.
  An empty setting is the system's own work (migrations, nightly jobs, a provider's request,
  whose records are scoped by organisation): every council's rows.

The policy binds only a role without ``BYPASSRLS``: PostgreSQL's superusers pass every policy,
so a council runs the service as an ordinary role that owns its tables (``FORCE`` makes the
owner obey the policy too); ``manage.py check --deploy`` says when it does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import connection, models

from caremarket.core.tenancy import SETTING

POLICY = "one_council"


def the_only_council() -> int:
    """An install that runs one council need not say whose a record is: that council's. With
    several (or none), the council must be said."""
    councils = list(_councils().values_list("pk", flat=True)[:2])
    if len(councils) != 1:
        raise ValueError("Say which council this belongs to: this install runs "
                         f"{'no council' if not councils else 'several councils'}")
    return councils[0]


def first_council() -> int | None:
    """The install's first council (the one set up first): where a choice of council must fall
    on one without being asked."""
    return _councils().order_by("pk").values_list("pk", flat=True).first()


def several_councils() -> bool:
    return _councils().count() > 1


@dataclass(frozen=True)
class CouncilSettings:
    pk: int
    name: str
    la_code: str  # in national returns
    ocid_prefix: str  # of its open contracting IDs
    register_id: str  # in the register of local authorities in England
    site_url: str


def settings_of(council) -> CouncilSettings:
    """A council's own settings. What the install was set up with stands for the council it was
    set up for (the one of that name, or its only council) where its record leaves them blank;
    another council's blank code stays blank, and its open contracting IDs share the install's
    prefix (references are the install's, so they stay unique)."""
    own = council.name == settings.COUNCIL_NAME or not several_councils()
    return CouncilSettings(
        pk=council.pk, name=council.name,
        la_code=council.la_code or (settings.COUNCIL_LA_CODE if own else ""),
        ocid_prefix=council.ocid_prefix or settings.OCDS_OCID_PREFIX,
        register_id=council.register_id or (settings.COUNCIL_ID if own else ""),
        site_url=(council.site_url or settings.SITE_URL).rstrip("/"))


def council_of(actor, council=None) -> int:
    """The council a piece of work is for: the one said, else the council of the person (or
    system's token) doing it, else the install's only council."""
    if council is not None:
        return getattr(council, "pk", council)
    organisation = getattr(actor, "organisation", None)
    if organisation is not None and organisation.kind == "council":
        return organisation.pk
    return the_only_council()


class CouncilOwned(models.Model):
    """A record one council owns. Its council is said when it is made, or taken from the record
    it belongs to (``council_from``: an offer is its tender's council's), or, on an install that
    runs one council, that council."""

    council_path = "council"  # accounts.permissions.for_council
    council_from: str | None = None
    # A record other councils share (a joint framework's, with the councils that agreed to join
    # it): the condition, for a council, in the code (a Q) and in the policy (SQL on the row,
    # "{council}" standing for the setting). None: the one council's alone.
    shared_with = None
    shared_with_sql: str | None = None

    council = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"kind": "council"}, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.council_id is None:
            self.council_id = self.council_of_parent()
        super().save(*args, **kwargs)

    def council_of_parent(self) -> int:
        if self.council_from is None:
            return the_only_council()
        return getattr(self, self.council_from).council_id


class LoadedWithTheInstall(CouncilOwned):
    """A council's record that a new install is loaded with before it has any council (its
    framework, its first fee schedule): blank until the first council set up adopts it."""

    council = models.ForeignKey("organisations.Organisation", null=True, on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"kind": "council"}, editable=False)

    class Meta:
        abstract = True

    def council_of_parent(self) -> int | None:
        if self.council_from is None and not _councils().exists():
            return None  # loaded before the install has a council
        return super().council_of_parent()


def _councils():
    # By name, not import: the organisation model is itself built on CouncilOwned.
    return apps.get_model("organisations", "Organisation").objects.filter(kind="council")


def adopt_what_was_installed(sender, instance, created, raw=False, **kwargs):
    """The first council set up on a new install takes the records it was loaded with."""
    if not created or raw or instance.kind != "council":
        return
    for model in apps.get_models():
        if issubclass(model, LoadedWithTheInstall):
            model._base_manager.filter(council__isnull=True).update(council=instance.pk)


def installed_council(apps, *, make: bool = False):
    """For a migration: the council an install from before ran (the one named in its settings,
    else its first); on an install with no council yet, None, or (``make``: it has records that
    must be a council's) the council its settings name."""
    organisations = apps.get_model("organisations", "Organisation").objects
    councils = organisations.filter(kind="council").order_by("pk")
    found = councils.filter(name=settings.COUNCIL_NAME).first() or councils.first()
    if found is None and make:
        found = organisations.create(kind="council", name=settings.COUNCIL_NAME)
    return found


def council_column(*, null: bool) -> models.ForeignKey:
    """For a migration: the ``council`` column as CouncilOwned has it (blank while it is filled)."""
    return models.ForeignKey("organisations.Organisation", null=null, editable=False, on_delete=models.PROTECT,
                             related_name="+", limit_choices_to={"kind": "council"})


def fill_from_parent(model, parent: str) -> None:
    """For a migration that gives a table its council: each row takes its parent's, in place."""
    from django.db.models import OuterRef, Subquery

    parents = model._meta.get_field(parent).related_model.objects
    model.objects.filter(council__isnull=True).update(
        council=Subquery(parents.filter(pk=OuterRef(parent)).values("council")[:1]))


def council_owned_models() -> dict[str, type[models.Model]]:
    """Every model whose rows a council owns by their own ``council`` column, by table."""
    return {model._meta.db_table: model for model in apps.get_models()
            if getattr(model, "council_path", None) == "council" and not model._meta.proxy}


def council_owned_tables() -> list[str]:
    return sorted(council_owned_models())


def policy_condition(model) -> str:
    """The rows of a council-owned table a connection may see and write: every council's under
    an empty setting; otherwise the one council's (and what it shares: a joint framework's).
    Each setting is read in a sub-select, which PostgreSQL evaluates once a query, not once a row."""
    council = f"(SELECT nullif(current_setting('{SETTING}', true), '')::bigint)"
    shared = getattr(model, "shared_with_sql", None)
    return (f"(SELECT coalesce(current_setting('{SETTING}', true), '') = '') OR council_id = {council}"
            + (f" OR {shared.format(council=council)}" if shared else ""))


def install_policies(**kwargs) -> None:
    """After every migrate: each council-owned table obeys the council setting (PostgreSQL),
    by the policy the code says now (one changed since is made again)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table, model in sorted(council_owned_models().items()):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {quoted}")
            cursor.execute(f"CREATE POLICY {POLICY} ON {quoted} USING ({policy_condition(model)})")


@checks.register(checks.Tags.database, deploy=True)
def check_role_obeys_policies(app_configs=None, databases=None, **kwargs):
    """A superuser (or a role with BYPASSRLS) passes every row-level policy: say so."""
    if not databases or "default" not in databases or connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    if row and row[0]:
        return [checks.Warning(
            "The service connects to PostgreSQL as a role that passes row-level security, so only the "
            "code keeps one council's records from another's.",
            hint="Connect as an ordinary role that owns the tables (not a superuser, without BYPASSRLS).",
            id="caremarket.W001")]
    return []
