-- The clinical record (SPEC §5): health risk assessments, care plans, health records,
-- care management referrals and care coordination documents. Every table hangs off one
-- member and is read through an index that starts with member_pk; the queues of case
-- managers read their own partial indexes.

-- Health risk assessments. answers is a JSON object {question key: answer value}; a
-- draft belongs to the user who started it (one open draft per user and member) and is
-- saved at every section; a submitted one carries its score and risk level.
CREATE TABLE assessments (
  id             INTEGER PRIMARY KEY,
  member_pk      INTEGER NOT NULL REFERENCES members(id),
  kind           TEXT NOT NULL DEFAULT 'hra' CHECK (kind IN ('hra')),
  status         TEXT NOT NULL CHECK (status IN ('draft','submitted')),
  answers        TEXT NOT NULL DEFAULT '{}',
  section        INTEGER NOT NULL DEFAULT 1,   -- the section to resume at
  score          INTEGER NOT NULL DEFAULT 0,
  risk           TEXT NOT NULL DEFAULT '' CHECK (risk IN ('','low','moderate','high')),
  user_id        INTEGER REFERENCES users(id),
  account_id     INTEGER REFERENCES provider_accounts(id), -- NULL when plan staff completed it
  completed_by   TEXT NOT NULL DEFAULT '',     -- "Jane Doe, Sunrise Family Medicine"
  started_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  submitted_at   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX assessments_member ON assessments(member_pk, status, submitted_at);
CREATE UNIQUE INDEX assessments_draft ON assessments(member_pk, user_id) WHERE status = 'draft';
-- Case managers' reassessment list: submitted assessments by date.
CREATE INDEX assessments_submitted ON assessments(submitted_at, member_pk) WHERE status = 'submitted';

-- Care plans of the three kinds of the portal guide.
CREATE TABLE care_plans (
  id           INTEGER PRIMARY KEY,
  member_pk    INTEGER NOT NULL REFERENCES members(id),
  kind         TEXT NOT NULL CHECK (kind IN ('medical','self_management','free_text')),
  title        TEXT NOT NULL,
  narrative    TEXT NOT NULL DEFAULT '',       -- the case manager's own text (free-text plans)
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','closed')),
  author_id    INTEGER REFERENCES users(id),
  author_name  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX care_plans_member ON care_plans(member_pk, updated_at);

-- Problems, goals and interventions of a care plan.
CREATE TABLE care_plan_items (
  id           INTEGER PRIMARY KEY,
  plan_id      INTEGER NOT NULL REFERENCES care_plans(id),
  kind         TEXT NOT NULL CHECK (kind IN ('problem','goal','intervention')),
  text         TEXT NOT NULL,
  target_date  TEXT NOT NULL DEFAULT '',
  owner        TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL CHECK (status IN ('active','resolved','not_started','in_progress','met','not_met','planned','done','cancelled')),
  updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX care_plan_items_plan ON care_plan_items(plan_id, kind, id);

-- What changed in a care plan, when and by whom.
CREATE TABLE care_plan_history (
  id         INTEGER PRIMARY KEY,
  plan_id    INTEGER NOT NULL REFERENCES care_plans(id),
  at         TEXT NOT NULL,
  user_id    INTEGER REFERENCES users(id),
  actor      TEXT NOT NULL,
  what       TEXT NOT NULL
) STRICT;
CREATE INDEX care_plan_history_plan ON care_plan_history(plan_id, id);

-- Health records: visits (claims-derived encounters and the plan's records, with the
-- visit note), medications, immunizations, labs and allergies.
CREATE TABLE health_visits (
  id                 INTEGER PRIMARY KEY,
  member_pk          INTEGER NOT NULL REFERENCES members(id),
  visit_date         TEXT NOT NULL,
  setting            TEXT NOT NULL CHECK (setting IN ('office','telehealth','urgent_care','emergency','inpatient','behavioral_health')),
  provider           TEXT NOT NULL,
  reason             TEXT NOT NULL,
  diagnosis          TEXT NOT NULL DEFAULT '',   -- ICD-10-CM codes, space-separated
  note               TEXT NOT NULL DEFAULT '',
  source             TEXT NOT NULL DEFAULT 'record' CHECK (source IN ('claim','record')),
  claim_no           TEXT NOT NULL DEFAULT '',
  sensitive_category TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX health_visits_member ON health_visits(member_pk, visit_date);

CREATE TABLE health_medications (
  id          INTEGER PRIMARY KEY,
  member_pk   INTEGER NOT NULL REFERENCES members(id),
  drug        TEXT NOT NULL,
  dose        TEXT NOT NULL DEFAULT '',
  directions  TEXT NOT NULL DEFAULT '',
  prescriber  TEXT NOT NULL DEFAULT '',
  started_on  TEXT NOT NULL,
  ended_on    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX health_medications_member ON health_medications(member_pk, started_on);

CREATE TABLE health_immunizations (
  id          INTEGER PRIMARY KEY,
  member_pk   INTEGER NOT NULL REFERENCES members(id),
  vaccine     TEXT NOT NULL,
  given_on    TEXT NOT NULL,
  dose        TEXT NOT NULL DEFAULT '',
  provider    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX health_immunizations_member ON health_immunizations(member_pk, given_on);

-- Lab results. flag: '' normal, 'high', 'low', 'abnormal' (a result outside its range
-- that is neither, e.g. a positive screen).
CREATE TABLE health_labs (
  id            INTEGER PRIMARY KEY,
  member_pk     INTEGER NOT NULL REFERENCES members(id),
  collected_on  TEXT NOT NULL,
  test          TEXT NOT NULL,
  value         TEXT NOT NULL,
  unit          TEXT NOT NULL DEFAULT '',
  ref_range     TEXT NOT NULL DEFAULT '',
  flag          TEXT NOT NULL DEFAULT '' CHECK (flag IN ('','high','low','abnormal')),
  ordered_by    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX health_labs_member ON health_labs(member_pk, collected_on);

CREATE TABLE health_allergies (
  id          INTEGER PRIMARY KEY,
  member_pk   INTEGER NOT NULL REFERENCES members(id),
  substance   TEXT NOT NULL,
  reaction    TEXT NOT NULL DEFAULT '',
  severity    TEXT NOT NULL CHECK (severity IN ('mild','moderate','severe')),
  noted_on    TEXT NOT NULL
) STRICT;
CREATE INDEX health_allergies_member ON health_allergies(member_pk, noted_on);

-- Care management referrals from provider offices to the plan's case managers.
-- priority: 0 urgent, 1 routine (the queue's order, urgent first, then oldest first).
CREATE TABLE referrals (
  id             INTEGER PRIMARY KEY,
  ref_no         TEXT NOT NULL UNIQUE,
  member_pk      INTEGER NOT NULL REFERENCES members(id),
  account_id     INTEGER NOT NULL REFERENCES provider_accounts(id),
  created_by     INTEGER NOT NULL REFERENCES users(id),
  reason         TEXT NOT NULL CHECK (reason IN ('complex_case','disease_management','behavioral_health','maternity','transitions_of_care','social_needs')),
  urgency        TEXT NOT NULL CHECK (urgency IN ('urgent','routine')),
  priority       INTEGER NOT NULL,
  contact_name   TEXT NOT NULL,
  contact_phone  TEXT NOT NULL,
  notes          TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received','assigned','accepted','declined','closed')),
  assignee_id    INTEGER REFERENCES users(id),
  answer         TEXT NOT NULL DEFAULT '',   -- the decline reason or the outcome at closing
  received_at    TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX referrals_member ON referrals(member_pk, received_at);
CREATE INDEX referrals_open ON referrals(priority, received_at) WHERE status IN ('received','assigned','accepted');
CREATE INDEX referrals_status ON referrals(status, priority, assignee_id);

CREATE TABLE referral_attachments (
  id           INTEGER PRIMARY KEY,
  referral_id  INTEGER NOT NULL REFERENCES referrals(id),
  name         TEXT NOT NULL,
  mime         TEXT NOT NULL,
  size         INTEGER NOT NULL,
  data         BLOB NOT NULL
) STRICT;
CREATE INDEX referral_attachments_referral ON referral_attachments(referral_id);

-- Care coordination documents of D-SNP members (PDF or text), added by case managers.
CREATE TABLE care_coordination_documents (
  id           INTEGER PRIMARY KEY,
  member_pk    INTEGER NOT NULL REFERENCES members(id),
  doc_type     TEXT NOT NULL,
  doc_date     TEXT NOT NULL,
  author       TEXT NOT NULL,
  name         TEXT NOT NULL,
  mime         TEXT NOT NULL,
  size         INTEGER NOT NULL,
  data         BLOB NOT NULL,
  uploaded_by  INTEGER REFERENCES users(id),
  created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX care_coordination_documents_member ON care_coordination_documents(member_pk, doc_date);
