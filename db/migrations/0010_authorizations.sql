-- Prior authorization (SPEC §5): requests and their drafts, diagnosis and procedure
-- lines, the history of every status change, encrypted attachments, filled Smart Sheets,
-- decision clocks per plan type, the plan's holidays, decision reasons, and the list of
-- procedures that need authorization.

-- Decision clock per plan type and urgency: amount of unit (hours, calendar_days or
-- business_days; business days skip weekends and authz_holidays).
CREATE TABLE authz_clock_rules (
  plan_type TEXT NOT NULL CHECK (plan_type IN ('commercial','medicare','medical')),
  urgency   TEXT NOT NULL CHECK (urgency IN ('urgent','standard')),
  amount    INTEGER NOT NULL CHECK (amount > 0),
  unit      TEXT NOT NULL CHECK (unit IN ('hours','calendar_days','business_days')),
  PRIMARY KEY (plan_type, urgency)
) STRICT, WITHOUT ROWID;
INSERT INTO authz_clock_rules VALUES
  ('medicare','urgent',72,'hours'), ('medicare','standard',7,'calendar_days'),
  ('medical','urgent',72,'hours'),  ('medical','standard',7,'calendar_days'),
  ('commercial','urgent',72,'hours'), ('commercial','standard',5,'business_days');

-- Days the plan does not count as business days (Commercial standard clock).
CREATE TABLE authz_holidays (
  day  TEXT PRIMARY KEY, -- ISO date in the plan's time zone
  name TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO authz_holidays VALUES
  ('2025-01-01','New Year''s Day'), ('2025-05-26','Memorial Day'), ('2025-07-04','Independence Day'),
  ('2025-09-01','Labor Day'), ('2025-11-27','Thanksgiving Day'), ('2025-11-28','Day after Thanksgiving'),
  ('2025-12-25','Christmas Day'),
  ('2026-01-01','New Year''s Day'), ('2026-05-25','Memorial Day'), ('2026-07-03','Independence Day (observed)'),
  ('2026-09-07','Labor Day'), ('2026-11-26','Thanksgiving Day'), ('2026-11-27','Day after Thanksgiving'),
  ('2026-12-25','Christmas Day'),
  ('2027-01-01','New Year''s Day'), ('2027-05-31','Memorial Day'), ('2027-07-05','Independence Day (observed)'),
  ('2027-09-06','Labor Day'), ('2027-11-25','Thanksgiving Day'), ('2027-11-26','Day after Thanksgiving'),
  ('2027-12-24','Christmas Day (observed)');

-- Specific reasons a reviewer picks for a decision (kind: deny, partial, more_info, extend).
CREATE TABLE authz_reasons (
  id     INTEGER PRIMARY KEY,
  kind   TEXT NOT NULL CHECK (kind IN ('approve','partial','deny','more_info','extend')),
  text   TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  UNIQUE (kind, text)
) STRICT;
INSERT INTO authz_reasons(kind, text) VALUES
  ('approve','Meets the plan''s medical necessity criteria for the service requested'),
  ('partial','Medical necessity shown for fewer units or visits than requested'),
  ('partial','Some requested services meet criteria; others do not'),
  ('deny','Clinical notes do not show conservative treatment tried for at least 6 weeks'),
  ('deny','Documentation does not show the criteria of the Smart Sheet are met'),
  ('deny','Service is not a covered benefit under the member''s plan'),
  ('deny','Requested service is available from an in-network provider'),
  ('deny','Member was not eligible on the requested dates of service'),
  ('deny','Duplicate of a request already decided'),
  ('more_info','Recent office visit notes (last 60 days) are needed'),
  ('more_info','Results of imaging or tests already done are needed'),
  ('more_info','Record of conservative treatment (therapy, medication) and its outcome is needed'),
  ('more_info','A completed Smart Sheet for the service is needed'),
  ('extend','Additional information requested from the provider needs time to arrive'),
  ('extend','Specialist review is needed and the extension is in the member''s interest');

-- Procedure codes that need prior authorization, per plan type; the plan maintains the
-- list (admin page, CSV import) and publishes it without sign-in.
CREATE TABLE authz_requirements (
  id           INTEGER PRIMARY KEY,
  code         TEXT NOT NULL,          -- CPT or HCPCS, normalised (no dot, upper case)
  plan_type    TEXT NOT NULL CHECK (plan_type IN ('commercial','medicare','medical')),
  required     INTEGER NOT NULL DEFAULT 1,
  service_type TEXT NOT NULL DEFAULT '',
  note         TEXT NOT NULL DEFAULT '',
  updated_at   TEXT NOT NULL,
  UNIQUE (code, plan_type)
) STRICT;
CREATE INDEX authz_requirements_plan ON authz_requirements(plan_type, code);

-- A request. A draft has no tracking number yet; the office's step-by-step entries are
-- saved here at every step. Times are UTC; due_at is moved forward by the time a
-- request waits for the office's answer (paused_at set while it waits).
CREATE TABLE authz_requests (
  id              INTEGER PRIMARY KEY,
  tracking_no     TEXT UNIQUE,
  account_id      INTEGER NOT NULL REFERENCES provider_accounts(id),
  member_pk       INTEGER NOT NULL REFERENCES members(id),
  plan_type       TEXT NOT NULL CHECK (plan_type IN ('commercial','medicare','medical')),
  status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
                    ('draft','submitted','in_review','more_info','approved','partial','denied','withdrawn')),
  steps_done      TEXT NOT NULL DEFAULT '',  -- space-separated step keys completed
  urgency         TEXT NOT NULL DEFAULT '' CHECK (urgency IN ('','urgent','standard')),
  service_type    TEXT NOT NULL DEFAULT '',
  requesting_tin_id INTEGER REFERENCES tins(id),
  requesting_npi  TEXT NOT NULL DEFAULT '',
  requesting_name TEXT NOT NULL DEFAULT '',
  servicing_npi   TEXT NOT NULL DEFAULT '',
  servicing_name  TEXT NOT NULL DEFAULT '',
  clinical_note   TEXT NOT NULL DEFAULT '',
  created_by      INTEGER REFERENCES users(id),  -- NULL for requests imported from other systems
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  submitted_at    TEXT,
  due_at          TEXT,
  paused_at       TEXT,
  paused_seconds  INTEGER NOT NULL DEFAULT 0,
  extended        INTEGER NOT NULL DEFAULT 0,
  assignee_id     INTEGER REFERENCES users(id),
  decided_at      TEXT,
  decided_by      INTEGER REFERENCES users(id),
  reason_id       INTEGER REFERENCES authz_reasons(id),
  decision_note   TEXT NOT NULL DEFAULT '',
  decision_minutes INTEGER,   -- submission to decision, for the metrics
  decided_year    INTEGER,
  decided_quarter INTEGER,
  appeal_status   TEXT NOT NULL DEFAULT '' CHECK (appeal_status IN ('','overturned','upheld')),
  thread_id       INTEGER REFERENCES message_threads(id)
) STRICT;
CREATE INDEX authz_requests_account ON authz_requests(account_id, created_at);
CREATE INDEX authz_requests_account_status ON authz_requests(account_id, status, created_at);
CREATE INDEX authz_requests_member ON authz_requests(member_pk, created_at);
-- The reviewer queue: open requests by due time.
CREATE INDEX authz_requests_queue ON authz_requests(due_at) WHERE status IN ('submitted','in_review');
CREATE INDEX authz_requests_assignee ON authz_requests(assignee_id, due_at) WHERE status IN ('submitted','in_review');
CREATE INDEX authz_requests_waiting ON authz_requests(paused_at) WHERE status = 'more_info';
-- The public metrics: one covering index over decided requests.
CREATE INDEX authz_requests_metrics ON authz_requests(decided_year, plan_type, urgency, status, extended, appeal_status, service_type, decided_quarter, decision_minutes)
  WHERE decided_year IS NOT NULL;

