"""Verified tokens are remembered, never past their expiry nor for another secret."""

from __future__ import annotations

import time
from datetime import timedelta

import jwt

from tutopanda import tokens
from tutopanda.tokens import issue_token, token_user_id

SECRET = "cache-secret-" + "c" * 40
OTHER = "other-secret-" + "o" * 40
MAX_DAYS = 30


def test_a_remembered_token_still_expires() -> None:
    token = issue_token(SECRET, "alice", ttl=timedelta(seconds=2))
    assert token_user_id(token, SECRET, max_days=MAX_DAYS) == "alice"
    assert token_user_id(token, SECRET, max_days=MAX_DAYS) == "alice"  # remembered
    deadline = time.monotonic() + 5
    while token_user_id(token, SECRET, max_days=MAX_DAYS) == "alice":
        assert time.monotonic() < deadline, "an expired token is still accepted"
        time.sleep(0.1)
    assert token_user_id(token, SECRET, max_days=MAX_DAYS) is None


def test_a_token_remembered_for_one_secret_is_not_valid_for_another() -> None:
    token = issue_token(SECRET, "bob")
    assert token_user_id(token, SECRET, max_days=MAX_DAYS) == "bob"
    assert token_user_id(token, OTHER, max_days=MAX_DAYS) is None


def test_a_token_not_yet_valid_is_not_remembered_as_invalid() -> None:
    now = int(time.time())
    token = jwt.encode({"sub": "carol", "nbf": now + 2, "exp": now + 60}, SECRET, "HS256")
    assert token_user_id(token, SECRET, max_days=MAX_DAYS) is None
    deadline = time.monotonic() + 5
    while token_user_id(token, SECRET, max_days=MAX_DAYS) is None:
        assert time.monotonic() < deadline, "a token never became valid"
        time.sleep(0.1)
    assert token_user_id(token, SECRET, max_days=MAX_DAYS) == "carol"


def test_the_memory_is_bounded() -> None:
    for n in range(tokens._VERIFIED_TOKENS + 10):
        user = f"user-{n}"
        assert token_user_id(issue_token(SECRET, user), SECRET, max_days=MAX_DAYS) == user
    assert len(tokens._verified) <= tokens._VERIFIED_TOKENS


def test_a_refused_token_is_not_remembered() -> None:
    """A token refused for its claims (a string `exp`, a lifetime over the maximum) is refused
    again, and nothing of it is kept; one valid under a larger maximum is not valid under a
    smaller one."""
    now = int(time.time())
    string_exp = jwt.encode({"sub": "dora", "exp": str(now + 60)}, SECRET, "HS256")
    too_long = issue_token(SECRET, "erin", ttl=timedelta(days=MAX_DAYS, seconds=1))
    for token in (string_exp, too_long, string_exp, too_long):
        assert token_user_id(token, SECRET, max_days=MAX_DAYS) is None
    assert not [key for key in tokens._verified if key[0] in (string_exp, too_long)]
    week = issue_token(SECRET, "fred", ttl=timedelta(days=7))
    assert token_user_id(week, SECRET, max_days=MAX_DAYS) == "fred"
    assert token_user_id(week, SECRET, max_days=1) is None
