"""The SAM template deploys what we promise: only our skill can invoke it, least privilege.

Both checks run offline: cfn-lint with its bundled specs, and aws-sam-translator with its
bundled managed-policy map (no IAM lookup), after swapping the local CodeUri for an S3 one
as `sam package` does.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from boto3.session import Session
from cfnlint.api import lint
from samtranslator.internal.managed_policies import get_bundled_managed_policy_map
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
ALEXA_REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "ap-northeast-1"]
SKILL_ID = "amzn1.ask.skill.0a1b2c3d-0000-4000-8000-000000000000"
PSEUDO = {
    "AWS::Region": "eu-west-1",
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::StackName": "voice-demo",
}


def translated(**parameters: Any) -> dict[str, Any]:
    sam = yaml_parse(TEMPLATE.read_text(encoding="utf-8"))
    for resource in sam["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://deploy-bucket/voice-demo.zip"
    values = {"SkillId": SKILL_ID, **PSEUDO, **parameters}
    # A session with a region and no credentials: the translator reads the region, calls nothing.
    translator = Translator(None, Parser(), boto_session=Session(region_name=PSEUDO["AWS::Region"]))
    return translator.translate(
        copy.deepcopy(sam),
        parameter_values=values,
        get_managed_policy_map=lambda: get_bundled_managed_policy_map("aws") or {},
    )


class Evaluator:
    """Just enough CloudFormation to read the policies as IAM would see them."""

    def __init__(self, template: dict[str, Any], parameters: dict[str, Any]) -> None:
        self.template = template
        self.values = {**PSEUDO, "SkillId": SKILL_ID, **parameters}
        for name, spec in template.get("Parameters", {}).items():
            value = self.values.get(name, spec.get("Default"))
            if spec["Type"] == "CommaDelimitedList" and isinstance(value, str):
                value = value.split(",")
            self.values[name] = value

    def condition(self, name: str) -> bool:
        return bool(self(self.template["Conditions"][name]))

    def __call__(self, node: Any) -> Any:
        if isinstance(node, list):
            return [v for v in (self(n) for n in node) if v is not _NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) != 1 or not next(iter(node)).startswith(("Fn::", "Ref", "Condition")):
            return {k: v for k, v in ((k, self(v)) for k, v in node.items()) if v is not _NO_VALUE}
        ((fn, arg),) = node.items()
        if fn == "Ref":
            if arg == "AWS::NoValue":
                return _NO_VALUE
            return self.values.get(arg, f"<{arg}>")
        if fn == "Fn::GetAtt":
            return f"arn:<{arg[0]}>"
        if fn == "Fn::Join":
            return arg[0].join(self(arg[1]))
        if fn == "Fn::Split":
            return self(arg[1]).split(arg[0])
        if fn == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], self(arg[1]))
            names = {**{k: v for k, v in self.values.items() if isinstance(v, str)}, **extra}
            for key in list(self.template["Resources"]):
                names.setdefault(f"{key}.Arn", f"arn:<{key}>")
                names.setdefault(key, f"<{key}>")
            for key in sorted(names, key=len, reverse=True):
                text = text.replace("${" + key + "}", str(names[key]))
            assert "${" not in text, text
            return text
        if fn == "Fn::If":
            return self(arg[1] if self.condition(arg[0]) else arg[2])
        if fn == "Fn::Not":
            return not self(arg[0])
        if fn == "Fn::And":
            return all(self(a) for a in arg)
        if fn == "Condition":
            return self.condition(arg)
        if fn == "Fn::Equals":
            return self(arg[0]) == self(arg[1])
        raise AssertionError(f"unexpected intrinsic {fn}")


_NO_VALUE = object()


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def policies(template: dict[str, Any], evaluate: Evaluator) -> dict[str, list[dict[str, Any]]]:
    """Every IAM statement the stack creates, by the role or policy that holds it."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name, resource in template["Resources"].items():
        if "Condition" in resource and not evaluate.condition(resource["Condition"]):
            continue
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Role":
            for policy in evaluate(props.get("Policies", [])):
                found.setdefault(name, []).extend(policy["PolicyDocument"]["Statement"])
        elif resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            found[name] = evaluate(props["PolicyDocument"])["Statement"]
    return found


def grants(statements: list[dict[str, Any]]) -> dict[str, set[str]]:
    """action -> resources, refusing wildcard resources and actions on the way."""
    by_action: dict[str, set[str]] = {}
    for statement in statements:
        assert statement["Effect"] == "Allow"
        for resource in as_list(statement["Resource"]):
            assert resource != "*" and not resource.startswith("arn:aws:iot:*:*:thing/*")
            if resource.startswith("arn:aws:iot:"):  # no IoT or MQTT wildcard past the account
                assert not {"+", "#", "*"} & set(resource.split(":", 5)[5]), resource
            for action in as_list(statement["Action"]):
                assert "*" not in action, action
                by_action.setdefault(action, set()).add(resource)
    return by_action


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- tests ------------------------------------------------------------------------------------


