-- Tallies of the list pages (issue 17). The claims list, the authorizations list and
-- Patients show a total with the pager; counting it at read time walked every index
-- entry of the account's claims, requests or panel (53,165 claims of one office at
-- 1,000,000 members) on every page. These tables hold the same counts, kept by the
-- triggers below in the writing transaction, so a total is a sum over a few rows.
-- The demo fill drops the triggers (names ending in _tally) while it loads and
-- recounts the tables at the end (db/demo: recountTallies); tests compare every tally
-- with a plain COUNT after inserts, updates, deletes, the fill and the reset.

-- Claims by TIN, plan type and status.
CREATE TABLE claim_tallies (
  tin_id    INTEGER NOT NULL,
  plan_type TEXT NOT NULL,
  status    TEXT NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (tin_id, plan_type, status)
) WITHOUT ROWID;
INSERT INTO claim_tallies(tin_id, plan_type, status, n)
  SELECT tin_id, plan_type, status, COUNT(*) FROM claims GROUP BY tin_id, plan_type, status;
CREATE TRIGGER claims_insert_tally AFTER INSERT ON claims BEGIN
  INSERT INTO claim_tallies(tin_id, plan_type, status, n) VALUES (NEW.tin_id, NEW.plan_type, NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER claims_delete_tally AFTER DELETE ON claims BEGIN
  UPDATE claim_tallies SET n = n - 1 WHERE tin_id = OLD.tin_id AND plan_type = OLD.plan_type AND status = OLD.status;
END;
CREATE TRIGGER claims_update_tally AFTER UPDATE OF tin_id, plan_type, status ON claims
WHEN OLD.tin_id IS NOT NEW.tin_id OR OLD.plan_type IS NOT NEW.plan_type OR OLD.status IS NOT NEW.status BEGIN
  UPDATE claim_tallies SET n = n - 1 WHERE tin_id = OLD.tin_id AND plan_type = OLD.plan_type AND status = OLD.status;
  INSERT INTO claim_tallies(tin_id, plan_type, status, n) VALUES (NEW.tin_id, NEW.plan_type, NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Authorization requests by account and status.
CREATE TABLE authz_tallies (
  account_id INTEGER NOT NULL,
  status     TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (account_id, status)
) WITHOUT ROWID;
INSERT INTO authz_tallies(account_id, status, n)
  SELECT account_id, status, COUNT(*) FROM authz_requests GROUP BY account_id, status;
CREATE TRIGGER authz_requests_insert_tally AFTER INSERT ON authz_requests BEGIN
  INSERT INTO authz_tallies(account_id, status, n) VALUES (NEW.account_id, NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER authz_requests_delete_tally AFTER DELETE ON authz_requests BEGIN
  UPDATE authz_tallies SET n = n - 1 WHERE account_id = OLD.account_id AND status = OLD.status;
END;
CREATE TRIGGER authz_requests_update_tally AFTER UPDATE OF account_id, status ON authz_requests
WHEN OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status BEGIN
  UPDATE authz_tallies SET n = n - 1 WHERE account_id = OLD.account_id AND status = OLD.status;
  INSERT INTO authz_tallies(account_id, status, n) VALUES (NEW.account_id, NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Members by PCP TIN, PPG TIN (0 for none) and plan type: a panel's size is the sum of
-- the rows whose PCP or PPG TIN is one of the account's, each member counted once.
CREATE TABLE panel_tallies (
  pcp_tin_id INTEGER NOT NULL,
  ppg_tin_id INTEGER NOT NULL,
  plan_type  TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (pcp_tin_id, plan_type, ppg_tin_id)
) WITHOUT ROWID;
CREATE INDEX panel_tallies_ppg ON panel_tallies(ppg_tin_id, plan_type);
INSERT INTO panel_tallies(pcp_tin_id, ppg_tin_id, plan_type, n)
  SELECT COALESCE(pcp_tin_id, 0), COALESCE(ppg_tin_id, 0), plan_type, COUNT(*) FROM members
  GROUP BY COALESCE(pcp_tin_id, 0), COALESCE(ppg_tin_id, 0), plan_type;
CREATE TRIGGER members_insert_tally AFTER INSERT ON members BEGIN
  INSERT INTO panel_tallies(pcp_tin_id, ppg_tin_id, plan_type, n) VALUES (COALESCE(NEW.pcp_tin_id, 0), COALESCE(NEW.ppg_tin_id, 0), NEW.plan_type, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER members_delete_tally AFTER DELETE ON members BEGIN
  UPDATE panel_tallies SET n = n - 1
    WHERE pcp_tin_id = COALESCE(OLD.pcp_tin_id, 0) AND ppg_tin_id = COALESCE(OLD.ppg_tin_id, 0) AND plan_type = OLD.plan_type;
END;
CREATE TRIGGER members_update_tally AFTER UPDATE OF pcp_tin_id, ppg_tin_id, plan_type ON members
WHEN OLD.pcp_tin_id IS NOT NEW.pcp_tin_id OR OLD.ppg_tin_id IS NOT NEW.ppg_tin_id OR OLD.plan_type IS NOT NEW.plan_type BEGIN
  UPDATE panel_tallies SET n = n - 1
    WHERE pcp_tin_id = COALESCE(OLD.pcp_tin_id, 0) AND ppg_tin_id = COALESCE(OLD.ppg_tin_id, 0) AND plan_type = OLD.plan_type;
  INSERT INTO panel_tallies(pcp_tin_id, ppg_tin_id, plan_type, n) VALUES (COALESCE(NEW.pcp_tin_id, 0), COALESCE(NEW.ppg_tin_id, 0), NEW.plan_type, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
