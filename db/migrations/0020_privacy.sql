-- Privacy of sensitive services (SPEC §8): the sensitive-service category of the records
-- that did not carry one yet, corrections of categories by the privacy officer,
-- confidential-communication requests and emergency ("break the glass") accesses.
-- Categories: '' (none), mental_health, reproductive, sti, substance_use,
-- gender_affirming, ipv (models.SensitiveCategories). Claims and visits had the column
-- since 0001/0011.

ALTER TABLE claim_lines ADD COLUMN sensitive_category TEXT NOT NULL DEFAULT '';
ALTER TABLE authz_requests ADD COLUMN sensitive_category TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN sensitive_category TEXT NOT NULL DEFAULT '';
ALTER TABLE care_plans ADD COLUMN sensitive_category TEXT NOT NULL DEFAULT '';
-- set when the privacy officer corrected the derived category: derivation leaves it alone
ALTER TABLE claims ADD COLUMN sensitive_corrected INTEGER NOT NULL DEFAULT 0;

-- Corrections of a record's category by plan staff with role privacy, with the reason;
-- every correction is listed in the privacy officer's review queue until reviewed.
CREATE TABLE sensitive_corrections (
  id           INTEGER PRIMARY KEY,
  object_type  TEXT NOT NULL CHECK (object_type IN ('claim','visit','authorization','referral','care_plan')),
  object_id    INTEGER NOT NULL,
  member_pk    INTEGER NOT NULL REFERENCES members(id),
  old_category TEXT NOT NULL,
  new_category TEXT NOT NULL,
  reason       TEXT NOT NULL,
  user_id      INTEGER REFERENCES users(id),
  actor        TEXT NOT NULL,
  at           TEXT NOT NULL,
  reviewed_at  TEXT,
  reviewed_by  INTEGER REFERENCES users(id)
) STRICT;
CREATE INDEX sensitive_corrections_object ON sensitive_corrections(object_type, object_id, id);
CREATE INDEX sensitive_corrections_open ON sensitive_corrections(id) WHERE reviewed_at IS NULL;

