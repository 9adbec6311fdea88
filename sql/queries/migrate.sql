-- Named queries of the migrate command.

-- component_version --
-- The installed version of a component managed outside yoyo (no row: not installed).
SELECT version FROM app.installed_components WHERE name = %(name)s::text;

-- component_version_set --
-- Record the installed version of a component.
INSERT INTO app.installed_components (name, version)
VALUES (%(name)s::text, %(version)s::text)
ON CONFLICT (name) DO UPDATE SET version = excluded.version, installed_at = now();

-- procrastinate_search_path --
-- Procrastinate's SQL uses unqualified names: install it into its own schema.
SELECT pg_catalog.set_config('search_path', 'procrastinate', true);
