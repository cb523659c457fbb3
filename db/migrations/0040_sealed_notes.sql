-- Free-text notes of prior authorization (the clinical summary, the reviewer's
-- explanation, the history lines, Smart Sheet notes) are sealed with AES-256-GCM under a
-- key derived from portico.key (models/note_seal.go). SQL cannot reach the key file, so
-- this migration only lists the tables whose existing rows are still plain text; at start,
-- after the key file is open, models.SealPendingNotes seals each table's notes and removes
-- its line in one transaction.
CREATE TABLE notes_to_seal (
  tbl TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;
INSERT INTO notes_to_seal(tbl) VALUES ('authz_requests'), ('authz_events'), ('authz_sheets');
