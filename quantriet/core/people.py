"""How a login is shown to people: by the person's name, never by the user name when a name exists."""


def person_name(user) -> str:
    """The linked member's full name, else the account's full name, else its user name ("" for none)."""
    if user is None:
        return ""
    member = getattr(user, "member", None)  # a missing reverse one-to-one is an AttributeError
    return (member.full_name if member else "") or user.get_full_name() or user.username
