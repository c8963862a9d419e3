"""In Lambda the slower speaking rate lives in DynamoDB: a new container still knows it."""

from __future__ import annotations

import pytest

import skill.lambda_function as lambda_module
from skill.speech import SLOW_RATE
from skill.storage import dynamodb as aws
from tests import alexa
from tests.aws.conftest import create_tables


@pytest.fixture
def invoke(moto, monkeypatch, tmp_path):
    create_tables(aws.client("dynamodb"), {"StateTable": "test-state"})
    for name, value in {
        "AWS_LAMBDA_FUNCTION_NAME": "voice-demo",
        "VOICE_DEMO_STATE_TABLE": "test-state",
        "VOICE_DEMO_DATA": str(tmp_path / "data"),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("VOICE_DEMO_SKILL_ID", raising=False)
    monkeypatch.delenv("VOICE_DEMO_STORE", raising=False)

    def cold_start(body):
        lambda_module._runtime = None
        aws.reset_clients()
        return lambda_module.lambda_handler(body, None)

    yield cold_start
    lambda_module._runtime = None


def test_slower_speech_survives_a_cold_start_for_that_user_only(invoke, tmp_path):
    invoke(alexa.intent("SpeakSlowerIntent", new=True))
    assert f'<prosody rate="{SLOW_RATE}">' in alexa.ssml(invoke(alexa.launch()))
    other = invoke(alexa.launch(user_id="amzn1.ask.account.SOMEONEELSE"))
    assert "prosody" not in alexa.ssml(other)
    assert not (tmp_path / "data" / "state.sqlite3").exists()
