"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

The live server needs transactional database access, and pytest-django ends every transactional
test by flushing all tables. That would wipe the demo province the root conftest seeds once per
test database, for the next end-to-end test and for any test that runs after these. So each
browser test makes sure the province is there when it starts, and `pytest_runtest_teardown`
below seeds it again after the flush (the seed is deterministic: same province, new primary keys).

The tests are skipped only when no Chromium binary is installed (Playwright's own browser
download is not used).
"""

import io
import os
import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan

TEST_SCALE = 0.01  # the root conftest's scale
CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and os.path.exists(p)), None)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

_RESEED = pytest.StashKey()


def _seed_if_missing():
    if not Organization.objects.filter(code=ROOT_CODE).exists():
        call_command("seed_demo", scale=TEST_SCALE, quiet=True, essays=False, stdout=io.StringIO())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if CHROMIUM is None:
        pytest.skip("browser tests need Chromium: neither /usr/bin/chromium nor `chromium` on PATH exists")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the test's teardown (pytest-django's flush included), put the demo province back.

    Not after the last test of the session: its teardown has destroyed the test database.
    """
    try:
        return (yield)
    finally:
        reseed = item.config.stash.get(_RESEED, None)
        if reseed is not None and nextitem is not None:
            reseed()


@pytest.fixture(scope="session", autouse=True)
def _province_reseeder(pytestconfig, django_db_blocker):
    def reseed():
        with django_db_blocker.unblock():
            _seed_if_missing()

    pytestconfig.stash[_RESEED] = reseed
    yield
    del pytestconfig.stash[_RESEED]


@pytest.fixture
def server(live_server):
    """The live server, with the demo province in its (flushed-between-tests) database."""
    _seed_if_missing()
    return live_server


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all the browser tests, closed before the rest of the suite runs.

    While it is open, Playwright's sync API keeps an asyncio event loop "running" in the test
    thread, and Django refuses ORM calls from such a thread unless DJANGO_ALLOW_ASYNC_UNSAFE is
    set (safe here: the loop only waits for the browser). The variable is set for exactly that
    time: set for the whole session, it would leak into everything after the browser tests,
    e.g. the `manage.py check --deploy` subprocess, which rightly fails on it (async.E001).
    """
    expect.set_options(timeout=TIMEOUT_MS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


#: Runs in every page before its own scripts (Playwright's init scripts are not subject to the page's
#: policy): each Content-Security-Policy violation the browser reports becomes a console error.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile || location.href}:${event.lineNumber}`);
});
"""


def watch_csp(context, violations: list) -> None:
    """Collect into VIOLATIONS every policy violation in CONTEXT's pages: the listener's reports and
    the browser's own console messages about the policy."""
    context.add_init_script(REPORT_CSP_VIOLATIONS)

    def on_console(message):
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)


@pytest.fixture
def new_context(browser, server):
    """new_context(**options) → a fresh browser context (own cookies) pointed at the live server.

    A test whose pages break the Content-Security-Policy fails at teardown, naming the violations.
    """
    contexts, violations = [], []

    def make(**options):
        context = browser.new_context(base_url=server.url, locale="vi-VN", **options)
        context.set_default_timeout(TIMEOUT_MS)
        watch_csp(context, violations)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def essay_demo(server):
    """The essays demo (sample library, the plan's essays, the quiz) on top of the province: the plan."""
    out = io.StringIO()
    call_command("seed_demo", scale=TEST_SCALE, essays=True, quiet=True, stdout=out)
    assert "bài thu hoạch" in out.getvalue() and "Đã tạo bài kiểm tra" in out.getvalue()
    return StudyPlan.objects.get(symbol=PLAN_SYMBOL)
