"""A real headless Chromium and a real server for browser tests (any area may use these).

`browser` is one Chromium per test session (Debian's /usr/bin/chromium, driven by the
playwright package; never `playwright install`). It skips when Chromium is missing, except
in CI, where a missing browser is a failure. `serve(app)` runs a Flask app on 127.0.0.1 with
a random port in a thread, as `voice-demo serve` would, and yields its base URL.
`assert_accessible(page)` runs axe-core on what the page shows now and fails on any serious or
critical violation, naming the rule and the elements.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the dev extra
        sync_playwright = None
    if executable is None or sync_playwright is None:
        missing = "chromium" if executable is None else "the playwright package"
        reason = f"{missing} is not installed (run `make browser` or apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def serve(app) -> Iterator[str]:
    """`app` on 127.0.0.1 with a random port, served by werkzeug in a thread."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def assert_accessible(page, *, what: str = "") -> None:
    """No serious or critical axe-core violation on the page as it stands (call after each step).

    axe.min.js comes from the axe-playwright-python wheel (PyPI), so nothing is fetched at test
    time. Minor and moderate findings are reported by the screenshot script, not failed here.
    """
    bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in bad
    ]
    where = what or page.url
    assert not bad, f"axe-core on {where}:\n" + "\n".join(lines)


def axe_violations(page) -> list[dict]:
    """Every axe-core violation on the page as it stands, of any impact."""
    import json

    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    violations: list[dict] = page.evaluate(f"axe.run(document, {json.dumps(options)})")[
        "violations"
    ]
    return violations
