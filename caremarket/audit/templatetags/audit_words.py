from django import template

from caremarket.audit import reading

register = template.Library()


@register.filter
def in_words(code: str) -> str:
    return reading.in_words(code)


@register.filter
def kind_of(object_type: str) -> str:
    return reading.kind_of(object_type)


@register.simple_tag(takes_context=True)
def changes_of(context, event) -> list:
    """What changed in the event, with the records it links to named (each read once a page)."""
    names = context.render_context.setdefault("audit_record_names", reading.RecordNames())
    return reading.changes(event.before, event.after, object_type=event.object_type, names=names)