CREATE TABLE authz_diagnoses (
  request_id INTEGER NOT NULL REFERENCES authz_requests(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  code       TEXT NOT NULL,           -- ICD-10-CM display form (E11.9)
  PRIMARY KEY (request_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE authz_lines (
  request_id     INTEGER NOT NULL REFERENCES authz_requests(id) ON DELETE CASCADE,
  line_no        INTEGER NOT NULL,
  code           TEXT NOT NULL,       -- CPT or HCPCS
  units          INTEGER NOT NULL CHECK (units > 0),
  from_date      TEXT NOT NULL,
  to_date        TEXT NOT NULL,
  approved_units INTEGER,             -- set by the decision
  PRIMARY KEY (request_id, line_no)
) STRICT, WITHOUT ROWID;

-- History: every status change and action, with who and when.
CREATE TABLE authz_events (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES authz_requests(id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  actor       TEXT NOT NULL,
  kind        TEXT NOT NULL,
  status      TEXT NOT NULL,          -- status after the event
  reason_id   INTEGER REFERENCES authz_reasons(id),
  note        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX authz_events_request ON authz_events(request_id, id);

-- Attachments: name and content AES-256-GCM under a data key per attachment, wrapped by
-- the master key of portico.key (as secure messages are).
CREATE TABLE authz_attachments (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES authz_requests(id) ON DELETE CASCADE,
  event_id    INTEGER REFERENCES authz_events(id),
  key_id      INTEGER NOT NULL,
  wrapped_key BLOB NOT NULL,
  name        BLOB NOT NULL,
  mime        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  data        BLOB NOT NULL,
  created_by  INTEGER REFERENCES users(id),
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX authz_attachments_request ON authz_attachments(request_id, id);

-- Smart Sheets filled in the portal for a request: which criteria the office checked.
CREATE TABLE authz_sheets (
  request_id  INTEGER NOT NULL REFERENCES authz_requests(id) ON DELETE CASCADE,
  sheet       TEXT NOT NULL,
  checked     TEXT NOT NULL DEFAULT '', -- space-separated criterion keys
  note        TEXT NOT NULL DEFAULT '',
  updated_by  INTEGER REFERENCES users(id),
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (request_id, sheet)
) STRICT, WITHOUT ROWID;
