"""Cold start of the Lambda entry, as a ratio to the bare minimum any such skill imports.

Each sample is a fresh interpreter timing one import with `perf_counter` (interpreter start-up,
the same for both, is left out). The baseline is `ask_sdk_core`'s skill builder plus boto3:
what a hello-world ask-sdk skill that talks to AWS imports. Runs alternate between the two so
drift hits both alike; one warm-up each first, so both read compiled bytecode, as in Lambda
where pip has compiled the dependencies. The figure is the median.

`--first-answer` also times what a person waits for on a cold container: import, build the
services (DynamoDB store, boto3 clients) and answer a LaunchRequest, against DynamoDB served
by moto on 127.0.0.1.

    python benchmarks/cold_import.py [--runs 15] [--first-answer]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT

BASELINE = "from ask_sdk_core.skill_builder import SkillBuilder\nimport boto3"
LAMBDA = "import skill.lambda_function"
FIRST_ANSWER = (
    "import json, sys\n"
    "import skill.lambda_function as entry\n"
    "answer = entry.lambda_handler(json.loads(sys.argv[1]), None)\n"
    "assert answer['response']['shouldEndSession'] is False, answer"
)


def _timed(body: str) -> str:
    indented = "\n".join("    " + line for line in body.splitlines())
    return (
        "import time\nstarted = time.perf_counter()\nif True:\n"
        f"{indented}\nprint(time.perf_counter() - started)"
    )


def sample(body: str, env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> float:
    """Seconds one fresh interpreter spends on `body`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VOICE_DEMO_", "PYTHON"))}
    result = subprocess.run(
        [sys.executable, "-c", _timed(body), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, **(env or {})},
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return float(result.stdout.strip().splitlines()[-1])


def compare(cases: dict[str, tuple], runs: int) -> dict[str, list[float]]:
    """Interleaved samples per case, after one discarded warm-up each."""
    for case in cases.values():
        sample(*case)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, case in cases.items():
            samples[name].append(sample(*case))
    return samples


def _moto_env(tmp: Path) -> tuple[object, dict[str, str]]:
    """Start moto on 127.0.0.1 with the template's tables; the env that points boto3 there."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per moto request
    sys.path.insert(0, str(ROOT))
    from tests.aws.conftest import aws_env, create_tables

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = aws_env(f"http://{host}:{port}", tmp)
    import boto3

    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name=env["AWS_REGION"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    create_tables(dynamodb, {"ProgrammeTable": "bench-programme", "StateTable": "bench-state"})
    env.update(
        VOICE_DEMO_STORE="dynamodb",
        VOICE_DEMO_PROGRAMME_TABLE="bench-programme",
        VOICE_DEMO_STATE_TABLE="bench-state",
        VOICE_DEMO_DATA=str(tmp / "data"),
        AWS_LAMBDA_FUNCTION_NAME="voice-demo-bench",
    )
    return server, env


def run(runs: int = 15, first_answer: bool = False) -> dict:
    cases: dict[str, tuple] = {"baseline": (BASELINE,), "lambda module": (LAMBDA,)}
    server = None
    with tempfile.TemporaryDirectory(prefix="voice-demo-bench-cold-") as tmp:
        if first_answer:
            sys.path.insert(0, str(ROOT))
            from tests import alexa

            server, env = _moto_env(Path(tmp))
            cases["first answer"] = (FIRST_ANSWER, env, (json.dumps(alexa.launch()),))
        try:
            samples = compare(cases, runs)
        finally:
            if server is not None:
                server.stop()
    base = statistics.median(samples["baseline"])
    return {
        name: {
            "median_ms": statistics.median(values) * 1000,
            "min_ms": min(values) * 1000,
            "max_ms": max(values) * 1000,
            "ratio": statistics.median(values) / base,
            "runs": len(values),
        }
        for name, values in samples.items()
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--first-answer", action="store_true")
    options = parser.parse_args()
    for name, row in run(options.runs, options.first_answer).items():
        print(
            f"{name:14s} median {row['median_ms']:6.1f} ms"
            f"  (min {row['min_ms']:.1f}, max {row['max_ms']:.1f}, {row['runs']} runs)"
            f"  ×{row['ratio']:.2f} baseline"
        )
