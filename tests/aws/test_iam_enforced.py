"""The template's DynamoDB permissions are enough for the code that runs under them.

moto can enforce IAM: after `/moto-api/reset-auth`, each call is checked against the caller's
policies. Here the function and an admin get exactly the DynamoDB actions template.yaml grants
SkillRole and AdminPolicy, then do their real work (a cold start answering from the programme
and storing a preference; the CLI publishing). A code change that needs one more action fails
here rather than as AccessDenied in production.

moto checks actions, not resource ARNs (it sees "*" for DynamoDB), so resources are widened to
"*" here; test_template.py checks that they name our tables. It cannot check iot-data either,
so the shadows' permissions are checked by test_template.py alone.
"""

from __future__ import annotations

import json

import boto3
import pytest
import requests

from tests import alexa
from tests.aws.cloud import TABLES, programme_csv, room_question
from tests.aws.conftest import REGION
from tests.aws.test_template import Evaluator, policies, translated

# IAM authorises TransactWriteItems through the item actions it contains; moto checks the API
# name itself, so a statement allowing those item actions also allows it here.
_TRANSACT_PARTS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"}


def dynamodb_statements(owner: str) -> list[dict]:
    """`owner`'s DynamoDB statements from the translated template, resources widened."""
    cfn = translated()
    found = []
    for statement in policies(cfn, Evaluator(cfn, {}))[owner]:
        actions = [a for a in statement["Action"] if a.startswith("dynamodb:")]
        if actions:
            if _TRANSACT_PARTS & set(actions):
                actions.append("dynamodb:TransactWriteItems")
            found.append({"Effect": "Allow", "Action": actions, "Resource": "*"})
    return found


def credentials(moto_url: str, name: str, statements: list[dict]) -> dict[str, str]:
    iam = boto3.client("iam", region_name=REGION, endpoint_url=moto_url)
    iam.create_user(UserName=name)
    document = {"Version": "2012-10-17", "Statement": statements}
    iam.put_user_policy(UserName=name, PolicyName="template", PolicyDocument=json.dumps(document))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
        "AWS_SESSION_TOKEN": "",
    }


@pytest.fixture
def enforced(cloud, moto):
    """Users holding SkillRole's and AdminPolicy's DynamoDB actions; IAM checked from here on."""
    users = {
        "skill": credentials(moto, "skill", dynamodb_statements("SkillRole")),
        "admin": credentials(moto, "admin", dynamodb_statements("AdminPolicy")),
    }
    requests.post(f"{moto}/moto-api/reset-auth", data=b"0", timeout=5).raise_for_status()
    try:
        yield users
    finally:
        requests.post(f"{moto}/moto-api/reset-auth", data=b"inf", timeout=5).raise_for_status()


def test_skill_and_admin_manage_with_exactly_the_templates_dynamodb_actions(
    cloud, enforced, tmp_path, moto
):
    # Enforcement is really on: the skill's credentials cannot scan.
    skill_db = boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=moto,
        aws_access_key_id=enforced["skill"]["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=enforced["skill"]["AWS_SECRET_ACCESS_KEY"],
    )
    with pytest.raises(Exception, match="403|AccessDenied"):
        skill_db.scan(TableName=TABLES["StateTable"])

    published = cloud.cli(
        "programme",
        "import",
        str(programme_csv(tmp_path / "week.csv", "Room 4")),
        "--publish",
        env=enforced["admin"],
    )
    assert published.returncode == 0, published.stderr
    assert cloud.cli("programme", "versions", env=enforced["admin"]).returncode == 0

    container = cloud.cold_start(env=enforced["skill"] | {"VOICE_DEMO_TRIAL_LOG": "1"})
    assert "Welcome" in container.say(alexa.launch())
    assert "Room 4" in container.say(room_question())
    slower = container.say(alexa.intent("SpeakSlowerIntent"))
    assert "speak more slowly" in slower
    assert "<prosody rate=" in alexa.ssml(
        cloud.cold_start(env=enforced["skill"]).invoke(alexa.launch())
    )
    exported = cloud.cli("trial", "export", str(tmp_path / "trial.csv"), env=enforced["admin"])
    assert exported.returncode == 0, exported.stderr
    # The trial log swallows write errors (never at the cost of an answer): check it wrote.
    assert "SessionRoomIntent" in (tmp_path / "trial.csv").read_text(encoding="utf-8")
