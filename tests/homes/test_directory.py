"""Homes as the domain sees them: registries, speakers, link codes, credentials."""

from __future__ import annotations

import os
import stat

import pytest

from skill.devices import RegistryError
from skill.homes import STAND_ID, HomeError, LinkOutcome
from skill.homes.directory import CODE_VALID_S, GUESSES_OVERALL, GUESSES_PER_ACCOUNT
from skill.homes.setup import Homes
from tests.homes.conftest import LAMP_ONLY


def _two_homes(homes: Homes):
    d = homes.directory
    a = d.add_home("Trial home A")
    b = d.add_home("Trial home B", "Europe/Dublin")
    d.import_registry(a.id, LAMP_ONLY, "a.yaml")
    d.import_registry(b.id, LAMP_ONLY, "b.yaml")
    return a, b


def test_the_stand_is_seeded_from_the_shipped_registry(homes: Homes):
    stand = homes.directory.home(STAND_ID)
    assert stand.label == "Demo stand"
    names = [d.name for d in homes.directory.devices_for_home(STAND_ID).registry]
    assert names == ["lamp", "fan", "heater", "fridge"]


def test_homes_are_found_by_id_or_label_and_labels_are_unique(homes: Homes):
    d = homes.directory
    home = d.add_home("  Flat   3 ", "Europe/Dublin")
    assert home.label == "Flat 3" and home.time_zone == "Europe/Dublin"
    assert d.find("flat 3") == home and d.find(home.id) == home
    with pytest.raises(HomeError, match="already a home called 'Flat 3'"):
        d.add_home("FLAT 3")
    with pytest.raises(HomeError, match="not a time zone"):
        d.add_home("Flat 4", "Mars/Olympus")


def test_two_lamps_in_two_homes_are_two_plugs(homes: Homes):
    a, b = _two_homes(homes)
    lamp_a = homes.directory.devices_for_home(a.id)
    lamp_b = homes.directory.devices_for_home(b.id)
    assert lamp_a.switch("lamp", True).is_confirmed(True)
    assert lamp_b.read("lamp").is_confirmed(False)
    assert homes.directory.devices_for_home(STAND_ID).read("lamp").is_confirmed(False)


def test_a_bad_import_changes_nothing_and_names_file_and_entry(homes: Homes):
    a, _ = _two_homes(homes)
    before = homes.directory.registry_text(a.id)
    bad = LAMP_ONLY + "  - id: kettle\n    name: lamp\n    driver: simulated\n"
    with pytest.raises(RegistryError) as caught:
        homes.directory.import_registry(a.id, bad, "kitchen.yaml")
    message = str(caught.value)
    assert "kitchen.yaml" in message and "kettle" in message and "line 6" in message
    assert homes.directory.registry_text(a.id) == before
    assert [d.id for d in homes.directory.devices_for_home(a.id).registry] == ["lamp"]


def test_an_import_reaches_a_cached_service(homes: Homes, wall):
    a, _ = _two_homes(homes)
    assert len(homes.directory.devices_for_home(a.id).registry) == 1
    homes.directory.import_registry(a.id, "devices: []\n", "empty.yaml")
    assert len(homes.directory.devices_for_home(a.id).registry) == 0


def test_another_process_s_change_is_seen_after_the_cache_time(homes: Homes, wall):
    a, _ = _two_homes(homes)
    d = homes.directory
    assert len(d.devices_for_home(a.id).registry) == 1
    d.store.put_registry(a.id, "devices: []\n")  # as another process would
    assert len(d.devices_for_home(a.id).registry) == 1
    wall.t += d.cache_s + 1
    assert len(d.devices_for_home(a.id).registry) == 0


# --- speakers and link codes -------------------------------------------------------------


def test_a_code_links_the_speaker_once(homes: Homes):
    a, b = _two_homes(homes)
    d = homes.directory
    code = d.issue_code("echo-kitchen")
    assert code is not None and len(code.code) == 6 and code.code.isdigit()
    assert d.home_for_speaker("echo-kitchen") is None
    assert d.redeem(code.code, a.id, by="ot-1") is LinkOutcome.LINKED
    assert d.home_for_speaker("echo-kitchen") == a.id
    assert d.redeem(code.code, b.id, by="ot-2") is LinkOutcome.USED
    assert d.home_for_speaker("echo-kitchen") == a.id
    assert d.unlink_speaker("echo-kitchen")
    assert d.home_for_speaker("echo-kitchen") is None


