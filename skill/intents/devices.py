"""Voice control of plugs: "turn on the lamp", "turn it off", "is the lamp on?", "everything off".

Replies only ever claim what the device confirmed ("The lamp is on."); otherwise they say
it was asked but hasn't confirmed, or couldn't be reached. Each device's policy decides
whether voice may switch it at once, only after a "yes", or not at all; a "yes" is never
asked for what the device confirms is already so, and a "no" is answered from what was
asked ("All right, I won't turn it on."), never from a guess about the device.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from skill import speech
from skill.alexa.turn import FollowUp, Reply, Turn
from skill.devices import (
    AuthFailed,
    AutoOffUnavailable,
    Device,
    DeviceError,
    DeviceFault,
    Misconfigured,
    Policy,
    PowerState,
    UnknownDevice,
    Unreachable,
)
from skill.devices.registry import normalize
from skill.intents import homes, screens
from skill.speech import SSML
from skill.triallog.outcome import Outcome

LAST_DEVICE = "last_device"  # session attribute: the device "it" means


@dataclass(frozen=True)
class ConfirmPower(FollowUp):
    """ "Do you want me to turn on the heater?": what a "yes" or "no" answers."""

    kind: ClassVar[str] = "confirm_power"
    device: str = ""
    on: bool = False


CONFIRM = ConfirmPower.kind


@dataclass(frozen=True)
class WhichDevice(FollowUp):
    """ "Which device do you mean?": a bare "the fan" (AnswerIntent) finishes `intent`."""

    kind: ClassVar[str] = "which_device"
    intent: str = ""


WHICH_DEVICE = WhichDevice.kind
_PRONOUNS = {"it", "that", "this", "them", "that one", "this one"}
ANYTHING_ELSE_REPROMPT = (
    "You can turn something on or off, or ask which devices are on. Anything else?"
)
# Why a plug switched itself off, as it reported it (PowerState.tripped), after "because".
TRIPPED = {
    "overpower": "it was drawing too much power",
    "overtemp": "it got too hot",
    "overvoltage": "the mains voltage was too high",
    "undervoltage": "the mains voltage was too low",
    "overcurrent": "the current was too high",
}


def _word(on: bool) -> str:
    return "on" if on else "off"


def _the(devices: list[Device]) -> list[str]:
    return [f"the {d.name}" for d in devices]


def _starting(devices: list[Device]) -> SSML:
    """ "The lamp and the fan", capitalised to start a sentence."""
    joined = speech.join(_the(devices))
    return SSML(joined[:1].upper() + joined[1:])


def _offer(turn: Turn) -> SSML:
    names = _the(turn.devices.registry.voice_controllable())
    return speech.ssml("I can switch {}.", speech.join(names, "or")) if names else SSML("")


def _finish(turn: Turn, reply: Reply) -> Reply:
    return turn.keep_listening(reply, ANYTHING_ELSE_REPROMPT)


def _no_devices(turn: Turn) -> Reply:
    if turn.unlinked:
        return homes.not_set_up(turn)
    if turn.homes_down:
        return Reply(
            "I can't reach this speaker's home settings just now. Please try again in a minute.",
            outcome=Outcome.UNREACHABLE,
        )
    return Reply("There are no devices set up for me to switch.", outcome=Outcome.NOT_UNDERSTOOD)


# --- which device? -----------------------------------------------------------------------


def _target(turn: Turn) -> Device | Reply:
    """The device meant: entity resolution's id, then the registry's names, then "it"."""
    registry = turn.devices.registry
    resolved = turn.resolved_id("device")
    if resolved and resolved in registry:
        return registry.get(resolved)
    spoken = turn.slot("device")
    if spoken and normalize(spoken) not in _PRONOUNS:
        return registry.find(spoken) or _unknown(turn, spoken)
    last = turn.session.get(LAST_DEVICE)
    if isinstance(last, str) and last in registry:
        return registry.get(last)
    # A question keeps the session open, one-shot or not: asking and then hanging up fails
    # certification and leaves the person with no way to answer.
    return Reply(
        speech.sentences("Which device do you mean?", _offer(turn)),
        reprompt=speech.sentences("Which device do you mean?", _offer(turn)),
        outcome=Outcome.NOT_UNDERSTOOD,
        # "the fan" (AnswerIntent) then finishes what was asked.
        follow_up=WhichDevice(oneshot=turn.oneshot, intent=turn.intent_name or ""),
    )


def _unknown(turn: Turn, spoken: str) -> Reply:
    heard = normalize("".join(ch for ch in spoken if ch.isprintable())[:60]) or "that"
    text = speech.sentences(speech.ssml("I don't know a device called {}.", heard), _offer(turn))
    return _finish(turn, Reply(text, outcome=Outcome.NOT_UNDERSTOOD))


# --- switching ---------------------------------------------------------------------------


def turn_on(turn: Turn) -> Reply:
    return _switch(turn, True)


def turn_off(turn: Turn) -> Reply:
    return _switch(turn, False)


def _addressed(turn: Turn) -> Device | Reply:
    """The device this request is about, remembered for "turn it off"; or the reply to give
    instead (no devices, an unknown name, "which device?")."""
    if not len(turn.devices.registry):
        return _no_devices(turn)
    target = _target(turn)
    if not isinstance(target, Reply):
        turn.session[LAST_DEVICE] = target.id
    return target


def _switch(turn: Turn, on: bool) -> Reply:
    device = _addressed(turn)
    if isinstance(device, Reply):
        return device
    policy = device.policy(on)
    if policy is Policy.DENY:
        return _finish(turn, _denied(device, on))
    if policy is Policy.CONFIRM:
        already = _already(turn, device, on)
        if already is not None:
            return _finish(turn, already)
        return Reply(
            speech.ssml("Do you want me to turn {} the {}?", _word(on), device.name),
            reprompt=speech.ssml(
                "Should I turn {} the {}? Please say yes or no.", _word(on), device.name
            ),
            follow_up=ConfirmPower(oneshot=turn.oneshot, device=device.id, on=on),
            device=device.id,
        )
    return _act(turn, device, on)


def _already(turn: Turn, device: Device, on: bool) -> Reply | None:
    """ "The heater is already on." when the device confirms it; None means ask as usual
    (a read that fails or isn't confirmed is no reason to skip the question)."""
    try:
        state = turn.devices.read(device.id)
    except DeviceError:
        return None
    if not state.is_confirmed(on):
        return None
    parts: list[object] = [speech.ssml("The {} is already {}.", device.name, _word(on))]
    parts.append(_left(turn, state))
    reply = Reply(speech.sentences(*parts), outcome=Outcome.INFO, device=device.id)
    reply.directives = screens.devices(turn, "Devices", [_row(device.name, state)])
    return reply


def _left(turn: Turn, state: PowerState) -> SSML:
    left = _minutes_left(state, turn.devices.now()) if state.on else None
    if not left:
        return SSML("")
    unit = "minute" if left == 1 else "minutes"
    return speech.ssml("It will switch itself off in about {} {}.", str(left), unit)


def _tripped(state: PowerState) -> str | None:
    return TRIPPED.get(state.tripped or "") if state.confirmed and not state.on else None


def _row(name: str, state: PowerState, problem: str | None = None) -> screens.Row:
    return screens.device_row(name, state.on, problem, confirmed=state.confirmed)


def _denied(device: Device, on: bool) -> Reply:
    return Reply(
        speech.ssml(
            "The {} can't be switched {} by voice, so I've left it as it is.",
            device.name,
            _word(on),
        ),
        outcome=Outcome.REFUSED,
        device=device.id,
    )


def _act(turn: Turn, device: Device, on: bool) -> Reply:
    state = turn.devices.switch(device.id, on)
    if state.is_confirmed(on):
        parts: list[object] = [speech.ssml("The {} is {}.", device.name, _word(on))]
        if on and device.max_on_minutes:
            parts.append(
                speech.ssml(
                    "It will switch itself off after {} minutes.", str(device.max_on_minutes)
                )
            )
        reply = Reply(speech.sentences(*parts), outcome=Outcome.DONE, device=device.id)
    elif state.confirmed and state.on is not on:  # it answered, and says the other thing
        why = _tripped(state)
        text = (
            speech.ssml(
                "I asked the {} to turn {}, but it switched itself off because {}.",
                device.name,
                _word(on),
                why,
            )
            if why
            else speech.ssml(
                "I asked the {} to turn {}, but it is still {}.",
                device.name,
                _word(on),
                _word(not on),
            )
        )
        reply = Reply(text, outcome=Outcome.UNREACHABLE, device=device.id)
    else:
        reply = Reply(
            speech.ssml(
                "I asked the {} to turn {} but it hasn't confirmed.", device.name, _word(on)
            ),
            outcome=Outcome.UNREACHABLE,
            device=device.id,
        )
    reply.directives = screens.devices(turn, "Devices", [_row(device.name, state)])
    return _finish(turn, reply)


def _confirming(turn: Turn) -> tuple[Device, bool] | None:
    """The device and the switch "yes"/"no" answers, if it is still in the registry."""
    asked = turn.follow_up
    registry = turn.devices.registry
    if not isinstance(asked, ConfirmPower) or asked.device not in registry:
        return None
    return registry.get(asked.device), asked.on


def confirm_yes(turn: Turn) -> Reply:
    asked = _confirming(turn)
    if asked is None:
        return _finish(turn, Reply("Sorry, I've lost track of what to switch."))
    device, on = asked
    if device.policy(on) is Policy.DENY:  # the registry may have changed since the question
        return _finish(turn, _denied(device, on))
    return _act(turn, device, on)


def confirm_no(turn: Turn) -> Reply:
    asked = _confirming(turn)
    if asked is None:
        return _finish(turn, Reply("All right."))
    device, on = asked
    # From what was asked, not from a guess about the device: it may be on already.
    return _finish(
        turn,
        Reply(
            speech.ssml("All right, I won't turn it {}.", _word(on)),
            outcome=Outcome.REFUSED,
            device=device.id,
        ),
    )


# --- asking ------------------------------------------------------------------------------


def _minutes_left(state: PowerState, now: datetime) -> int | None:
    if not state.off_at:
        return None
    return max(1, math.ceil((state.off_at - now).total_seconds() / 60))


def device_state(turn: Turn) -> Reply:
    device = _addressed(turn)
    if isinstance(device, Reply):
        return device
    state = turn.devices.read(device.id)
    name = device.name
    if state.on is None:
        text = speech.ssml("I don't know whether the {} is on.", name)
    elif not state.confirmed:
        text = speech.ssml(
            "As far as I know the {} is {}, but it hasn't confirmed.", name, _word(state.on)
        )
    else:
        text = speech.ssml("The {} is {}.", name, _word(state.on))
        why = _tripped(state)
        if why:
            text = speech.sentences(text, speech.ssml("It switched itself off because {}.", why))
        text = speech.sentences(text, _left(turn, state))
    shown = screens.devices(turn, "Devices", [_row(name, state)])
    return _finish(turn, Reply(text, device=device.id, directives=shown))


def which_on(turn: Turn) -> Reply:
    devices = turn.devices
    if not len(devices.registry):
        return _no_devices(turn)
    results = devices.read_all()
    registry = devices.registry
    states = {i: r for i, r in results.items() if isinstance(r, PowerState)}
    on = [registry.get(i) for i, r in states.items() if r.is_confirmed(True)]
    # Only a confirmed state is said as one: "as far as I know" states are named apart.
    unsure = [registry.get(i) for i, r in states.items() if r.on is not None and not r.confirmed]
    lost = [registry.get(i) for i in results if i not in states or states[i].on is None]
    parts: list[object] = []
    if on:
        verb = "is" if len(on) == 1 else "are"
        parts.append(speech.ssml("{} {} on.", _starting(on), verb))
    else:
        quiet = not lost and not unsure
        parts.append("Nothing is on." if quiet else "Nothing else is on, as far as I can tell.")
    if unsure:
        verb = "hasn't" if len(unsure) == 1 else "haven't"
        pronoun = "its" if len(unsure) == 1 else "their"
        parts.append(speech.ssml("{} {} confirmed {} state.", _starting(unsure), verb, pronoun))
    if lost:
        parts.append(speech.ssml("I couldn't check {}.", speech.join(_the(lost))))
    outcome = Outcome.UNREACHABLE if lost or unsure else Outcome.INFO
    reply = Reply(speech.sentences(*parts), outcome=outcome)
    shown = [
        _row(registry.get(i).name, r)
        if isinstance(r, PowerState)
        else screens.device_row(registry.get(i).name, None, "unreachable")
        for i, r in results.items()
    ]
    reply.directives = screens.devices(turn, "Devices", shown)
    return _finish(turn, reply)


def all_off(turn: Turn) -> Reply:
    devices = turn.devices
    if not len(devices.registry):
        return _no_devices(turn)
    registry = devices.registry
    targets = [d for d in registry if d.voice_off is Policy.ALLOW]
    held = [d for d in registry if d.voice_off is not Policy.ALLOW]
    results = devices.switch_all([d.id for d in targets], False)
    lost = [d for d in targets if isinstance(results[d.id], DeviceError)]
    done = [
        d
        for d in targets
        if isinstance(result := results[d.id], PowerState) and result.is_confirmed(False)
    ]
    asked = [d for d in targets if d not in lost and d not in done]
    states = devices.states()
    still_on = [d for d in held if states[d.id].state.is_confirmed(True)]
    unknown = [d for d in held if not states[d.id].state.confirmed]
    parts: list[object] = []
    if not asked and not lost:
        parts.append("Everything else is off." if still_on or unknown else "Everything is off.")
    else:
        if done:
            parts.append(speech.ssml("I've switched off {}.", speech.join(_the(done))))
        if asked:
            pronoun = "it hasn't" if len(asked) == 1 else "they haven't"
            parts.append(
                speech.ssml(
                    "I asked {} to turn off but {} confirmed.", speech.join(_the(asked)), pronoun
                )
            )
        if lost:
            parts.append(speech.ssml("I couldn't reach {}.", speech.join(_the(lost))))
    if still_on:
        verb = "stays" if len(still_on) == 1 else "stay"
        parts.append(
            speech.ssml("{} {} on: I can't switch that off by voice.", _starting(still_on), verb)
        )
    if unknown:  # never claim "stays on" for a state nobody has read
        pronoun = "it is" if len(unknown) == 1 else "they are"
        parts.append(
            speech.ssml(
                "I've left {} as {}: I can't switch that off by voice.",
                speech.join(_the(unknown)),
                pronoun,
            )
        )
    outcome = Outcome.DONE if not asked and not lost else Outcome.UNREACHABLE
    shown = [_row(s.name, s.state, s.problem) for s in states.values()]
    reply = Reply(speech.sentences(*parts), outcome=outcome)
    reply.directives = screens.devices(turn, "Devices", shown)
    return _finish(turn, reply)


# --- domain errors: one sentence each ----------------------------------------------------


def _error(
    template: str, outcome: Outcome = Outcome.UNREACHABLE, because: str | None = None
) -> Callable[[Exception], Reply]:
    """A reply for an error type; `because` is used when the error says what to fix."""

    def reply(exc: Exception) -> Reply:
        device = getattr(exc, "device", None)
        name = device.name if device is not None else "device"
        reason = getattr(exc, "reason", None)
        if because and reason:
            text = speech.ssml(because, name, reason)
        else:
            text = speech.ssml(template, name, str(device.max_on_minutes) if device else "")
        return Reply(text, outcome=outcome, device=device.id if device is not None else None)

    return reply


def named_device(turn: Turn) -> Reply:
    """A bare device name answering "Which device do you mean?"."""
    asked = turn.follow_up.intent if isinstance(turn.follow_up, WhichDevice) else ""
    return {"TurnOnIntent": turn_on, "TurnOffIntent": turn_off}.get(asked, device_state)(turn)


INTENTS = {
    f"AnswerIntent/{WHICH_DEVICE}": named_device,
    "TurnOnIntent": turn_on,
    "TurnOffIntent": turn_off,
    "DeviceStateIntent": device_state,
    "WhichDevicesOnIntent": which_on,
    "AllOffIntent": all_off,
    f"AMAZON.YesIntent/{CONFIRM}": confirm_yes,
    f"AMAZON.NoIntent/{CONFIRM}": confirm_no,
}

# Most specific first: the dispatcher uses the first type that matches.
ERRORS = {
    Unreachable: _error("I couldn't reach the {}."),
    AuthFailed: _error(
        "The {} didn't accept my login, so I couldn't do that. Someone needs to check its settings."
    ),
    AutoOffUnavailable: _error(
        "I can't switch the {} on from here: nothing could switch it off again after {} minutes.",
        Outcome.REFUSED,
    ),
    Misconfigured: _error(
        "The {} isn't set up properly, so I couldn't do that.",
        because="The {} isn't set up properly: {}. Someone needs to check its settings.",
    ),
    UnknownDevice: _error("The {} isn't set up properly, so I couldn't do that."),
    DeviceFault: _error(
        "The {} reported a problem, so I couldn't do that.",
        because="The {} {}, so I couldn't do that.",
    ),
    DeviceError: _error("Sorry, something went wrong with the {}."),
}
