"""The words an audit query may put before "(", and the words it may not use at all.

PostgreSQL resolves a function by the name written in the query, so the guard checks names as
written (not as sqlglot normalises them). Every name in ALLOWED_FUNCTIONS is a pg_catalog
function with no side effect and no view of anything but its arguments;
tests/db/test_audit_functions.py runs each one on PostgreSQL.
"""

from __future__ import annotations

ALLOWED_FUNCTIONS: frozenset[str] = frozenset(
    {
        # aggregates
        "array_agg", "avg", "bool_and", "bool_or", "corr", "count", "every", "json_agg",
        "jsonb_agg", "jsonb_object_agg", "max", "min", "mode", "percentile_cont",
        "percentile_disc", "stddev", "stddev_pop", "stddev_samp", "string_agg", "sum",
        "var_pop", "var_samp", "variance",
        # window functions
        "cume_dist", "dense_rank", "first_value", "lag", "last_value", "lead", "nth_value",
        "ntile", "percent_rank", "rank", "row_number",
        # numbers
        "abs", "ceil", "ceiling", "floor", "mod", "power", "round", "sign", "sqrt", "trunc",
        # text
        "btrim", "char_length", "concat", "concat_ws", "format", "initcap", "length", "lower",
        "lpad", "ltrim", "md5", "octet_length", "regexp_match", "regexp_matches",
        "regexp_replace", "regexp_split_to_array", "replace", "reverse", "rpad", "rtrim",
        "split_part", "starts_with", "string_to_array", "strpos", "substr", "to_char",
        "to_number", "translate", "upper",
        # time
        "age", "date_bin", "date_part", "date_trunc", "isfinite", "justify_days",
        "justify_hours", "justify_interval", "make_date", "make_interval", "now", "to_date",
        "to_timestamp",
        # arrays and set-returning functions
        "array_append", "array_cat", "array_length", "array_lower", "array_position",
        "array_positions", "array_remove", "array_to_string", "array_upper", "cardinality",
        "generate_series", "unnest",
        # JSON
        "json_build_object", "jsonb_array_elements", "jsonb_array_elements_text",
        "jsonb_array_length", "jsonb_build_array", "jsonb_build_object", "jsonb_each",
        "jsonb_each_text", "jsonb_extract_path", "jsonb_extract_path_text",
        "jsonb_object_keys", "jsonb_path_exists", "jsonb_path_query", "jsonb_path_query_array",
        "jsonb_path_query_first", "jsonb_pretty", "jsonb_strip_nulls", "jsonb_typeof",
        "row_to_json", "to_json", "to_jsonb",
        # other
        "num_nonnulls", "num_nulls", "pg_size_pretty",
    }
)  # fmt: skip

# Unquoted words that may precede "(" without being a call of a function of that name:
# PostgreSQL's reserved and column-name keywords (never a plain function name; those with a
# function behind them, like EXTRACT or POSITION, have a fixed harmless meaning), type names
# with a modifier (numeric(10, 2)), and the non-reserved words of SELECT syntax.
SYNTAX_WORDS: frozenset[str] = frozenset(
    {
        # reserved keywords
        "all", "and", "any", "array", "as", "asc", "both", "case", "cast", "current_time",
        "current_timestamp", "desc", "distinct", "else", "end", "except", "from", "group",
        "having", "in", "intersect", "lateral", "leading", "limit", "localtime",
        "localtimestamp", "not", "offset", "on", "only", "or", "order", "select", "some", "then",
        "to", "trailing", "union", "using", "when", "where", "window", "with",
        # column-name keywords: expressions with their own syntax, and type names
        "between", "bigint", "bit", "boolean", "char", "character", "coalesce", "dec",
        "decimal", "exists", "extract", "float", "greatest", "grouping", "int", "integer",
        "interval", "least", "nullif", "numeric", "overlay", "position", "precision", "real",
        "row", "smallint", "substring", "time", "timestamp", "trim", "values", "varchar",
        # type/function-name keywords used as syntax (left/right are also harmless functions)
        "cross", "full", "ilike", "inner", "is", "join", "left", "like", "natural", "outer",
        "overlaps", "right", "similar",
        # non-reserved words of SELECT syntax
        "by", "cube", "filter", "following", "materialized", "over", "partition", "preceding",
        "range", "recursive", "rollup", "rows", "sets", "varying", "zone",
    }
)  # fmt: skip

# Words refused wherever they appear: the object-identifier types turn numbers and names into
# catalog lookups ('10'::regrole names a role), which would read beyond the audit views.
REFUSED_WORDS: frozenset[str] = frozenset(
    {
        "regclass", "regcollation", "regconfig", "regdictionary", "regnamespace", "regoper",
        "regoperator", "regproc", "regprocedure", "regrole", "regtype",
    }
)  # fmt: skip

# The schema of the views an auditor reads, and the only schema a called function may name.
AUDIT_SCHEMA = "audit"
FUNCTION_SCHEMA = "pg_catalog"
