-- The product's save, as the API sends it: api.lecture_save as the runtime role.
-- Each client saves its own lecture (bench.slot) and carries the revision forward; a save that
-- is not `saved` returns no row, which stops the client and fails the run.
\if :lecture = 0
SELECT lecture, revision, payload_a, payload_b FROM bench.slot(:set, :client_id) \gset
\endif
\if :revision % 2 = 0
SELECT revision FROM api.lecture_save('bench', :lecture, :revision, :payload_a::jsonb,
    p_merge => false, p_force => false) WHERE status = 'saved' \gset
\else
SELECT revision FROM api.lecture_save('bench', :lecture, :revision, :payload_b::jsonb,
    p_merge => false, p_force => false) WHERE status = 'saved' \gset
\endif
