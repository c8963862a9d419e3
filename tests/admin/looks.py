"""What a sighted keyboard user sees, measured in the browser: focus rings and their contrast.

The contrast ratio is WCAG 2's: relative luminance of sRGB colours,
https://www.w3.org/TR/WCAG22/#dfn-relative-luminance and #dfn-contrast-ratio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RGB = tuple[float, float, float]

_COLOUR = re.compile(r"rgba?\(([^)]*)\)")


def parse_colour(text: str) -> tuple[RGB, float] | None:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' (as getComputedStyle gives) -> (rgb, alpha)."""
    found = _COLOUR.search(text)
    if not found:
        return None
    parts = [float(p) for p in re.split(r"[,\s/]+", found.group(1).strip()) if p]
    alpha = parts[3] if len(parts) > 3 else 1.0
    return (parts[0], parts[1], parts[2]), alpha


def over(colour: tuple[RGB, float], behind: RGB) -> RGB:
    """A colour with alpha as painted over an opaque one."""
    rgb, alpha = colour
    r, g, b = (alpha * c + (1 - alpha) * d for c, d in zip(rgb, behind, strict=True))
    return (r, g, b)


def luminance(rgb: RGB) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# Computed style of an element and of what is painted behind it (first opaque ancestor).
STYLE_JS = """el => {
  const cs = getComputedStyle(el);
  let behind = 'rgb(255, 255, 255)';
  for (let p = el.parentElement; p; p = p.parentElement) {
    const bg = getComputedStyle(p).backgroundColor;
    if (!/rgba\\(.*,\\s*0\\)$/.test(bg) && bg !== 'transparent') { behind = bg; break; }
  }
  return {outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth,
          outlineColor: cs.outlineColor, boxShadow: cs.boxShadow,
          background: cs.backgroundColor, behind: behind,
          focused: document.activeElement === el};
}"""

_SHADOW = re.compile(r"(rgba?\([^)]*\))((?:\s+-?[\d.]+px){2,4})(\s+inset)?")


@dataclass(frozen=True)
class Ring:
    """The colours that appear on focus (outline, new shadows, a new fill) and the background."""

    colours: list[RGB]
    behind: RGB
    fill: RGB | None  # the element's own opaque fill before focus (a button's red)

    def worst_case(self) -> tuple[float, float | None]:
        """Best band's contrast against the background, and against the element's fill."""
        against_behind = max(contrast(c, self.behind) for c in self.colours)
        against_fill = max(contrast(c, self.fill) for c in self.colours) if self.fill else None
        return against_behind, against_fill


def _shadows(text: str) -> set[tuple[str, tuple[float, ...]]]:
    found = set()
    for colour, lengths, _inset in _SHADOW.findall(text or ""):
        numbers = tuple(float(n[:-2]) for n in lengths.split())
        found.add((colour, numbers))
    return found


def ring(before: dict, after: dict) -> Ring:
    """What changed between the unfocused and the focused computed style."""
    behind_colour = parse_colour(after["behind"])
    assert behind_colour is not None
    behind = behind_colour[0]
    colours: list[RGB] = []
    width = float(after["outlineWidth"].removesuffix("px") or 0)
    outline = parse_colour(after["outlineColor"])
    if after["outlineStyle"] != "none" and width >= 2 and outline and outline[1] > 0:
        colours.append(over(outline, behind))
    for colour, numbers in _shadows(after["boxShadow"]) - _shadows(before["boxShadow"]):
        parsed = parse_colour(colour)
        extent = max(abs(n) for n in numbers[:2] + numbers[3:4])  # offsets and spread
        if parsed and parsed[1] > 0 and extent >= 2:
            colours.append(over(parsed, behind))
    fill_before = parse_colour(before["background"])
    fill_after = parse_colour(after["background"])
    if fill_after and fill_after[1] > 0 and after["background"] != before["background"]:
        colours.append(over(fill_after, behind))
    fill = fill_before[0] if fill_before and fill_before[1] == 1 else None
    return Ring(colours, behind, fill)


def log_in(page, name: str = "Priya") -> None:
    """Through the login form, with the shared demo password (an administrator)."""
    from tests.admin.conftest import PASSWORD

    page.goto("/admin/login")
    page.locator("#field-name").fill(name)
    page.locator("#field-password").fill(PASSWORD)
    page.locator("#field-password").press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def tab_to(page, locator, limit: int = 300) -> None:
    """Press Tab from the top of the page until `locator` has focus, as a keyboard user does."""
    page.locator("body").evaluate("b => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    handle = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if handle.evaluate("el => document.activeElement === el"):
            return
    raise AssertionError(f"Tab never reached {locator}")


# Every field in error: its id, its inline message, aria wiring, and where it is on the page.
FIELDS_JS = """ids => ids.map(id => {
  const field = document.getElementById(id);
  const message = document.getElementById(id + '-error');
  return {
    exists: !!field,
    message: message ? message.textContent.replace(/\\s+/g, ' ').trim() : null,
    above: !!(message && field && (message.compareDocumentPosition(field)
              & Node.DOCUMENT_POSITION_FOLLOWING)),
    describedby: field ? (field.getAttribute('aria-describedby') || '').split(' ') : [],
    invalid: field ? field.getAttribute('aria-invalid') : null,
    top: field ? field.getBoundingClientRect().top + window.scrollY : 0,
    order: field ? [...document.querySelectorAll('input, select, textarea')].indexOf(field) : -1,
  };
})"""


def assert_error_pattern(page, expected: list[tuple[str, str]]) -> None:
    """GOV.UK's error summary and error messages for `expected` [(field id, message)], in order.

    The title starts "Error: "; the summary (role=alert, "There is a problem") has focus and
    links each field in the fields' order on the page with the inline message's words; each
    field has its message above it (with a visually-hidden "Error:"), is aria-describedby it
    and aria-invalid; each link moves focus to its field. axe-core finds nothing serious.
    """
    from playwright.sync_api import expect

    assert page.title().startswith("Error: "), page.title()
    summary = page.locator(".error-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    found = [
        (h.removeprefix("#"), t)
        for h, t in zip(
            links.evaluate_all("ls => ls.map(l => l.getAttribute('href'))"),
            links.all_inner_texts(),
            strict=True,
        )
    ]
    assert found == expected, f"summary says {found}"
    fields = page.evaluate(FIELDS_JS, [i for i, _ in expected])
    for (field_id, message), f in zip(expected, fields, strict=True):
        assert f["exists"], f"no #{field_id} for the summary link"
        assert f["message"] == f"Error: {message}", (field_id, f["message"])
        assert f["above"], f"the message for #{field_id} is not above it"
        assert f"{field_id}-error" in f["describedby"] and f["invalid"] == "true", (field_id, f)
    orders = [f["order"] for f in fields]
    assert orders == sorted(orders), f"summary order {expected} is not the page's order"
    assert_accessible(page)
    for index, (field_id, _) in enumerate(expected):
        links.nth(index).click()
        expect(page.locator(f"#{field_id}")).to_be_focused()


def assert_accessible(page) -> None:
    from tests.browser import assert_accessible as axe

    axe(page)
