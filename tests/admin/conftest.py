"""Admin fixtures: an app with a password, logged-in clients, and a live server + Chromium."""

from __future__ import annotations

import re

import pytest

from skill.services import build_services
from skill.web import create_app
from skill.web.admin.context import KEY
from tests.browser import serve

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def admin_settings(settings):
    return settings.with_(admin_password=PASSWORD)


@pytest.fixture
def admin_services(admin_settings, clock):
    return build_services(admin_settings, clock=clock)


@pytest.fixture
def admin_app(admin_settings, admin_services):
    app = create_app(admin_settings, admin_services)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def desk(admin_app):
    return admin_app.extensions[KEY].desk


class AdminClient:
    """A Flask test client that logs in and sends the CSRF token like the pages do."""

    def __init__(self, client) -> None:
        self.client = client
        self.token = ""

    def page(self, path: str, **kw):
        response = self.client.get(path, **kw)
        found = _TOKEN.search(response.get_data(as_text=True))
        if found:
            self.token = found.group(1)
        return response

    def login(self, name: str = "Priya", password: str = PASSWORD, **kw):
        self.page("/admin/login")
        return self.client.post(
            "/admin/login",
            data={"name": name, "password": password, "csrf_token": self.token},
            **kw,
        )

    def form(self, path: str, data: dict | None = None, **kw):
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token}, **kw)

    def api(self, method: str, path: str, json: dict | None = None, **kw):
        headers = {"X-CSRF-Token": self.token, **kw.pop("headers", {})}
        return self.client.open(path, method=method, json=json, headers=headers, **kw)


@pytest.fixture
def make_admin(admin_app):
    """make_admin("Sam") -> a separate logged-in browser-like client."""

    def make(name: str = "Priya") -> AdminClient:
        admin = AdminClient(admin_app.test_client())
        response = admin.login(name)
        assert response.status_code == 302, response.get_data(as_text=True)
        admin.page("/admin/")  # a fresh token after login
        return admin

    return make


@pytest.fixture
def admin(make_admin) -> AdminClient:
    return make_admin("Priya")


# --- real server and real browser ------------------------------------------------------


@pytest.fixture
def live_server(admin_app):
    """The admin app on 127.0.0.1 with a random port, served by werkzeug in a thread."""
    with serve(admin_app) as url:
        yield url


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
