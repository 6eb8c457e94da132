"""How pages show people and units: one filter each, so every list says it the same way."""

from django import template

from quantriet.core.people import person_name

register = template.Library()


@register.filter
def person(user):
    """A login shown by the person's name ("Nguyễn Văn An"), not by its user name."""
    return person_name(user)


@register.inclusion_tag("core/_no_results.html")
def no_results(query, what, empty, filtered=False):
    """The message of an empty list: what was searched and found nothing, or that there is nothing yet.

    QUERY is the search text (already bounded by ``search_text``); WHAT names the items
    ("hội nghị"); EMPTY is the message when nothing was searched; FILTERED says a filter
    other than the text narrowed the list.
    """
    return {"query": query, "what": what, "empty": empty, "filtered": filtered}
