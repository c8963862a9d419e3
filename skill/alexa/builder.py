"""The one place the Alexa skill is assembled from the intent modules' dispatch tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.alexa.api import TimeoutApiClient
from skill.alexa.dispatch import CatchAll, Dispatcher, ErrorTable
from skill.alexa.turn import Handler, Turn
from skill.intents import accessibility, core, devices, feedback, homes, programme, reminders
from skill.services import Services

# Order matters only for readability: keys must be unique across modules.
INTENT_MODULES: tuple[ModuleType, ...] = (
    core,
    accessibility,
    programme,
    devices,
    homes,
    feedback,
    reminders,
)


def dispatch_table(
    modules: Iterable[ModuleType] = INTENT_MODULES,
) -> tuple[dict[str, Handler], ErrorTable]:
    """Merge every module's INTENTS and ERRORS.

    An area may replace one of `core`'s generic answers; any other key claimed twice is
    a wiring bug.
    """
    table: dict[str, Handler] = {}
    errors: ErrorTable = {}
    for module in modules:
        for key, handler in getattr(module, "INTENTS", {}).items():
            if key in table and table[key] is not core.INTENTS.get(key):
                raise ValueError(f"{key} is handled twice ({module.__name__})")
            table[key] = handler
        errors.update(getattr(module, "ERRORS", {}))
    return table, errors


Hook = Callable[[Turn], None]


def turn_hooks(modules: Iterable[ModuleType] = INTENT_MODULES) -> tuple[Hook, ...]:
    """Every module's BEFORE_TURN functions, run before each request's handler."""
    return tuple(hook for module in modules for hook in getattr(module, "BEFORE_TURN", ()))


def handled_intents(modules: Iterable[ModuleType] = INTENT_MODULES) -> set[str]:
    """Intent names the skill answers (for `voice-demo model check`)."""
    table, _ = dispatch_table(modules)
    names = {key.split("/")[0] for key in table}
    # Request types ("LaunchRequest", "Connections.Response") are not intents; intent names
    # have no dot except the built-ins' "AMAZON.".
    return {
        n for n in names if not n.endswith("Request") and ("." not in n or n.startswith("AMAZON."))
    }


def build_skill(services: Services) -> CustomSkill:
    table, errors = dispatch_table()
    builder = CustomSkillBuilder(api_client=TimeoutApiClient())
    # The skill id is checked before dispatch (web verifier, Lambda entry) so a stranger's
    # request gets a clean refusal instead of the SDK's exception.
    builder.add_request_handler(Dispatcher(services, table, errors, turn_hooks()))
    builder.add_exception_handler(CatchAll())
    return builder.create()
