-- Health risk assessment answers (conditions, mood, falls, social needs) are sealed like
-- the visits' notes (0046): the table is listed for models.SealPendingNotes, which seals
-- its existing answers once at start. A draft not yet answered keeps '{}'.
INSERT INTO notes_to_seal(tbl) VALUES ('assessments');
