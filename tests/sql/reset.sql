-- How a test database goes back to its template's state between tests (tests/support/databases.py):
-- its rows and sequences are put back; a change to its schema makes it a new clone instead.

-- reset_others_terminated --
-- End every other session on this database (a test's leftover servers, pools and workers).
SELECT count(pg_catalog.pg_terminate_backend(a.pid, 10000))
FROM pg_catalog.pg_stat_activity AS a
WHERE a.datname = pg_catalog.current_database() AND a.pid <> pg_catalog.pg_backend_pid();

-- reset_schema_fingerprint --
-- A digest of everything a test may change besides rows: relations, columns, routines, triggers,
-- constraints, types, schemas, privileges and the database's own settings.
SELECT md5(string_agg(item, E'\n' ORDER BY item)) FROM (
    SELECT format('rel %s %s %s %s', c.oid::regclass, c.relkind, c.relacl, c.relrowsecurity)
    FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
    UNION ALL
    SELECT format('col %s %s %s %s %s', a.attrelid::regclass, a.attname, a.atttypid::regtype,
                  a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid))
    FROM pg_catalog.pg_attribute AS a
    JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
      AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT format('fn %s %s %s %s %s %s', p.oid::regprocedure, md5(p.prosrc), p.prosecdef,
                  p.proconfig, p.proacl, pg_catalog.obj_description(p.oid, 'pg_proc'))
    FROM pg_catalog.pg_proc AS p JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_temp%'
    UNION ALL
    SELECT format('trigger %s %s %s %s', t.tgrelid::regclass, t.tgname, t.tgenabled, t.tgfoid)
    FROM pg_catalog.pg_trigger AS t
    UNION ALL
    SELECT format('constraint %s %s %s', r.conrelid::regclass, r.conname,
                  pg_catalog.pg_get_constraintdef(r.oid))
    FROM pg_catalog.pg_constraint AS r JOIN pg_catalog.pg_namespace AS n ON n.oid = r.connamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL
    SELECT format('type %s %s', t.oid::regtype, t.typacl)
    FROM pg_catalog.pg_type AS t JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
    UNION ALL
    SELECT format('schema %s %s %s', n.nspname, n.nspowner::regrole, n.nspacl)
    FROM pg_catalog.pg_namespace AS n
    UNION ALL
    SELECT format('default acl %s %s %s', a.defaclrole, a.defaclnamespace, a.defaclacl)
    FROM pg_catalog.pg_default_acl AS a
    UNION ALL
    SELECT format('setting %s %s', s.setrole, s.setconfig)
    FROM pg_catalog.pg_db_role_setting AS s
    JOIN pg_catalog.pg_database AS d ON d.oid = s.setdatabase
    WHERE d.datname = pg_catalog.current_database()
    UNION ALL
    SELECT format('database %s %s', d.datacl, d.datallowconn)
    FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database()
    UNION ALL
    SELECT format('extension %s %s', e.extname, e.extversion) FROM pg_catalog.pg_extension AS e
) AS catalog (item);

-- reset_tables --
-- The tables a test may write rows to.
SELECT n.nspname AS schema, c.relname AS name
FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY 1, 2;

-- reset_sequences --
-- Every sequence and the value its next call continues from.
SELECT s.schemaname AS schema, s.sequencename AS name, s.last_value, s.start_value
FROM pg_catalog.pg_sequences AS s
ORDER BY 1, 2;

-- reset_sequences_restore --
-- Put every sequence back where %(sequences)s (reset_sequences' rows as JSON) had it.
SELECT count(pg_catalog.setval(format('%%I.%%I', s.schema, s.name)::regclass,
                               coalesce(s.last_value, s.start_value), s.last_value IS NOT NULL))
FROM jsonb_to_recordset(%(sequences)s) AS s (schema text, name text, last_value bigint,
                                             start_value bigint);

-- reset_triggers_off --
-- This transaction fires no ordinary trigger (append-only guards, foreign keys) while it resets.
SET LOCAL session_replication_role = replica;
