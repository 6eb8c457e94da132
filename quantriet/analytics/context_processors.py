from quantriet.org.models import granted_paths

from .access import FIDELITY_ROLES


def navigation(request):
    """Whether the navigation bar offers the fidelity dashboard."""
    user = getattr(request, "user", None)
    return {"can_see_fidelity": bool(user and granted_paths(user, FIDELITY_ROLES))}
