"""Screenshots for docs/homes.md: an OT's path from a new home to "turn on the lamp".

    .venv/bin/python scripts/homes_screenshots.py [--out docs/images/homes]

Runs the real app on 127.0.0.1 with a throwaway data folder and drives Debian's Chromium
the way the browser tests do (tests/browser.py): an administrator adds an OT account, the OT
adds a home and a plug, tests the plug, links a speaker with the code it spoke (sent as a
real envelope to POST /alexa), and the person's "turn on the lamp" shows on the home page.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from skill.services import build_services  # noqa: E402
from skill.settings import Settings  # noqa: E402
from skill.simulator import envelopes  # noqa: E402
from skill.web import create_app  # noqa: E402
from tests.browser import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402

SPEAKER = "amzn1.ask.device.KITCHEN-ECHO"
OT, OT_PASSWORD = "Olu", "a long ot password"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "homes")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    executable = chromium_path()
    if executable is None:
        print("chromium is not installed (scripts/ensure-chromium.sh)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="voice-demo-shots-"))
    settings = Settings(data_dir=data, verify=False, admin_password="demo admin password")
    services = build_services(settings)
    services.homes.accounts.add(OT, "ot", OT_PASSWORD)
    app = create_app(settings, services)

    def alexa(name: str, slots: dict | None = None) -> dict:
        body = envelopes.envelope(envelopes.intent_request(name, slots), device_id=SPEAKER)
        with app.test_client() as client:
            return client.post("/alexa", json=body).get_json()

    with serve(app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url, viewport={"width": 1100, "height": 900})

        def shot(name: str) -> None:
            page.screenshot(path=str(args.out / f"{name}.png"), full_page=True)
            print(args.out / f"{name}.png")

        page.goto("/admin/login")
        page.get_by_label("Your name or account").fill(OT)
        page.get_by_label("Password").fill(OT_PASSWORD)
        shot("1-log-in")
        page.get_by_role("button", name="Log in").click()

        page.get_by_label("Label").fill("Trial home A")
        shot("2-add-a-home")
        page.get_by_role("button", name="Add home").click()

        page.get_by_role("link", name="Add a plug").click()
        page.get_by_role("link", name="Simulated plug").click()
        page.get_by_label("Name people say").fill("lamp")
        page.get_by_label("Other names").fill("light, reading lamp")
        shot("3-add-a-plug")
        page.get_by_role("button", name="Save plug").click()

        page.get_by_role("button", name="Test: switch on").click()
        shot("4-test-this-plug")
        page.get_by_role("button", name="Test: switch off").click()

        # The person (or the OT) says: "Alexa, ask learning week demo to link this speaker".
        card = alexa("LinkSpeakerIntent")["response"]["card"]["content"]
        code = re.search(r"\d{6}", card).group(0)
        page.get_by_label("Code the speaker said").fill(code)
        shot("5-link-the-speaker")
        page.get_by_role("button", name="Link the speaker").click()

        # "Alexa, ask learning week demo to turn on the lamp", from that Echo.
        alexa("TurnOnIntent", {"device": "lamp"})
        page.reload()
        shot("6-the-lamp-is-on")
        browser.close()
    services.homes.directory.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
