"""Cloud mode: answers in the feedback table (template.yaml `FeedbackTable`), partition key
`session_id`, sort key `speaker`. The Lambda may only PutItem there (one answer replaces the
speaker's earlier one); the results page Queries or Scans with the admins' credentials."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from skill.feedback import Answer

if TYPE_CHECKING:
    from skill.settings import Settings


class DynamoFeedbackStore:
    def __init__(self, table: str, dynamodb: Any) -> None:
        self.table = table
        self._db = dynamodb

    def put(self, answer: Answer) -> None:
        item: dict[str, Any] = {
            "session_id": {"S": answer.session_id},
            "speaker": {"S": answer.speaker},
            "at": {"S": answer.at.isoformat(timespec="seconds")},
        }
        if answer.rating is not None:
            item["rating"] = {"N": str(answer.rating)}
        if answer.effective is not None:
            item["effective"] = {"S": answer.effective}
        self._db.put_item(TableName=self.table, Item=item)

    def answers(self, session_id: str | None = None) -> list[Answer]:
        kwargs: dict[str, Any] = {"TableName": self.table}
        call = self._db.scan
        if session_id is not None:
            call = self._db.query
            kwargs["KeyConditionExpression"] = "session_id = :s"
            kwargs["ExpressionAttributeValues"] = {":s": {"S": session_id}}
        items: list[dict[str, Any]] = []
        while True:
            page = call(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        found = [_answer(i) for i in items]
        return sorted(found, key=lambda a: (a.session_id, a.at))


def _answer(item: dict[str, Any]) -> Answer:
    rating = item.get("rating", {}).get("N")
    return Answer(
        session_id=item["session_id"]["S"],
        speaker=item["speaker"]["S"],
        rating=int(rating) if rating is not None else None,
        effective=item.get("effective", {}).get("S"),
        at=datetime.fromisoformat(item["at"]["S"]),
    )


def dynamodb_feedback_store(settings: Settings) -> DynamoFeedbackStore:
    from skill.storage.dynamodb import client

    return DynamoFeedbackStore(settings.feedback_table, client("dynamodb"))
