-- ownership: everything in app, api and audit belongs to tutopanda_owner, a NOLOGIN role, so
-- SECURITY DEFINER functions run with its rights rather than those of whoever ran migrate.
DO $ownership$
DECLARE
    v_statement text;
BEGIN
    FOR v_statement IN
        SELECT format('ALTER SCHEMA %I OWNER TO tutopanda_owner', n.nspname)
        FROM pg_catalog.pg_namespace AS n
        WHERE n.nspname IN ('app', 'api', 'audit')
          AND n.nspowner <> 'tutopanda_owner'::regrole
        UNION ALL
        SELECT format(
            CASE c.relkind WHEN 'v' THEN 'ALTER VIEW %s OWNER TO tutopanda_owner'
                           WHEN 'm' THEN 'ALTER MATERIALIZED VIEW %s OWNER TO tutopanda_owner'
                           WHEN 'c' THEN 'ALTER TYPE %s OWNER TO tutopanda_owner'
                           ELSE 'ALTER TABLE %s OWNER TO tutopanda_owner' END,
            c.oid::regclass)
        FROM pg_catalog.pg_class AS c
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('app', 'api', 'audit')
          AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
          AND c.relowner <> 'tutopanda_owner'::regrole
        UNION ALL
        SELECT format('ALTER ROUTINE %s OWNER TO tutopanda_owner', p.oid::regprocedure)
        FROM pg_catalog.pg_proc AS p
        JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
        WHERE n.nspname IN ('app', 'api', 'audit')
          AND p.proowner <> 'tutopanda_owner'::regrole
    LOOP
        EXECUTE v_statement;
    END LOOP;
END
$ownership$;
