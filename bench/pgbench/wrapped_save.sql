-- The notify pair: the product's save through bench.lecture_save_wrapped, with p_notify
-- (:notify) true or false, so both sides differ by one pg_notify in the transaction alone.
\if :lecture = 0
SELECT lecture, revision, payload_a, payload_b FROM bench.slot(:set, :client_id) \gset
\endif
\if :revision % 2 = 0
SELECT revision FROM bench.lecture_save_wrapped('bench', :lecture, :revision, :payload_a::jsonb,
    :notify::boolean) WHERE status = 'saved' \gset
\else
SELECT revision FROM bench.lecture_save_wrapped('bench', :lecture, :revision, :payload_b::jsonb,
    :notify::boolean) WHERE status = 'saved' \gset
\endif
