-- reset: the api and app functions, the api types and the audit views are re-creatable objects
-- owned by sql/. Dropping them first lets a renamed or removed one disappear, and lets a signature
-- change apply (CREATE TYPE has no OR REPLACE: the file that defines a type creates it afresh);
-- the whole sql/ step runs in one transaction, so callers never see a gap.
-- Triggers on app tables go with their functions and are re-created by the file that defines them.
-- (The audit hash functions belong to their migrations: existing hashes depend on them.)
DO $reset$
DECLARE
    v_name text;
BEGIN
    FOR v_name IN  -- names from the rows, not looked up: a view may go with another's CASCADE
        SELECT format('%I.%I', n.nspname, c.relname)
        FROM pg_catalog.pg_class AS c
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'audit' AND c.relkind IN ('v', 'm')
    LOOP
        EXECUTE format('DROP VIEW IF EXISTS %s CASCADE', v_name);
    END LOOP;
    FOR v_name IN
        SELECT p.oid::regprocedure::text
        FROM pg_catalog.pg_proc AS p
        JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
        WHERE n.nspname IN ('api', 'app')
           OR (n.nspname = 'audit' AND p.proname NOT IN (
                   'revision_hash', 'revision_hash_v2', 'section_hash'))  -- migrations' own
    LOOP
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', v_name);
    END LOOP;
    FOR v_name IN  -- composite types of their own (not a relation's row type), enums, domains
        SELECT format('%I.%I', n.nspname, t.typname)
        FROM pg_catalog.pg_type AS t
        JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
        LEFT JOIN pg_catalog.pg_class AS c ON c.oid = t.typrelid
        WHERE n.nspname = 'api' AND t.typtype IN ('c', 'd', 'e') AND coalesce(c.relkind, 'c') = 'c'
    LOOP
        EXECUTE format('DROP TYPE IF EXISTS %s CASCADE', v_name);
    END LOOP;
END
$reset$;
