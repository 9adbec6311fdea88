"""The auditor's SQL as tokens: what PostgreSQL will lex, the names it will call, the text to run.

The query runs as written, so the guard must see the tokens PostgreSQL will see. sqlglot's
tokens are accepted only in shapes where both lexers agree (with standard_conforming_strings
on, which the audit connection forces): standard '...' strings, "..." identifiers, and words,
numbers, operators and punctuation free of quotes and dollar signs. E'', U&'', B'', X'', N''
strings and $$ quoting are refused. The text that runs is rebuilt from those tokens, so a
comment (or anything sqlglot skipped) never reaches the server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import Token, TokenType

from tutopanda.audit.errors import QueryRefused
from tutopanda.audit.vocabulary import (
    ALLOWED_FUNCTIONS,
    FUNCTION_SCHEMA,
    REFUSED_WORDS,
    SYNTAX_WORDS,
)

_WORD = r"[A-Za-z_\u0080-\U0010ffff][A-Za-z0-9_\u0080-\U0010ffff]*"
_SHAPES = {
    "string": re.compile(r"'(?:[^']|'')*'\Z"),
    "identifier": re.compile(r'"(?:[^"]|"")+"\Z'),
    "word": re.compile(rf"{_WORD}(?:[ \t\r\n\f]+{_WORD})*\Z"),
    "number": re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z"),
    "operator": re.compile(r"[-+*/<>=~!@#%^&|`?]+\Z"),
    "punctuation": re.compile(r"(?:[(),;\[\].]|::?)\Z"),
}
_ASCII_SPACE = re.compile(r"[ \t\r\n\f]*\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Lexeme:
    """One token as PostgreSQL will read it: its kind, text, position and normalised name."""

    kind: str  # a key of _SHAPES
    text: str
    start: int
    name: str  # for words and identifiers: the name PostgreSQL resolves (last word if several)


def lex(text: str) -> list[Lexeme]:
    """The tokens of `text`, each checked to mean the same to sqlglot and to PostgreSQL."""
    if _CONTROL.search(text):
        raise QueryRefused("lexical", "the query contains a control character")
    try:
        tokens = Postgres().tokenize(text)
    except SqlglotError as error:
        raise QueryRefused("syntax", f"not valid PostgreSQL: {_first_line(error)}") from None
    lexemes = []
    previous_end = -1
    for token in tokens:
        if token.token_type == TokenType.STRING and text[token.start] != "'":
            # sqlglot keeps the rest of a statement it does not parse (EXPLAIN, LOCK, SHOW, …)
            # as one string: the statement is not a SELECT
            raise QueryRefused("statement", f"only SELECT is allowed, not {tokens[0].text.upper()}")
        if token.start <= previous_end:
            raise QueryRefused("lexical", f"cannot read the query near {token.text!r}")
        previous_end = token.end
        lexemes.append(_lexeme(text, token))
    for u, amp, quoted in zip(lexemes, lexemes[1:], lexemes[2:], strict=False):
        if (  # U&"..." is one Unicode-escaped identifier to PostgreSQL, three tokens to sqlglot
            u.text.lower() == "u"
            and amp.text == "&"
            and quoted.kind == "identifier"
            and u.start + 1 == amp.start == quoted.start - 1
        ):
            raise QueryRefused("lexical", 'U&"..." identifiers are not passed through')
    return lexemes


def _lexeme(text: str, token: Token) -> Lexeme:
    written = text[token.start : token.end + 1]
    if token.token_type == TokenType.STRING:
        kinds: Iterable[str] = ("string",)
    elif token.token_type == TokenType.IDENTIFIER:
        kinds = ("identifier",)
    else:
        kinds = ("word", "number", "operator", "punctuation")
    kind = next((k for k in kinds if _SHAPES[k].match(written)), None)
    if kind is None:
        raise QueryRefused(
            "lexical",
            f"{written[:40]!r} is not passed through: use plain '...' strings "
            "(no E'', U&'', B'', X'', N'' or $$ quoting) and no $ outside strings",
        )
    name = ""
    if kind in ("string", "identifier"):
        quote = written[0]
        name = written[1:-1].replace(quote * 2, quote)
        if name != token.text:  # both lexers must read the same value
            raise QueryRefused("lexical", f"cannot read {written[:40]!r} the way PostgreSQL does")
        name = name if kind == "identifier" else ""
    elif kind == "word":
        name = written.split()[-1].lower()
    if name in REFUSED_WORDS:
        raise QueryRefused("relation", f"type {name} is not allowed: it reads the system catalogs")
    return Lexeme(kind, written, token.start, name)


def check_calls(lexemes: list[Lexeme], alias_starts: set[int]) -> None:
    """Refuse every call of a function that is not allowed, by the name PostgreSQL resolves.

    A word or identifier followed by "(" is a call, unless it is a syntax word (unquoted) or the
    name of an alias with a column list. A call may be qualified only with pg_catalog.
    """
    for index, lexeme in enumerate(lexemes[:-1]):
        if lexemes[index + 1].text != "(" or lexeme.kind not in ("word", "identifier"):
            continue
        qualifier = _qualifier(lexemes, index)
        if qualifier is None and lexeme.kind == "word" and lexeme.name in SYNTAX_WORDS:
            continue
        if qualifier is None and lexeme.start in alias_starts:
            continue
        if lexeme.name not in ALLOWED_FUNCTIONS or qualifier not in (None, FUNCTION_SCHEMA):
            shown = f"{qualifier}.{lexeme.name}" if qualifier else lexeme.name
            raise QueryRefused("function", f"function {shown}() is not allowed in audit queries")


def with_heads(lexemes: list[Lexeme]) -> dict[int, bool]:
    """Where each WITH list starts (the position of its first name): RECURSIVE or not."""
    heads: dict[int, bool] = {}
    for index, lexeme in enumerate(lexemes[:-1]):
        if lexeme.kind == "word" and lexeme.text.lower() == "with":
            following = lexemes[index + 1]
            recursive = following.kind == "word" and following.text.lower() == "recursive"
            if recursive and index + 2 < len(lexemes):
                following = lexemes[index + 2]
            heads[following.start] = recursive
    return heads


def _qualifier(lexemes: list[Lexeme], index: int) -> str | None:
    if index < 2 or lexemes[index - 1].text != ".":
        return None
    schema = lexemes[index - 2]
    if schema.kind not in ("word", "identifier") or (index >= 3 and lexemes[index - 3].text == "."):
        raise QueryRefused("function", "a function may be qualified only with pg_catalog")
    return schema.name


def runnable_text(text: str, lexemes: list[Lexeme], qualify_at: set[int], schema: str) -> str:
    """The query rebuilt from its tokens: comments dropped, `schema.` put before each token
    starting at a position of `qualify_at`, trailing semicolons dropped."""
    while lexemes and lexemes[-1].text == ";":
        lexemes = lexemes[:-1]
    if any(lexeme.text == ";" for lexeme in lexemes):
        raise QueryRefused("statement", "exactly one statement is allowed")
    starts = {lexeme.start for lexeme in lexemes if lexeme.kind in ("word", "identifier")}
    if not qualify_at <= starts:
        raise QueryRefused("syntax", "cannot place the audit schema in this query")
    parts: list[str] = []
    previous_end = None
    for lexeme in lexemes:
        if previous_end is not None:
            gap = text[previous_end : lexeme.start]
            parts.append(gap if _ASCII_SPACE.match(gap) else ("\n" if "\n" in gap else " "))
        if lexeme.start in qualify_at:
            parts.append(f"{schema}.")
        parts.append(lexeme.text)
        previous_end = lexeme.start + len(lexeme.text)
    return "".join(parts)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or ["parse error"])[0]