-- Confidential-communication requests. due_on is received_on + 7 (electronic, phone) or
-- + 14 (mail) calendar days; status open until completed (answered and in effect) or
-- ended. A completed request protects the member's sensitive services (scope
-- 'sensitive') or everything (scope 'all').
CREATE TABLE confidential_requests (
  id            INTEGER PRIMARY KEY,
  member_pk     INTEGER NOT NULL REFERENCES members(id),
  channel       TEXT NOT NULL CHECK (channel IN ('electronic','phone','mail')),
  received_on   TEXT NOT NULL,
  due_on        TEXT NOT NULL,
  scope         TEXT NOT NULL CHECK (scope IN ('all','sensitive')),
  address       TEXT NOT NULL DEFAULT '',
  email         TEXT NOT NULL DEFAULT '',
  phone         TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','completed','ended')),
  completed_on  TEXT NOT NULL DEFAULT '',
  ended_on      TEXT NOT NULL DEFAULT '',
  created_by    INTEGER REFERENCES users(id),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX confidential_requests_member ON confidential_requests(member_pk, status);
CREATE INDEX confidential_requests_queue ON confidential_requests(status, due_on);

-- Emergency access to a member's record outside the user's normal scope.
CREATE TABLE emergency_access (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  member_pk    INTEGER NOT NULL REFERENCES members(id),
  reason       TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  reviewed_at  TEXT,
  reviewed_by  INTEGER REFERENCES users(id)
) STRICT;
CREATE INDEX emergency_access_user ON emergency_access(user_id, member_pk, expires_at);
CREATE INDEX emergency_access_open ON emergency_access(id) WHERE reviewed_at IS NULL;

-- Derivation as records are written: sensitive_category(diagnoses, procedures) is the
-- Go function models.DeriveSensitive over the code-range table models.SensitiveRanges,
-- registered with the SQLite driver. A category already set (by the writer, or by a
-- correction) is kept. Calling into Go costs ~15 µs a row, too much for the
-- million-member demo fill, so each trigger first asks a cheap SQL pre-filter that
-- passes every code the table could match (diagnoses by their first characters,
-- procedures by their first three; models.TestSQLPrefilterCoversTheTable keeps the two
-- in step) and calls the function only for those.
CREATE TRIGGER claims_sensitive AFTER INSERT ON claims
WHEN NEW.sensitive_category = '' AND ((' ' || upper(NEW.diagnosis)) GLOB '* [FO]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* A[56]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* B2*' OR (' ' || upper(NEW.diagnosis)) GLOB '* T[47]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* Y0*' OR (' ' || upper(NEW.diagnosis)) GLOB '* N[49]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* Z[1236789]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* R4*') AND sensitive_category(NEW.diagnosis, '') <> ''
BEGIN
  UPDATE claims SET sensitive_category = sensitive_category(NEW.diagnosis, '') WHERE id = NEW.id;
END;
CREATE TRIGGER claim_lines_sensitive AFTER INSERT ON claim_lines
WHEN NEW.sensitive_category = '' AND upper(substr(NEW.code, 1, 3)) IN ('559','994','H00','G20','J05','865','867','873','874','875','876','119','583','586','590','591','592','593','594','595','596','597','598','810','847','J72','J73','907','908','961','H20') AND sensitive_category('', NEW.code) <> ''
BEGIN
  UPDATE claim_lines SET sensitive_category = sensitive_category('', NEW.code) WHERE id = NEW.id;
  UPDATE claims SET sensitive_category = sensitive_category('', NEW.code) WHERE id = NEW.claim_id AND sensitive_category = '';
END;
CREATE TRIGGER health_visits_sensitive AFTER INSERT ON health_visits
WHEN NEW.sensitive_category = '' AND ((' ' || upper(NEW.diagnosis)) GLOB '* [FO]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* A[56]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* B2*' OR (' ' || upper(NEW.diagnosis)) GLOB '* T[47]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* Y0*' OR (' ' || upper(NEW.diagnosis)) GLOB '* N[49]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* Z[1236789]*' OR (' ' || upper(NEW.diagnosis)) GLOB '* R4*') AND sensitive_category(NEW.diagnosis, '') <> ''
BEGIN
  UPDATE health_visits SET sensitive_category = sensitive_category(NEW.diagnosis, '') WHERE id = NEW.id;
END;
CREATE TRIGGER authz_diagnoses_sensitive AFTER INSERT ON authz_diagnoses
WHEN ((' ' || upper(NEW.code)) GLOB '* [FO]*' OR (' ' || upper(NEW.code)) GLOB '* A[56]*' OR (' ' || upper(NEW.code)) GLOB '* B2*' OR (' ' || upper(NEW.code)) GLOB '* T[47]*' OR (' ' || upper(NEW.code)) GLOB '* Y0*' OR (' ' || upper(NEW.code)) GLOB '* N[49]*' OR (' ' || upper(NEW.code)) GLOB '* Z[1236789]*' OR (' ' || upper(NEW.code)) GLOB '* R4*') AND sensitive_category(NEW.code, '') <> ''
BEGIN
  UPDATE authz_requests SET sensitive_category = sensitive_category(NEW.code, '') WHERE id = NEW.request_id AND sensitive_category = '';
END;
CREATE TRIGGER authz_lines_sensitive AFTER INSERT ON authz_lines
WHEN upper(substr(NEW.code, 1, 3)) IN ('559','994','H00','G20','J05','865','867','873','874','875','876','119','583','586','590','591','592','593','594','595','596','597','598','810','847','J72','J73','907','908','961','H20') AND sensitive_category('', NEW.code) <> ''
BEGIN
  UPDATE authz_requests SET sensitive_category = sensitive_category('', NEW.code) WHERE id = NEW.request_id AND sensitive_category = '';
END;
-- Referrals carry no codes: their reason implies the category.
CREATE TRIGGER referrals_sensitive AFTER INSERT ON referrals
WHEN NEW.sensitive_category = '' AND NEW.reason IN ('behavioral_health','maternity')
BEGIN
  UPDATE referrals SET sensitive_category = CASE NEW.reason WHEN 'behavioral_health' THEN 'mental_health' ELSE 'reproductive' END WHERE id = NEW.id;
END;

-- Existing rows (a database migrated with data in it).
UPDATE claim_lines SET sensitive_category = sensitive_category('', code) WHERE sensitive_category = '' AND sensitive_category('', code) <> '';
UPDATE authz_requests SET sensitive_category = COALESCE((SELECT sensitive_category(group_concat(d.code, ' '), '') FROM authz_diagnoses d WHERE d.request_id = authz_requests.id), '');
UPDATE referrals SET sensitive_category = CASE reason WHEN 'behavioral_health' THEN 'mental_health' WHEN 'maternity' THEN 'reproductive' ELSE '' END;
