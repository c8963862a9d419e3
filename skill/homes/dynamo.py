"""Cloud mode: the homes store as items in one DynamoDB table (`HomesTable`, pk + sk).

| pk        | sk         | holds                                            |
| --------- | ---------- | ------------------------------------------------ |
| `home`    | home id    | label, time zone, registry YAML, revision        |
| `secret#` + home | name | a Fernet-sealed credential (when not in SSM)     |
| `speaker` | device id  | home                                             |
| `account` | Cognito sub | home                                            |
| `code`    | six digits | device, expires_at, used_at; `expires` is the TTL |
| `admin`   | name       | role, password hash, homes                       |
| `people#` + home | hashed user | the label an OT gave that person in the trial log |

The request path only ever reads one item by key (a speaker's home, a home's registry);
listing is a Query on one partition (admin work). The client is handed in (no boto3 here).
"""

from __future__ import annotations

from typing import Any

from skill.homes.model import Account, Home, LinkCode, Role
from skill.homes.store import StoredRegistry

KEEP_CODES_S = 24 * 3600


def _s(value: str) -> dict[str, str]:
    return {"S": value}


class DynamoHomeStore:
    def __init__(self, table: str, dynamodb: Any) -> None:
        self.table = table
        self._db = dynamodb

    def _get(self, pk: str, sk: str, *, projection: str | None = None) -> dict[str, Any] | None:
        kwargs: dict[str, Any] = {"TableName": self.table, "Key": {"pk": _s(pk), "sk": _s(sk)}}
        if projection:
            kwargs["ProjectionExpression"] = projection
        item: dict[str, Any] | None = self._db.get_item(**kwargs).get("Item")
        return item

    def _query(self, pk: str) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": _s(pk)},
        }
        items: list[dict[str, Any]] = []
        while True:
            page = self._db.query(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _delete(self, pk: str, sk: str) -> bool:
        old = self._db.delete_item(
            TableName=self.table, Key={"pk": _s(pk), "sk": _s(sk)}, ReturnValues="ALL_OLD"
        ).get("Attributes")
        return bool(old)

    # --- homes ---------------------------------------------------------------------------

    def put_home(self, home: Home) -> None:
        self._db.update_item(
            TableName=self.table,
            Key={"pk": _s("home"), "sk": _s(home.id)},
            UpdateExpression="SET label = :l, time_zone = :z",
            ExpressionAttributeValues={":l": _s(home.label), ":z": _s(home.time_zone)},
        )

    def get_home(self, home_id: str) -> Home | None:
        item = self._get("home", home_id, projection="sk, label, time_zone")
        return _home(item) if item else None

    def homes(self) -> list[Home]:
        return sorted((_home(i) for i in self._query("home")), key=lambda h: h.label.lower())

    def remove_home(self, home_id: str) -> None:
        self._delete("home", home_id)
        for prefix in ("secret#", "people#"):
            for item in self._query(f"{prefix}{home_id}"):
                self._delete(item["pk"]["S"], item["sk"]["S"])
        for pk in ("speaker", "account"):
            for item in self._query(pk):
                if item.get("home", {}).get("S") == home_id:
                    self._delete(pk, item["sk"]["S"])
        for account in self.accounts():
            if home_id in account.homes:
                self.put_account(
                    Account(
                        account.name,
                        account.role,
                        account.password_hash,
                        account.homes - {home_id},
                    )
                )

    # --- registry and secrets ------------------------------------------------------------

    def registry(self, home_id: str) -> StoredRegistry | None:
        item = self._get("home", home_id, projection="registry, revision")
        if not item or "registry" not in item:
            return None
        return StoredRegistry(item["registry"]["S"], int(item["revision"]["N"]))

    def put_registry(self, home_id: str, text: str) -> int:
        return self._bump(home_id, "SET registry = :r ADD revision :one", {":r": _s(text)})

    def _bump(self, home_id: str, expression: str, values: dict[str, Any]) -> int:
        answer = self._db.update_item(
            TableName=self.table,
            Key={"pk": _s("home"), "sk": _s(home_id)},
            UpdateExpression=expression,
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":one": {"N": "1"}, **values},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["revision"]["N"])

    def secrets(self, home_id: str) -> dict[str, str]:
        return {i["sk"]["S"]: i["sealed"]["S"] for i in self._query(f"secret#{home_id}")}

    def put_secret(self, home_id: str, name: str, sealed: str) -> None:
        self._db.put_item(
            TableName=self.table,
            Item={"pk": _s(f"secret#{home_id}"), "sk": _s(name), "sealed": _s(sealed)},
        )
        self._bump(home_id, "ADD revision :one", {})

    def delete_secret(self, home_id: str, name: str) -> None:
        self._delete(f"secret#{home_id}", name)
        self._bump(home_id, "ADD revision :one", {})

    # --- speakers and accounts -----------------------------------------------------------

    def speaker_home(self, device_id: str) -> str | None:
        item = self._get("speaker", device_id, projection="home")
        return item["home"]["S"] if item else None

    def link_speaker(self, device_id: str, home_id: str) -> None:
        self._db.put_item(
            TableName=self.table,
            Item={"pk": _s("speaker"), "sk": _s(device_id), "home": _s(home_id)},
        )

    def unlink_speaker(self, device_id: str) -> bool:
        return self._delete("speaker", device_id)

    def speakers(self, home_id: str) -> list[str]:
        return sorted(
            i["sk"]["S"] for i in self._query("speaker") if i.get("home", {}).get("S") == home_id
        )

    def account_home(self, sub: str) -> str | None:
        item = self._get("account", sub, projection="home")
        return item["home"]["S"] if item else None

    def link_account(self, sub: str, home_id: str) -> None:
        self._db.put_item(
            TableName=self.table, Item={"pk": _s("account"), "sk": _s(sub), "home": _s(home_id)}
        )

    def unlink_account(self, sub: str) -> bool:
        answer = self._db.delete_item(
            TableName=self.table,
            Key={"pk": _s("account"), "sk": _s(sub)},
            ReturnValues="ALL_OLD",
        )
        return bool(answer.get("Attributes"))

    # --- link codes ----------------------------------------------------------------------

    def add_code(self, code: LinkCode, now: float) -> bool:
        conditional = self._db.exceptions.ConditionalCheckFailedException
        try:
            self._db.put_item(
                TableName=self.table,
                Item={
                    "pk": _s("code"),
                    "sk": _s(code.code),
                    "device": _s(code.device_id),
                    "expires_at": {"N": repr(code.expires_at)},
                    "expires": {"N": str(int(code.expires_at + KEEP_CODES_S))},
                },
                ConditionExpression=(
                    "attribute_not_exists(pk) OR attribute_exists(used_at) OR expires_at < :now"
                ),
                ExpressionAttributeValues={":now": {"N": repr(now)}},
            )
        except conditional:
            return False
        return True

    def use_code(self, code: str, now: float) -> LinkCode | None:
        item = self._get("code", code)
        if item is None:
            return None
        found = _code(item)
        if found.used_at is not None or found.expires_at <= now:
            return found
        conditional = self._db.exceptions.ConditionalCheckFailedException
        try:
            self._db.update_item(
                TableName=self.table,
                Key={"pk": _s("code"), "sk": _s(code)},
                UpdateExpression="SET used_at = :now",
                ConditionExpression="attribute_not_exists(used_at)",
                ExpressionAttributeValues={":now": {"N": repr(now)}},
            )
        except conditional:  # used by someone else between the read and this write
            return LinkCode(found.code, found.device_id, found.expires_at, now)
        return found

    # --- people ------------------------------------------------------------------------

    def person_labels(self, home_id: str) -> dict[str, str]:
        return {i["sk"]["S"]: i["label"]["S"] for i in self._query(f"people#{home_id}")}

    def set_person_label(self, home_id: str, user: str, label: str) -> None:
        if not label:
            self._delete(f"people#{home_id}", user)
            return
        self._db.put_item(
            TableName=self.table,
            Item={"pk": _s(f"people#{home_id}"), "sk": _s(user), "label": _s(label)},
        )

    # --- admin accounts ------------------------------------------------------------------

    def put_account(self, account: Account) -> None:
        item: dict[str, Any] = {
            "pk": _s("admin"),
            "sk": _s(account.name.lower()),
            "name": _s(account.name),
            "role": _s(account.role.value),
            "password_hash": _s(account.password_hash),
            "homes": {"L": [_s(h) for h in sorted(account.homes)]},
        }
        self._db.put_item(TableName=self.table, Item=item)

    def get_account(self, name: str) -> Account | None:
        item = self._get("admin", name.lower())
        return _account(item) if item else None

    def accounts(self) -> list[Account]:
        return sorted((_account(i) for i in self._query("admin")), key=lambda a: a.name.lower())

    def remove_account(self, name: str) -> bool:
        return self._delete("admin", name.lower())


def _home(item: dict[str, Any]) -> Home:
    return Home(item["sk"]["S"], item["label"]["S"], item["time_zone"]["S"])


def _code(item: dict[str, Any]) -> LinkCode:
    used = item.get("used_at")
    return LinkCode(
        item["sk"]["S"],
        item["device"]["S"],
        float(item["expires_at"]["N"]),
        float(used["N"]) if used else None,
    )


def _account(item: dict[str, Any]) -> Account:
    return Account(
        item["name"]["S"],
        Role(item["role"]["S"]),
        item["password_hash"]["S"],
        frozenset(h["S"] for h in item.get("homes", {}).get("L", [])),
    )
