"""Cloud mode end to end: the packaged bundle answers real envelopes against moto.

Each container (tests/aws/cloud.py) is a fresh interpreter with only the bundle and the
function's runtime requirements, in the environment template.yaml gives the function; starting
one is a cold start. DynamoDB and IoT are moto on 127.0.0.1; the programme is published with
the real CLI, and plugs are switched through a device shadow a running `voice-demo bridge`
applies.
"""

from __future__ import annotations

import json
import time

import pytest

from skill.devices import drivers
from skill.devices.deadline import Deadline
from skill.devices.plug import DriverContext
from skill.devices.registry import Device
from skill.storage import dynamodb as aws
from tests import alexa
from tests.aws.cloud import TABLES, THING, programme_csv, room_question

# --- tests -------------------------------------------------------------------------------------


def test_cold_start_answers_inside_alexas_budget_and_only_for_our_skill(cloud):
    container = cloud.cold_start()
    welcome = container.invoke(alexa.launch())
    assert "Welcome" in alexa.speech_text(welcome)
    assert welcome["response"]["shouldEndSession"] is False
    # Generous bound: import plus the first answer (boto3 clients, DynamoDB reads) inside 8 s.
    assert container.init_s + container.took[0] < 6
    theirs = container.invoke(alexa.launch(skill_id="amzn1.ask.skill.someone-else"))
    assert "couldn't read that request" in alexa.speech_text(theirs)


def test_programme_published_with_the_cli_is_what_a_cold_start_reads(cloud, tmp_path):
    published = cloud.cli(
        "programme",
        "import",
        str(programme_csv(tmp_path / "v1.csv", "Room 4")),
        "--publish",
        "--note",
        "first cut",
    )
    assert published.returncode == 0, published.stderr
    assert "Room 4" in cloud.cold_start().say(room_question())

    moved = cloud.cli(
        "programme",
        "import",
        str(programme_csv(tmp_path / "v2.csv", "the Atrium")),
        "--publish",
        "--note",
        "room change",
    )
    assert moved.returncode == 0, moved.stderr
    assert "Atrium" in cloud.cold_start().say(room_question())


def test_an_import_with_errors_publishes_nothing(cloud, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,start,end,title,room,presenter,description,aliases,status\n"
        "2026-13-40,25:00,15:00,,Room 4,,,,\n",
        encoding="utf-8",
    )
    result = cloud.cli("programme", "import", str(bad), "--publish")
    assert result.returncode != 0
    assert "date" in (result.stdout + result.stderr).lower()  # reported by column
    assert "hasn't been published" in cloud.cold_start().say(room_question())


def test_speaking_more_slowly_sticks_in_the_next_container(cloud):
    first = cloud.cold_start()
    first.say(alexa.intent("SpeakSlowerIntent", new=True))
    later = cloud.cold_start().invoke(alexa.launch())
    assert "<prosody rate=" in alexa.ssml(later)
    items = aws.client("dynamodb").scan(TableName=TABLES["StateTable"])["Items"]
    assert [i["user_id"]["S"] for i in items] == [alexa.USER_ID]


@pytest.fixture
def bridge(cloud, tmp_path):
    """`voice-demo bridge` running on the "LAN", driving a simulated plug; yields its plug."""
    data = tmp_path / "bridge"
    process = cloud.start_bridge(data)
    try:
        seen = []
        while not any("voice-demo bridge: lamp (simulated)" in line for line in seen):
            seen.append(process.stdout.readline())
            assert seen[-1], "the bridge stopped:\n" + "".join(seen)
        lan = Device(id="lamp", name="lamp", driver="simulated")
        yield drivers.module("simulated").create(lan, DriverContext(data_dir=data, environ={}))
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0, output


def reported_power() -> str | None:
    payload = aws.client("iot-data").get_thing_shadow(thingName=THING)["payload"].read()
    return json.loads(payload)["state"].get("reported", {}).get("power")


def test_turning_on_a_plug_goes_through_the_shadow_and_the_bridge(cloud, bridge):
    cloud.set_up_home()
    container = cloud.cold_start()
    lamp = alexa.slot("device", "lamp", resolved_id="lamp")
    started = time.monotonic()
    said = container.say(alexa.intent("TurnOnIntent", {"device": lamp}))
    assert time.monotonic() - started < 7  # the function's timeout
    assert "The lamp is on." in said  # only said once the bridge reported it applied
    assert reported_power() == "on"
    assert bridge.read(Deadline(2.0)).on is True  # the plug on the LAN really switched


def test_with_the_bridge_away_the_skill_says_it_asked_inside_the_timeout(cloud):
    cloud.set_up_home()
    container = cloud.cold_start()
    lamp = alexa.slot("device", "lamp", resolved_id="lamp")
    started = time.monotonic()
    said = container.say(alexa.intent("TurnOnIntent", {"device": lamp}))
    assert time.monotonic() - started < 7
    assert "I asked the lamp to turn on but it hasn't confirmed." in said
    assert reported_power() is None  # nobody applied it; the command waits in `desired`


def test_an_unlinked_speaker_is_told_how_to_get_set_up_and_can_link(cloud):
    home = cloud.set_up_home(speaker="amzn1.ask.device.SOMEONE-ELSE")
    container = cloud.cold_start()
    lamp = alexa.slot("device", "lamp", resolved_id="lamp")
    said = container.say(alexa.intent("TurnOnIntent", {"device": lamp}))
    assert "isn't linked to a home yet" in said
    with pytest.raises(aws.AWS_ERRORS):  # no command was ever sent to the lamp's shadow
        aws.client("iot-data").get_thing_shadow(thingName=THING)
    answer = container.invoke(alexa.intent("LinkSpeakerIntent"))
    code = answer["response"]["card"]["content"].split()[1]
    items = aws.client("dynamodb").get_item(
        TableName=TABLES["HomesTable"], Key={"pk": {"S": "code"}, "sk": {"S": code}}
    )
    assert items["Item"]["device"]["S"] == alexa.DEVICE_ID  # written by the function
    assert home
