"""Probes of the permission policy: one request per (action, object), with its expected answer
derived from the policy table and the access gate (test code only).

Each app that checks an action keeps a ``tests/policy_probes.py`` with
``probes(users) -> list[Probe]``: it builds the objects it needs (inside the test's transaction)
and says, for each request, which action it exercises, on which organisation the right is
checked, and how to tell whether the object is in a user's scope. quantriet/tests/
test_policy_matrix.py runs every probe as every persona and fails for an action of
`org.policy.POLICY` without probes, or whose probes never show both an allowed and a refused
persona.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

from quantriet.org.policy import can, holds_anywhere

#: Apps whose tests/policy_probes.py are collected (every installed app of the project that has one).
PROJECT_PREFIX = "quantriet."


@dataclass
class Probe:
    """One request that exercises ACTION on one object."""

    action: str
    url: str
    #: Where the right is checked (None: at the top of the tree, cấp tỉnh).
    org: object
    #: Whether the object is in USER's scope (the gate, `visible_to`); outside it the answer is 404.
    in_scope: Callable
    method: str = "get"
    data: dict | None = None
    #: Sent with a bearer token as JSON (an API operation) instead of a logged-in session.
    api: bool = False
    #: The answer when the right is held.
    ok: int = 200
    #: A right beyond grants that the action's rule names (`Rule.also`): the class board, the member themself.
    also: Callable | None = None
    #: The page needs the right on some unit, not on ORG (`require_anywhere`: a page listing the user's units).
    anywhere: bool = False

    def expected(self, user) -> int:
        if not self.in_scope(user):
            return 404
        held = holds_anywhere(user, self.action) if self.anywhere else can(user, self.action, self.org)
        if held or (self.also is not None and self.also(user)):
            return self.ok
        return 403

    def __str__(self):
        return f"{self.action}: {self.method.upper()} {self.url}"


def probe_modules():
    """The tests.policy_probes modules of the project's apps."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PROJECT_PREFIX):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.policy_probes"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.policy_probes":
                raise
    return modules
