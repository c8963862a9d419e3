"""The cloud-mode harness: the packaged bundle as Lambda runs it, and what the admins run.

`LambdaContainer` is one Lambda execution environment: a fresh interpreter that sees only the
bundle and the function's runtime requirements (`-S`: no site-packages, so no Flask), imports
the entry at start (a cold start) and then takes one event per line (a warm container).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests import alexa
from tests.aws.conftest import aws_env

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
TABLES = {"ProgrammeTable": "e2e-programme", "StateTable": "e2e-state", "HomesTable": "e2e-homes"}
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


class Cloud:
    """Tables and things as deployed; how the function, the admin CLI and the bridge run."""

    def __init__(self, moto_url: str, code: Path, site: Path, tmp: Path, root: Path) -> None:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("VOICE_DEMO_", "PYTHON"))}
        self.common = {
            **base,
            **aws_env(moto_url, tmp),
            "VOICE_DEMO_STORE": "dynamodb",
            "VOICE_DEMO_PROGRAMME_TABLE": TABLES["ProgrammeTable"],
            "VOICE_DEMO_STATE_TABLE": TABLES["StateTable"],
            "VOICE_DEMO_HOMES_TABLE": TABLES["HomesTable"],
            "VOICE_DEMO_PLUG_SECRETS_PATH": "/voice-demo/plug-secrets",
            "VOICE_DEMO_TIMEZONE": "Europe/London",
        }
        self.registry = code / "devices.yaml"
        # What template.yaml sets, with the registry at the bundle root as in /var/task.
        self.function_env = {
            **self.common,
            "VOICE_DEMO_SKILL_ID": alexa.SKILL_ID,
            "VOICE_DEMO_DEVICES": str(self.registry),
            "VOICE_DEMO_DATA": str(tmp / "lambda-tmp"),
            "VOICE_DEMO_UNLINKED_SPEAKERS": "refuse",
            "AWS_LAMBDA_FUNCTION_NAME": "voice-demo-e2e",
        }
        self.code, self.site, self.tmp, self.root = code, site, tmp, root
        self.containers: list[LambdaContainer] = []

    def cold_start(self, env: dict[str, str] | None = None) -> LambdaContainer:
        container = LambdaContainer(self.code, self.site, {**self.function_env, **(env or {})})
        self.containers.append(container)
        return container

    def cli(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """`voice-demo …` as an admin runs it from a laptop against the cloud tables."""
        return subprocess.run(
            [*VOICE_DEMO, *args],
            capture_output=True,
            text=True,
            cwd=self.root,
            env={**self.common, "VOICE_DEMO_DATA": str(self.tmp / "admin-data"), **(env or {})},
            timeout=60,
        )

    def set_up_home(self, speaker: str = alexa.DEVICE_ID) -> str:
        """What an OT does: a home, its plugs from the registry file, the Echo linked."""
        added = self.cli("homes", "add", "Trial home A")
        assert added.returncode == 0, added.stderr
        home = added.stdout.strip()
        for args in (
            ("homes", "devices", "import", home, str(self.registry)),
            ("homes", "link", home, "--speaker", speaker),
        ):
            done = self.cli(*args)
            assert done.returncode == 0, done.stderr
        return home

    def start_bridge(self, data: Path) -> subprocess.Popen:
        """`voice-demo bridge` on the plugs' network, with the same registry."""
        env = {
            **self.common,
            "VOICE_DEMO_DATA": str(data),
            "VOICE_DEMO_DEVICES": str(self.registry),
            "PYTHONUNBUFFERED": "1",
        }
        return subprocess.Popen(
            [*VOICE_DEMO, "bridge", "--poll", "0.2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=self.root,
            env=env,
        )

    def close(self) -> None:
        for container in self.containers:
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
