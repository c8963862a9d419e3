"""`voice-demo model package`: the ASK CLI's skill package, built from `interaction_model/`.

`ask deploy` reads the folder `ask-resources.json` names (profiles.default.skillMetadata.
src) and expects `skill.json` plus `interactionModels/custom/<locale>.json` in it
(alexa/ask-cli lib/model/resources-config/ask-resources.ts). The repository keeps the
flat folder the code and tests read; this writes the package from it, so the two can't
drift.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skill.model import LOCALES, MANIFEST, MODEL_DIR, dump, model_path

ROOT = MODEL_DIR.parent
PACKAGE_DIR = ROOT / "build" / "skill-package"
ASK_RESOURCES = "ask-resources.json"


def ask_resources(package: Path, root: Path) -> dict[str, Any]:
    """The minimal ask-resources.json: one profile whose skill metadata is the package."""
    try:
        src = "./" + package.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        src = str(package.resolve())
    return {
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {"default": {"skillMetadata": {"src": src}}},
    }


def package(
    out: Path = PACKAGE_DIR,
    directory: Path = MODEL_DIR,
    root: Path = ROOT,
    locales: Iterable[str] = LOCALES,
) -> list[Path]:
    """Write the skill package to `out` and ask-resources.json to `root`; the files written."""
    written = []
    models = out / "interactionModels" / "custom"
    models.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    (out / "skill.json").write_text(dump(manifest), encoding="utf-8")
    written.append(out / "skill.json")
    for locale in locales:
        data = json.loads(model_path(locale, directory).read_text(encoding="utf-8"))
        target = models / f"{locale}.json"
        target.write_text(dump(data), encoding="utf-8")
        written.append(target)
    resources = root / ASK_RESOURCES
    resources.write_text(dump(ask_resources(out, root)), encoding="utf-8")
    written.append(resources)
    return written
