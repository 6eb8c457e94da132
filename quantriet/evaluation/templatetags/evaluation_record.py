"""Links to a member's record only for those who may read it (the evaluation page is seen more widely)."""

from django import template

from quantriet.evaluation.access import may_read_record

register = template.Library()


@register.filter
def record_readable_by(member, user) -> bool:
    """{% if member|record_readable_by:user %}: USER may open MEMBER's record."""
    return member is not None and may_read_record(user, member)
