"""`voice-demo model push` and `model package`, against fakes of LWA and SMAPI on 127.0.0.1.

The fakes speak the documented wire shapes:
- LWA: POST /auth/o2/token, form grant_type=refresh_token&refresh_token&client_id&
  client_secret -> {"access_token": "Atza|…", "token_type": "bearer", "expires_in": 3600}
  or 400 {"error": "invalid_grant", "error_description": …}
  (https://developer.amazon.com/docs/login-with-amazon/refresh-token.html and
  access-token.html; alexa/ask-cli lib/clients/lwa-auth-code-client/index.ts).
- SMAPI: PUT /v1/skills/{skillId}/stages/development/interactionModel/locales/{locale}
  -> 202 with a Location header; GET /v1/skills/{skillId}/status?resource=interactionModel
  -> {"interactionModel": {locale: {"lastUpdateRequest": {"status", "errors",
  "buildDetails": {"steps": [{"name", "status"}]}}}}}
  (https://developer.amazon.com/docs/smapi/interaction-model-operations.html,
  https://developer.amazon.com/docs/smapi/skill-operations.html; alexa/ask-cli
  lib/model/skill-status.ts).
"""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from werkzeug import Request, Response

from skill.cli import main
from skill.model import LOCALES
from skill.model.package import package
from skill.model.push import PushError, PushSettings, last_push, push
from skill.programme.model import Session
from skill.settings import Settings

SKILL = "amzn1.ask.skill.00000000-0000-0000-0000-000000000019"
TOKEN = "Atza|IwEBIFakeAccessTokenForTests"
REFRESH = "Atzr|IwEBIFakeRefreshToken"
CLIENT, SECRET = "amzn1.application-oa2-client.fake", "fake-secret"


