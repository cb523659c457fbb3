-- Eligibility and the member record (SPEC §3–4): Go Paperless enrolment, the running
-- list of the Eligibility Check page, pharmacy drug lists, and the indexes these pages need.

-- Go Paperless (EFT/ERA and paperless correspondence), one row per provider account.
-- Bank routing and account numbers are AES-256-GCM ciphertext (models/paperless.go);
-- only the last four digits of the account number are kept in the clear, for the mask.
CREATE TABLE paperless_enrolments (
  account_id        INTEGER PRIMARY KEY REFERENCES provider_accounts(id),
  eft               INTEGER NOT NULL DEFAULT 0,
  era               INTEGER NOT NULL DEFAULT 0,
  correspondence    INTEGER NOT NULL DEFAULT 0,
  bank_routing_enc  BLOB,
  bank_account_enc  BLOB,
  bank_account_last4 TEXT NOT NULL DEFAULT '',
  account_type      TEXT NOT NULL DEFAULT '' CHECK (account_type IN ('','checking','savings')),
  updated_at        TEXT NOT NULL,
  updated_by        INTEGER REFERENCES users(id)
) STRICT;

-- The Eligibility Check page's running list: one row per check made in a session. It
-- lives as long as the session (ON DELETE CASCADE).
CREATE TABLE eligibility_checks (
  id          INTEGER PRIMARY KEY,
  session     TEXT NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
  member_pk   INTEGER REFERENCES members(id),
  outcome     TEXT NOT NULL,              -- found | not_found_id | not_found_name | need_first_name
  query_label TEXT NOT NULL DEFAULT '',   -- what was typed, for the not-found rows
  checked_at  TEXT NOT NULL
) STRICT;
CREATE INDEX eligibility_checks_session ON eligibility_checks(session, id);
CREATE INDEX eligibility_checks_member ON eligibility_checks(session, member_pk);

-- Preferred drug lists (PDL) per plan type, and the Medi-Cal Rx contract drug list (CDL).
CREATE TABLE drug_lists (
  id            INTEGER PRIMARY KEY,
  list          TEXT NOT NULL CHECK (list IN ('commercial','medicare','medi-cal-cdl')),
  drug          TEXT NOT NULL,
  form          TEXT NOT NULL DEFAULT '',
  tier          TEXT NOT NULL DEFAULT '',
  prior_auth    INTEGER NOT NULL DEFAULT 0,
  step_therapy  INTEGER NOT NULL DEFAULT 0,
  quantity_limit TEXT NOT NULL DEFAULT '',
  effective_on  TEXT NOT NULL
) STRICT;
CREATE INDEX drug_lists_list ON drug_lists(list, drug);

INSERT INTO drug_lists(list, drug, form, tier, prior_auth, step_therapy, quantity_limit, effective_on) VALUES
  ('commercial','atorvastatin','tablet 10–80 mg','1 Preferred generic',0,0,'','2026-01-01'),
  ('commercial','lisinopril','tablet 2.5–40 mg','1 Preferred generic',0,0,'','2026-01-01'),
  ('commercial','metformin','tablet 500–1000 mg','1 Preferred generic',0,0,'','2026-01-01'),
  ('commercial','amlodipine','tablet 2.5–10 mg','1 Preferred generic',0,0,'','2026-01-01'),
  ('commercial','sertraline','tablet 25–100 mg','1 Preferred generic',0,0,'','2026-01-01'),
  ('commercial','albuterol HFA','inhaler 90 mcg','2 Preferred brand',0,0,'2 inhalers / 30 days','2026-01-01'),
  ('commercial','Eliquis (apixaban)','tablet 2.5–5 mg','2 Preferred brand',0,0,'','2026-01-01'),
  ('commercial','Jardiance (empagliflozin)','tablet 10–25 mg','3 Non-preferred brand',0,1,'','2026-01-01'),
  ('commercial','Ozempic (semaglutide)','pen injector','3 Non-preferred brand',1,1,'4 pens / 28 days','2026-01-01'),
  ('commercial','Humira (adalimumab)','pen injector','4 Specialty',1,0,'2 pens / 28 days','2026-01-01'),
  ('medicare','atorvastatin','tablet 10–80 mg','1 Preferred generic',0,0,'','2026-01-01'),
  ('medicare','lisinopril','tablet 2.5–40 mg','1 Preferred generic',0,0,'','2026-01-01'),
  ('medicare','metformin','tablet 500–1000 mg','1 Preferred generic',0,0,'','2026-01-01'),
  ('medicare','losartan','tablet 25–100 mg','1 Preferred generic',0,0,'','2026-01-01'),
  ('medicare','donepezil','tablet 5–10 mg','2 Generic',0,0,'','2026-01-01'),
  ('medicare','Eliquis (apixaban)','tablet 2.5–5 mg','3 Preferred brand',0,0,'','2026-01-01'),
  ('medicare','Trelegy Ellipta','inhaler','3 Preferred brand',0,0,'1 inhaler / 30 days','2026-01-01'),
  ('medicare','Januvia (sitagliptin)','tablet 25–100 mg','3 Preferred brand',0,1,'','2026-01-01'),
  ('medicare','Prolia (denosumab)','injection 60 mg','5 Specialty',1,0,'1 syringe / 6 months','2026-01-01'),
  ('medi-cal-cdl','acetaminophen','tablet 325–500 mg','',0,0,'','2026-11-01'),
  ('medi-cal-cdl','amoxicillin','capsule 250–500 mg','',0,0,'','2026-11-01'),
  ('medi-cal-cdl','atorvastatin','tablet 10–80 mg','',0,0,'','2026-11-01'),
  ('medi-cal-cdl','buprenorphine-naloxone','film 2–8 mg','',0,0,'','2026-11-01'),
  ('medi-cal-cdl','insulin glargine','pen injector','',0,0,'','2026-11-01'),
  ('medi-cal-cdl','levothyroxine','tablet 25–200 mcg','',0,0,'','2026-11-01'),
  ('medi-cal-cdl','lisinopril','tablet 2.5–40 mg','',0,0,'','2026-11-01'),
  ('medi-cal-cdl','metformin','tablet 500–1000 mg','',0,0,'','2026-11-01'),
  ('medi-cal-cdl','montelukast','tablet 4–10 mg','',0,0,'','2026-11-01'),
  ('medi-cal-cdl','Ozempic (semaglutide)','pen injector','',1,0,'4 pens / 28 days','2026-11-01');

-- The dashboard's action-required count: claims pending information per TIN.
CREATE INDEX claims_tin_status ON claims(tin_id, status);
