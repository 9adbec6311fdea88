"""Random audit queries with a known meaning: nested CTEs, subqueries, set operations, quoting.

Each generated query comes with the text the guard must produce (`audit.` before every
relation that is not a CTE visible at that place, by PostgreSQL's scoping and case rules) and
whether PostgreSQL can run it (every real relation named is an audit view). A WITH list
whose body is a parenthesised WITH query is refused by the guard (sqlglot merges the two lists).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

# Written names: shadowing of catalog relations and audit views, in every quoting and case.
NAMES = (
    "pg_roles",
    "PG_Roles",
    '"pg_roles"',
    '"PG_ROLES"',
    "pg_settings",
    "lectures",
    '"lectures"',
    "LECTURES",
    "failed_runs",
    "x",
    '"X"',
)
AUDIT_VIEWS = frozenset({"lectures", "failed_runs"})


def resolved(written: str) -> str:
    """The name PostgreSQL resolves: quoted names keep their case, others fold to lower."""
    return written[1:-1] if written.startswith('"') else written.lower()


@dataclass(frozen=True)
class Generated:
    """A query, the text the guard must turn it into, whether PostgreSQL can run it, and
    whether the guard must refuse it."""

    text: str
    expected: str
    runs: bool = True
    refused: bool = False

    def __add__(self, other: Generated) -> Generated:
        return Generated(
            self.text + other.text,
            self.expected + other.expected,
            self.runs and other.runs,
            self.refused or other.refused,
        )


def fixed(text: str) -> Generated:
    return Generated(text, text)


@st.composite
def reference(draw: st.DrawFn, visible: frozenset[str]) -> Generated:
    """A relation in FROM: a visible CTE stays as written, anything else becomes audit.*."""
    written = draw(st.sampled_from(NAMES))
    if resolved(written) in visible:
        return fixed(written)
    return Generated(written, f"audit.{written}", resolved(written) in AUDIT_VIEWS)


@st.composite
def audit_query(
    draw: st.DrawFn, visible: frozenset[str] = frozenset(), depth: int = 3
) -> Generated:
    """One query producing a single integer column `n`."""
    kinds = ["from"] if depth == 0 else ["from", "with", "recursive", "nested", "set", "order"]
    kind = draw(st.sampled_from(kinds))
    if kind == "from":
        return fixed("SELECT 1 AS n FROM ") + draw(reference(visible))
    if kind == "with":
        return draw(_with_query(visible, depth))
    if kind == "recursive":
        name = draw(st.sampled_from(NAMES))
        inner = visible | {resolved(name)}
        return (
            fixed(f"WITH RECURSIVE {name} (n) AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM ")
            + fixed(f"{name} WHERE n < 2) ")
            + _body(draw(audit_query(inner, depth - 1)))
        )
    if kind == "order":  # a parenthesised query with its own ORDER BY holding a subquery
        first = draw(audit_query(visible, depth - 1))
        if first.text.startswith("("):  # a set operation is ordered by its output columns only
            first = fixed("SELECT n FROM (") + first + fixed(") AS f")
        return (
            fixed("SELECT n FROM ((")
            + first
            + fixed(") ORDER BY (SELECT count(*) FROM (")
            + draw(audit_query(visible, depth - 1))
            + fixed(") AS o)) AS w")
        )
    if kind == "set":
        operator = draw(st.sampled_from(["UNION", "UNION ALL", "INTERSECT", "EXCEPT"]))
        left = draw(audit_query(visible, depth - 1))
        right = draw(audit_query(visible, depth - 1))
        return fixed("(") + left + fixed(f") {operator} (") + right + fixed(")")
    shape = draw(
        st.sampled_from(
            [
                ("SELECT 1 AS n FROM (", ") AS s"),
                ("SELECT 1 AS n WHERE EXISTS (", ")"),
                ("SELECT 1 AS n FROM LATERAL (", ") AS l"),
                ("SELECT (SELECT count(*) FROM (", ") AS s)::integer AS n"),
                ("SELECT n FROM (", ") AS s WHERE n IN (SELECT 1)"),
            ]
        )
    )
    return fixed(shape[0]) + draw(audit_query(visible, depth - 1)) + fixed(shape[1])


@st.composite
def _with_query(draw: st.DrawFn, visible: frozenset[str], depth: int) -> Generated:
    """WITH a AS (...), b AS (...) body: each CTE sees the ones before it, the body sees all."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique_by=resolved))
    generated = fixed("WITH ")
    seen = set(visible)
    for index, name in enumerate(names):
        separator = ", " if index else ""
        body = draw(audit_query(frozenset(seen), depth - 1))
        generated = generated + fixed(f"{separator}{name} AS (") + body + fixed(")")
        seen.add(resolved(name))
    return generated + fixed(" ") + _body(draw(audit_query(frozenset(seen), depth - 1)))


def _body(query: Generated) -> Generated:
    """The query after a WITH list: another WITH must be parenthesised."""
    if not query.text.startswith("WITH"):
        return query
    return Generated("(", "(", refused=True) + query + fixed(")")
