-- Checks of the API tests, as the admin user.

-- data_tables --
-- The tables of schemas app and procrastinate whose data a malformed request must not change
-- (but app.event_publisher, the bookkeeping the API's publisher updates on its own clock).
SELECT n.nspname, c.relname
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('app', 'procrastinate')
  AND (n.nspname, c.relname) <> ('app', 'event_publisher')
ORDER BY 1, 2;

-- table_digest --
-- One digest of a table's rows ({schema} and {table} are filled in as identifiers): equal
-- digests, unchanged data. (No query_to_xml: PostgreSQL builds without libxml lack it.)
SELECT md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) AS digest
FROM {schema}.{table} AS t;
