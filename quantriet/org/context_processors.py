from .models import ROSTER_ROLES, granted_paths


def navigation(request):
    """What the navigation bar offers this user."""
    user = getattr(request, "user", None)
    return {"can_import": bool(user and granted_paths(user, ROSTER_ROLES))}
