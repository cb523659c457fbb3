-- Security flags for plan admins (shown on /admin): for now, a user who reached the
-- ceiling of eligibility look-ups (possible harvesting of member data).
CREATE TABLE security_flags (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  account_id  INTEGER REFERENCES provider_accounts(id),
  detail      TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX security_flags_created ON security_flags(created_at);
CREATE INDEX security_flags_user ON security_flags(user_id, kind, created_at);
