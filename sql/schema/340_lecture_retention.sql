-- Retention: history outlives everything, so projects and lectures are never deleted.
-- A cascade from a project to its lectures and their history would erase the audit trail.

-- app.retention_guard: refuse to delete (or truncate) a project or a lecture.
-- Their history must outlive them; an owner or superuser who switches this trigger off still
-- meets the history's own guard and foreign key, and `tutopanda audit verify --checkpoint`.
CREATE OR REPLACE FUNCTION app.retention_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'PT409',
        MESSAGE = format('%s are never deleted: their history must outlive them (%s refused)',
                         replace(TG_TABLE_NAME, 'video_', ''), lower(TG_OP));
END
$$;

CREATE OR REPLACE TRIGGER projects_never_deleted
    BEFORE DELETE ON app.projects
    FOR EACH ROW EXECUTE FUNCTION app.retention_guard();

CREATE OR REPLACE TRIGGER projects_never_truncated
    BEFORE TRUNCATE ON app.projects
    FOR EACH STATEMENT EXECUTE FUNCTION app.retention_guard();

CREATE OR REPLACE TRIGGER video_lectures_never_deleted
    BEFORE DELETE ON app.video_lectures
    FOR EACH ROW EXECUTE FUNCTION app.retention_guard();

CREATE OR REPLACE TRIGGER video_lectures_never_truncated
    BEFORE TRUNCATE ON app.video_lectures
    FOR EACH STATEMENT EXECUTE FUNCTION app.retention_guard();
