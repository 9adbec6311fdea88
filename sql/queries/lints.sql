-- Catalog lints (in the spirit of supabase/splinter): each returns the offending objects.
-- `tutopanda db lint` runs every query of this file whose name starts with lint_.

-- lint_security_definer_without_search_path --
-- SECURITY DEFINER functions of our schemas that do not pin search_path.
SELECT p.oid::regprocedure::text AS object
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname IN ('app', 'api', 'audit')
  AND p.prosecdef
  AND NOT EXISTS (
      SELECT FROM unnest(coalesce(p.proconfig, '{}'::text[])) AS c (setting)
      WHERE c.setting LIKE 'search\_path=%'
  )
ORDER BY 1;

-- lint_api_functions_not_security_definer --
-- Functions of schema api that run with the caller's rights (the runtime role has none).
SELECT p.oid::regprocedure::text AS object
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname = 'api' AND NOT p.prosecdef
ORDER BY 1;

-- lint_security_definer_executable_by_public --
-- SECURITY DEFINER functions anywhere in the database that PUBLIC may execute.
SELECT p.oid::regprocedure::text AS object
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
WHERE p.prosecdef
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND pg_catalog.has_function_privilege('public', p.oid, 'EXECUTE')
ORDER BY 1;

-- lint_foreign_keys_without_index --
-- Foreign keys of our schemas whose columns do not lead some index of the table.
SELECT format('%s.%s', c.conrelid::regclass, c.conname) AS object
FROM pg_catalog.pg_constraint AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.connamespace
WHERE c.contype = 'f'
  AND n.nspname IN ('app', 'api', 'audit')
  AND NOT EXISTS (
      SELECT FROM pg_catalog.pg_index AS i
      CROSS JOIN LATERAL (
          SELECT (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] AS lead
      ) AS k
      WHERE i.indrelid = c.conrelid AND k.lead @> c.conkey AND k.lead <@ c.conkey
  )
ORDER BY 1;

-- lint_api_functions_without_comment --
-- Functions of schema api with no COMMENT (the header a caller reads in \df+).
SELECT p.oid::regprocedure::text AS object
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname = 'api'
  AND pg_catalog.obj_description(p.oid, 'pg_proc') IS NULL
ORDER BY 1;
