"""Verified tokens are remembered, never past their expiry nor for another secret."""

from __future__ import annotations

import time
from datetime import timedelta

import jwt

from tutopanda import tokens
from tutopanda.tokens import issue_token, token_user_id

SECRET = "cache-secret-" + "c" * 40
OTHER = "other-secret-" + "o" * 40


def test_a_remembered_token_still_expires() -> None:
    token = issue_token(SECRET, "alice", ttl=timedelta(seconds=2))
    assert token_user_id(token, SECRET) == "alice"
    assert token_user_id(token, SECRET) == "alice"  # remembered
    deadline = time.monotonic() + 5
    while token_user_id(token, SECRET) == "alice":
        assert time.monotonic() < deadline, "an expired token is still accepted"
        time.sleep(0.1)
    assert token_user_id(token, SECRET) is None


def test_a_token_remembered_for_one_secret_is_not_valid_for_another() -> None:
    token = issue_token(SECRET, "bob")
    assert token_user_id(token, SECRET) == "bob"
    assert token_user_id(token, OTHER) is None


def test_a_token_not_yet_valid_is_not_remembered_as_invalid() -> None:
    now = int(time.time())
    token = jwt.encode({"sub": "carol", "nbf": now + 2, "exp": now + 60}, SECRET, "HS256")
    assert token_user_id(token, SECRET) is None
    deadline = time.monotonic() + 5
    while token_user_id(token, SECRET) is None:
        assert time.monotonic() < deadline, "a token never became valid"
        time.sleep(0.1)
    assert token_user_id(token, SECRET) == "carol"


def test_the_memory_is_bounded() -> None:
    for n in range(tokens._VERIFIED_TOKENS + 10):
        assert token_user_id(issue_token(SECRET, f"user-{n}"), SECRET) == f"user-{n}"
    assert len(tokens._verified) <= tokens._VERIFIED_TOKENS
