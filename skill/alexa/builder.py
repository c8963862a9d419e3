"""The one place the Alexa skill is assembled from the intent modules' dispatch tables."""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.alexa.api import TimeoutApiClient
from skill.alexa.dispatch import CatchAll, Dispatcher, ErrorTable
from skill.alexa.turn import Handler
from skill.intents import accessibility, core, devices, feedback, homes, programme
from skill.services import Services

# Order matters only for readability: keys must be unique across modules.
INTENT_MODULES: tuple[ModuleType, ...] = (
    core,
    accessibility,
    programme,
    devices,
    homes,
    feedback,
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


def handled_intents(modules: Iterable[ModuleType] = INTENT_MODULES) -> set[str]:
    """Intent names the skill answers (for `voice-demo model check`)."""
    table, _ = dispatch_table(modules)
    return {key.split("/")[0] for key in table if not key.endswith("Request")}


def build_skill(services: Services) -> CustomSkill:
    table, errors = dispatch_table()
    builder = CustomSkillBuilder(api_client=TimeoutApiClient())
    # The skill id is checked before dispatch (web verifier, Lambda entry) so a stranger's
    # request gets a clean refusal instead of the SDK's exception.
    builder.add_request_handler(Dispatcher(services, table, errors))
    builder.add_exception_handler(CatchAll())
    return builder.create()
