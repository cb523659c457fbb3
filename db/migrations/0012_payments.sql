-- Follow the money (SPEC §6): how each payment was made (check or EFT), the member
-- responsibility split and the adjustment codes of every service line, a claim's
-- history, claims submitted online (drafts and their extra fields), requests for more
-- information and their answers, and disputes (reconsideration requests).

-- A payment is a paper check mailed to the payee's address, or an EFT to a bank
-- account of which only the last four digits are kept (for the mask).
ALTER TABLE payments ADD COLUMN method TEXT NOT NULL DEFAULT 'check' CHECK (method IN ('check','eft'));
ALTER TABLE payments ADD COLUMN account_last4 TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN claim_count INTEGER NOT NULL DEFAULT 0;
-- The remittance totals of a payment, fixed when it is issued (the sums of its lines;
-- a test proves they agree for every payment), so that a page of a large EOP does not
-- add up hundreds of lines at each view.
ALTER TABLE payments ADD COLUMN line_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN billed_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN allowed_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN deductible_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN copay_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN coinsurance_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN adjusted_cents INTEGER NOT NULL DEFAULT 0;

-- status_date: when the claim reached its current status; info_needed: what the plan
-- asked for when the status is pending_info; source: 'edi' (clearinghouse) or 'portal'.
ALTER TABLE claims ADD COLUMN status_date TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN info_needed TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN source TEXT NOT NULL DEFAULT 'edi' CHECK (source IN ('edi','portal'));
ALTER TABLE claims ADD COLUMN place_of_service TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN rendering_npi TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN submitted_by INTEGER REFERENCES users(id);

-- Each line's allowed amount splits into paid + deductible + copay + coinsurance (the
-- member's share, group PR); billed - allowed (or the whole charge of a denied line) is
-- one adjustment with its group code (CO, OA, PI), CARC and optional RARC.
ALTER TABLE claim_lines ADD COLUMN deductible_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claim_lines ADD COLUMN copay_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claim_lines ADD COLUMN coinsurance_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claim_lines ADD COLUMN adj_group TEXT NOT NULL DEFAULT '';
ALTER TABLE claim_lines ADD COLUMN adj_carc TEXT NOT NULL DEFAULT '';
ALTER TABLE claim_lines ADD COLUMN adj_rarc TEXT NOT NULL DEFAULT '';
ALTER TABLE claim_lines ADD COLUMN adj_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE claim_lines ADD COLUMN service_to TEXT NOT NULL DEFAULT '';
ALTER TABLE claim_lines ADD COLUMN dx_pointers TEXT NOT NULL DEFAULT '';
ALTER TABLE claim_lines ADD COLUMN prior_auth TEXT NOT NULL DEFAULT '';

-- Events of a claim's history beyond what its own columns say (submitted online, more
-- information requested and answered, disputed, dispute decided).
CREATE TABLE claim_events (
  id        INTEGER PRIMARY KEY,
  claim_id  INTEGER NOT NULL REFERENCES claims(id),
  at        TEXT NOT NULL,
  kind      TEXT NOT NULL,
  text      TEXT NOT NULL DEFAULT '', -- plain words; never message text
  user_id   INTEGER REFERENCES users(id)
) STRICT;
CREATE INDEX claim_events_claim ON claim_events(claim_id, at);

-- A professional claim typed in the portal (Individual & Family Plan members only),
-- kept as a draft until it is submitted. form is the form as typed (JSON).
CREATE TABLE claim_drafts (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES provider_accounts(id),
  member_pk   INTEGER NOT NULL REFERENCES members(id),
  created_by  INTEGER NOT NULL REFERENCES users(id),
  form        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted')),
  claim_id    INTEGER REFERENCES claims(id),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX claim_drafts_account ON claim_drafts(account_id, status, updated_at);
CREATE INDEX claim_drafts_member ON claim_drafts(member_pk, account_id);

-- Answers to a request for more information: the text and files travel as a secure
-- message (encrypted) in thread_id, routed to the Claims department.
CREATE TABLE claim_info_answers (
  id          INTEGER PRIMARY KEY,
  claim_id    INTEGER NOT NULL REFERENCES claims(id),
  account_id  INTEGER NOT NULL REFERENCES provider_accounts(id),
  thread_id   INTEGER REFERENCES message_threads(id) ON DELETE SET NULL, -- NULL once the retention period removed it
  created_by  INTEGER NOT NULL REFERENCES users(id),
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX claim_info_answers_claim ON claim_info_answers(claim_id);
CREATE INDEX claim_info_answers_thread ON claim_info_answers(thread_id);

-- A dispute (reconsideration request) of a claim or of one of its lines (line_no 0 =
-- the whole claim). The explanation and files are the first message of thread_id.
-- seen_at is set when the office has read the plan's answer (the action-required bar
-- counts answered disputes not yet seen).
CREATE TABLE claim_disputes (
  id              INTEGER PRIMARY KEY,
  claim_id        INTEGER NOT NULL REFERENCES claims(id),
  line_no         INTEGER NOT NULL DEFAULT 0,
  account_id      INTEGER NOT NULL REFERENCES provider_accounts(id),
  reason          TEXT NOT NULL CHECK (reason IN ('underpaid','denied_in_error','duplicate_denial','timely_filing','coding_bundling','other')),
  status          TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received','in_review','upheld','overturned')),
  thread_id       INTEGER REFERENCES message_threads(id) ON DELETE SET NULL, -- NULL once the retention period removed it
  new_paid_cents  INTEGER NOT NULL DEFAULT 0,
  created_by      INTEGER NOT NULL REFERENCES users(id),
  created_at      TEXT NOT NULL,
  decided_by      INTEGER REFERENCES users(id),
  decided_at      TEXT,
  seen_at         TEXT
) STRICT;
CREATE INDEX claim_disputes_claim ON claim_disputes(claim_id);
CREATE INDEX claim_disputes_thread ON claim_disputes(thread_id);
CREATE INDEX claim_disputes_status ON claim_disputes(status, created_at);
CREATE INDEX claim_disputes_answered ON claim_disputes(account_id) WHERE seen_at IS NULL AND status IN ('upheld','overturned');
