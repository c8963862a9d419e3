"""Cloud mode end to end: the packaged bundle answers real envelopes against moto.

Each `LambdaContainer` is a fresh interpreter that sees only the bundle and the Lambda's
runtime requirements (no site-packages, so no Flask), with the environment template.yaml
gives the function. Starting one is a cold start; invoking it again is a warm container.
DynamoDB and IoT are moto on 127.0.0.1; the programme is published with the real CLI, and
plugs are switched through a device shadow that a running `voice-demo bridge` applies.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import boto3
import pytest

from skill import aws
from skill.devices import drivers
from skill.devices.deadline import Deadline
from skill.devices.plug import DriverContext
from skill.devices.registry import Device
from tests import alexa
from tests.aws.conftest import REGION, aws_env, create_tables
from tests.aws.test_package import ROOT, package_lambda

THING = "stand-1-lamp"
REGISTRY = f"""\
devices:
  - id: lamp
    name: lamp
    aliases: [light]
    driver: iot_shadow
    thing_name: {THING}
    wait_s: 2
    bridge: {{driver: simulated}}
"""
TABLES = {"ProgrammeTable": "e2e-programme", "StateTable": "e2e-state"}
VOICE_DEMO = [sys.executable, "-c", "import sys; from skill.cli import main; sys.exit(main())"]

_RUNNER = """
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
started = time.perf_counter()
import skill.lambda_function as entry
print(json.dumps({"ready": time.perf_counter() - started}), flush=True)
for line in sys.stdin:
    event = json.loads(line)
    started = time.perf_counter()
    response = entry.lambda_handler(event, None)
    print(json.dumps({"response": response, "took": time.perf_counter() - started}), flush=True)
"""


class LambdaContainer:
    """One Lambda execution environment: import at start (init), then one event per line."""

    def __init__(self, bundle: Path, site: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-S", "-B", "-c", _RUNNER, str(bundle), str(site)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=bundle,
            env=env,
        )
        self.init_s = json.loads(self._line())["ready"]
        self.took: list[float] = []

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            self.process.kill()
            raise AssertionError(f"the Lambda container died:\n{self.process.stderr.read()}")
        return line

    def invoke(self, event: dict) -> dict:
        self.process.stdin.write(json.dumps(event) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self._line())
        self.took.append(answer["took"])
        return answer["response"]

    def say(self, event: dict) -> str:
        return alexa.speech_text(self.invoke(event))

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        finally:
            self.process.stdout.close()
            self.process.stderr.close()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, Path]:
    """The Lambda bundle as package_lambda.py builds it, and a site with only its requirements."""
    tmp = tmp_path_factory.mktemp("lambda")
    registry = tmp / "devices.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    out = tmp / "bundle"
    package_lambda.assemble(out, registry)
    site = package_lambda.runtime_site(
        tmp / "site", package_lambda.requirement_names(out / "requirements.txt")
    )
    return out, site


@pytest.fixture
def cloud(moto, bundle, tmp_path):
    """Tables and thing as deployed; the function's environment; the CLI's environment."""
    create_tables(aws.client("dynamodb"), TABLES)
    boto3.client("iot", region_name=REGION).create_thing(thingName=THING)
    code, site = bundle
    base = {k: v for k, v in os.environ.items() if not k.startswith(("VOICE_DEMO_", "PYTHON"))}
    common = {
        **base,
        **aws_env(moto, tmp_path),
        "VOICE_DEMO_STORE": "dynamodb",
        "VOICE_DEMO_PROGRAMME_TABLE": TABLES["ProgrammeTable"],
        "VOICE_DEMO_STATE_TABLE": TABLES["StateTable"],
        "VOICE_DEMO_TIMEZONE": "Europe/London",
    }
    function_env = {
        **common,
        # What template.yaml sets, with the registry at the bundle root as in /var/task.
        "VOICE_DEMO_SKILL_ID": alexa.SKILL_ID,
        "VOICE_DEMO_DEVICES": str(code / package_lambda.BUNDLED_DEVICES),
        "VOICE_DEMO_DATA": str(tmp_path / "lambda-tmp"),
        "AWS_LAMBDA_FUNCTION_NAME": "voice-demo-e2e",
    }
    containers: list[LambdaContainer] = []

    registry = code / package_lambda.BUNDLED_DEVICES

    class Cloud:
        @staticmethod
        def cold_start() -> LambdaContainer:
            container = LambdaContainer(code, site, function_env)
            containers.append(container)
            return container

        @staticmethod
        def cli(*args: str) -> subprocess.CompletedProcess:
            """`voice-demo …` as an admin runs it from a laptop against the cloud tables."""
            return subprocess.run(
                [*VOICE_DEMO, *args],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env={**common, "VOICE_DEMO_DATA": str(tmp_path / "admin-data")},
                timeout=60,
            )

        @staticmethod
        def start_bridge(data: Path) -> subprocess.Popen:
            """`voice-demo bridge` on the plugs' network, with the same registry."""
            env = {
                **common,
                "VOICE_DEMO_DATA": str(data),
                "VOICE_DEMO_DEVICES": str(registry),
                "PYTHONUNBUFFERED": "1",
            }
            return subprocess.Popen(
                [*VOICE_DEMO, "bridge", "--poll", "0.2"],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                cwd=ROOT,
                env=env,
            )

    yield Cloud
    for container in containers:
        container.close()


def london_today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def programme_csv(path: Path, room: str) -> Path:
    day = london_today() + timedelta(days=10)
    path.write_text(
        "date,start,end,title,room,presenter,description,aliases,status\n"
        f"{day.isoformat()},14:00,15:00,Cloud deployment clinic,{room},Sam Patel,"
        "Bring your questions about running the skill on AWS.,cloud clinic,\n",
        encoding="utf-8",
    )
    return path


def room_question() -> dict:
    return alexa.intent("SessionRoomIntent", {"session": "cloud deployment clinic"})


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
    container = cloud.cold_start()
    lamp = alexa.slot("device", "lamp", resolved_id="lamp")
    started = time.monotonic()
    said = container.say(alexa.intent("TurnOnIntent", {"device": lamp}))
    assert time.monotonic() - started < 7  # the function's timeout
    assert "The lamp is on." in said  # only said once the bridge reported it applied
    assert reported_power() == "on"
    assert bridge.read(Deadline(2.0)).on is True  # the plug on the LAN really switched


def test_with_the_bridge_away_the_skill_says_it_asked_inside_the_timeout(cloud):
    container = cloud.cold_start()
    lamp = alexa.slot("device", "lamp", resolved_id="lamp")
    started = time.monotonic()
    said = container.say(alexa.intent("TurnOnIntent", {"device": lamp}))
    assert time.monotonic() - started < 7
    assert "I asked the lamp to turn on but it hasn't confirmed." in said
    assert reported_power() is None  # nobody applied it; the command waits in `desired`
