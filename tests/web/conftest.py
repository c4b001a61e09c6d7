"""End-to-end fixtures: one browser page per module, and the console check every test gets."""
from __future__ import annotations

import pytest

from tests.conftest import new_page


@pytest.fixture(scope="module")
def page(browser, server):
    """The module's page, Python ready. A module that needs another start overrides it."""
    page = new_page(browser)
    page.goto(server)
    page.evaluate("window.pysim.ready")
    yield page
    page.context.close()


@pytest.fixture
def fresh(browser):
    """A new page of its own (no Python yet), for tests that watch a start: embeds, lazy and
    shared Python. Fails on any console error."""
    page = new_page(browser)
    page.set_default_timeout(120_000)  # Python boots in 5-60 s, depending on the machine's load
    yield page
    page.watch.check()
    page.context.close()


@pytest.fixture(autouse=True)
def no_console_errors(request):
    """Any console error, page error or dialog during a test that uses the page fails it."""
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    yield
    if page is not None:
        page.watch.check()
