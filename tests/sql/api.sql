-- Checks of the API tests, as the admin user.

-- stored_data_digests --
-- One digest per table of schemas app and procrastinate: equal digests, unchanged data (but for
-- app.event_publisher, the bookkeeping the API's publisher updates on its own clock).
SELECT n.nspname || '.' || c.relname AS table_name,
       (xpath('/row/digest/text()', query_to_xml(
           format('SELECT md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) '
                  'AS digest FROM %I.%I AS t', n.nspname, c.relname),
           false, true, '')))[1]::text AS digest
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('app', 'procrastinate')
  AND (n.nspname, c.relname) <> ('app', 'event_publisher')
ORDER BY 1;
