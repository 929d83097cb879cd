"""`{% load custody %}{% custody_flags channel %}`: the R6.2 flags of a channel, for the
registry's channel page and the compliance view."""

from django import template

from kanalvakt.custody.flags import custody_flags as compute_flags

register = template.Library()


@register.inclusion_tag("custody/_flags.html")
def custody_flags(channel):
    return {"flags": compute_flags(channel), "channel": channel}
