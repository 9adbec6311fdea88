-- Statements of the failover test, as the admin user of its own primary and standby.

-- wait_for_any_standby --
-- Every commit waits until a standby has flushed it ('*': whichever standby streams).
ALTER SYSTEM SET synchronous_standby_names = '*';

-- reload_configuration --
-- Apply the configuration files' settings now.
SELECT pg_catalog.pg_reload_conf();

-- synchronous_standbys --
-- The standbys streaming from this server that every commit waits for.
SELECT count(*)::integer FROM pg_catalog.pg_stat_replication
WHERE state = 'streaming' AND sync_state = 'sync';
