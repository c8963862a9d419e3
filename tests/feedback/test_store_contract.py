"""One contract, two stores: the feedback answers in SQLite (local) and DynamoDB (moto over
HTTP, the table built from template.yaml) behave the same."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skill.feedback import NO, NOT_SURE, YES, Answer, Feedback, speaker_key
from skill.feedback.dynamo import DynamoFeedbackStore
from skill.feedback.sqlite import SqliteFeedbackStore
from skill.storage import dynamodb as aws
from tests.aws.conftest import create_tables, moto  # noqa: F401 - the moto fixture

WHEN = datetime(2026, 5, 19, 10, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "dynamodb"])
def make_store(request, tmp_path):
    """A factory: each call is a new client of the same stored answers (another process)."""
    if request.param == "sqlite":
        path = tmp_path / "feedback.sqlite3"
        return lambda: SqliteFeedbackStore(path)
    request.getfixturevalue("moto")
    create_tables(aws.client("dynamodb"), {"FeedbackTable": "test-feedback"})
    return lambda: DynamoFeedbackStore("test-feedback", aws.client("dynamodb"))


@pytest.fixture
def store(make_store):
    return make_store()


def answer(session: str, speaker: str, rating: int | None, effective: str | None) -> Answer:
    return Answer(session, speaker, rating, effective, WHEN)


def test_an_empty_store_has_no_answers(store):
    assert store.answers() == []
    assert store.answers("learn-to-code") == []


def test_answers_read_back_whole_and_per_session(make_store):
    store = make_store()
    store.put(answer("learn-to-code", "a" * 64, 4, YES))
    store.put(answer("learn-to-code", "b" * 64, None, NOT_SURE))
    store.put(answer("3d-printing", "a" * 64, 2, None))
    other = make_store()
    assert sorted(other.answers(), key=lambda a: (a.session_id, a.speaker)) == [
        answer("3d-printing", "a" * 64, 2, None),
        answer("learn-to-code", "a" * 64, 4, YES),
        answer("learn-to-code", "b" * 64, None, NOT_SURE),
    ]
    assert {a.speaker for a in other.answers("learn-to-code")} == {"a" * 64, "b" * 64}
    assert [a.rating for a in other.answers("3d-printing")] == [2]


def test_a_second_answer_from_the_same_speaker_replaces_the_first(make_store):
    store = make_store()
    store.put(answer("learn-to-code", "a" * 64, 2, NO))
    make_store().put(answer("learn-to-code", "a" * 64, 5, None))
    assert store.answers() == [answer("learn-to-code", "a" * 64, 5, None)]


def test_the_service_keys_answers_by_speaker_and_session_never_the_user_id(store):
    feedback = Feedback(store, lambda: b"k" * 32, lambda: WHEN)
    feedback.give("amzn1.ask.account.ANA", "learn-to-code", 4, YES)
    feedback.give("amzn1.ask.account.ANA", "learn-to-code", 3, NO)  # replaces
    feedback.give("amzn1.ask.account.ANA", "3d-printing", 5, None)
    feedback.give("amzn1.ask.account.BEN", "learn-to-code", 1, NOT_SURE)
    rows = store.answers()
    assert len(rows) == 3
    assert all("amzn1" not in a.speaker for a in rows)
    ana = speaker_key(b"k" * 32, "amzn1.ask.account.ANA", "learn-to-code")
    assert {a.speaker: (a.rating, a.effective) for a in store.answers("learn-to-code")} == {
        ana: (3, NO),
        speaker_key(b"k" * 32, "amzn1.ask.account.BEN", "learn-to-code"): (1, NOT_SURE),
    }
    # Per session: the same person's two answers can't be linked by their key.
    assert ana != speaker_key(b"k" * 32, "amzn1.ask.account.ANA", "3d-printing")


def test_a_rating_outside_one_to_five_is_refused_before_it_is_stored():
    with pytest.raises(ValueError):
        answer("learn-to-code", "a" * 64, 6, None)
    with pytest.raises(ValueError):
        answer("learn-to-code", "a" * 64, 3, "maybe")
