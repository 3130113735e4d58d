from django import template

from caremarket.core.money import format_gbp

register = template.Library()


@register.filter
def gbp(pence):
    """Pence as pounds: ``{{ 123456|gbp }}`` → £1,234.56."""
    return "" if pence in (None, "") else format_gbp(int(pence))
