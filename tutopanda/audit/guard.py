"""Decides whether an auditor's SQL may run: one read-only SELECT over audit.* views.

sqlglot parses the text as PostgreSQL. Accepted: exactly one SELECT (CTEs and UNION allowed)
that reads only `audit.*` relations (unqualified names mean `audit.`), calls only allow-listed
functions, and neither locks nor writes. The statement that runs is regenerated from the parsed
tree (comments dropped) and wrapped in a row limit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

AUDIT_SCHEMA = "audit"
MAX_QUERY_CHARACTERS = 100_000

# sqlglot logs a warning for syntax it only half understands; the refusal says it in one line.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

# Functions by sqlglot's class for them (PostgreSQL spellings vary), then by name.
ALLOWED_FUNCTION_CLASSES: frozenset[str] = frozenset(
    {
        "Abs",
        "ArrayAgg",
        "ArraySize",
        "ArrayToString",
        "Avg",
        "Case",
        "Cast",
        "Ceil",
        "Coalesce",
        "Concat",
        "ConcatWs",
        "Count",
        "CountIf",
        "CurrentDate",
        "CurrentTimestamp",
        "DateTrunc",
        "DenseRank",
        "Extract",
        "FirstValue",
        "Floor",
        "Greatest",
        "GroupConcat",
        "If",
        "JSONBExtract",
        "JSONBExtractScalar",
        "JSONExtract",
        "JSONExtractScalar",
        "Lag",
        "LastValue",
        "Lead",
        "Least",
        "Left",
        "Length",
        "Lower",
        "Max",
        "Min",
        "Nullif",
        "Rank",
        "Round",
        "RowNumber",
        "Right",
        "SplitPart",
        "Stddev",
        "StrPosition",
        "Substring",
        "Sum",
        "TimeToStr",
        "TimestampTrunc",
        "ToChar",
        "Trim",
        "TryCast",
        "Unnest",
        "Upper",
        "ExplodingGenerateSeries",
        "GenerateSeries",
        "Trunc",
        "Initcap",
        "Replace",
        "Percentile",
        "PercentileCont",
        "PercentileDisc",
        "Ntile",
        "CumeDist",
        "PercentRank",
        "Variance",
        "BoolAnd",
        "BoolOr",
        "LogicalAnd",
        "LogicalOr",
        "Corr",
        # Operators that sqlglot models as functions: AND, OR, EXISTS, @>, &&, ?, ~, ^, COLLATE.
        "And",
        "Or",
        "Xor",
        "Exists",
        "Collate",
        "Pow",
        "ArrayContains",
        "ArrayContainedBy",
        "ArrayContainsAll",
        "ArrayOverlaps",
        "ArrayPosition",
        "JSONArrayContains",
        "JSONBContains",
        "JSONBContainsAllTopKeys",
        "JSONBContainsAnyTopKeys",
        "JSONBContainsTopKey",
        "JSONBPathExists",
        "RegexpLike",
        "RegexpILike",
        "RegexpFullMatch",
    }
)
ALLOWED_FUNCTION_NAMES: frozenset[str] = frozenset(
    {
        "age",
        "array_length",
        "array_position",
        "array_to_string",
        "bool_and",
        "bool_or",
        "cardinality",
        "date_part",
        "json_agg",
        "jsonb_agg",
        "jsonb_array_elements",
        "jsonb_array_elements_text",
        "jsonb_array_length",
        "jsonb_build_object",
        "jsonb_each",
        "jsonb_each_text",
        "jsonb_object_keys",
        "jsonb_path_query",
        "jsonb_typeof",
        "justify_interval",
        "make_interval",
        "octet_length",
        "row_to_json",
        "string_agg",
        "to_char",
        "to_jsonb",
        "generate_series",
        "unnest",
        "pg_size_pretty",
        "regexp_replace",
        "starts_with",
        "array_remove",
        "round",
        "date_trunc",
        "percentile_cont",
        "percentile_disc",
        "mode",
    }
)
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
    exp.Placeholder,
    exp.Parameter,
    exp.Use,
    exp.Pragma,
    exp.TruncateTable,
)


class QueryRefused(ValueError):
    """The query may not run; the message says why, in one line."""


@dataclass(frozen=True)
class GuardedQuery:
    """A query that passed the guard: the SQL that will run and the limit it carries."""

    sql: str
    row_limit: int


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name)
    return node.sql_name().lower()


def _check_function(node: exp.Func) -> None:
    if isinstance(node, exp.Anonymous):
        if node.name.lower() not in ALLOWED_FUNCTION_NAMES:
            raise QueryRefused(f"function {node.name}() is not allowed in audit queries")
    elif type(node).__name__ not in ALLOWED_FUNCTION_CLASSES:
        raise QueryRefused(f"function {_function_name(node)}() is not allowed in audit queries")


def _check_table(node: exp.Table, cte_names: set[str]) -> None:
    if isinstance(node.this, exp.Func):  # a set-returning function in FROM: checked as a call
        return
    schema, catalog, name = node.db, node.catalog, node.name
    if catalog:
        raise QueryRefused(f"cross-database reference {node.sql(dialect='postgres')} is refused")
    if not schema:
        if name.lower() in cte_names:
            return
        node.set("db", exp.to_identifier(AUDIT_SCHEMA))  # unqualified names are audit views
        return
    if schema.lower() != AUDIT_SCHEMA:
        raise QueryRefused(f"only audit.* views may be read, not {schema}.{name}")


def guard(text: str, row_limit: int) -> GuardedQuery:
    """Check an auditor's query; return the statement to run, or raise QueryRefused."""
    if "\x00" in text:
        raise QueryRefused("the query contains a NUL character")
    if len(text) > MAX_QUERY_CHARACTERS:
        raise QueryRefused(f"the query is longer than {MAX_QUERY_CHARACTERS} characters")
    try:
        statements = [s for s in sqlglot.parse(text, read="postgres") if s is not None]
    except SqlglotError as error:
        first = str(error).splitlines()[0] if str(error) else "parse error"
        raise QueryRefused(f"not valid PostgreSQL: {first}") from None
    except RecursionError:
        raise QueryRefused("the query is nested too deeply") from None
    if len(statements) != 1:
        raise QueryRefused(f"exactly one statement is allowed, found {len(statements)}")
    tree = statements[0]
    if not isinstance(tree, exp.Select | exp.SetOperation):
        kind = str(tree.this).split()[0] if isinstance(tree, exp.Command) else tree.key
        raise QueryRefused(f"only SELECT is allowed, not {kind.upper()}")
    try:
        _check_tree(tree)
    except RecursionError:
        raise QueryRefused("the query is nested too deeply") from None
    limited = exp.select("*").from_(tree.subquery("audit_query")).limit(row_limit + 1)
    return GuardedQuery(sql=limited.sql(dialect="postgres", comments=False), row_limit=row_limit)


def _check_tree(tree: exp.Expression) -> None:
    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for node in tree.walk():
        if isinstance(node, FORBIDDEN_NODES):
            raise QueryRefused(f"{node.key.upper()} is not allowed in audit queries")
        if isinstance(node, exp.Func):
            _check_function(node)
        elif isinstance(node, exp.Table):
            _check_table(node, cte_names)
