from django import template

from services.views.common import status_tag as _status_tag

register = template.Library()


@register.filter
def status_tag(value):
    """A delivery or progress status as an NHS.UK tag: "delivered" reads Delivered, green."""
    return _status_tag(value)
