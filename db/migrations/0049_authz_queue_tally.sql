-- The reviewer queue's open count (issue 17). The queue's heading and its unfiltered
-- total show how many requests are open (submitted or in review, with a due time);
-- counting them at read time walked the whole queue index on every page (325 entries
-- at 100,000 members, ten times as many at 1,000,000). This table holds
-- the number of requests on the queue (queued = 1) and of the others (queued = 0), kept
-- by the triggers below in the writing transaction, as migration 0030 keeps the list
-- tallies; the demo fill drops and recounts it with them (trigger names end in _tally).
CREATE TABLE authz_queue_tallies (
  queued INTEGER NOT NULL PRIMARY KEY,
  n      INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO authz_queue_tallies(queued, n)
  SELECT status IN ('submitted','in_review') AND due_at IS NOT NULL, COUNT(*) FROM authz_requests
  GROUP BY status IN ('submitted','in_review') AND due_at IS NOT NULL;
CREATE TRIGGER authz_requests_insert_queue_tally AFTER INSERT ON authz_requests BEGIN
  INSERT INTO authz_queue_tallies(queued, n) VALUES (NEW.status IN ('submitted','in_review') AND NEW.due_at IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER authz_requests_delete_queue_tally AFTER DELETE ON authz_requests BEGIN
  UPDATE authz_queue_tallies SET n = n - 1 WHERE queued = (OLD.status IN ('submitted','in_review') AND OLD.due_at IS NOT NULL);
END;
CREATE TRIGGER authz_requests_update_queue_tally AFTER UPDATE OF status, due_at ON authz_requests
WHEN (OLD.status IN ('submitted','in_review') AND OLD.due_at IS NOT NULL) <> (NEW.status IN ('submitted','in_review') AND NEW.due_at IS NOT NULL) BEGIN
  UPDATE authz_queue_tallies SET n = n - 1 WHERE queued = (OLD.status IN ('submitted','in_review') AND OLD.due_at IS NOT NULL);
  INSERT INTO authz_queue_tallies(queued, n) VALUES (NEW.status IN ('submitted','in_review') AND NEW.due_at IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
