from quantriet.org.policy import holds_anywhere

from .access import FIDELITY_VIEW


def navigation(request):
    """Whether the navigation bar offers the fidelity dashboard."""
    user = getattr(request, "user", None)
    return {"can_see_fidelity": bool(user and holds_anywhere(user, FIDELITY_VIEW))}
