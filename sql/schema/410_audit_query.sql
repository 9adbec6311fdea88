-- The database's own say on an auditor's query: what its plan touches (tutopanda audit query).

CREATE OR REPLACE FUNCTION audit.query_objects(p_query text)
RETURNS TABLE (object_kind text, schema_name text, object_name text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (VERBOSE, FORMAT JSON) ' || p_query INTO v_plan;
    RETURN QUERY
    SELECT DISTINCT
           CASE WHEN n.node ? 'Relation Name' THEN 'relation' ELSE 'function' END,
           n.node ->> 'Schema',
           coalesce(n.node ->> 'Relation Name', n.node ->> 'Function Name')
    FROM jsonb_path_query(v_plan, 'strict $.**') AS n (node)
    WHERE jsonb_typeof(n.node) = 'object'
      AND (n.node ? 'Relation Name' OR n.node ? 'Function Name')
    ORDER BY 1, 2, 3;
END
$$;
COMMENT ON FUNCTION audit.query_objects(text) IS
    'Relations and functions the plan of a query scans: the query is EXPLAINed, never run, with '
    'the caller''s rights (it gives them nothing an EXPLAIN of their own would not). tutopanda '
    'audit query refuses a plan that reaches beyond the audit views.';
