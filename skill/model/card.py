"""A printable "things you can say" card, made from the model so it never promises a phrase
the skill doesn't know.

For occupational therapists to leave with the people they support: few words, big type,
grouped by what the person wants to do, the devices named as this install names them.
Examples are the first samples of each intent (authors keep the plainest ones first),
filled with real device names and with session titles from the live programme (the model's
SESSION values lag until `model build`), so a newly published version's sessions show.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from skill.model import InteractionModel, fill
from skill.model.builtins import BUILTIN_SAMPLES
from skill.simulator.timephrases import MONTHS, WEEKDAYS

# (heading, [(intent, how many examples)])
GROUPS: list[tuple[str, list[tuple[str, int]]]] = [
    (
        "Lights and plugs",
        [
            ("TurnOnIntent", 1),
            ("TurnOffIntent", 1),
            ("DeviceStateIntent", 1),
            ("WhichDevicesOnIntent", 1),
            ("AllOffIntent", 1),
        ],
    ),
    (
        "What's on",
        [
            ("WhatsOnNowIntent", 1),
            ("WhatsNextIntent", 1),
            ("WhatsOnIntent", 2),
            ("SessionTimeIntent", 1),
            ("SessionRoomIntent", 1),
            ("SessionPresenterIntent", 1),
        ],
    ),
    (
        "Help",
        [
            ("AMAZON.HelpIntent", 1),
            ("AMAZON.RepeatIntent", 1),
            ("SpeakSlowerIntent", 1),
            ("AMAZON.StopIntent", 1),
        ],
    ),
]
_EXAMPLES = {"AMAZON.DATE": ("tomorrow", "wednesday"), "AMAZON.TIME": ("afternoon", "morning")}
_PROPER = {*WEEKDAYS, *MONTHS}


@dataclass(frozen=True)
class Card:
    invocation: str
    groups: list[tuple[str, list[str]]]
    devices: list[str]
    one_shot: str | None


def _display(text: str) -> str:
    """A sample as it should read on paper: "I", weekdays and months capitalised."""
    words = [w.capitalize() if w in _PROPER else w for w in text.split()]
    return re.sub(r"\bi\b", "I", " ".join(words)).replace(" i'", " I'")


def _fewest_words(names: Iterable[str]) -> list[str]:
    return sorted(dict.fromkeys(names), key=lambda n: len(n.split()))


def build_card(model: InteractionModel, titles: Iterable[str] | None = None) -> Card:
    """`titles`: the live programme's session titles (default: the model's SESSION values)."""
    # Fewest words first ("Quiz night" reads better on a card than a long workshop title);
    # otherwise the data's order, so the registry's first device leads.
    cycles = {
        name: itertools.cycle(_fewest_words(v.name for v in values))
        for name, values in model.types.items()
        if values
    }
    live = _fewest_words(titles or ())
    if live:
        cycles["SESSION"] = itertools.cycle(live)
    cycles |= {name: itertools.cycle(values) for name, values in _EXAMPLES.items()}

    def example(intent: str, sample: str) -> str:
        return _display(fill(sample, model.intents[intent].slots, lambda t: next(cycles[t])))

    groups = []
    for heading, wanted in GROUPS:
        examples = []
        for intent, count in wanted:
            if intent not in model.intents:
                continue
            samples = [*BUILTIN_SAMPLES.get(intent, ()), *model.intents[intent].samples]
            examples += [example(intent, s) for s in samples[:count]]
        if examples:
            groups.append((heading, examples))
    devices = [v.name for v in model.types.get("DEVICE", ())]
    lights = next((g[1][0] for g in groups if g[0] == "Lights and plugs"), None)
    one_shot = f"Alexa, ask {model.invocation_name} to {lights}" if lights else None
    return Card(model.invocation_name, groups, devices, one_shot)


def markdown(card: Card) -> str:
    lines = [
        "# Things you can say",
        "",
        f"**First say: “Alexa, open {card.invocation}”**",
        "",
        "Then say one of these:",
    ]
    for heading, examples in card.groups:
        lines += ["", f"## {heading}", ""] + [f"- “{e}”" for e in examples]
    if card.devices:
        lines += ["", f"Your devices: {', '.join(card.devices)}."]
    if card.one_shot:
        lines += ["", f"Or all in one go: “{card.one_shot}”"]
    lines += ["", "Say “stop” when you have finished.", ""]
    return "\n".join(lines)


_STYLE = """
  body { font-family: Arial, Helvetica, sans-serif; font-size: 26pt; line-height: 1.35;
         color: #000; background: #fff; margin: 1.5cm; max-width: 40em; }
  h1 { font-size: 40pt; margin: 0 0 .4em; }
  h2 { font-size: 32pt; margin: 1em 0 .3em; border-bottom: 4px solid #000; }
  ul { list-style: none; padding: 0; margin: 0; }
  li { margin: .25em 0; }
  .start { font-size: 30pt; font-weight: bold; border: 4px solid #000; padding: .4em .6em; }
  @media print { body { margin: 1cm; } h2 { break-after: avoid; } ul { break-inside: avoid; } }
"""


def render_html(card: Card) -> str:
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><title>Things you can say</title>',
        f"<style>{_STYLE}</style></head>",
        "<body>",
        "<h1>Things you can say</h1>",
        f'<p class="start">First say: “Alexa, open {e(card.invocation)}”</p>',
        "<p>Then say one of these:</p>",
    ]
    for heading, examples in card.groups:
        parts.append(f"<h2>{e(heading)}</h2>")
        parts.append("<ul>" + "".join(f"<li>“{e(x)}”</li>" for x in examples) + "</ul>")
    if card.devices:
        parts.append(f"<p>Your devices: {e(', '.join(card.devices))}.</p>")
    if card.one_shot:
        parts.append(f"<p>Or all in one go: “{e(card.one_shot)}”</p>")
    parts += ["<p>Say “stop” when you have finished.</p>", "</body>", "</html>", ""]
    return "\n".join(parts)
