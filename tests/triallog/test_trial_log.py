"""The OT trial log records what happened, for whom (hashed), and nothing a person said."""

from __future__ import annotations

import csv
import hashlib
import io
import stat
from datetime import date, timedelta

import pytest

from skill.services import build_services
from skill.triallog import CONSENT_KEY, NotRecording, report
from skill.triallog.hashing import hash_user, looks_hashed, user_hasher
from tests import alexa

OTHER = "amzn1.ask.account.SOMEONEELSE"


@pytest.fixture
def settings(settings):
    return settings.with_(trial_log=True, trial_retention_days=30)


def log_file(settings):
    return settings.data_dir / "trial_log.sqlite3"


def test_each_answer_is_recorded_with_intent_outcome_and_a_hashed_user(services, post):
    post(alexa.launch())
    post(alexa.intent("AMAZON.FallbackIntent"))
    entries = services.trial_log.store.entries()
    assert [(e.intent, e.outcome, e.device) for e in entries] == [
        ("LaunchRequest", "info", None),
        ("AMAZON.FallbackIntent", "not_understood", None),
    ]
    (user,) = {e.user for e in entries}
    assert looks_hashed(user) and user != alexa.USER_ID
    assert entries[0].day == "2026-05-19"


def test_no_ids_and_no_spoken_words_reach_the_file(services, settings, post):
    post(alexa.intent("AMAZON.FallbackIntent", {"query": "my neighbour Mrs Jones"}))
    post(alexa.intent("Tell me about Mrs Jones"))  # a stray client's made-up intent name
    raw = b"".join(p.read_bytes() for p in settings.data_dir.glob("trial_log.sqlite3*"))
    assert raw, "the log was written"
    for secret in (b"Jones", alexa.USER_ID.encode(), alexa.DEVICE_ID.encode()):
        assert secret not in raw
    # Hashing the known id without the install's secret does not find the person.
    plain = hashlib.sha256(alexa.USER_ID.encode()).hexdigest()
    assert plain[:16].encode() not in raw and plain.encode() not in raw
    assert [e.intent for e in services.trial_log.store.entries()][-1] == "Other"


def test_the_same_person_keeps_one_hash_across_restarts_and_others_differ(settings, clock):
    first = user_hasher(settings)(alexa.USER_ID)
    assert user_hasher(settings)(alexa.USER_ID) == first
    assert user_hasher(settings)(OTHER) != first
    secret = settings.data_dir / "trial_secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_a_secret_from_the_environment_wins(settings):
    env = settings.with_(trial_secret="x" * 40)
    assert user_hasher(env)(alexa.USER_ID) == hash_user(b"x" * 40, alexa.USER_ID)
    assert not (settings.data_dir / "trial_secret").exists()


def test_nothing_is_recorded_without_consent_in_settings(settings, clock):
    services = build_services(settings.with_(trial_log=False), clock=clock)
    assert isinstance(services.trial_log, NotRecording)
    services.trial_log.record(
        user_id=alexa.USER_ID, asked="LaunchRequest", device=None, outcome="info", consented=True
    )
    assert not log_file(settings).exists()


def test_a_person_who_withdrew_is_not_recorded(services, post):
    services.state.put(alexa.USER_ID, CONSENT_KEY, False)
    post(alexa.launch())
    post(alexa.launch(user_id=OTHER))
    users = {e.user for e in services.trial_log.store.entries()}
    assert users == {services.trial_log.hash_user(OTHER)}


def test_device_outcomes_are_kept_with_the_device_id(services):
    for outcome in ("done", "unreachable", "refused", "made-up"):
        services.trial_log.record(
            user_id=alexa.USER_ID,
            asked="TurnOnIntent",
            device="lamp",
            outcome=outcome,
            consented=True,
        )
    got = [(e.intent, e.device, e.outcome) for e in services.trial_log.store.entries()]
    assert got == [
        ("TurnOnIntent", "lamp", "done"),
        ("TurnOnIntent", "lamp", "unreachable"),
        ("TurnOnIntent", "lamp", "refused"),
        ("TurnOnIntent", "lamp", "info"),
    ]


def test_a_broken_log_never_costs_the_answer(services, post, mocker):
    mocker.patch.object(services.trial_log.store, "add", side_effect=OSError("disk full"))
    response = post(alexa.launch())
    assert "Welcome" in alexa.speech_text(response)


