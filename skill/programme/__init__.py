"""The spoken programme: sessions, immutable versioned snapshots, queries and stores.

No Alexa or Flask imports here: the intent layer (`skill.intents.programme`), the CLI and
the admin pages all build on `store.ProgrammeStore` and `programme.Programme`.
"""

from skill.programme.model import Session
from skill.programme.programme import Programme
from skill.programme.service import ProgrammeService

__all__ = ["Programme", "ProgrammeService", "Session"]
