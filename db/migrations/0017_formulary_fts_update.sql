-- The drug list search index follows updates of a drug entry as well as inserts and
-- deletes (0013 kept it in step with inserts and deletes only).
CREATE TRIGGER formulary_drugs_au AFTER UPDATE ON formulary_drugs BEGIN
  INSERT INTO formulary_fts(formulary_fts, rowid, generic_name, brand_name, drug_class) VALUES ('delete', old.id, old.generic_name, old.brand_name, old.drug_class);
  INSERT INTO formulary_fts(rowid, generic_name, brand_name, drug_class) VALUES (new.id, new.generic_name, new.brand_name, new.drug_class);
END;
