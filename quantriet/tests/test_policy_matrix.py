"""The permission matrix driven by the policy table: every action of org.policy.POLICY is probed
by some page or API operation, and every probe answers each persona as the policy and the gate
say — out of scope 404, in scope without the right 403, with it the page."""

import pytest

from quantriet.org.policy import POLICY

from .matrix import ALL, request
from .policy import probe_modules


@pytest.fixture
def probes(users):
    return [probe for module in probe_modules() for probe in module.probes(users)]


def _user(persona, users, outsider):
    return outsider if persona == "outsider" else users[persona]


def test_every_action_has_a_probe(probes):
    assert set(POLICY) - {p.action for p in probes} == set()


def test_every_action_is_both_allowed_and_refused(probes, users, outsider):
    """A probe set that never refuses (or never allows) anyone tests nothing of its action."""
    seen = {action: set() for action in POLICY}
    for probe in probes:
        for persona in ALL:
            seen[probe.action].add(probe.expected(_user(persona, users, outsider)))
    weak = {action: codes for action, codes in seen.items() if 403 not in codes or not codes - {403, 404}}
    assert weak == {}


@pytest.mark.parametrize("persona", ALL)
def test_probes_answer_as_the_policy_says(persona, probes, users, outsider, client_as, api):
    user = _user(persona, users, outsider)
    client = client_as(persona)
    failures = []
    for probe in probes:
        response = request(api(persona) if probe.api else client, probe.url, probe.method, probe.data, probe.api)
        wanted = probe.expected(user)
        if response.status_code != wanted:
            failures.append(f"{probe} as {persona}: {response.status_code}, expected {wanted}")
    assert failures == []
