"""Cloud mode: the reminders the skill made, as one item per user in the user-state table.

The Lambda may only GetItem/UpdateItem/DeleteItem there (template.yaml), which is all the
voice path needs: one GetItem lists a user's reminders, one UpdateItem adds or removes one
(an attribute per reminder, so two devices adding at once don't overwrite each other).
`users()` Scans for the admin's publish path, which runs with the operators' credentials.
Numbers come back from DynamoDB as strings or Decimals; they are turned into ints here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from skill.reminders.store import Kept, StoreUnavailable, _sorted
from skill.storage.aws_errors import AWS_ERRORS

KEY = "user_id"  # the state table's partition key
PREFIX = "reminders#"  # no Alexa user id starts like this
ATTR = "r#"  # one attribute per reminder: r#<alertToken> = {session, at}


def item_key(user_id: str) -> dict[str, Any]:
    return {KEY: {"S": f"{PREFIX}{user_id}"}}


def _seconds(value: Any) -> int:
    """An epoch time as DynamoDB hands it back: {"N": "…"} text, or a Decimal."""
    return int(Decimal(str(value)))


class DynamoReminderStore:
    def __init__(self, table: str, dynamodb: Any) -> None:
        self.table = table
        self._db = dynamodb

    def for_user(self, user_id: str) -> list[Kept]:
        try:
            item = self._db.get_item(
                TableName=self.table, Key=item_key(user_id), ConsistentRead=True
            ).get("Item")
        except AWS_ERRORS as exc:
            raise StoreUnavailable(f"reminders store: {exc.__class__.__name__}") from None
        found = []
        for name, value in (item or {}).items():
            if not name.startswith(ATTR):
                continue
            fields = value.get("M", {})
            try:
                at = datetime.fromtimestamp(_seconds(fields["at"]["N"]), UTC)
                found.append(Kept(user_id, name[len(ATTR) :], fields["session"]["S"], at))
            except (KeyError, ValueError, ArithmeticError):
                continue  # a damaged entry is skipped, not fatal to the answer
        return _sorted(found)

    def put(self, kept: Kept) -> None:
        self._update(
            Key=item_key(kept.user_id),
            UpdateExpression="SET #r = :r",
            ExpressionAttributeNames={"#r": ATTR + kept.reminder_id},
            ExpressionAttributeValues={
                ":r": {
                    "M": {
                        "session": {"S": kept.session_id},
                        "at": {"N": str(int(kept.remind_at.timestamp()))},
                    }
                }
            },
        )

    def forget(self, user_id: str, reminder_id: str) -> None:
        self._update(
            Key=item_key(user_id),
            UpdateExpression="REMOVE #r",
            ExpressionAttributeNames={"#r": ATTR + reminder_id},
        )

    def _update(self, **kwargs: Any) -> None:
        try:
            self._db.update_item(TableName=self.table, **kwargs)
        except AWS_ERRORS as exc:
            raise StoreUnavailable(f"reminders store: {exc.__class__.__name__}") from None

    def users(self) -> list[str]:
        kwargs: dict[str, Any] = {
            "FilterExpression": "begins_with(#k, :prefix)",
            "ExpressionAttributeNames": {"#k": KEY},
            "ExpressionAttributeValues": {":prefix": {"S": PREFIX}},
        }
        users: set[str] = set()
        while True:
            page = self._db.scan(TableName=self.table, **kwargs)
            for item in page.get("Items", []):
                if any(name.startswith(ATTR) for name in item):
                    users.add(item[KEY]["S"][len(PREFIX) :])
            if "LastEvaluatedKey" not in page:
                return sorted(users)
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
