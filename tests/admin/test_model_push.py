"""A publish from the admin pages pushes the new titles for one-shot requests, when set up,
and the versions page says from when they are recognised."""

from __future__ import annotations

import time

from skill.model import LOCALES
from skill.services import build_services
from skill.web import create_app
from tests.admin.conftest import AdminClient
from tests.admin.test_editing import GOOD, draft_id, upload
from tests.model.test_push import FakeAmazon, env


def test_publishing_pushes_the_model_and_the_versions_page_says_since_when(
    httpserver, monkeypatch, admin_settings, clock, tmp_path
):
    fake = FakeAmazon(httpserver)
    for name, value in env(httpserver, tmp_path).items():
        monkeypatch.setenv(name, value)
    app = create_app(admin_settings, build_services(admin_settings, clock=clock))
    admin = AdminClient(app.test_client())
    assert admin.login().status_code == 302
    before = admin.page("/admin/versions").get_data(as_text=True)
    assert "understood only once the voice model is updated after each publish" in before
    assert "voice-demo" not in before  # plain words for officers, not commands

    draft = draft_id(upload(admin, GOOD))
    admin.form(f"/admin/drafts/{draft}/publish", {"revision": "1", "base": "1"})
    deadline = time.monotonic() + 20  # the push runs in the background
    while set(fake.models) != set(LOCALES) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(fake.models) == set(LOCALES)
    titles = str(fake.models["en-GB"])
    assert "Knitting for beginners" in titles  # the published draft's new title

    page = ""
    while time.monotonic() < deadline:
        page = admin.page("/admin/versions").get_data(as_text=True)
        if "the titles of version 2 are understood since" in page:
            break
        time.sleep(0.05)
    assert "the titles of version 2 are understood since" in page
