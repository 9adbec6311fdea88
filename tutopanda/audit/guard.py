"""Decides whether an auditor's SQL may run: one read-only SELECT over audit.* views.

The query runs as written (comments dropped), so the guard checks what PostgreSQL will read:
tokens in shapes both lexers agree on (sqltext), functions by the name written (sqltext and
vocabulary), and, on sqlglot's tree, exactly one SELECT that neither writes nor locks and reads
only `audit.*` relations or the CTEs visible where they are named. An unqualified relation that
is not a visible CTE gets `audit.` put in front of it. The runner then asks PostgreSQL itself
which relations and functions the plan touches, as a second line of defence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from tutopanda.audit.errors import QueryRefused
from tutopanda.audit.sqltext import check_calls, lex, runnable_text, with_heads
from tutopanda.audit.vocabulary import AUDIT_SCHEMA

__all__ = ["AUDIT_SCHEMA", "GuardedQuery", "QueryRefused", "guard"]

MAX_QUERY_CHARACTERS = 100_000

# sqlglot logs a warning for syntax it only half understands; the refusal says it in one line.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

# Nodes that write, lock, change settings or smuggle in another statement.
FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Copy,
    exp.Into,
    exp.Lock,
    exp.Set,
    exp.Command,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Use,
    exp.Pragma,
    exp.TruncateTable,
)


@dataclass(frozen=True)
class GuardedQuery:
    """A query that passed the guard: the text that will run (comments dropped, audit.
    qualifying every relation that is not a CTE)."""

    sql: str


def guard(text: str) -> GuardedQuery:
    """Check an auditor's query; return the statement to run, or raise QueryRefused."""
    if len(text) > MAX_QUERY_CHARACTERS:
        raise QueryRefused(
            "too_complex", f"the query is longer than {MAX_QUERY_CHARACTERS} characters"
        )
    if "\x00" in text:
        raise QueryRefused("lexical", "the query contains a NUL character")
    # The text that runs is the text checked: comments are dropped before sqlglot parses it.
    clean = runnable_text(text, lex(text), set(), AUDIT_SCHEMA)
    tree = _one_select(clean)
    lexemes = lex(clean)
    _check_with_lists(tree, with_heads(lexemes))
    qualify_at, alias_starts = _check_tree(tree)
    check_calls(lexemes, alias_starts)
    return GuardedQuery(sql=runnable_text(clean, lexemes, qualify_at, AUDIT_SCHEMA))


def _one_select(text: str) -> exp.Expr:
    """sqlglot's tree of `text`, which must be exactly one SELECT (or set operation)."""
    try:
        statements = [s for s in sqlglot.parse(text, read="postgres") if s is not None]
    except SqlglotError as error:
        first = (str(error).strip().splitlines() or ["parse error"])[0]
        raise QueryRefused("syntax", f"not valid PostgreSQL: {first}") from None
    except RecursionError:
        raise QueryRefused("too_complex", "the query is nested too deeply") from None
    if len(statements) != 1:
        raise QueryRefused(
            "statement", f"exactly one statement is allowed, found {len(statements)}"
        )
    tree = query = statements[0]
    while isinstance(query, exp.Subquery) and isinstance(query.this, exp.Query):
        query = query.this  # (SELECT ...) ORDER BY ...: the whole tree is checked all the same
    if not isinstance(query, exp.Select | exp.SetOperation):
        kind = str(query.this).split()[0] if isinstance(query, exp.Command) else query.key
        raise QueryRefused("statement", f"only SELECT is allowed, not {kind.upper()}")
    return tree


def _check_with_lists(tree: exp.Expr, heads: dict[int, bool]) -> None:
    """Refuse a tree whose WITH lists are not the ones written.

    sqlglot merges `WITH a AS (...) (WITH b AS (...) SELECT ...)` into one list (and makes it
    RECURSIVE if the inner one was), which would let `a` see `b` and itself: PostgreSQL scopes
    them apart, so such a query is refused rather than checked with the wrong scopes.
    """
    for with_ in tree.find_all(exp.With):
        starts = [_start(_cte_alias(cte)) for cte in with_.expressions]
        written = bool(starts) and starts[0] in heads and not set(starts[1:]) & heads.keys()
        if not written or heads[starts[0]] != bool(with_.args.get("recursive")):
            raise QueryRefused(
                "syntax",
                "a WITH list in parentheses right after another WITH list is not supported: "
                "name all the CTEs in one WITH list",
            )


