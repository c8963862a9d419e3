"""The homes store on DynamoDB (moto in server mode) and credentials in SSM Parameter Store."""

from __future__ import annotations

import pytest

from skill.homes import STAND_ID, LinkOutcome, Role
from skill.homes.model import Account
from skill.homes.setup import HomesConfig, open_homes
from skill.settings import SHIPPED_DEVICES
from skill.storage import dynamodb as aws
from tests.aws.conftest import create_tables, warm_ssm

LAMP = "devices:\n  - {id: lamp, name: lamp, driver: simulated}\n"


@pytest.fixture
def homes(moto, tmp_path):
    create_tables(aws.client("dynamodb"), {"HomesTable": "t-homes"})
    warm_ssm()
    config = HomesConfig(
        data_dir=tmp_path,
        devices_file=SHIPPED_DEVICES,
        shipped_devices=SHIPPED_DEVICES,
        store="dynamodb",
        homes_table="t-homes",
        secrets_prefix="/voice-demo/plug-secrets",
    )
    opened = open_homes(config, environ={}, aws_client=aws.client)
    yield opened
    opened.directory.close()


def test_homes_registries_speakers_and_codes_round_trip(homes):
    d = homes.directory
    a = d.add_home("Trial home A")
    b = d.add_home("Trial home B")
    d.import_registry(a.id, LAMP, "a.yaml")
    d.import_registry(b.id, LAMP, "b.yaml")
    assert [h.label for h in d.homes()] == ["Demo stand", "Trial home A", "Trial home B"]
    assert d.devices_for_home(a.id).switch("lamp", True).is_confirmed(True)
    assert d.devices_for_home(b.id).read("lamp").is_confirmed(False)
    assert len(d.devices_for_home(STAND_ID).registry) == 4

    code = d.issue_code("echo-1")
    assert d.redeem(code.code, a.id, by="ot") is LinkOutcome.LINKED
    assert d.redeem(code.code, b.id, by="ot") is LinkOutcome.USED
    assert d.home_for_speaker("echo-1") == a.id
    assert d.speakers(a.id) == ["echo-1"]
    d.link_account(b.id, "sub-b")
    assert d.home_for_account("sub-b") == b.id

    d.label_person(a.id, "4ba7988d75f9f6c3", "P1")
    assert d.person_labels(a.id) == {"4ba7988d75f9f6c3": "P1"} and d.person_labels(b.id) == {}

    d.remove_home(a.id)
    assert d.home_for_speaker("echo-1") is None and d.find(a.id) is None
    assert d.person_labels(a.id) == {}


def test_credentials_live_in_parameter_store_as_securestrings(homes):
    d = homes.directory
    a = d.add_home("Trial home A")
    d.secrets.put(a.id, "lamp/password", "plug-pass-1")
    ssm = aws.client("ssm")
    parameter = ssm.get_parameter(Name=f"/voice-demo/plug-secrets/{a.id}/lamp/password")
    assert parameter["Parameter"]["Type"] == "SecureString"
    assert d.secrets.get_all(a.id) == {"lamp/password": "plug-pass-1"}
    assert d.secrets.names(a.id) == {"lamp/password"}
    # The table holds a marker only, never the value.
    items = aws.client("dynamodb").scan(TableName="t-homes")["Items"]
    assert "plug-pass-1" not in repr(items)
    d.secrets.delete(a.id, "lamp/password")
    assert d.secrets.get_all(a.id) == {}


def test_accounts_round_trip(homes):
    a = homes.directory.add_home("Trial home A")
    homes.accounts.add("Priya", "ot", "a long password")
    homes.accounts.assign("Priya", a.id)
    found = homes.accounts.log_in("priya", "a long password")
    assert found == Account("Priya", Role.OT, found.password_hash, frozenset({a.id}))
    assert homes.accounts.log_in("Priya", "wrong password!") is None
