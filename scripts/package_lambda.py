#!/usr/bin/env python3
"""Assemble the Lambda bundle in build/lambda/ for `sam build` (template.yaml's CodeUri).

The bundle is the `skill` package without the Flask side (skill/web, skill/cli), the device
registry the function will read (bundle root, `devices.yaml`), and deploy/lambda/
requirements.txt, which `sam build` installs for arm64. Then, unless --no-check, it proves the
bundle works with *only* those requirements: a subprocess without site-packages, whose path
holds just the bundle and the requirements' installed distributions, imports
`skill.lambda_function` and answers a LaunchRequest. A Flask import anywhere on that path
fails there, not on the first cold start in AWS.

    python scripts/package_lambda.py [--devices my-devices.yaml] [--out build/lambda]

It prints the IoT thing names to pass as the ThingNames parameter.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "deploy" / "lambda" / "requirements.txt"
DEFAULT_OUT = ROOT / "build" / "lambda"
BUNDLED_DEVICES = "devices.yaml"

# Local-mode parts of the package: the Flask app and the console script.
LEFT_OUT = ("skill/web", "skill/cli")
# Imports that must not appear anywhere in the bundle, even lazily.
FORBIDDEN = (
    "flask",
    "werkzeug",
    "flask_ask_sdk",
    "ask_sdk_webservice_support",
    "waitress",
    "skill.web",
    "skill.cli",
)
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache")


class PackagingError(Exception):
    """Something the person packaging can fix; printed without a traceback."""


def requirement_names(path: Path = REQUIREMENTS) -> list[str]:
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0])
    return names


def assemble(out: Path, devices: Path) -> None:
    """Copy skill/ (minus LEFT_OUT), the registry and the requirements into a clean `out`."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    left_out = {ROOT / p for p in LEFT_OUT}

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(IGNORED(folder, names))
        return skipped | {n for n in names if Path(folder, n) in left_out}

    shutil.copytree(ROOT / "skill", out / "skill", ignore=ignore)
    shutil.copy2(devices, out / BUNDLED_DEVICES)
    shutil.copy2(REQUIREMENTS, out / "requirements.txt")


def forbidden_imports(bundle: Path) -> list[str]:
    """Every import of a FORBIDDEN module in the bundle's code, lazy ones included."""
    found = []
    for path in sorted(bundle.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        except SyntaxError as exc:
            raise PackagingError(f"{path.relative_to(bundle)}:{exc.lineno}: {exc.msg}") from None
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN):
                    found.append(f"{path.relative_to(bundle)}:{node.lineno}: imports {module}")
    return found


# What each non-shadow driver means once the skill runs in Lambda, far from the plugs.
CLOUD_CAVEATS = {
    "simulated": "keeps its state per Lambda container (/tmp), so answers may disagree",
    "shelly": "works only if the plug is reachable from the internet; use iot_shadow",
    "tasmota": "works only if the plug is reachable from the internet; use iot_shadow",
    "homeassistant": "works only if Home Assistant is reachable from the internet",
}


def read_registry(devices: Path) -> tuple[list[str], list[str]]:
    """The IoT things the registry names (the IAM policy is limited to these) and warnings."""
    sys.path.insert(0, str(ROOT))
    from skill.devices.registry import RegistryError, load_registry

    try:
        registry = load_registry(devices)
    except RegistryError as exc:
        raise PackagingError(str(exc)) from None
    things = [d.options["thing_name"] for d in registry if d.driver == "iot_shadow"]
    warnings = [
        f"{d.id}: driver {d.driver} {CLOUD_CAVEATS[d.driver]}"
        for d in registry
        if d.driver in CLOUD_CAVEATS
    ]
    return things, warnings


# --- the only-runtime-dependencies check ---------------------------------------------------


def _distribution_closure(names: list[str]) -> list[metadata.Distribution]:
    """The requirements and everything they pull in, as installed here (markers evaluated)."""
    from packaging.requirements import Requirement

    seen: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise PackagingError(f"{name} is not installed here; pip install it first") from None
        seen[key] = dist
        for spec in dist.requires or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return list(seen.values())


def runtime_site(target: Path, names: list[str]) -> Path:
    """A site folder holding only the runtime distributions (symlinked from this environment)."""
    target.mkdir(parents=True, exist_ok=True)
    for dist in _distribution_closure(names):
        for top in {Path(str(f)).parts[0] for f in dist.files or []}:
            if top.endswith((".dist-info", ".egg-info")) or top in {"..", "bin", "__pycache__"}:
                continue
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (target / top).exists():
                (target / top).symlink_to(source)
    return target


_PROBE = """
import json, sys, time
started = time.perf_counter()
import skill.lambda_function as entry
imported = time.perf_counter() - started
event = json.loads(sys.argv[1])
response = entry.lambda_handler(event, None)
print(json.dumps({
    "skill_from": entry.__file__,
    "import_s": imported,
    "response": response,
    "modules": sorted({m.split(".")[0] for m in sys.modules}),
    "python": "%d.%d" % sys.version_info[:2],
}))
"""


