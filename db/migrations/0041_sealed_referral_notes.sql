-- Care management referrals' free text (the office's notes, the case manager's answer)
-- is sealed like the prior authorization notes (0040): the referrals table is listed for
-- models.SealPendingNotes, which seals its existing rows once at start.
INSERT INTO notes_to_seal(tbl) VALUES ('referrals');
