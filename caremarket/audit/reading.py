"""The audit trail in words: what happened, to what, and what changed, for the people who read
it (never a field name, an action code or a Python value on the page)."""

from __future__ import annotations

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


def shown(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
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


def _row(key: str, before: dict, after: dict) -> tuple[str, str, str]:
    money = _money_key(key)

    def value(side):
        if key not in side:
            return ""
        if money and isinstance(side[key], int) and not isinstance(side[key], bool):
            return format_gbp(side[key])
        return shown(side[key])
    return in_words(money or key), value(before), value(after)


def changes(before: dict | None, after: dict | None) -> list[tuple[str, str, str]]:
    """Each thing that changed as (what, before, after); what stayed the same is left out.
    Amounts kept in pence are shown in pounds ("Staff costs", "£1,594,703.77")."""
    before, after = before or {}, after or {}
    return [_row(key, before, after) for key in dict.fromkeys([*before, *after])
            if not (key in before and key in after and before[key] == after[key])]
