from __future__ import annotations

import pytest

from skill.devices.plug import DriverContext
from tests.devices.fakes import SilentSocket, refused_port
from tests.httpservers import threaded_server


@pytest.fixture(scope="session")
def _device_http():
    with threaded_server() as server:
        yield server


@pytest.fixture
def device_http(_device_http):
    """A real HTTP server on 127.0.0.1 for a fake plug to answer on."""
    _device_http.clear()
    yield _device_http
    _device_http.clear()


@pytest.fixture
def silent():
    sock = SilentSocket()
    yield sock
    sock.close()


@pytest.fixture
def refused() -> int:
    return refused_port()


@pytest.fixture
def context(tmp_path) -> DriverContext:
    """The drivers' context with production timeouts (so timing tests mean something)."""
    return DriverContext(data_dir=tmp_path / "data", environ={})


# --- AWS IoT shadows: moto in server mode, speaking the real iot-data HTTP API ------------

REGION = "eu-west-1"
THING = "voice-demo-heater"


def _fake_aws_credentials(monkeypatch, tmp_path) -> None:
    """Test credentials in REGION, and no profile, config or endpoint from this machine."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto_url(moto_server, monkeypatch, tmp_path):
    """A clean moto with one thing created; dummy credentials, no AWS config files."""
    import boto3
    import requests

    from skill.storage import dynamodb as aws

    requests.post(f"{moto_server}/moto-api/reset", timeout=5).raise_for_status()
    _fake_aws_credentials(monkeypatch, tmp_path)
    aws.reset_clients()
    boto3.client("iot", region_name=REGION, endpoint_url=moto_server).create_thing(thingName=THING)
    yield moto_server
    aws.reset_clients()


@pytest.fixture
def aws_context(context):
    from dataclasses import replace

    from skill.storage import dynamodb as aws

    return replace(context, aws_client=aws.client)


# --- AWS IoT over MQTT: Debian's mosquitto on 127.0.0.1 and a fake shadow service on it ----


def _need_mosquitto() -> None:
    from tests.mqtt.broker import binary

    if binary() is None:
        pytest.skip("mosquitto is not installed: scripts/ensure-mosquitto.sh (make test does it)")


@pytest.fixture
def broker():
    """A broker of this test's own, to stop and start again (same port) at will."""
    from tests.mqtt.broker import Mosquitto

    _need_mosquitto()
    server = Mosquitto().start()
    yield server
    server.close()


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Dummy credentials and no AWS config files: botocore signs, nothing leaves 127.0.0.1."""
    from skill.storage import dynamodb as aws

    _fake_aws_credentials(monkeypatch, tmp_path)
    aws.reset_clients()
    yield
    aws.reset_clients()


@pytest.fixture
def shadows(broker, aws_env):
    """The fake AWS IoT shadow service: MQTT on `broker`, REST at `shadows.url`."""
    from tests.mqtt.shadow_service import ShadowService

    service = ShadowService(broker.port)
    yield service
    service.close()
