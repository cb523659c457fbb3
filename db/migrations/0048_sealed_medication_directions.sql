-- A medication's directions are sealed like the visits' notes (0046): the table is listed
-- for models.SealPendingNotes, which seals its existing rows once at start.
INSERT INTO notes_to_seal(tbl) VALUES ('health_medications');
