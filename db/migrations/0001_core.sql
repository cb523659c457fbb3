-- Core schema: settings, audit, provider accounts and users, sessions, outbox,
-- plans and benefits, members, claims and payments.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Append-only audit log; each entry carries the hash of the one before it.
CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  user_id      INTEGER,
  actor        TEXT NOT NULL,          -- e-mail or 'system'
  account_id   INTEGER,
  action       TEXT NOT NULL,
  object_type  TEXT NOT NULL DEFAULT '',
  object_id    TEXT NOT NULL DEFAULT '',
  member_id    TEXT NOT NULL DEFAULT '', -- public member ID, for accounting of access
  ip           TEXT NOT NULL DEFAULT '',
  detail       TEXT NOT NULL DEFAULT '', -- never health information
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE INDEX audit_log_account ON audit_log(account_id, id);
CREATE INDEX audit_log_member ON audit_log(member_id, id) WHERE member_id <> '';
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- A provider account: a clinic, a PPG, a hospital or an ancillary provider.
CREATE TABLE provider_accounts (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL CHECK (type IN ('clinic','ppg','hospital','ancillary')),
  capitated   INTEGER NOT NULL DEFAULT 0,
  phone       TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','pending','disabled')),
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE tins (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES provider_accounts(id),
  tin         TEXT NOT NULL UNIQUE,    -- nine digits, no dash
  name        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','verified','rejected')),
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX tins_account ON tins(account_id);

CREATE TABLE npis (
  id      INTEGER PRIMARY KEY,
  tin_id  INTEGER NOT NULL REFERENCES tins(id),
  npi     TEXT NOT NULL,
  name    TEXT NOT NULL,
  UNIQUE (tin_id, npi)
) STRICT;

-- Users: provider office users (account_id set) and plan staff (account_id NULL).
CREATE TABLE users (
  id                  INTEGER PRIMARY KEY,
  account_id          INTEGER REFERENCES provider_accounts(id),
  email               TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name                TEXT NOT NULL,
  password_hash       TEXT NOT NULL DEFAULT '',
  totp_secret         TEXT NOT NULL DEFAULT '',
  totp_last_step      INTEGER NOT NULL DEFAULT 0,
  is_manager          INTEGER NOT NULL DEFAULT 0,
  permissions         TEXT NOT NULL DEFAULT 'eligibility', -- space-separated
  roles               TEXT NOT NULL DEFAULT '',            -- plan staff roles, space-separated
  department          TEXT NOT NULL DEFAULT '',
  status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled','locked','invited')),
  locked_reason       TEXT NOT NULL DEFAULT '',
  failed_logins       INTEGER NOT NULL DEFAULT 0,
  email_verified_at   TEXT,
  last_login_at       TEXT,
  password_changed_at TEXT,
  created_at          TEXT NOT NULL
) STRICT;
CREATE INDEX users_account ON users(account_id);

-- Server-side sessions; the cookie holds a random token whose SHA-256 is the key.
CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      INTEGER REFERENCES users(id),
  csrf         TEXT NOT NULL,
  stage        TEXT NOT NULL DEFAULT 'anon', -- anon | mfa | enrol | full
  tin_id       INTEGER,
  plan_type    TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Outgoing e-mail. Bodies never hold health information.
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY,
  to_addr      TEXT NOT NULL,
  subject      TEXT NOT NULL,
  body         TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error   TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  sent_at      TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Health plans and their benefit schedules.
CREATE TABLE plans (
  id             INTEGER PRIMARY KEY,
  code           TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  plan_type      TEXT NOT NULL CHECK (plan_type IN ('commercial','medicare','medical')),
  product        TEXT NOT NULL, -- ifp, group, medsupp, medicare, dsnp, medi-cal
  network        TEXT NOT NULL DEFAULT 'HMO',
  deductible_ind INTEGER NOT NULL DEFAULT 0, -- cents
  deductible_fam INTEGER NOT NULL DEFAULT 0,
  oop_ind        INTEGER NOT NULL DEFAULT 0,
  oop_fam        INTEGER NOT NULL DEFAULT 0,
  copay_pcp      INTEGER NOT NULL DEFAULT 0,
  copay_spec     INTEGER NOT NULL DEFAULT 0,
  copay_urgent   INTEGER NOT NULL DEFAULT 0,
  copay_er       INTEGER NOT NULL DEFAULT 0,
  copay_rx       INTEGER NOT NULL DEFAULT 0,
  coinsurance_pct INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE benefits (
  id            INTEGER PRIMARY KEY,
  plan_id       INTEGER NOT NULL REFERENCES plans(id),
  category      TEXT NOT NULL,
  service       TEXT NOT NULL,
  in_network    TEXT NOT NULL,
  out_network   TEXT NOT NULL,
  auth_required INTEGER NOT NULL DEFAULT 0,
  sort          INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX benefits_plan ON benefits(plan_id, sort);

-- Members. member_id is the public ID (alpha prefix + digits, upper case);
-- last_name_key is the last name folded for matching (lower case, no accents, no suffix).
CREATE TABLE members (
  id             INTEGER PRIMARY KEY,
  member_id      TEXT NOT NULL UNIQUE,
  first_name     TEXT NOT NULL,
  last_name      TEXT NOT NULL,
  suffix         TEXT NOT NULL DEFAULT '',
  last_name_key  TEXT NOT NULL,
  dob            TEXT NOT NULL,
  sex            TEXT NOT NULL DEFAULT '',
  address        TEXT NOT NULL DEFAULT '',
  city           TEXT NOT NULL DEFAULT '',
  zip            TEXT NOT NULL DEFAULT '',
  phone          TEXT NOT NULL DEFAULT '',
  plan_id        INTEGER NOT NULL REFERENCES plans(id),
  plan_type      TEXT NOT NULL,
  subscriber_id  INTEGER REFERENCES members(id),
  relationship   TEXT NOT NULL DEFAULT 'self',
  effective_date TEXT NOT NULL,
  end_date       TEXT NOT NULL DEFAULT '',
  pcp_tin_id     INTEGER REFERENCES tins(id),
  pcp_npi        TEXT NOT NULL DEFAULT '',
  pcp_name       TEXT NOT NULL DEFAULT '',
  ppg_tin_id     INTEGER REFERENCES tins(id)
) STRICT;
CREATE INDEX members_name_dob ON members(last_name_key, dob);
CREATE INDEX members_pcp ON members(pcp_tin_id, plan_type, last_name_key);
CREATE INDEX members_ppg ON members(ppg_tin_id, plan_type, last_name_key);
CREATE INDEX members_subscriber ON members(subscriber_id);

-- Coverage spans: a member's enrolment history, one row per span.
CREATE TABLE coverages (
  id             INTEGER PRIMARY KEY,
  member_pk      INTEGER NOT NULL REFERENCES members(id),
  plan_id        INTEGER NOT NULL REFERENCES plans(id),
  effective_date TEXT NOT NULL,
  end_date       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX coverages_member ON coverages(member_pk);

-- Payments: checks (or EFT) to a TIN.
CREATE TABLE payments (
  id           INTEGER PRIMARY KEY,
  tin_id       INTEGER NOT NULL REFERENCES tins(id),
  check_no     TEXT NOT NULL UNIQUE,
  check_date   TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  address      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX payments_tin_date ON payments(tin_id, check_date);

CREATE TABLE claims (
  id                 INTEGER PRIMARY KEY,
  claim_no           TEXT NOT NULL UNIQUE,
  member_pk          INTEGER NOT NULL REFERENCES members(id),
  tin_id             INTEGER NOT NULL REFERENCES tins(id),
  npi                TEXT NOT NULL DEFAULT '',
  plan_type          TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('received','in_process','pending_info','paid','denied','adjusted')),
  received_date      TEXT NOT NULL,
  service_from       TEXT NOT NULL,
  service_to         TEXT NOT NULL,
  diagnosis          TEXT NOT NULL DEFAULT '', -- ICD-10-CM codes, space-separated
  billed_cents       INTEGER NOT NULL DEFAULT 0,
  allowed_cents      INTEGER NOT NULL DEFAULT 0,
  paid_cents         INTEGER NOT NULL DEFAULT 0,
  member_resp_cents  INTEGER NOT NULL DEFAULT 0,
  deductible_cents   INTEGER NOT NULL DEFAULT 0,
  payment_id         INTEGER REFERENCES payments(id),
  sensitive_category TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX claims_tin_received ON claims(tin_id, received_date);
CREATE INDEX claims_member_service ON claims(member_pk, service_from);
CREATE INDEX claims_payment ON claims(payment_id);

CREATE TABLE claim_lines (
  id                INTEGER PRIMARY KEY,
  claim_id          INTEGER NOT NULL REFERENCES claims(id),
  line_no           INTEGER NOT NULL,
  service_date      TEXT NOT NULL,
  code              TEXT NOT NULL,  -- CPT/HCPCS
  modifier          TEXT NOT NULL DEFAULT '',
  description       TEXT NOT NULL DEFAULT '',
  units             INTEGER NOT NULL DEFAULT 1,
  billed_cents      INTEGER NOT NULL DEFAULT 0,
  allowed_cents     INTEGER NOT NULL DEFAULT 0,
  paid_cents        INTEGER NOT NULL DEFAULT 0,
  member_resp_cents INTEGER NOT NULL DEFAULT 0,
  adjustment_reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX claim_lines_claim ON claim_lines(claim_id, line_no);

-- Plan notices on the home page and dashboard.
CREATE TABLE notices (
  id         INTEGER PRIMARY KEY,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL,
  plan_type  TEXT NOT NULL DEFAULT '', -- '' = all
  posted_on  TEXT NOT NULL,
  public     INTEGER NOT NULL DEFAULT 1
) STRICT;
