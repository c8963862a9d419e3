"""Fixtures for the smart-home tests: Amazon's side faked on 127.0.0.1, two homes with a lamp."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft4Validator

from skill.devices import DeviceService, parse_registry
from skill.devices.plug import DriverContext
from skill.smarthome import DictHomes, SmartHome
from skill.smarthome.auth import AccessTokenVerifier
from skill.smarthome.gateway import EventGateway, Outbox
from skill.smarthome.lwa import LwaClient, TokenStore
from skill.storage.state import MemoryStateStore
from tests.devices.conftest import (  # noqa: F401 - the device tests' fixtures, reused
    _device_http,
    aws_context,
    context,
    device_http,
    moto_url,
    refused,
)
from tests.httpservers import threaded_server
from tests.smarthome.fakes import (
    CLIENT_ID,
    FakeCognito,
    FakeEventGateway,
    FakeLwa,
    new_key,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "alexa-smarthome"
SAMPLES = DATA / "sample_messages"
ALICE, BOB = "3f1c7a2e-0000-4000-8000-00000000000a", "3f1c7a2e-0000-4000-8000-00000000000b"
HOME_A, HOME_B = "home-a", "home-b"

HOME_A_DEVICES = [
    {"id": "lamp", "name": "lamp", "aliases": ["light"], "driver": "simulated"},
    {"id": "fan", "name": "fan", "driver": "simulated"},
    {
        "id": "heater",
        "name": "heater",
        "driver": "simulated",
        "voice_on": "confirm",
        "max_on_minutes": 30,
    },
    {
        "id": "fridge",
        "name": "fridge",
        "driver": "simulated",
        "initially_on": True,
        "voice_off": "deny",
    },
    {
        "id": "boiler",
        "name": "boiler",
        "driver": "simulated",
        "voice_on": "deny",
        "voice_off": "deny",
    },
]
HOME_B_DEVICES = [
    {"id": "lamp", "name": "lamp", "driver": "simulated"},
    {"id": "kettle", "name": "kettle", "driver": "simulated"},
]


def shelly_lamp(address: str, **options: Any) -> dict[str, Any]:
    host, port = address.split(":")
    return {"id": "lamp", "name": "lamp", "driver": "shelly", "host": host, "port": int(port)} | (
        options
    )


@pytest.fixture(scope="session")
def schema() -> Draft4Validator:
    path = DATA / "validation_schemas" / "alexa_smart_home_message_schema.json"
    return Draft4Validator(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture
def valid(schema):
    """Assert a message the skill sends is valid by Amazon's schema; return it."""

    def check(message: dict[str, Any]) -> dict[str, Any]:
        errors = sorted(schema.iter_errors(message), key=lambda e: e.path)
        assert not errors, json.dumps(message, indent=1) + "\n" + str(errors[0])[:2000]
        return message

    return check


def sample(relative: str) -> dict[str, Any]:
    return json.loads((SAMPLES / relative).read_text(encoding="utf-8"))


def request(relative: str, token: str, endpoint: str | None = None) -> dict[str, Any]:
    """One of Amazon's sample requests with our token (and endpoint) in place of theirs."""
    event = copy.deepcopy(sample(relative))
    directive = event["directive"]
    for holder in (
        directive.get("endpoint", {}).get("scope"),
        directive.get("payload", {}).get("scope"),
        directive.get("payload", {}).get("grantee"),
    ):
        if holder:
            assert holder["token"] == "access-token-from-skill"
            holder["token"] = token
    if endpoint is not None:
        directive["endpoint"]["endpointId"] = endpoint
    return event


@pytest.fixture(scope="session")
def _amazon():
    with threaded_server() as server:
        yield server


@pytest.fixture
def amazon(_amazon):
    _amazon.clear()
    yield _amazon
    _amazon.clear()


@pytest.fixture(scope="session")
def rsa_key():
    return new_key()


@pytest.fixture
def cognito(amazon, rsa_key) -> FakeCognito:
    fake = FakeCognito(rsa_key)
    fake.install(amazon)
    return fake


@pytest.fixture
def lwa(amazon) -> FakeLwa:
    fake = FakeLwa()
    fake.install(amazon)
    return fake


@pytest.fixture
def gateway(amazon, lwa) -> FakeEventGateway:
    fake = FakeEventGateway(lwa)
    fake.install(amazon)
    return fake


def device_service(tmp_path: Path, name: str, entries: list[dict[str, Any]], **kw) -> DeviceService:
    registry = parse_registry(yaml.safe_dump({"devices": entries}), f"{name}.yaml")
    driver_context = DriverContext(data_dir=tmp_path / name, environ={})
    return DeviceService(registry, driver_context, **kw)


@pytest.fixture
def homes(tmp_path):
    a = device_service(tmp_path, HOME_A, HOME_A_DEVICES)
    b = device_service(tmp_path, HOME_B, HOME_B_DEVICES)
    yield {HOME_A: a, HOME_B: b}
    a.close()
    b.close()


@pytest.fixture
def state():
    return MemoryStateStore()


@pytest.fixture
def make_smart_home(amazon, cognito, lwa, gateway, state):
    """SmartHome over the given homes; accounts: Alice -> home A, Bob -> home B."""
    built: list[SmartHome] = []

    def make(homes: dict[str, DeviceService], **kw) -> SmartHome:
        client = LwaClient(
            f"http://127.0.0.1:{amazon.port}/auth/o2/token",
            lwa.client_id,
            lwa.client_secret,
            TokenStore(state),
        )
        outbox = Outbox(EventGateway(f"http://127.0.0.1:{amazon.port}/v3/events", client))
        accounts = {ALICE: HOME_A, BOB: HOME_B}
        smart_home = SmartHome(
            AccessTokenVerifier(cognito.issuer, CLIENT_ID),
            DictHomes(accounts, homes),
            lwa=client,
            outbox=outbox,
            **kw,
        )
        for home_id, devices in homes.items():
            smart_home.watch(home_id, devices)
        built.append(smart_home)
        return smart_home

    yield make
    for smart_home in built:
        smart_home.close()


@pytest.fixture
def smart_home(make_smart_home, homes) -> SmartHome:
    return make_smart_home(homes)


@pytest.fixture
def granted(smart_home, cognito, lwa):
    """Home A has accepted the grant (event tokens stored); returns a function to grant more."""

    def grant(sub: str = ALICE) -> None:
        code = f"code-{sub}"
        lwa.codes.add(code)
        event = request("Authorization/Authorization.AcceptGrant.request.json", cognito.token(sub))
        event["directive"]["payload"]["grant"]["code"] = code
        answer = smart_home.handle(event)
        assert answer["event"]["header"]["name"] == "AcceptGrant.Response", answer

    grant(ALICE)
    return grant
