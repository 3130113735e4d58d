from django import template

from caremarket.audit import reading

register = template.Library()


@register.filter
def in_words(code: str) -> str:
    return reading.in_words(code)


@register.filter
def kind_of(object_type: str) -> str:
    return reading.kind_of(object_type)


@register.filter
def changes(event) -> list:
    return reading.changes(event.before, event.after)
