"""Values pages read from their query string, the same way everywhere."""

from django.http import Http404
from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_param(request, name: str = "nam") -> int:
    """The year a page is asked for (?nam=2026, or a posted "nam"); this year when none is given; a
    year that is not a number or lies outside 2000–2100 is a page that does not exist (404)."""
    value = (request.GET.get(name) or request.POST.get(name) or "").strip()
    if not value:
        return timezone.localdate().year
    if not value.isdigit() or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise Http404
    return int(value)
