"""Open the homes for one process: store, credentials, directory and accounts.

Called by the composition root (skill/services.py) and the CLI. The Demo stand home is
seeded from the registry file: the shipped one once, or a configured `VOICE_DEMO_DEVICES`
at every start (it stays the operator's file, as before homes existed).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skill.devices.plug import DriverContext
from skill.devices.registry import Registry
from skill.devices.service import DeviceService, _secret_names
from skill.homes.accounts import Accounts
from skill.homes.directory import HomeDirectory, Unlinked
from skill.homes.model import STAND_ID, Home
from skill.homes.secrets import ParameterStoreSecrets, PlugSecrets, SealedSecrets
from skill.homes.sqlite import SqliteHomeStore
from skill.homes.store import HomeStore

if TYPE_CHECKING:
    from skill.settings import Settings


@dataclass(frozen=True)
class HomesConfig:
    data_dir: Path
    devices_file: Path
    shipped_devices: Path
    store: str = "sqlite"  # or "dynamodb"
    homes_table: str = "voice-demo-homes"
    secrets_prefix: str = ""  # SSM path for plug credentials (cloud); "" = sealed in the store
    unlinked: Unlinked = Unlinked.STAND
    default_zone: str = "Europe/London"
    budget_s: float = 5.0
    timers_reliable: bool = True
    seed_stand: bool = True


@dataclass(frozen=True)
class Homes:
    directory: HomeDirectory
    accounts: Accounts


def device_factory(
    config: HomesConfig,
    environ: Mapping[str, str],
    aws_client: Callable[..., Any] | None,
) -> Callable[[Home, Registry, Mapping[str, str]], DeviceService]:
    def make(home: Home, registry: Registry, credentials: Mapping[str, str]) -> DeviceService:
        if home.id == STAND_ID:
            # The stand keeps today's behaviour: the operator's registry file names
            # environment variables, and its simulated plugs live in the data folder itself.
            names = _secret_names(registry)
            secrets = {n: environ[n] for n in names if n in environ} | dict(credentials)
            folder = config.data_dir
        else:
            # Any other home reaches only its own credentials (an imported `password_env:
            # AWS_SECRET_ACCESS_KEY` finds nothing) and its own simulated plugs.
            secrets = dict(credentials)
            folder = config.data_dir / "homes" / home.id
        context = DriverContext(data_dir=folder, environ=secrets, aws_client=aws_client)
        return DeviceService(
            registry, context, budget_s=config.budget_s, timers_reliable=config.timers_reliable
        )

    return make


def open_store(config: HomesConfig, aws_client: Callable[..., Any] | None = None) -> HomeStore:
    if config.store == "dynamodb":
        from skill.homes.dynamo import DynamoHomeStore

        if aws_client is None:
            raise ValueError("cloud mode needs an AWS client factory")
        return DynamoHomeStore(config.homes_table, aws_client("dynamodb"))
    return SqliteHomeStore.in_folder(config.data_dir)


def open_homes(
    config: HomesConfig,
    environ: Mapping[str, str] | None = None,
    aws_client: Callable[..., Any] | None = None,
    store: HomeStore | None = None,
    wall: Callable[[], float] = time.time,
    monotonic: Callable[[], float] = time.monotonic,
) -> Homes:
    environ = os.environ if environ is None else environ
    store = store or open_store(config, aws_client)
    secrets: PlugSecrets
    if config.secrets_prefix:
        if aws_client is None:
            raise ValueError("plug credentials in Parameter Store need an AWS client factory")
        secrets = ParameterStoreSecrets(store, aws_client("ssm"), config.secrets_prefix)
    else:
        secrets = SealedSecrets.in_folder(store, config.data_dir)
    directory = HomeDirectory(
        store,
        secrets,
        device_factory(config, environ, aws_client),
        unlinked=config.unlinked,
        default_zone=config.default_zone,
        wall=wall,
        monotonic=monotonic,
    )
    if config.seed_stand:
        path = Path(config.devices_file)
        from skill.devices.errors import RegistryError

        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RegistryError(f"{path}: can't read the device registry ({exc.strerror})") from exc
        directory.ensure_stand(text, str(path), replace=path != config.shipped_devices)
    return Homes(directory, Accounts(store))


def config_from_settings(settings: Settings) -> HomesConfig:
    from skill.settings import SHIPPED_DEVICES

    cloud = settings.store == "dynamodb"
    unlinked = settings.unlinked_speakers or ("refuse" if cloud else "stand")
    try:
        mode = Unlinked(unlinked.strip().lower())
    except ValueError:
        raise ValueError(
            f"VOICE_DEMO_UNLINKED_SPEAKERS must be stand or refuse (not {unlinked!r})"
        ) from None
    return HomesConfig(
        data_dir=Path(settings.data_dir),
        devices_file=Path(settings.devices_file),
        shipped_devices=SHIPPED_DEVICES,
        store=settings.store,
        homes_table=settings.homes_table,
        secrets_prefix=settings.plug_secrets_path or ("/voice-demo/plug-secrets" if cloud else ""),
        unlinked=mode,
        default_zone=settings.timezone,
        budget_s=settings.device_budget_s,
        timers_reliable=not settings.in_lambda,
        # The cloud's Lambda never writes homes: operators import the stand's registry.
        seed_stand=not cloud,
    )


def aws_client(service: str, **kwargs: Any) -> Any:
    """skill.storage.dynamodb.client, imported on first use (boto3 is slow to import)."""
    from skill.storage import dynamodb

    return dynamodb.client(service, **kwargs)


def homes_for(settings: Settings, environ: Mapping[str, str] | None = None) -> Homes:
    """The homes for this process's settings (the CLI; services.py does the same)."""
    return open_homes(config_from_settings(settings), environ, aws_client)
