"""Import flask-ask-sdk on machines where its certificate dependency cannot load.

flask_ask_sdk imports ask_sdk_webservice_support.verifier, which imports certvalidator,
which imports oscrypto; oscrypto 1.3.0 cannot parse OpenSSL versions such as "3.0.19"
and raises at import time (fixed upstream, never released). We never use that verifier:
signatures are checked by `skill.web.verify` on `cryptography`. So when certvalidator
will not import, we put an inert stand-in in its place: the SDK's own verifier then
refuses to run, loudly, instead of the whole package refusing to import.
"""

from __future__ import annotations

import sys
import types


class _Unavailable(Exception):
    pass


def _neutralise_certvalidator() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in {"certvalidator", "oscrypto"}:
            del sys.modules[name]

    class CertificateValidator:  # noqa: D401 - stand-in with the real name
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise _Unavailable(
                "certvalidator/oscrypto cannot load here; use skill.web.verify instead"
            )

    # vars(...).update: a module's attributes set without mypy taking it for a typo.
    errors = types.ModuleType("certvalidator.errors")
    vars(errors).update(
        ValidationError=type("ValidationError", (_Unavailable,), {}),
        PathError=type("PathError", (_Unavailable,), {}),
    )
    package = types.ModuleType("certvalidator")
    vars(package).update(
        CertificateValidator=CertificateValidator, __voice_demo_stub__=True, errors=errors
    )
    sys.modules["certvalidator"] = package
    sys.modules["certvalidator.errors"] = errors


def _ensure_importable() -> None:
    try:
        import certvalidator  # noqa: F401
    except Exception:  # oscrypto raises LibraryNotFoundError, an OSError subclass, or worse
        _neutralise_certvalidator()


_ensure_importable()

from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    VerificationException,
)
from flask_ask_sdk.skill_adapter import SkillAdapter  # noqa: E402

__all__ = ["AbstractVerifier", "SkillAdapter", "VerificationException"]