def launch_event(skill_id: str = "amzn1.ask.skill.package-check") -> dict:
    system = {
        "application": {"applicationId": skill_id},
        "user": {"userId": "package-check"},
        "device": {"deviceId": "package-check", "supportedInterfaces": {}},
    }
    return {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "package-check",
            "attributes": {},
            "application": {"applicationId": skill_id},
            "user": {"userId": "package-check"},
        },
        "context": {"System": system},
        "request": {
            "type": "LaunchRequest",
            "requestId": "package-check",
            "timestamp": "2026-05-19T09:40:00Z",
            "locale": "en-GB",
        },
    }


def run_isolated(
    bundle: Path, site: Path, event: dict, env: dict[str, str], python: str = sys.executable
) -> dict:
    """Call the handler in a fresh interpreter that sees only the bundle and `site`.

    `-S` keeps this environment's site-packages (with Flask and the dev tools) off the path;
    `-B` keeps bytecode for this Python out of the bundle.
    """
    code = f"import sys; sys.path[:0] = [{str(bundle)!r}, {str(site)!r}]\n{_PROBE}"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VOICE_DEMO_"))}
    result = subprocess.run(
        [python, "-S", "-B", "-c", code, json.dumps(event)],
        capture_output=True,
        text=True,
        cwd=bundle,
        env={**clean, **env},
        timeout=120,
    )
    if result.returncode != 0:
        raise PackagingError(f"the bundle failed with only its requirements:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def check(bundle: Path, python: str = sys.executable) -> dict:
    """Import and launch the bundled skill with only the runtime requirements (local stores).

    `python` may be another interpreter, e.g. the Lambda runtime's version: the dependencies
    are this environment's, which works because each compiled one here has a pure-Python
    fallback (PyYAML, charset-normalizer).
    """
    bad = forbidden_imports(bundle)
    if bad:
        raise PackagingError("the Lambda bundle must not import these:\n  " + "\n  ".join(bad))
    with tempfile.TemporaryDirectory(prefix="voice-demo-lambda-") as tmp:
        site = runtime_site(Path(tmp) / "site", requirement_names(bundle / "requirements.txt"))
        env = {
            "VOICE_DEMO_STORE": "sqlite",  # the DynamoDB path is tested end to end against moto
            "VOICE_DEMO_DATA": str(Path(tmp) / "data"),
            "VOICE_DEMO_DEVICES": str(bundle / BUNDLED_DEVICES),
        }
        probe = run_isolated(bundle, site, launch_event(), env, python)
    if not Path(probe["skill_from"]).resolve().is_relative_to(bundle.resolve()):
        raise PackagingError(f"skill was imported from {probe['skill_from']}, not the bundle")
    if probe["response"]["response"].get("shouldEndSession") is not False:
        raise PackagingError(f"the bundled skill did not welcome: {probe['response']}")
    return probe


def sizes(bundle: Path) -> dict[str, int]:
    """Bytes of the code, and of code + runtime deps zipped (deps as installed here, so the
    arm64 wheels `sam build` fetches will differ a little)."""

    def zipped(paths: list[tuple[Path, Path]]) -> int:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for root, base in paths:
                for path in sorted(root.rglob("*") if root.is_dir() else [root]):
                    if path.is_file() and "__pycache__" not in path.parts:
                        archive.write(path, path.relative_to(base))
        return buffer.tell()

    code = [(bundle, bundle)]
    with tempfile.TemporaryDirectory() as tmp:
        site = runtime_site(Path(tmp) / "site", requirement_names(bundle / "requirements.txt"))
        deps = [(entry.resolve(), entry.resolve().parent) for entry in site.iterdir()]
        unzipped = sum(
            p.stat().st_size
            for root, _ in code + deps
            for p in (root.rglob("*") if root.is_dir() else [root])
            if p.is_file() and "__pycache__" not in p.parts
        )
        return {
            "code_zip": zipped(code),
            "bundle_zip": zipped(code + deps),
            "bundle_unzipped": unzipped,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--devices",
        type=Path,
        default=ROOT / "skill" / "data" / "devices.yaml",
        help="device registry to bundle (default: the shipped demo registry)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-check", action="store_true", help="skip the isolated import check")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter for the check, e.g. python3.13 to match the Lambda runtime",
    )
    parser.add_argument("--sizes", action="store_true", help="report bundle sizes")
    args = parser.parse_args(argv)
    try:
        things, warnings = read_registry(args.devices)
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        assemble(args.out, args.devices)
        if not args.no_check:
            probe = check(args.out, args.python)
            print(
                f"checked: imports and answers with only {REQUIREMENTS.name} on Python "
                f"{probe['python']} (import {probe['import_s'] * 1000:.0f} ms)"
            )
        if args.sizes:
            for name, value in sizes(args.out).items():
                print(f"{name}: {value / 1e6:.2f} MB")
    except PackagingError as exc:
        print(f"package_lambda: {exc}", file=sys.stderr)
        return 2
    print(f"bundle: {args.out}")
    print(
        f"sam deploy parameter: ThingNames={','.join(things)}"
        if things
        else "no iot_shadow devices: leave ThingNames empty"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
