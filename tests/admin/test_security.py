"""Login, password at rest, cookies, CSRF, login throttle and upload limits."""

from __future__ import annotations

from skill.web import create_app
from skill.web.admin.context import KEY, UPLOAD_LIMIT
from tests.admin.conftest import PASSWORD, AdminClient


def test_admin_pages_refuse_to_start_without_a_password(settings, services):
    client = create_app(settings, services).test_client()
    response = client.get("/admin/")
    assert response.status_code == 503
    assert "VOICE_DEMO_ADMIN_PASSWORD" in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200  # the skill itself keeps running


def test_pages_need_a_login(admin_app):
    client = admin_app.test_client()
    response = client.get("/admin/versions")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=/admin/versions")
    api = client.get("/admin/api/drafts")
    assert api.status_code == 401 and api.get_json()["error"] == "login"


def test_password_is_stored_hashed_with_a_salt(admin_app, admin_settings):
    stored = (admin_settings.data_dir / "admin" / "password_hash").read_text()
    assert PASSWORD not in stored
    assert stored.startswith("scrypt:")
    assert (admin_settings.data_dir / "admin" / "password_hash").stat().st_mode & 0o077 == 0


def test_wrong_password_is_refused_plainly(admin_app):
    admin = AdminClient(admin_app.test_client())
    response = admin.login(password="wrong")
    assert response.status_code == 401
    assert "That password is not right" in response.get_data(as_text=True)
    assert admin.client.get("/admin/").status_code == 302


def test_login_sets_a_hardened_session_cookie(admin_app):
    admin = AdminClient(admin_app.test_client())
    cookie = admin.login().headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on this machine
    remote = AdminClient(admin_app.test_client())
    remote.page("/admin/login", base_url="https://admin.example.org")
    response = remote.client.post(
        "/admin/login",
        data={"name": "Priya", "password": PASSWORD, "csrf_token": remote.token},
        base_url="https://admin.example.org",
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_is_throttled_per_client_address(admin_app):
    throttle = admin_app.extensions[KEY].throttle
    now = [1000.0]
    throttle.clock = lambda: now[0]
    admin = AdminClient(admin_app.test_client())
    for _ in range(5):
        assert admin.login(password="guess").status_code == 401
    blocked = admin.login()  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many wrong passwords from this device. Try again in 5 minutes." in (
        blocked.get_data(as_text=True)
    )
    other = AdminClient(admin_app.test_client())
    assert other.login(environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302
    now[0] += 301
    assert admin.login().status_code == 302


def test_forms_and_json_calls_without_the_csrf_token_are_refused(admin, desk):
    drafts_before = len(desk.drafts.list())
    form = admin.client.post("/admin/drafts", data={})
    assert form.status_code == 403
    assert "This form has expired" in form.get_data(as_text=True)
    wrong = admin.client.post("/admin/drafts", data={"csrf_token": "x" * 43})
    assert wrong.status_code == 403
    api = admin.client.post("/admin/api/drafts", json={})
    assert api.status_code == 403 and api.get_json()["error"] == "csrf"
    assert len(desk.drafts.list()) == drafts_before
    assert admin.api("POST", "/admin/api/drafts").status_code == 201


def test_login_form_itself_needs_the_token(admin_app):
    client = admin_app.test_client()
    response = client.post("/admin/login", data={"name": "Priya", "password": PASSWORD})
    assert response.status_code == 403


def test_oversize_uploads_are_refused_before_parsing(admin, desk):
    big = b"date,start,end,title,room,presenter,description,aliases,status\n" + b"x" * UPLOAD_LIMIT
    for path in ("/admin/import", "/admin/api/drafts/import"):
        response = admin.client.post(
            path,
            data={"file": (__import__("io").BytesIO(big), "big.csv"), "csrf_token": admin.token},
            content_type="multipart/form-data",
        )
        assert response.status_code == 413, path
        assert "too large" in response.get_data(as_text=True)
    assert desk.drafts.list() == []


def test_logout_ends_the_session(admin):
    admin.form("/admin/logout")
    assert admin.client.get("/admin/").status_code == 302


def test_admin_responses_cannot_be_framed_or_cached(admin):
    response = admin.page("/admin/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    api = admin.client.get("/admin/api/drafts")
    assert api.headers["X-Frame-Options"] == "DENY"
