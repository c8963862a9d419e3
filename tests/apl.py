"""Check an APL RenderDocument directive against the screen that asked, without a renderer.

What a real Echo Show would trip over: a document version newer than its runtime, imports
Alexa doesn't host, unknown components or misspelt properties (silently ignored on the
device), data bindings to fields the datasources lack (rendered as empty), and sizes that
don't fit the viewport.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tests.alexa import Screen

VERSIONS = ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9"] + [
    f"{year}.{n}" for year in (2022, 2023, 2024) for n in (1, 2, 3)
]
HOSTED_PACKAGES = {"alexa-layouts", "alexa-styles", "alexa-viewport-profiles", "alexa-icon"}
BASE = {
    "type", "id", "description", "when", "bind", "style", "width", "height", "minWidth",
    "maxWidth", "minHeight", "maxHeight", "paddingLeft", "paddingRight", "paddingTop",
    "paddingBottom", "grow", "shrink", "spacing", "position", "left", "right", "top", "bottom",
    "alignSelf", "display", "opacity", "accessibilityLabel", "speech", "entities", "entity",
    "inheritParentState", "checked", "disabled", "onMount",
}  # fmt: skip
MULTI = {"item", "items", "data", "firstItem", "lastItem", "numbered"}
COMPONENTS = {
    "Container": BASE | MULTI | {"direction", "alignItems", "justifyContent", "wrap"},
    "Frame": BASE | {"item", "items", "backgroundColor", "borderColor", "borderRadius",
                     "borderWidth"},
    "Text": BASE | {"text", "fontSize", "color", "fontWeight", "fontFamily", "fontStyle",
                    "letterSpacing", "lineHeight", "maxLines", "textAlign", "textAlignVertical"},
    "Sequence": BASE | MULTI | {"scrollDirection", "onScroll"},
}  # fmt: skip
EXPRESSION = re.compile(r"\$\{([^}]*)\}")
PATH = re.compile(r"\b(payload|data)((?:\.[A-Za-z_]\w*)+)")
LINE = 1.25  # APL's default line height


def dp_size(screen: Screen) -> tuple[float, float]:
    v = screen.viewport
    return v["currentPixelWidth"] * 160 / v["dpi"], v["currentPixelHeight"] * 160 / v["dpi"]


def _version_key(version: str) -> int:
    return VERSIONS.index(version)


def _lookup(root: Any, dotted: str) -> Any:
    node = root
    for part in dotted.strip(".").split("."):
        assert isinstance(node, dict) and part in node, f"no field {dotted!r} in the datasource"
        node = node[part]
    return node


def _bindings(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, str):
        return []
    return [m for expr in EXPRESSION.findall(value) for m in PATH.findall(expr)]


def _walk(component: dict[str, Any], payload: dict[str, Any], data: list[Any] | None, found):
    kind = component.get("type")
    assert kind in COMPONENTS, f"unknown component {kind!r}"
    unknown = set(component) - COMPONENTS[kind]
    assert not unknown, f"{kind} has properties APL doesn't know: {sorted(unknown)}"
    found.append(component)
    for key, value in component.items():
        if key in ("item", "items"):
            continue
        for root, path in _bindings(value):
            if root == "payload":
                _lookup(payload, path)
            else:
                assert data is not None, f"${{data…}} used outside a data-driven list: {path}"
                for element in data:
                    _lookup(element, path)
    child_data = data
    if "data" in component:
        ((root, path),) = _bindings(component["data"])
        child_data = _lookup(payload, path)
        assert isinstance(child_data, list) and child_data, "a list needs at least one item"
    children = component.get("items", component.get("item", []))
    for child in children if isinstance(children, list) else [children]:
        _walk(child, payload, child_data, found)


def _length(value: Any, full: float) -> float:
    if isinstance(value, int | float):
        return float(value)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(vw|vh|%|dp)?", str(value))
    assert match, f"unreadable dimension {value!r}"
    number, unit = float(match[1]), match[2]
    return number * full / 100 if unit in ("vw", "vh", "%") else number


def check(directive: dict[str, Any], screen: Screen) -> dict[str, Any]:
    """Assert the directive suits `screen`; returns facts for further assertions."""
    assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
    assert directive["token"]
    document = json.loads(json.dumps(directive["document"]))
    datasources = json.loads(json.dumps(directive.get("datasources") or {}))
    assert document["type"] == "APL"
    assert document["version"] in VERSIONS
    assert _version_key(document["version"]) <= _version_key(screen.apl_max), (
        f"document {document['version']} is newer than the device's runtime {screen.apl_max}"
    )
    for package in document.get("import", []):
        assert package["name"] in HOSTED_PACKAGES and "source" not in package, package
    template = document["mainTemplate"]
    assert template["parameters"] == ["payload"]
    found: list[dict[str, Any]] = []
    _walk(template["item"], datasources, None, found)

    width, height = dp_size(screen)
    for component in found:
        for key, full in (("width", width), ("height", height)):
            if key in component:
                assert _length(component[key], full) <= full, (component["type"], key)
    outer = next(c for c in found if "paddingLeft" in c)
    inner_width = width - outer["paddingLeft"] - outer["paddingRight"]
    assert inner_width >= width * 0.5, "padding eats the screen"
    texts = [c for c in found if c["type"] == "Text"]
    sizes = [c["fontSize"] for c in texts]
    assert min(sizes) >= 16, "text too small to read at arm's length"
    # The title must fit in its lines (a generous 0.55em a character), and the title and
    # at least one whole row must be visible without scrolling.
    title, *row = texts
    title_text = _lookup(datasources, PATH.findall(title["text"])[0][1])
    title_lines = math.ceil(len(title_text) * 0.55 * title["fontSize"] / inner_width)
    assert title_lines <= title["maxLines"], f"{title_text!r} doesn't fit"
    used = outer["paddingTop"] + title["fontSize"] * LINE * title_lines
    used += sum(t["fontSize"] * LINE for t in row)
    assert used <= height, f"title and first row need {used:.0f}dp of {height:.0f}dp"
    return {"document": document, "datasources": datasources, "width": width, "height": height}
