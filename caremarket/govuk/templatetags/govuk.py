"""Template helpers for the GOV.UK patterns: numbers as people write them, pagination."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def thousands(number) -> str:
    """8517 → "8,517"."""
    try:
        return f"{int(number):,}"
    except (TypeError, ValueError):
        return ""


@register.filter
def nhs_number(value) -> str:
    """9503162372 → "950 316 2372", as the NHS writes it; anything else as it is."""
    text = str(value or "")
    return f"{text[:3]} {text[3:6]} {text[6:]}" if len(text) == 10 and text.isdigit() else text


@register.filter
def figure(value):
    """A table's cell: 19225.5 → "19,225.5", 18000 → "18,000"; text stays as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return value
    text = f"{value:,f}" if isinstance(value, Decimal) else f"{value:,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.simple_tag
def page_numbers(page) -> list:
    """The page numbers GOV.UK pagination shows: the first, the last, and one either side of
    this page, with "…" (Paginator.ELLIPSIS) where numbers are left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.inclusion_tag("govuk/sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str, numeric: bool = False) -> dict:
    """A table header people sort by (``?sort=key``, ``?sort=-key`` for the reverse): its link
    turns the order round, and aria-sort says which way the list is sorted now."""
    query = context["request"].GET.copy()
    current = query.get("sort", "")
    direction = "ascending" if current == key else "descending" if current == f"-{key}" else ""
    query["sort"] = f"-{key}" if direction == "ascending" else key
    query.pop("page", None)
    return {"label": label, "numeric": numeric, "direction": direction, "href": f"?{query.urlencode()}"}
