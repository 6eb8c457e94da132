from .models import manages_something
from .policy import holds_anywhere


def navigation(request):
    """What the navigation bar offers this user: a plain member sees only the pages for members."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_import": False, "manages": False}
    return {"can_import": holds_anywhere(user, "roster.import"), "manages": manages_something(user)}
