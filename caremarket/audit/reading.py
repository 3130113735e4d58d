"""The audit trail in words: what happened, to what, and what changed, for the people who read
it (never a field name, an action code or a Python value on the page)."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist

from caremarket.core.money import format_gbp

from .trail import model_of

WORDS = {"cqc": "CQC", "nhs": "NHS", "pqas": "PQAS", "api": "API", "id": "ID", "fnc": "FNC", "qds": "QDS"}


def in_words(code: str) -> str:
    """"care_package.awarded" → "Care package awarded"; "account_manager_id" → "Account manager"."""
    words = code.removesuffix("_id").replace(".", " ").replace("_", " ").split()
    words = [WORDS.get(word, word) for word in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def kind_of(object_type: str) -> str:
    """What kind of record a label names ("organisations.organisation" → "Organisation")."""
    model = model_of(object_type)
    name = str(model._meta.verbose_name) if model else object_type.rsplit(".", 1)[-1]
    return name[:1].upper() + name[1:]


def shown(value, key: str = "") -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int) and "year" not in key:
        return f"{value:,}"
    if isinstance(value, list):
        return "; ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{in_words(key)}: {shown(item)}" for key, item in value.items())
    return str(value)


def _money_key(key: str) -> str | None:
    """The name of an amount kept in pence ("staff_costs_pence", "amount pence"), or None."""
    for suffix in ("_pence", " pence"):
        if key.endswith(suffix):
            return key.removesuffix(suffix) or "amount"
    return None


class RecordNames:
    """What an event's links point at, by name ("organisation_id": 12 → "Acorn Home Care"), each
    record read once. A record holding personal data names the field to show instead
    (``audit_name_field``: a citizen's record number, never their name)."""

    MOST_KEPT = 10_000  # a long download forgets and reads again, rather than fill memory

    def __init__(self):
        self._known: dict[tuple, str | None] = {}

    def name(self, object_type: str, key: str, value) -> str | None:
        if not key.endswith("_id") or not isinstance(value, int) or isinstance(value, bool):
            return None
        if (object_type, key, value) not in self._known:
            if len(self._known) >= self.MOST_KEPT:
                self._known.clear()
            self._known[object_type, key, value] = self._read(object_type, key, value)
        return self._known[object_type, key, value]

    @staticmethod
    def _read(object_type: str, key: str, value: int) -> str | None:
        model = model_of(object_type)
        try:
            field = model._meta.get_field(key.removesuffix("_id")) if model else None
        except FieldDoesNotExist:
            return None
        if field is None or not field.many_to_one:
            return None
        related = field.related_model
        if name_field := getattr(related, "audit_name_field", None):
            return related.objects.filter(pk=value).values_list(name_field, flat=True).first()
        found = related.objects.filter(pk=value).first()
        return str(found) if found is not None else None


def _row(key: str, before: dict, after: dict, name) -> tuple[str, str, str]:
    money = _money_key(key)

    def value(side):
        if key not in side:
            return ""
        if money and isinstance(side[key], int) and not isinstance(side[key], bool):
            return format_gbp(side[key])
        return name(key, side[key]) or shown(side[key], key)
    return in_words(money or key), value(before), value(after)


def changes(before: dict | None, after: dict | None, *, object_type: str = "",
            names: RecordNames | None = None) -> list[tuple[str, str, str]]:
    """Each thing that changed as (what, before, after); what stayed the same is left out.
    Amounts kept in pence are shown in pounds ("Staff costs", "£1,594,703.77"), other numbers
    with their thousands separated, and linked records by name."""
    before, after = before or {}, after or {}
    names = names or RecordNames()

    def name(key, value):
        return names.name(object_type, key, value)
    return [_row(key, before, after, name) for key in dict.fromkeys([*before, *after])
            if not (key in before and key in after and before[key] == after[key])]
