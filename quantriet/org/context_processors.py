from .models import ROSTER_ROLES, granted_paths, manages_something


def navigation(request):
    """What the navigation bar offers this user: a plain member sees only the pages for members."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_import": False, "manages": False}
    return {"can_import": bool(granted_paths(user, ROSTER_ROLES)), "manages": manages_something(user)}
