-- Append-only tables: the records the audit trail reads (lecture history, membership changes)
-- are never updated, deleted nor truncated, whoever asks. Each such table has two triggers on
-- app.append_only_guard, whose argument names what the rows are ("lecture history").

-- app.append_only_guard: refuse the row or statement change with PT409, naming the record.
CREATE OR REPLACE FUNCTION app.append_only_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'PT409',
        MESSAGE = format('%s: append-only (%s refused)', TG_ARGV[0], lower(TG_OP));
END
$$;