class FakeAmazon:
    """LWA and SMAPI on one pytest-httpserver; the build finishes on the Nth status call."""

    def __init__(self, server, builds_after: int = 2, outcome: str = "SUCCEEDED") -> None:
        self.server = server
        self.models: dict[str, dict] = {}
        self.token_forms: list[dict[str, list[str]]] = []
        self.status_calls = 0
        self.builds_after = builds_after
        self.outcome = outcome
        server.expect_request("/auth/o2/token", method="POST").respond_with_handler(self.token)
        base = f"/v1/skills/{SKILL}"
        for locale in LOCALES:
            server.expect_request(
                f"{base}/stages/development/interactionModel/locales/{locale}", method="PUT"
            ).respond_with_handler(self.update)
        server.expect_request(
            f"{base}/status", method="GET", query_string={"resource": "interactionModel"}
        ).respond_with_handler(self.status)

    def token(self, request: Request) -> Response:
        form = parse_qs(request.get_data(as_text=True))
        self.token_forms.append(form)
        if form.get("refresh_token") != [REFRESH] or form.get("grant_type") != ["refresh_token"]:
            body = {
                "error_description": "The request has an invalid grant parameter : refresh_token",
                "error": "invalid_grant",
            }
            return Response(json.dumps(body), 400, content_type="application/json")
        body = {"access_token": TOKEN, "refresh_token": REFRESH, "token_type": "bearer",
                "expires_in": 3600}  # fmt: skip
        return Response(json.dumps(body), 200, content_type="application/json")

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {TOKEN}"

    def update(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response(json.dumps({"message": "Token is invalid/expired"}), 401)
        locale = request.path.rsplit("/", 1)[-1]
        body = request.get_json()
        if "interactionModel" not in body:
            error = {
                "message": "Request is not valid.",
                "violations": [{"message": "Missing required field: interactionModel"}],
            }
            return Response(json.dumps(error), 400, content_type="application/json")
        self.models[locale] = body
        self.status_calls = 0
        location = f"/v1/skills/{SKILL}/status?resource=interactionModel"
        return Response("", 202, headers={"Location": location})

    def status(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response(json.dumps({"message": "Token is invalid/expired"}), 401)
        self.status_calls += 1
        done = self.status_calls >= self.builds_after
        state = self.outcome if done else "IN_PROGRESS"
        models = {}
        for locale in self.models:
            last: dict = {
                "status": state,
                "buildDetails": {"steps": [
                    {"name": "LANGUAGE_MODEL_QUICK_BUILD", "status": "SUCCEEDED"},
                    {"name": "LANGUAGE_MODEL_FULL_BUILD", "status": state},
                ]},
            }  # fmt: skip
            if state == "FAILED":
                last["errors"] = [{"message": "Sample utterance 'x' in intent 'Y' is invalid."}]
            models[locale] = {"lastUpdateRequest": last, "eTag": "2fd0c3c4b6f6"}
        return Response(json.dumps({"interactionModel": models}), 200,
                        content_type="application/json")  # fmt: skip

    def session_values(self, locale: str) -> list[str]:
        language = self.models[locale]["interactionModel"]["languageModel"]
        types = {t["name"]: t["values"] for t in language["types"]}
        return [v["name"]["value"] for v in types["SESSION"]]


def target(server, **kw) -> PushSettings:
    return PushSettings(
        skill_id=SKILL, client_id=CLIENT, client_secret=SECRET, refresh_token=REFRESH,
        smapi_url=server.url_for("").rstrip("/"), lwa_url=server.url_for("/auth/o2/token"),
        poll_s=0.0, **kw,
    )  # fmt: skip


def env(server, tmp_path: Path) -> dict[str, str]:
    return {
        "VOICE_DEMO_DATA": str(tmp_path / "data"),
        "VOICE_DEMO_SKILL_ID": SKILL,
        "VOICE_DEMO_LWA_CLIENT_ID": CLIENT,
        "VOICE_DEMO_LWA_CLIENT_SECRET": SECRET,
        "VOICE_DEMO_LWA_REFRESH_TOKEN": REFRESH,
        "VOICE_DEMO_SMAPI_URL": server.url_for(""),
        "VOICE_DEMO_LWA_URL": server.url_for("/auth/o2/token"),
        "VOICE_DEMO_MODEL_POLL_S": "0",
    }


def test_push_sends_every_locale_and_waits_for_the_build(httpserver):
    fake = FakeAmazon(httpserver, builds_after=3)
    from skill.model import Entity

    values = {"SESSION": [Entity("pottery-class", "Pottery class")], "DEVICE": []}
    result = push(target(httpserver), values)
    assert result.ok and result.status == {"en-GB": "SUCCEEDED", "en-US": "SUCCEEDED"}
    assert result.finished_at is not None
    assert fake.status_calls == 3  # polled through IN_PROGRESS
    assert fake.token_forms[0]["client_id"] == [CLIENT]
    assert fake.token_forms[0]["client_secret"] == [SECRET]
    for locale in LOCALES:
        assert fake.session_values(locale) == ["Pottery class"]
        language = fake.models[locale]["interactionModel"]["languageModel"]
        assert language["invocationName"] == "learning week demo"  # the hand-written rest


def test_a_failed_build_reports_amazons_errors(httpserver):
    FakeAmazon(httpserver, builds_after=1, outcome="FAILED")
    result = push(target(httpserver), {"SESSION": [], "DEVICE": []})
    assert not result.ok
    assert result.status["en-GB"] == "FAILED"
    assert result.errors["en-GB"] == ["Sample utterance 'x' in intent 'Y' is invalid."]


def test_a_build_still_running_at_the_deadline_is_reported_as_such(httpserver):
    FakeAmazon(httpserver, builds_after=10_000)
    ticks = iter(range(100))
    result = push(
        target(httpserver, build_timeout_s=3), {"SESSION": [], "DEVICE": []},
        clock=lambda: float(next(ticks)), sleep=lambda s: None,
    )  # fmt: skip
    assert result.status == {"en-GB": "IN_PROGRESS", "en-US": "IN_PROGRESS"}
    assert not result.ok and result.finished_at is None


def test_a_refused_refresh_token_says_how_to_get_a_new_one(httpserver):
    FakeAmazon(httpserver)
    settings = target(httpserver)
    bad = PushSettings(**{**settings.__dict__, "refresh_token": "Atzr|revoked"})
    with pytest.raises(PushError, match="invalid grant parameter.*generate-lwa-tokens"):
        push(bad, {"SESSION": [], "DEVICE": []})


def test_unreachable_amazon_is_a_clear_error_not_a_traceback(tmp_path):
    settings = PushSettings(
        skill_id=SKILL, client_id=CLIENT, client_secret=SECRET, refresh_token=REFRESH,
        smapi_url="http://127.0.0.1:9", lwa_url="http://127.0.0.1:9/auth/o2/token",
        timeout_s=2.0,
    )  # fmt: skip
    with pytest.raises(PushError, match="can't reach Login with Amazon"):
        push(settings, {"SESSION": [], "DEVICE": []})


def test_cli_push_sends_the_live_programme_and_records_when_it_was_built(
    httpserver, tmp_path, monkeypatch, capsys
):
    """A title published a minute ago is in the pushed SESSION values."""
    fake = FakeAmazon(httpserver)
    for name, value in env(httpserver, tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    from skill.services import build_services

    services = build_services(Settings.from_env())
    pottery = Session("", date(2026, 5, 21), time(14), time(15), "Pottery class", "Studio")
    programme = services.programme
    current = list(programme.current().sessions)
    programme.publish([*current, pottery], base=programme.live_version_id(), author="test")

    assert main(["model", "push"]) == 0
    out = capsys.readouterr().out
    assert "en-GB: SUCCEEDED" in out and "en-US: SUCCEEDED" in out
    assert "Pottery class" in fake.session_values("en-GB")
    assert "Pottery class" in fake.session_values("en-US")
    pushed = last_push(tmp_path / "data")
    assert pushed is not None and pushed["finished_at"]
    assert pushed["programme_version"] == programme.current().version


def test_cli_publish_sends_the_new_titles_to_the_model_as_the_admin_pages_do(
    httpserver, tmp_path, monkeypatch, capsys
):
    fake = FakeAmazon(httpserver)
    for name, value in env(httpserver, tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    week = tmp_path / "week.csv"
    week.write_text(
        "date,start,end,title,room\n2026-05-21,14:00,15:00,Pottery class,Studio\n",
        encoding="utf-8",
    )

    assert main(["programme", "import", str(week), "--publish", "--note", "pottery"]) == 0

    out = capsys.readouterr().out
    assert "it is live now" in out and "en-GB: SUCCEEDED" in out
    assert "Pottery class" in fake.session_values("en-GB")
    pushed = last_push(tmp_path / "data")
    assert pushed is not None and pushed["finished_at"]


def test_cli_push_without_credentials_names_the_missing_settings(monkeypatch, capsys):
    for name in ("VOICE_DEMO_LWA_CLIENT_ID", "VOICE_DEMO_LWA_REFRESH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VOICE_DEMO_SKILL_ID", SKILL)
    assert main(["model", "push"]) == 2
    err = capsys.readouterr().err
    assert "VOICE_DEMO_LWA_CLIENT_ID" in err and "VOICE_DEMO_LWA_REFRESH_TOKEN" in err


def test_package_writes_what_ask_deploy_reads(tmp_path):
    out = tmp_path / "build" / "skill-package"
    written = package(out, root=tmp_path)
    assert (out / "skill.json") in written
    for locale in LOCALES:
        model = json.loads((out / "interactionModels" / "custom" / f"{locale}.json").read_text())
        assert model["interactionModel"]["languageModel"]["invocationName"]
    resources = json.loads((tmp_path / "ask-resources.json").read_text())
    assert resources == {
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {"default": {"skillMetadata": {"src": "./build/skill-package"}}},
    }


def test_the_committed_ask_resources_points_at_the_package():
    from skill.model.package import PACKAGE_DIR, ROOT, ask_resources

    committed = json.loads((ROOT / "ask-resources.json").read_text())
    assert committed == ask_resources(PACKAGE_DIR, ROOT)


def test_after_publish_pushes_in_the_background_when_configured(httpserver, tmp_path, services):
    from skill.model.push import after_publish

    fake = FakeAmazon(httpserver)
    assert after_publish(services, {}, tmp_path) is None  # not configured: nothing happens
    thread = after_publish(services, env(httpserver, tmp_path), tmp_path)
    assert thread is not None
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert set(fake.models) == set(LOCALES)
    pushed = last_push(tmp_path)
    assert pushed is not None and pushed["status"] == {"en-GB": "SUCCEEDED", "en-US": "SUCCEEDED"}