def test_old_entries_are_purged_on_write(services, clock, post):
    post(alexa.launch())
    clock.now += timedelta(days=31)
    services.trial_log._last_purge = None
    post(alexa.launch())
    days = [e.day for e in services.trial_log.store.entries()]
    assert days == ["2026-06-19"]


def test_deleting_a_person_keeps_everyone_else(services, post):
    post(alexa.launch())
    post(alexa.launch(user_id=OTHER))
    store, me = services.trial_log.store, services.trial_log.hash_user(alexa.USER_ID)
    assert store.delete_user(me) == 1
    assert {e.user for e in store.entries()} == {services.trial_log.hash_user(OTHER)}


def test_filters_by_user_and_date_range(services, clock, post):
    for _ in range(3):
        post(alexa.launch())
        clock.now += timedelta(days=1)
    post(alexa.launch(user_id=OTHER))
    store, me = services.trial_log.store, services.trial_log.hash_user(alexa.USER_ID)
    assert len(store.entries(user=me)) == 3
    assert [e.day for e in store.entries(date(2026, 5, 20), date(2026, 5, 21))] == [
        "2026-05-20",
        "2026-05-21",
    ]


def test_daily_counts_include_quiet_days_for_the_chart(services, clock, post):
    post(alexa.launch())
    post(alexa.intent("AMAZON.FallbackIntent"))
    clock.now += timedelta(days=2)
    post(alexa.launch())
    days = report.daily(services.trial_log.store.entries())
    assert [(d.day.isoformat(), d.total) for d in days] == [
        ("2026-05-19", 2),
        ("2026-05-20", 0),
        ("2026-05-21", 1),
    ]
    assert days[0].counts["not_understood"] == 1 and days[0].success_rate == 0.0
    assert days[1].success_rate is None


def test_csv_export_has_local_times_plain_words_and_the_codes_for_analysis(services, post):
    from zoneinfo import ZoneInfo

    post(alexa.launch())
    names = report.Names(ZoneInfo("Europe/London"))
    rows = list(
        csv.DictReader(io.StringIO(report.to_csv(services.trial_log.store.entries(), names)))
    )
    code = services.trial_log.hash_user(alexa.USER_ID)
    assert (
        rows
        == [
            {
                "Date": "2026-05-19",
                "Time": "10:40:00",  # 09:40 UTC is 10:40 in London in May
                "Time zone": "Europe/London (BST)",
                "Person": f"Person {code[:4]}",  # nobody labelled them, and no home
                "Home": "",
                "What happened": "Opened the skill",
                "Result": "Answered",
                "Device": "",
                "Person code (for analysis)": code,
                "Request code (for analysis)": "LaunchRequest",
                "Result code (for analysis)": "info",
            }
        ]
    )


def test_voice_control_outcomes_through_the_skill(services, settings, post):
    lamp = {"device": alexa.slot("device", "lamp", resolved_id="lamp")}
    post(alexa.intent("TurnOnIntent", lamp))
    post(alexa.intent("TurnOffIntent", {"device": "fridge"}))  # never by voice
    post(alexa.intent("TurnOnIntent", {"device": "Auntie Mabel's kettle"}))  # not a device
    got = [(e.intent, e.device, e.outcome) for e in services.trial_log.store.entries()]
    assert got == [
        ("TurnOnIntent", "lamp", "done"),
        ("TurnOffIntent", "fridge", "refused"),
        ("TurnOnIntent", None, "not_understood"),
    ]
    raw = b"".join(p.read_bytes() for p in settings.data_dir.glob("trial_log.sqlite3*"))
    assert b"Mabel" not in raw and b"kettle" not in raw


def test_an_unreachable_plug_is_logged_as_unreachable(settings, clock, tmp_path):
    from skill.web import create_app
    from tests.devices.fakes import refused_port

    registry = tmp_path / "devices.yaml"
    registry.write_text(
        "devices:\n  - id: kettle\n    name: kettle\n    driver: shelly\n"
        f"    host: 127.0.0.1\n    port: {refused_port()}\n"
    )
    settings = settings.with_(devices_file=registry)
    services = build_services(settings, clock=clock)
    client = create_app(settings, services).test_client()
    kettle = {"device": alexa.slot("device", "kettle", resolved_id="kettle")}
    assert client.post("/alexa", json=alexa.intent("TurnOnIntent", kettle)).status_code == 200
    (entry,) = services.trial_log.store.entries()
    assert (entry.device, entry.outcome) == ("kettle", "unreachable")
