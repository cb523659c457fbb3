-- The sign-in epoch (issue 17). Every signed-in request needs its session and user;
-- the server keeps the ones it has read in memory and reuses them only while this
-- value is the one it read them under. Any change to a session, a user or a provider
-- account gives it a new random value (never an earlier one, which a restored backup
-- could otherwise bring back), so a sign-out, a lock, a role or permission change or a
-- closed account takes effect on the very next request, as it did when every request
-- read the rows. A new session changes it too, so that restoring a snapshot (the demo's
-- reset) can never bring back an epoch under which rows it lacks were kept.
CREATE TABLE auth_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
) STRICT;
INSERT INTO auth_epoch(id, n) VALUES (1, random());
CREATE TRIGGER sessions_insert_epoch AFTER INSERT ON sessions BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER sessions_update_epoch AFTER UPDATE ON sessions BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER sessions_delete_epoch AFTER DELETE ON sessions BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER users_insert_epoch AFTER INSERT ON users BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER users_update_epoch AFTER UPDATE ON users BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER users_delete_epoch AFTER DELETE ON users BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER accounts_insert_epoch AFTER INSERT ON provider_accounts BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER accounts_update_epoch AFTER UPDATE ON provider_accounts BEGIN UPDATE auth_epoch SET n = random(); END;
CREATE TRIGGER accounts_delete_epoch AFTER DELETE ON provider_accounts BEGIN UPDATE auth_epoch SET n = random(); END;
