-- Pharmacy formulary (preferred drug lists with versions, the Medi-Cal Rx contract drug
-- list) and provider reports for capitated groups and hospitals (SPEC §7).

-- A version of one drug list. The list in force on a day is the version with the latest
-- effective date on or before it; an editor's import adds a version.
CREATE TABLE formulary_versions (
  id            INTEGER PRIMARY KEY,
  list          TEXT NOT NULL CHECK (list IN ('commercial','medicare','medi-cal-cdl')),
  version       TEXT NOT NULL,
  effective_on  TEXT NOT NULL,            -- ISO date
  published_at  TEXT NOT NULL,            -- UTC instant
  published_by  INTEGER REFERENCES users(id),
  drugs         INTEGER NOT NULL DEFAULT 0,
  added         INTEGER NOT NULL DEFAULT 0,
  removed       INTEGER NOT NULL DEFAULT 0,
  changed       INTEGER NOT NULL DEFAULT 0,
  UNIQUE (list, version)
) STRICT;
CREATE INDEX formulary_versions_list ON formulary_versions(list, effective_on);

-- One drug (name, strength and form) of a version. drug_key identifies the same drug
-- across versions; change/changed_on carry the last addition or change forward so
-- offices see "changed since" markers for 90 days.
CREATE TABLE formulary_drugs (
  id             INTEGER PRIMARY KEY,
  version_id     INTEGER NOT NULL REFERENCES formulary_versions(id),
  drug_key       TEXT NOT NULL,
  generic_name   TEXT NOT NULL,
  brand_name     TEXT NOT NULL DEFAULT '',
  strength       TEXT NOT NULL DEFAULT '',
  form           TEXT NOT NULL DEFAULT '',
  drug_class     TEXT NOT NULL DEFAULT '',
  tier           INTEGER NOT NULL DEFAULT 0,  -- 0 on the Medi-Cal Rx CDL (no tiers)
  prior_auth     INTEGER NOT NULL DEFAULT 0,
  step_therapy   INTEGER NOT NULL DEFAULT 0,
  quantity_limit TEXT NOT NULL DEFAULT '',    -- '' = no limit, else the limit in words
  specialty      INTEGER NOT NULL DEFAULT 0,
  change         TEXT NOT NULL DEFAULT '' CHECK (change IN ('','added','changed')),
  change_detail  TEXT NOT NULL DEFAULT '',
  changed_on     TEXT NOT NULL DEFAULT '',
  UNIQUE (version_id, drug_key)
) STRICT;
CREATE INDEX formulary_drugs_name ON formulary_drugs(version_id, generic_name, strength);
CREATE INDEX formulary_drugs_tier ON formulary_drugs(version_id, tier, generic_name);

