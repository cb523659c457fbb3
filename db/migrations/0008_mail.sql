-- Mail an operator can see and act on (issue 18). The outbox gains:
--   kind       what the mail is: 'reset' (a password or envelope reset link, shown to
--              plan admins only), 'security' (a security notice), 'notice' (anything else);
--   expires_at when the link in the mail stops working: a mail still queued then is not
--              sent (status 'expired') and the user is told to ask again;
--   status     'held' for the demo data set's seeded mail (never delivered) and
--              'expired' for links that waited longer than their lifetime.
-- STRICT tables cannot change a CHECK in place, so the table is rebuilt.
CREATE TABLE outbox_new (
  id              INTEGER PRIMARY KEY,
  to_addr         TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  kind            TEXT NOT NULL DEFAULT 'notice',
  status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','failed','held','expired')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  expires_at      TEXT,
  created_at      TEXT NOT NULL,
  sent_at         TEXT
) STRICT;

INSERT INTO outbox_new(id, to_addr, subject, body, kind, status, attempts, next_attempt_at, last_error, created_at, sent_at)
SELECT id, to_addr, subject, body,
       CASE WHEN subject IN ('Reset your Portico password', 'A new link to your secure messages') THEN 'reset' ELSE 'notice' END,
       status, attempts, next_attempt_at, last_error, created_at, sent_at
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

-- Delivery: queued mail by due time.
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
-- The outbox page: newest first, optionally by status.
CREATE INDEX outbox_status ON outbox(status, id);
-- The outbox page and the demo sign-in help by recipient.
CREATE INDEX outbox_to ON outbox(to_addr COLLATE NOCASE, id);
