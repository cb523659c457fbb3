-- Sign-in, two-factor and account management (SPEC §1–2).

-- A TOTP secret shown at enrolment but not yet confirmed with a first code, and the
-- last time an account manager, a plan admin or a password reset unlocked the user (the
-- 90-day inactivity rule counts from the later of it and the last sign-in).
ALTER TABLE users ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN unlocked_at TEXT;
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';

-- Who registered the account and how to reach them.
ALTER TABLE provider_accounts ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE provider_accounts ADD COLUMN npi TEXT NOT NULL DEFAULT '';

-- Single-use recovery codes (SHA-256 of the normalised code).
CREATE TABLE recovery_codes (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  code_hash  TEXT NOT NULL,
  created_at TEXT NOT NULL,
  used_at    TEXT
) STRICT;
CREATE INDEX recovery_codes_user ON recovery_codes(user_id, code_hash);

-- Single-use e-mailed links: password reset, invitation, first plan admin set-up.
-- Only the SHA-256 of the token is kept.
CREATE TABLE auth_tokens (
  token_hash TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('reset','invite','setup')),
  user_id    INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX auth_tokens_user ON auth_tokens(user_id, kind);

-- Registrations waiting for the e-mail link to be followed. Nothing is created in
-- provider_accounts or users until then.
CREATE TABLE pending_registrations (
  id             INTEGER PRIMARY KEY,
  token_hash     TEXT NOT NULL UNIQUE,
  provider_name  TEXT NOT NULL,
  provider_type  TEXT NOT NULL CHECK (provider_type IN ('clinic','ppg','hospital','ancillary')),
  npi            TEXT NOT NULL,
  tin            TEXT NOT NULL,
  contact_name   TEXT NOT NULL,
  phone          TEXT NOT NULL,
  email          TEXT NOT NULL COLLATE NOCASE,
  password_hash  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  expires_at     TEXT NOT NULL,
  used_at        TEXT
) STRICT;

-- A TIN an account asked for. It stays pending until a plan admin approves it or the
-- office proves a recent payment to it. tin_id is the TIN's row: a brand-new TIN gets
-- a pending row of the account's own; a TIN already in the plan's records keeps its row
-- (and its claims) where it is until the request is verified.
CREATE TABLE tin_requests (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES provider_accounts(id),
  tin_id      INTEGER NOT NULL REFERENCES tins(id),
  tin         TEXT NOT NULL,
  name        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','verified','rejected')),
  failed_checks INTEGER NOT NULL DEFAULT 0,
  verified_by TEXT NOT NULL DEFAULT '', -- 'payment' or the admin's e-mail
  created_at  TEXT NOT NULL,
  decided_at  TEXT
) STRICT;
CREATE INDEX tin_requests_account ON tin_requests(account_id, status);
CREATE INDEX tin_requests_status ON tin_requests(status, created_at);
CREATE INDEX tins_name ON tins(name);
CREATE INDEX users_name ON users(name);
