-- Everyday use (issue 16): the claims an office sees follow the context bar's TIN and
-- plan type, on the dashboard (Recent Claims, claims waiting for information) and in the
-- claims list; these indexes keep each of those an index range, newest first.
CREATE INDEX claims_tin_plan_received ON claims(tin_id, plan_type, received_date);
CREATE INDEX claims_tin_plan_status ON claims(tin_id, plan_type, status);
