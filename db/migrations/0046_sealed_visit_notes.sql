-- A visit's reason and note (why the member was seen, what was found) are sealed like
-- the care plans' text (0045): the table is listed for models.SealPendingNotes, which
-- seals its existing rows once at start.
INSERT INTO notes_to_seal(tbl) VALUES ('health_visits');