def _check_tree(tree: exp.Expr) -> tuple[set[int], set[int]]:
    """Refuse writes and foreign relations; return where to put `audit.` and where aliases
    with column lists start (their "(" is not a call)."""
    qualify_at: set[int] = set()
    alias_starts: set[int] = set()
    for node in tree.walk():
        if isinstance(node, FORBIDDEN_NODES):
            raise QueryRefused("statement", f"{node.key.upper()} is not allowed in audit queries")
        if isinstance(node, exp.TableAlias) and isinstance(node.this, exp.Identifier):
            alias_starts.add(_start(node.this))
        elif isinstance(node, exp.Table):
            start = _check_table(node)
            if start is not None:
                qualify_at.add(start)
    return qualify_at, alias_starts


def _start(identifier: exp.Identifier) -> int:
    start = identifier.meta.get("start")
    return start if isinstance(start, int) else -1


def _pg_name(identifier: exp.Expression) -> str:
    """The name PostgreSQL resolves: unquoted names fold to lower case."""
    name = str(identifier.name)
    return name if isinstance(identifier, exp.Identifier) and identifier.quoted else name.lower()


def _check_table(node: exp.Table) -> int | None:
    """Refuse a relation outside audit; return the position to qualify, if unqualified."""
    if isinstance(node.this, exp.Func):  # a function in FROM: checked as a call
        return None
    if not isinstance(node.this, exp.Identifier):
        raise QueryRefused("relation", f"unsupported relation {node.sql(dialect='postgres')}")
    if node.args.get("catalog") is not None:
        raise QueryRefused(
            "relation", f"cross-database reference {node.sql(dialect='postgres')} is refused"
        )
    schema = node.args.get("db")
    name = _pg_name(node.this)
    if schema is not None and not isinstance(schema, exp.Identifier):
        raise QueryRefused("relation", f"unsupported relation {node.sql(dialect='postgres')}")
    if schema is not None:
        if _pg_name(schema) != AUDIT_SCHEMA:
            raise QueryRefused(
                "relation", f"only audit.* views may be read, not {_pg_name(schema)}.{name}"
            )
        return None
    if name in _visible_ctes(node):
        return None
    start = _start(node.this)
    if start < 0:
        raise QueryRefused("syntax", f"cannot place the audit schema before {name}")
    return start


def _visible_ctes(node: exp.Expr) -> set[str]:
    """The CTE names visible at `node`, as PostgreSQL scopes them.

    A query's CTEs are visible in its body; inside the WITH list, a CTE sees the ones listed
    before it (all of them, itself included, under WITH RECURSIVE). Enclosing queries add theirs.
    """
    visible: set[str] = set()
    child: exp.Expr = node
    parent = node.parent
    while parent is not None:
        if isinstance(parent, exp.With):
            ctes = list(parent.expressions)
            if not parent.args.get("recursive"):
                ctes = ctes[: next((i for i, cte in enumerate(ctes) if cte is child), 0)]
            visible |= {_cte_name(cte) for cte in ctes}
        else:
            with_ = parent.args.get("with_")
            if isinstance(with_, exp.With) and with_ is not child:
                visible |= {_cte_name(cte) for cte in with_.expressions}
        child, parent = parent, parent.parent
    return visible


def _cte_alias(cte: exp.Expr) -> exp.Identifier:
    alias = cte.args.get("alias")
    identifier = alias.this if isinstance(alias, exp.TableAlias) else None
    return identifier if isinstance(identifier, exp.Identifier) else exp.Identifier(this="")


def _cte_name(cte: exp.Expr) -> str:
    return _pg_name(_cte_alias(cte))
