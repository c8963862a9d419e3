"""Cloud mode: the trial log as items in the user-state table, one per hashed user and day.

The Lambda may only GetItem/UpdateItem/DeleteItem on that table (template.yaml), and that is
all recording needs: one UpdateItem appends the entry to the day's item. Reports, exports and
deletions Scan, which operators run with their own credentials from the CLI or admin page;
at trial sizes (a few people, tens of requests a day) a scan is a single page or two.
Each day item carries `expires`, so with the table's TTL on `expires` DynamoDB drops old days
by itself; reads ignore expired items anyway, and `purge` deletes them explicitly.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from skill.triallog import Entry, new_key

if TYPE_CHECKING:
    from skill.settings import Settings

KEY = "user_id"  # the state table's partition key
PREFIX = "trial#"  # no Alexa user id starts like this
WITHDRAWN = "trialwithdrawn#"  # one item per person deleted from the log (not under PREFIX)


def item_key(user: str, day: str) -> str:
    return f"{PREFIX}{user}#{day}"


class DynamoTrialStore:
    #: Retention needs a Scan, which the Lambda's role may not do: TTL and operators purge.
    purge_on_write = False

    def __init__(self, table: str, dynamodb: Any, retention_days: int) -> None:
        self.table = table
        self._db = dynamodb
        self.retention = timedelta(days=max(1, retention_days))

    def add(self, entry: Entry) -> None:
        record: dict[str, Any] = {
            "at": {"S": entry.at.astimezone(UTC).isoformat(timespec="microseconds")},
            "intent": {"S": entry.intent},
            "outcome": {"S": entry.outcome},
            "key": {"S": entry.key or new_key()},
        }
        if entry.device:
            record["device"] = {"S": entry.device}
        if entry.home:
            record["home"] = {"S": entry.home}
        expires = datetime.combine(date.fromisoformat(entry.day), datetime.min.time(), UTC)
        self._db.update_item(
            TableName=self.table,
            Key={KEY: {"S": item_key(entry.user, entry.day)}},
            UpdateExpression=(
                "SET entries = list_append(if_not_exists(entries, :none), :new),"
                " #d = :day, user_hash = :user, expires = :expires"
            ),
            ExpressionAttributeNames={"#d": "day"},
            ExpressionAttributeValues={
                ":none": {"L": []},
                ":new": {"L": [{"M": record}]},
                ":day": {"S": entry.day},
                ":user": {"S": entry.user},
                ":expires": {"N": str(int((expires + self.retention).timestamp()) + 86400)},
            },
        )

    def _scan(self, user: str | None, **extra: Any) -> list[dict[str, Any]]:
        prefix = item_key(user, "") if user else PREFIX
        filters = ["begins_with(#k, :prefix)", *extra.pop("filters", [])]
        kwargs: dict[str, Any] = {
            "FilterExpression": " AND ".join(filters),
            "ExpressionAttributeNames": {"#k": KEY, **extra.pop("names", {})},
            "ExpressionAttributeValues": {":prefix": {"S": prefix}, **extra.pop("values", {})},
            **extra,
        }
        items: list[dict[str, Any]] = []
        while True:
            page = self._db.scan(TableName=self.table, **kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def entries(
        self,
        start: date | None = None,
        end: date | None = None,
        user: str | None = None,
        home: str | None = None,
    ) -> list[Entry]:
        filters = ["#e > :now"]
        values: dict[str, Any] = {":now": {"N": str(int(time.time()))}}
        if start:
            filters.append("#d >= :start")
            values[":start"] = {"S": start.isoformat()}
        if end:
            filters.append("#d <= :end")
            values[":end"] = {"S": end.isoformat()}
        names = {"#e": "expires", **({"#d": "day"} if start or end else {})}
        items = self._scan(user, filters=filters, names=names, values=values)
        found = [e for item in items for e in _entries(item) if home is None or e.home == home]
        return sorted(found, key=lambda e: e.at)  # stable: a day keeps its order

    def _delete(self, items: list[dict[str, Any]]) -> int:
        count = 0
        for item in items:
            old = self._db.delete_item(
                TableName=self.table, Key={KEY: item[KEY]}, ReturnValues="ALL_OLD"
            ).get("Attributes")
            count += len(old.get("entries", {}).get("L", [])) if old else 0
        return count

    def delete_user(self, user: str) -> int:
        """Delete a person's entries and record nothing more for them (see `withdrawn`)."""
        self._db.update_item(
            TableName=self.table,
            Key={KEY: {"S": f"{WITHDRAWN}{user}"}},
            UpdateExpression="SET withdrawn = :yes",
            ExpressionAttributeValues={":yes": {"BOOL": True}},
        )
        return self._delete(self._scan(user, ProjectionExpression="#k"))

    def withdrawn(self, user: str) -> bool:
        item = self._db.get_item(
            TableName=self.table, Key={KEY: {"S": f"{WITHDRAWN}{user}"}}, ConsistentRead=True
        ).get("Item")
        return bool(item)

    def purge(self, before: datetime) -> int:
        cutoff = before.astimezone(UTC).date().isoformat()
        old = self._scan(
            None,
            filters=["#d < :cut"],
            names={"#d": "day"},
            values={":cut": {"S": cutoff}},
            ProjectionExpression="#k",
        )
        return self._delete(old)


def _entries(item: dict[str, Any]) -> list[Entry]:
    day, user = item["day"]["S"], item["user_hash"]["S"]
    return [
        Entry(
            at=datetime.fromisoformat(r["at"]["S"]),
            day=day,
            user=user,
            intent=r["intent"]["S"],
            device=r.get("device", {}).get("S"),
            outcome=r["outcome"]["S"],
            key=r["key"]["S"],
            home=r.get("home", {}).get("S", ""),
        )
        for r in (m["M"] for m in item.get("entries", {}).get("L", []))
    ]


def dynamodb_trial_store(settings: Settings) -> DynamoTrialStore:
    from skill.storage.dynamodb import client

    return DynamoTrialStore(settings.state_table, client("dynamodb"), settings.trial_retention_days)
