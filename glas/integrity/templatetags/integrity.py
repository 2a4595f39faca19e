from django import template

from glas.integrity.selectors import event_label

register = template.Library()


@register.filter
def event_name(action: str) -> str:
    return event_label(action)