def test_cfn_lint_passes_for_every_alexa_region():
    matches = lint(TEMPLATE.read_text(encoding="utf-8"), regions=ALEXA_REGIONS)
    assert [str(m) for m in matches] == []


def test_the_smart_home_resources_translate():
    cfn = translated(**SMART_HOME)
    kinds = {r["Type"] for r in cfn["Resources"].values()}
    assert {"AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient"} <= kinds


THINGS = ["", "stand-1-lamp,home-ot-7-fan"]
SMART_HOME_ID = "amzn1.ask.skill.5a1b2c3d-0000-4000-8000-000000000000"
REDIRECTS = (
    "https://layla.amazon.com/api/skill/link/M2EXAMPLE,"
    "https://pitangui.amazon.com/api/skill/link/M2EXAMPLE,"
    "https://alexa.amazon.co.jp/api/skill/link/M2EXAMPLE"
)
SMART_HOME = {"SmartHomeSkillId": SMART_HOME_ID, "AlexaRedirectUrls": REDIRECTS}


def permissions(cfn: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Lambda permissions by principal (for the resources the given parameters create)."""
    evaluate = Evaluator(cfn, {})
    return {
        p["Properties"]["Principal"]: p["Properties"]
        for p in of_type(cfn, "AWS::Lambda::Permission").values()
        if "Condition" not in p or evaluate.condition(p["Condition"]) is True
    }


def test_only_our_skill_may_invoke_the_function():
    cfn = translated()
    assert "Default" not in cfn["Parameters"]["SkillId"], "SkillId must be required"
    props = permissions(cfn)["alexa-appkit.amazon.com"]
    assert props["Action"] == "lambda:InvokeFunction"
    assert props["EventSourceToken"] == {"Ref": "SkillId"}


def test_the_smart_home_skill_may_invoke_it_by_its_own_skill_id():
    cfn = translated(**SMART_HOME)
    evaluate = Evaluator(cfn, SMART_HOME)
    (permission,) = [
        p
        for p in of_type(cfn, "AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "alexa-connectedhome.amazon.com"
    ]
    assert evaluate.condition(permission["Condition"])
    assert permission["Properties"]["EventSourceToken"] == {"Ref": "SmartHomeSkillId"}
    assert permission["Properties"]["Action"] == "lambda:InvokeFunction"
    assert not Evaluator(cfn, {}).condition(permission["Condition"])  # off by default


@pytest.mark.parametrize("smart_home", [{}, SMART_HOME], ids=["custom", "smart-home"])
@pytest.mark.parametrize("things", THINGS)
def test_the_bridges_reports_reach_the_function_for_the_listed_things_only(things, smart_home):
    cfn = translated(ThingNames=things, **smart_home)
    evaluate = Evaluator(cfn, {"ThingNames": things, **smart_home})
    rule = cfn["Resources"]["ShadowReportsRule"]
    permission = cfn["Resources"]["ShadowReportsPermission"]
    wanted = bool(things) and bool(smart_home)
    assert evaluate.condition(rule["Condition"]) is wanted
    assert evaluate.condition(permission["Condition"]) is wanted
    if not wanted:
        return
    sql = evaluate(rule["Properties"]["TopicRulePayload"]["Sql"])
    assert "FROM '$aws/things/+/shadow/update/documents'" in sql
    names = things.split(",")
    assert sql.endswith("WHERE " + " OR ".join(f"topic(3) = '{n}'" for n in names))
    assert "'shadow-documents' AS voice_demo" in sql
    props = permission["Properties"]
    assert props["Principal"] == "iot.amazonaws.com"
    assert props["SourceArn"] == {"Fn::GetAtt": ["ShadowReportsRule", "Arn"]}
    assert props["SourceAccount"] == {"Ref": "AWS::AccountId"}


def test_account_linking_is_a_cognito_pool_with_alexas_redirects():
    cfn = translated(**SMART_HOME)
    evaluate = Evaluator(cfn, SMART_HOME)
    (pool,) = of_type(cfn, "AWS::Cognito::UserPool").values()
    assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    (client,) = of_type(cfn, "AWS::Cognito::UserPoolClient").values()
    props = client["Properties"]
    assert props["AllowedOAuthFlows"] == ["code"]
    assert props["GenerateSecret"] is True
    assert evaluate(props["CallbackURLs"]) == REDIRECTS.split(",")
    units = props["TokenValidityUnits"]["AccessToken"]
    assert units == "minutes" and props["AccessTokenValidity"] >= 6  # Alexa's minimum
    assert of_type(cfn, "AWS::Cognito::UserPoolDomain")
    (function,) = of_type(cfn, "AWS::Lambda::Function").values()
    env = function["Properties"]["Environment"]["Variables"]
    assert evaluate(env["VOICE_DEMO_OAUTH_ISSUER"]) == (
        "https://cognito-idp.eu-west-1.amazonaws.com/<UserPool>"
    )
    assert evaluate(env["VOICE_DEMO_OAUTH_CLIENT_ID"]) == "<AlexaLinkingClient>"
    assert evaluate(env["VOICE_DEMO_EVENT_GATEWAY_URL"]) == (
        "https://api.eu.amazonalexa.com/v3/events"
    )
    assert cfn["Parameters"]["LwaClientSecret"]["NoEcho"] is True


def test_function_runs_the_lambda_entry_in_alexas_budget():
    cfn = translated()
    (function,) = of_type(cfn, "AWS::Lambda::Function").values()
    props = function["Properties"]
    assert props["Handler"] == "skill.lambda_function.lambda_handler"
    major, minor = props["Runtime"].removeprefix("python").split(".")
    assert (int(major), int(minor)) >= (3, 12)
    assert props["Architectures"] == ["arm64"]
    assert props["Timeout"] <= 7
    assert 256 <= props["MemorySize"] <= 1024
    assert props["Code"] == {"S3Bucket": "deploy-bucket", "S3Key": "voice-demo.zip"}
    env = props["Environment"]["Variables"]
    assert env["VOICE_DEMO_STORE"] == "dynamodb"
    assert env["VOICE_DEMO_SKILL_ID"] == {"Ref": "SkillId"}
    assert env["VOICE_DEMO_PROGRAMME_TABLE"] == {"Ref": "ProgrammeTable"}
    assert env["VOICE_DEMO_STATE_TABLE"] == {"Ref": "StateTable"}
    assert env["VOICE_DEMO_TIMEZONE"] == {"Ref": "Timezone"}
    assert env["VOICE_DEMO_TRIAL_LOG"] == {"Ref": "TrialLog"}
    assert Evaluator(cfn, {})(env["VOICE_DEMO_DEVICES"]) == "/var/task/devices.yaml"


def test_logs_are_kept_for_a_bounded_time_in_the_functions_own_group():
    cfn = translated(LogRetentionDays=14)
    ((group_id, group),) = of_type(cfn, "AWS::Logs::LogGroup").items()
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    (function,) = of_type(cfn, "AWS::Lambda::Function").values()
    assert function["Properties"]["LoggingConfig"]["LogGroup"] == {"Ref": group_id}


def test_tables_are_on_demand_recoverable_and_encrypted():
    tables = of_type(translated(), "AWS::DynamoDB::Table")
    assert set(tables) == {"ProgrammeTable", "StateTable", "HomesTable", "FeedbackTable"}
    for table in tables.values():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert props["SSESpecification"]["SSEEnabled"] is True
    # The trial log's day items carry `expires`; DynamoDB drops them without a Scan.
    for name in ("StateTable", "HomesTable"):  # HomesTable: used link codes expire
        assert tables[name]["Properties"]["TimeToLiveSpecification"] == {
            "AttributeName": "expires",
            "Enabled": True,
        }


PLUG_SECRETS = [
    "arn:aws:ssm:eu-west-1:123456789012:parameter/voice-demo/plug-secrets",
    "arn:aws:ssm:eu-west-1:123456789012:parameter/voice-demo/plug-secrets/*",
]


def shadow_arns(things: str) -> set[str]:
    return {f"arn:aws:iot:*:*:thing/{name}" for name in things.split(",") if name}


def topic_arns(things: str, kind: str, suffixes: tuple[str, ...]) -> set[str]:
    return {
        f"arn:aws:iot:*:*:{kind}/$aws/things/{name}/shadow/{suffix}"
        for name in things.split(",")
        if name
        for suffix in suffixes
    }


# What the bridge subscribes to and publishes (skill/devices/mqtt.py), nothing more.
ANSWERS = ("update/delta", "update/accepted", "update/rejected", "get/accepted", "get/rejected")
ASKS = ("update", "get")


def bridge_grants(things: str, client_ids: str = "voice-demo-bridge") -> dict[str, set[str]]:
    return {
        "iot:GetThingShadow": shadow_arns(things),
        "iot:UpdateThingShadow": shadow_arns(things),
        "iot:Connect": {f"arn:aws:iot:*:*:client/{c}" for c in client_ids.split(",")},
        "iot:Subscribe": topic_arns(things, "topicfilter", ANSWERS),
        "iot:Receive": topic_arns(things, "topic", ANSWERS),
        "iot:Publish": topic_arns(things, "topic", ASKS),
    }


@pytest.mark.parametrize("things", THINGS)
def test_the_function_may_do_only_what_the_skill_needs(things):
    cfn = translated(ThingNames=things)
    roles = of_type(cfn, "AWS::IAM::Role")
    assert list(roles) == ["SkillRole"], "no SAM-generated role with broad managed policies"
    assert "ManagedPolicyArns" not in roles["SkillRole"]["Properties"]
    (function,) = of_type(cfn, "AWS::Lambda::Function").values()
    assert function["Properties"]["Role"] == {"Fn::GetAtt": ["SkillRole", "Arn"]}
    role = grants(policies(cfn, Evaluator(cfn, {"ThingNames": things}))["SkillRole"])
    assert role["dynamodb:UpdateItem"] == {"arn:<StateTable>"}
    assert "arn:<ProgrammeTable>" in role["dynamodb:Query"]
    # The function reads the programme; publishing is the admins' (their own credentials).
    assert not {"dynamodb:Scan", "dynamodb:DeleteTable"} & set(role)
    # Homes: keyed reads and a new link code only; no listing, no changes to homes.
    # Feedback: one PutItem per answer; the results are read with the admins' credentials.
    assert role["dynamodb:PutItem"] == {"arn:<HomesTable>", "arn:<FeedbackTable>"}
    assert "arn:<FeedbackTable>" not in role["dynamodb:GetItem"] | role["dynamodb:Query"]
    assert role["dynamodb:GetItem"] >= {"arn:<HomesTable>"}
    assert "arn:<HomesTable>" not in role["dynamodb:Query"] | role["dynamodb:UpdateItem"]
    assert role["ssm:GetParametersByPath"] == set(PLUG_SECRETS)
    assert not {"ssm:PutParameter", "ssm:GetParameter", "ssm:DeleteParameter"} & set(role)
    assert role["logs:PutLogEvents"] == {"arn:<SkillLogGroup>"}
    iot = {action: arns for action, arns in role.items() if action.startswith("iot:")}
    expected = shadow_arns(things)
    assert iot == (
        {"iot:GetThingShadow": expected, "iot:UpdateThingShadow": expected} if expected else {}
    )


@pytest.mark.parametrize("smart_home", [{}, SMART_HOME], ids=["custom", "smart-home"])
@pytest.mark.parametrize("things", THINGS)
def test_every_policy_names_its_resources(things, smart_home):
    cfn = translated(ThingNames=things, **smart_home)
    found = policies(cfn, Evaluator(cfn, {"ThingNames": things, **smart_home}))
    ours = {
        "arn:<ProgrammeTable>",
        "arn:<ProgrammeTable>/index/*",
        "arn:<StateTable>",
        "arn:<HomesTable>",
        "arn:<FeedbackTable>",
        "arn:<SkillLogGroup>",
        *PLUG_SECRETS,
        "arn:<UserPool>",
    } | {arn for arns in bridge_grants(things).values() for arn in arns}
    for owner, statements in found.items():
        for action, resources in grants(statements).items():
            assert resources <= ours, (owner, action, resources)
    admin = grants(found["AdminPolicy"])
    assert admin["dynamodb:PutItem"] == {"arn:<ProgrammeTable>", "arn:<HomesTable>"}
    assert ("cognito-idp:AdminCreateUser" in admin) == bool(smart_home)
    if smart_home:
        assert admin["cognito-idp:AdminCreateUser"] == {"arn:<UserPool>"}
    # Trial-log export and purge; the feedback results page.
    assert admin["dynamodb:Scan"] == {"arn:<StateTable>", "arn:<FeedbackTable>"}
    if shadow_arns(things):
        assert grants(found["BridgePolicy"]) == bridge_grants(things)
    else:
        assert "BridgePolicy" not in found


def test_outputs_give_the_arn_for_the_skill_manifest():
    cfn = translated()
    assert cfn["Outputs"]["SkillFunctionArn"]["Value"] == {"Fn::GetAtt": ["SkillFunction", "Arn"]}


def test_each_bridge_may_connect_only_with_its_own_client_id():
    things, ids = "stand-1-lamp,home-ot-7-fan", "bridge-stand-1,bridge-home-7"
    cfn = translated(ThingNames=things, BridgeClientIds=ids)
    found = policies(cfn, Evaluator(cfn, {"ThingNames": things, "BridgeClientIds": ids}))
    assert grants(found["BridgePolicy"]) == bridge_grants(things, ids)
