"""The API against its own OpenAPI document, with schemathesis, as three personas on the demo province.

Every operation of /api/v1/openapi.json gets requests generated from the document (valid and
malformed parameters and bodies, missing token, other methods), sent to the real WSGI application
with the bearer token of a member (dangvien1), a commune secretary (xa1.bithu) and the province's
propaganda staff (tinh.tuyengiao). Every answer must be no server error, a documented status code
with the documented content type, and a body that matches the documented schema.

Ids drawn at random would almost never exist, so half of the generated path ids (and the `org`
filter) are replaced by ids of real objects: the demo province's units, members, plan and live
conference, a plan with essays and a quiz built here, with an essay and an attempt of the member
and of someone in another commune, and a spare API token of each persona (never the tokens the
requests carry). Half of the check-in, essay and answer bodies are replaced by ones that can
succeed (the live conference's current code, a long essay, the attempt's right answers). So the
same run sees 200s, 403s for rights and 404s for scope, not only 404s and 422s.

Bounded for CI (MAX_EXAMPLES per operation and persona, plus schemathesis's deterministic coverage
cases), derandomized so a run is reproducible; `make fuzz` runs it longer (SCHEMA_FUZZ_EXAMPLES).
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from quantriet.api import api as ninja_api
from quantriet.core.models import ApiToken
from quantriet.essays import services as essay_services
from quantriet.essays.tests.common import ESSAY, member_in, set_deadline
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization
from quantriet.quizzes import services as quiz_services
from quantriet.quizzes.models import RevealPolicy
from quantriet.quizzes.tests.common import quiz_plan, right_answers
from quantriet.study import checkin as codes
from quantriet.study.models import Conference, EssayAudience, StudyPlan

PERSONAS = ["dangvien1", "xa1.bithu", "tinh.tuyengiao"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "12"))

schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema())
schema.app = WSGIHandler()

#: Real ids and bodies per parameter name or operation path, filled by the `real_data` fixture
#: (the hooks below are module-level, as schemathesis registers them on the schema).
REAL: dict[str, list] = {}


def _half_real(generated: dict, names) -> st.SearchStrategy:
    """GENERATED as it is, or with its NAMES that have real values replaced by one of them."""
    known = {name: REAL[name] for name in names if REAL.get(name)}
    if not known:
        return st.just(generated)
    real = st.fixed_dictionaries({name: st.sampled_from(values) for name, values in known.items()})
    return st.one_of(st.just(generated), real.map(lambda values: {**generated, **values}))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    return _half_real(path_parameters or {}, list(path_parameters or {}))


@schema.hook
def filter_path_parameters(context, path_parameters):
    """Not a request revoking a token the personas' requests carry: the rest of the test would be 401s."""
    return (path_parameters or {}).get("token_id") not in REAL.get("tokens_in_use", ())


@schema.hook
def flatmap_query(context, query):
    if not isinstance(query, dict) or "org" not in query:
        return st.just(query)
    return _half_real(query, ["org"])


@schema.hook
def flatmap_body(context, body):
    bodies = REAL.get(context.operation.path)
    if not bodies:
        return st.just(body)
    return st.one_of(st.just(body), st.sampled_from(bodies))


def issue_token(user) -> tuple[str, int]:
    """A new bearer token of USER and its id."""
    raw = ApiToken.issue(user)
    return raw, ApiToken.objects.filter(user=user).latest("id").pk


def _org(code):
    return Organization.objects.get(code=code if code == ROOT_CODE else f"{ROOT_CODE}-{code}")


@pytest.fixture
def real_data(users, tokens):
    """Objects the personas can and cannot reach, and their ids in REAL (emptied after the test)."""
    member = Member.objects.get(user=users["dangvien1"])
    other = member_in("X002")
    quiz = quiz_plan(users["tinh.tuyengiao"], reveal=RevealPolicy.EACH)  # a submitted attempt shows its review
    plan = quiz.plan
    plan.essay_audience = EssayAudience.ALL_MEMBERS
    plan.save(update_fields=["essay_audience"])
    set_deadline(plan, 10)
    essays = [essay_services.essay_submit(None, plan, m, ESSAY) for m in (member, other)]
    attempts = [quiz_services.attempt_start(None, quiz, m)[0] for m in (member, other)]
    live = Conference.objects.filter(covered_orgs=member.cell).order_by("-starts_at").first()
    elsewhere = Conference.objects.filter(host__path__startswith=_org("X002").path).order_by("id").first()
    REAL.update(
        org_id=[_org(ROOT_CODE).pk, _org("X001").pk, member.cell_id, _org("X002").pk],
        member_id=[member.pk, Member.objects.get(user=users["xa1.bithu"]).pk, other.pk],
        plan_id=list(StudyPlan.objects.values_list("pk", flat=True)),
        conference_id=[live.pk, elsewhere.pk],
        essay_id=[essay.pk for essay in essays],
        attempt_id=[attempt.pk for attempt in attempts],
        year=[timezone.localdate().year, timezone.localdate().year + 1],
        # A spare token of each persona, not the one its requests carry: revoking it must not end the test.
        token_id=[issue_token(users[persona])[1] for persona in PERSONAS],
    )
    REAL["org"] = REAL["org_id"]
    REAL["/api/v1/conferences/{conference_id}/checkin"] = [
        {"code": codes.make_code(live, codes.current_slot(live, timezone.now()))}
    ]
    REAL["/api/v1/plans/{plan_id}/essay"] = [{"text": ESSAY}]
    answers = {str(question): choices for question, choices in right_answers(attempts[0]).items()}  # JSON keys
    REAL["/api/v1/quiz-attempts/{attempt_id}/answers"] = [{"answers": answers}]
    yield
    REAL.clear()


@pytest.fixture
def tokens(users):
    """The bearer token each persona's requests carry (their ids in REAL, see filter_path_parameters)."""
    issued = {persona: issue_token(users[persona]) for persona in PERSONAS}
    REAL["tokens_in_use"] = [token_id for _raw, token_id in issued.values()]
    return {persona: raw for persona, (raw, _id) in issued.items()}


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The WSGI handler closes the database connection after each request, as a server must; here the
    connection holds the test's transaction, so that closing is suspended for the test (as Django's test
    client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # The fixtures (tokens, the data built for the test) are meant to last the whole test, every example
    # included; generation may be slow on a loaded machine, which is not a failure of the API.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_matches_its_openapi_document(case, tokens, real_data, wsgi_keeps_the_test_connection):
    """Each generated request is sent as each persona in turn (a failure names the persona)."""
    for persona, token in tokens.items():
        try:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        except Exception as failure:
            failure.add_note(f"Gửi với mã truy cập của {persona}.")
            raise
