"""A real DynamoDB/IoT wire protocol on 127.0.0.1: moto in server mode, one per test session.

Each test gets a clean moto state and an environment that sends every boto3 call there
(`AWS_ENDPOINT_URL`), with dummy credentials and no shared AWS config files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from samtranslator.yaml_helper import yaml_parse

from skill.storage import dynamodb as aws

REGION = "eu-west-1"


def aws_env(moto_url: str, tmp_path) -> dict[str, str]:
    """The environment a process needs to talk to moto instead of AWS."""
    return {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }


@pytest.fixture
def moto(moto_server, monkeypatch, tmp_path):
    """A clean moto, with this process's boto3 pointed at it; yields the endpoint URL."""
    moto_url = moto_server
    requests.post(f"{moto_url}/moto-api/reset", timeout=5).raise_for_status()
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in aws_env(moto_url, tmp_path).items():
        monkeypatch.setenv(name, value)
    aws.reset_clients()
    yield moto_url
    aws.reset_clients()


TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"


def warm_ssm() -> None:
    """moto loads its SSM backend (AWS's public parameters) on the first SSM call, which
    takes seconds; do that here with a patient client, not inside a timed request."""
    import boto3
    from botocore.config import Config

    patient = Config(read_timeout=120, retries={"total_max_attempts": 1})
    boto3.client("ssm", region_name=REGION, config=patient).describe_parameters(MaxResults=1)


def create_tables(dynamodb, names: dict[str, str]) -> None:
    """Create tables exactly as template.yaml defines them (logical id -> table name).

    Building them from the template means a key the code uses but the template lacks
    fails here, not on the first deploy. Set-up isn't what is tested: it gets a client with
    patient timeouts (the code's own 2 s reads time out on a loaded CI machine).
    """
    import boto3
    from botocore.config import Config

    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=dynamodb.meta.endpoint_url,
        region_name=dynamodb.meta.region_name,
        config=Config(connect_timeout=10, read_timeout=60, retries={"total_max_attempts": 1}),
    )
    resources = yaml_parse(TEMPLATE.read_text(encoding="utf-8"))["Resources"]
    for logical_id, table_name in names.items():
        props = resources[logical_id]["Properties"]
        extra = {
            key: props[key]
            for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")
            if key in props
        }
        dynamodb.create_table(
            TableName=table_name,
            BillingMode=props["BillingMode"],
            AttributeDefinitions=props["AttributeDefinitions"],
            KeySchema=props["KeySchema"],
            **extra,
        )


# --- the cloud as deployed (tests/aws/cloud.py) ------------------------------------------------


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> tuple[Path, Path]:
    """The Lambda bundle as package_lambda.py builds it, and a site with only its requirements."""
    from tests.aws.cloud import REGISTRY
    from tests.aws.test_package import package_lambda

    tmp = tmp_path_factory.mktemp("lambda")
    registry = tmp / "devices.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    out = tmp / "bundle"
    package_lambda.assemble(out, registry)
    site = package_lambda.runtime_site(
        tmp / "site", package_lambda.requirement_names(out / "requirements.txt")
    )
    return out, site


@pytest.fixture
def cloud(moto, bundle, tmp_path):
    """Tables and thing created as deployed; start containers, run the CLI and the bridge."""
    import boto3

    from tests.aws.cloud import TABLES, THING, Cloud

    create_tables(aws.client("dynamodb"), TABLES)
    warm_ssm()
    boto3.client("iot", region_name=REGION).create_thing(thingName=THING)
    deployed = Cloud(moto, *bundle, tmp_path, TEMPLATE.parent)
    yield deployed
    deployed.close()