def test_an_expired_code_is_refused(homes: Homes, wall):
    a, _ = _two_homes(homes)
    code = homes.directory.issue_code("echo-hall")
    wall.t += CODE_VALID_S + 1
    assert homes.directory.redeem(code.code, a.id, by="ot") is LinkOutcome.EXPIRED
    assert homes.directory.home_for_speaker("echo-hall") is None


def test_guessing_is_throttled_per_account_and_overall(homes: Homes, wall):
    a, _ = _two_homes(homes)
    d = homes.directory
    code = d.issue_code("echo-bedroom")
    wrong = f"{(int(code.code) + 1) % 10**6:06d}"
    for _ in range(GUESSES_PER_ACCOUNT):
        assert d.redeem(wrong, a.id, by="mallory") is LinkOutcome.UNKNOWN
    # Now even the right code is refused for this account: guessing can't continue.
    assert d.redeem(code.code, a.id, by="mallory") is LinkOutcome.THROTTLED
    assert d.home_for_speaker("echo-bedroom") is None
    # Many accounts together hit the overall limit.
    for n in range(GUESSES_OVERALL - GUESSES_PER_ACCOUNT):
        assert d.redeem(wrong, a.id, by=f"helper-{n}") is LinkOutcome.UNKNOWN
    assert d.redeem(code.code, a.id, by="honest-ot") is LinkOutcome.THROTTLED
    wall.t += 601  # the window has passed (and so has that code's life)
    assert d.redeem(code.code, a.id, by="honest-ot") is LinkOutcome.EXPIRED
    fresh = d.issue_code("echo-bedroom")
    assert d.redeem(fresh.code, a.id, by="honest-ot") is LinkOutcome.LINKED


def test_malformed_codes_are_named_and_not_looked_up(homes: Homes):
    a, _ = _two_homes(homes)
    assert homes.directory.redeem("12 34", a.id, by="ot") is LinkOutcome.MALFORMED
    assert homes.directory.redeem("abcdef", a.id, by="ot") is LinkOutcome.MALFORMED


def test_a_speaker_asking_again_and_again_gets_no_more_codes(homes: Homes):
    issued = [homes.directory.issue_code("echo-x") for _ in range(8)]
    assert all(c is not None for c in issued[:5]) and issued[5:] == [None, None, None]


def test_unlinked_speakers_follow_the_setting(homes: Homes):
    from skill.homes import Unlinked

    d = homes.directory
    assert d.home_for_request("echo-new") == STAND_ID
    d.unlinked = Unlinked.REFUSE
    assert d.home_for_request("echo-new") is None


def test_accounts_link_to_homes(homes: Homes):
    a, _ = _two_homes(homes)
    homes.directory.link_account(a.id, "cognito-sub-1")
    assert homes.directory.home_for_account("cognito-sub-1") == a.id
    assert homes.directory.home_for_account("cognito-sub-2") is None


def test_removing_a_home_unlinks_its_speakers(homes: Homes):
    a, _ = _two_homes(homes)
    homes.directory.link_speaker(a.id, "echo-1")
    homes.directory.remove_home(a.id)
    assert homes.directory.home_for_speaker("echo-1") is None
    assert homes.directory.find("Trial home A") is None


# --- credentials -------------------------------------------------------------------------


def test_credentials_are_sealed_at_rest_with_a_private_key(homes: Homes, tmp_path):
    a, _ = _two_homes(homes)
    homes.directory.secrets.put(a.id, "lamp/password", "hunter2-plug")
    raw = (tmp_path / "data" / "homes.sqlite3").read_bytes()
    assert b"hunter2-plug" not in raw
    key = tmp_path / "data" / "homes.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert homes.directory.secrets.get_all(a.id) == {"lamp/password": "hunter2-plug"}
    assert homes.directory.secrets.get_all("other") == {}
