"""JSON for scripts and test clients: the homes an account may see, never a credential.

GET /admin/api/homes/ · GET /admin/api/homes/<id> · POST /admin/api/homes/<id>/link {code}
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from skill.homes import LINK_WORDS, LinkOutcome
from skill.web.admin import homes_view as view
from skill.web.admin.context import admin, current_account


def register_routes(bp: Blueprint) -> None:
    @bp.get("/")
    def homes():
        account = current_account()
        assert account is not None
        return jsonify(homes=[view.home_view(h) for h in view.visible_homes(account)])

    @bp.get("/<home_id>")
    def home(home_id: str):
        found, _ = view.home_or_404(home_id)
        summary = view.home_view(found)
        return jsonify(
            {
                **summary,
                "device_count": summary["devices"],
                "devices": view.devices_view(found),
                "linked_speakers": admin().directory.speakers(found.id),
            }
        )

    @bp.post("/<home_id>/link")
    def link(home_id: str):
        found, account = view.home_or_404(home_id)
        body = request.get_json(silent=True) or {}
        code = str(body.get("code", "")) if isinstance(body, dict) else ""
        outcome = admin().directory.redeem(code, found.id, by=account.name)
        status = {LinkOutcome.LINKED: 200, LinkOutcome.THROTTLED: 429}.get(outcome, 422)
        return jsonify(outcome=outcome.value, message=LINK_WORDS[outcome]), status