-- Drugs a version removed, shown as "removed since" for 90 days.
CREATE TABLE formulary_removals (
  id           INTEGER PRIMARY KEY,
  version_id   INTEGER NOT NULL REFERENCES formulary_versions(id),
  generic_name TEXT NOT NULL,
  brand_name   TEXT NOT NULL DEFAULT '',
  strength     TEXT NOT NULL DEFAULT '',
  form         TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX formulary_removals_version ON formulary_removals(version_id);

-- Name search: trigram tokens find substrings ("atorva") and, combined in Go, near
-- misses ("atorvastatn").
CREATE VIRTUAL TABLE formulary_fts USING fts5(
  generic_name, brand_name, drug_class,
  content='formulary_drugs', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER formulary_drugs_ai AFTER INSERT ON formulary_drugs BEGIN
  INSERT INTO formulary_fts(rowid, generic_name, brand_name, drug_class) VALUES (new.id, new.generic_name, new.brand_name, new.drug_class);
END;
CREATE TRIGGER formulary_drugs_ad AFTER DELETE ON formulary_drugs BEGIN
  INSERT INTO formulary_fts(formulary_fts, rowid, generic_name, brand_name, drug_class) VALUES ('delete', old.id, old.generic_name, old.brand_name, old.drug_class);
END;

-- The earlier static list is replaced by the versioned lists above.
DROP TABLE drug_lists;

-- Member-level provider reports (roster, adds and terms) need this grant from the
-- account manager, on top of the reports permission.
ALTER TABLE users ADD COLUMN report_member_access INTEGER NOT NULL DEFAULT 0;

-- Capitation rate cells: the PMPM a group is paid per member of a cell.
CREATE TABLE capitation_rate_cells (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL
) STRICT;

-- One month's capitation for one TIN: the payment summary. The net is the amount of
-- the capitation check (payment_id) in payment history.
CREATE TABLE capitation_months (
  id               INTEGER PRIMARY KEY,
  tin_id           INTEGER NOT NULL REFERENCES tins(id),
  month            TEXT NOT NULL,            -- YYYY-MM
  member_months    INTEGER NOT NULL,
  gross_cents      INTEGER NOT NULL,
  adjustment_cents INTEGER NOT NULL,
  net_cents        INTEGER NOT NULL,
  adds             INTEGER NOT NULL DEFAULT 0,
  terms            INTEGER NOT NULL DEFAULT 0,
  payment_id       INTEGER REFERENCES payments(id),
  UNIQUE (tin_id, month)
) STRICT;
CREATE INDEX capitation_months_payment ON capitation_months(payment_id);

-- The rate-cell lines of a month's summary.
CREATE TABLE capitation_cells (
  month_id     INTEGER NOT NULL REFERENCES capitation_months(id),
  rate_cell_id INTEGER NOT NULL REFERENCES capitation_rate_cells(id),
  members      INTEGER NOT NULL,
  pmpm_cents   INTEGER NOT NULL,
  gross_cents  INTEGER NOT NULL,
  PRIMARY KEY (month_id, rate_cell_id)
) STRICT, WITHOUT ROWID;

-- Retroactive adjustments paid with a month (late-reported enrolments and terms).
CREATE TABLE capitation_adjustments (
  id           INTEGER PRIMARY KEY,
  month_id     INTEGER NOT NULL REFERENCES capitation_months(id),
  member_pk    INTEGER NOT NULL REFERENCES members(id),
  for_month    TEXT NOT NULL,
  reason       TEXT NOT NULL,
  amount_cents INTEGER NOT NULL
) STRICT;
CREATE INDEX capitation_adjustments_month ON capitation_adjustments(month_id, id);

-- Members' assignments to a capitated TIN, one row per stretch of months paid in the
-- same rate cell (an assignment is split where the member's cell changes, e.g. at a
-- birthday). The roster of a month is every span that covers it; an assignment's first
-- span is an add in its first month, its last span a term in the month after it ends.
CREATE TABLE capitation_spans (
  id                INTEGER PRIMARY KEY,
  tin_id            INTEGER NOT NULL REFERENCES tins(id),
  member_id         TEXT NOT NULL,
  member_pk         INTEGER NOT NULL REFERENCES members(id),
  rate_cell_id      INTEGER NOT NULL REFERENCES capitation_rate_cells(id),
  aid_code          TEXT NOT NULL DEFAULT '',
  first_month       TEXT NOT NULL,            -- YYYY-MM, first month paid in this cell
  last_month        TEXT NOT NULL,            -- YYYY-MM, last month paid; '9999-12' while open
  starts_assignment INTEGER NOT NULL DEFAULT 0,
  term_month        TEXT NOT NULL DEFAULT ''  -- YYYY-MM of the term when the assignment ends after this span
) STRICT;
CREATE INDEX capitation_spans_roster ON capitation_spans(tin_id, member_id, first_month, last_month);
CREATE INDEX capitation_spans_adds ON capitation_spans(tin_id, first_month, member_id) WHERE starts_assignment = 1;
CREATE INDEX capitation_spans_terms ON capitation_spans(tin_id, term_month, member_id) WHERE term_month <> '';
