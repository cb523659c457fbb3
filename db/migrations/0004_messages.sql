-- Secure messaging (SPEC §9): threads, encrypted messages and attachments, per-user
-- read and archive state, read receipts, registered-envelope credentials for outside
-- partners, and flags of repeated attempts to address someone outside the plan.

-- A thread: a series of at most 12 messages between a provider office (or an outside
-- partner, kind 'envelope') and plan staff. The subject lives encrypted on its messages.
CREATE TABLE message_threads (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL DEFAULT 'portal' CHECK (kind IN ('portal','envelope')),
  account_id      INTEGER REFERENCES provider_accounts(id), -- the office side; NULL for envelopes
  department      TEXT NOT NULL DEFAULT '' CHECK (department IN ('','provider_services','medical_management','claims')),
  plan_type       TEXT NOT NULL DEFAULT '',
  assignee_id     INTEGER REFERENCES users(id),
  created_by      INTEGER REFERENCES users(id),
  member_id       TEXT NOT NULL DEFAULT '', -- optional member reference (public member ID)
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
  resolved_by     INTEGER REFERENCES users(id),
  resolved_at     TEXT,
  message_count   INTEGER NOT NULL DEFAULT 0,
  prev_thread_id  INTEGER REFERENCES message_threads(id),
  next_thread_id  INTEGER REFERENCES message_threads(id),
  partner_email   TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL,
  last_message_at TEXT NOT NULL
) STRICT;
CREATE INDEX message_threads_account ON message_threads(account_id, last_message_at);
CREATE INDEX message_threads_department ON message_threads(department, last_message_at);
CREATE INDEX message_threads_assignee ON message_threads(assignee_id, last_message_at);
CREATE INDEX message_threads_created_by ON message_threads(created_by);
CREATE INDEX message_threads_last ON message_threads(last_message_at);

-- A message. subject and body are AES-256-GCM ciphertexts under the message's own data
-- key; wrapped_key is that data key wrapped by master key key_id of portico.key.
CREATE TABLE messages (
  id             INTEGER PRIMARY KEY,
  thread_id      INTEGER NOT NULL REFERENCES message_threads(id),
  seq            INTEGER NOT NULL,
  sender_id      INTEGER REFERENCES users(id), -- NULL when an outside partner wrote it
  sender_label   TEXT NOT NULL,                -- name shown: a user's name or the partner's user name
  key_id         INTEGER NOT NULL,
  wrapped_key    BLOB NOT NULL,
  subject        BLOB NOT NULL,
  body           BLOB NOT NULL,
  created_at     TEXT NOT NULL,
  UNIQUE (thread_id, seq)
) STRICT;
CREATE INDEX messages_key ON messages(key_id);

-- Attachments: name and content encrypted under the message's data key.
CREATE TABLE message_attachments (
  id          INTEGER PRIMARY KEY,
  message_id  INTEGER NOT NULL REFERENCES messages(id),
  name        BLOB NOT NULL,
  mime        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  data        BLOB NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX message_attachments_message ON message_attachments(message_id);

-- Per-user state of a thread: how far they have read, whether they archived it
-- (archive is per user; nothing is ever deleted by a user), whether they took part.
CREATE TABLE message_thread_users (
  thread_id     INTEGER NOT NULL REFERENCES message_threads(id),
  user_id       INTEGER NOT NULL REFERENCES users(id),
  last_read_seq INTEGER NOT NULL DEFAULT 0,
  archived      INTEGER NOT NULL DEFAULT 0,
  participant   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (thread_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX message_thread_users_user ON message_thread_users(user_id, thread_id);

-- Read receipts: who read which message when (a user, or an envelope partner).
CREATE TABLE message_reads (
  message_id  INTEGER NOT NULL REFERENCES messages(id),
  reader      TEXT NOT NULL, -- e-mail of a user, or the partner's user name
  user_id     INTEGER REFERENCES users(id),
  read_at     TEXT NOT NULL,
  PRIMARY KEY (message_id, reader)
) STRICT, WITHOUT ROWID;

-- Registered envelope: the per-thread credential of an outside partner.
CREATE TABLE envelope_credentials (
  id              INTEGER PRIMARY KEY,
  thread_id       INTEGER NOT NULL UNIQUE REFERENCES message_threads(id),
  username        TEXT NOT NULL UNIQUE,
  email           TEXT NOT NULL,
  link_hash       TEXT NOT NULL UNIQUE, -- SHA-256 of the token in the e-mailed link
  link_salt       TEXT NOT NULL,        -- the token is an HMAC of this salt under master key link_key_id
  link_key_id     INTEGER NOT NULL,
  password_hash   TEXT NOT NULL DEFAULT '',
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_at       TEXT,
  expires_at      TEXT NOT NULL,
  created_at      TEXT NOT NULL
) STRICT;

-- Partner sessions, separate from portal sessions; bound to one credential.
CREATE TABLE envelope_sessions (
  token_hash     TEXT PRIMARY KEY,
  credential_id  INTEGER NOT NULL REFERENCES envelope_credentials(id),
  expires_at     TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Repeated attempts by an office user to address someone outside the plan, for plan admins.
CREATE TABLE message_flags (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  account_id  INTEGER REFERENCES provider_accounts(id),
  attempts    INTEGER NOT NULL,
  detail      TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX message_flags_created ON message_flags(created_at);
