-- Care plans' free text (the title, the case manager's narrative, the text of problems,
-- goals and interventions, the history lines that name them) is sealed like the referral
-- notes (0041): the tables are listed for models.SealPendingNotes, which seals their
-- existing rows once at start.
INSERT INTO notes_to_seal(tbl) VALUES ('care_plans'), ('care_plan_items'), ('care_plan_history');
