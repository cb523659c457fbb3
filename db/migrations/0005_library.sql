-- Provider library (SPEC §7): entries written in Markdown by editors, their revision
-- history, their documents (PDF bytes kept in the database with their extracted text),
-- and one FTS5 index over every published entry and its documents.
-- ProviderSearch: the provider directory with coordinates, and the places (cities and
-- ZIP codes) whose coordinates anchor a distance search.

CREATE TABLE library_entries (
  id             INTEGER PRIMARY KEY,
  slug           TEXT NOT NULL UNIQUE,
  section        TEXT NOT NULL CHECK (section IN ('alerts','manual','prior_auth','updates','forms','contacts',
                   'education','newsletter','health_equity','glossary','quality')),
  title          TEXT NOT NULL,
  summary        TEXT NOT NULL DEFAULT '',
  body_md        TEXT NOT NULL DEFAULT '',  -- what the editor wrote
  body_html      TEXT NOT NULL DEFAULT '',  -- rendered on save: goldmark, then bluemonday
  body_text      TEXT NOT NULL DEFAULT '',  -- plain text for the search index
  lob            TEXT NOT NULL DEFAULT 'all' CHECK (lob IN ('all','commercial','medicare','medical')),
  provider_types TEXT NOT NULL DEFAULT '',  -- space-separated keys (physician ppg hospital ...)
  code           TEXT NOT NULL DEFAULT '',  -- an update's number, e.g. 19-412
  published_on   TEXT NOT NULL,             -- ISO date shown to readers
  status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published')),
  revision       INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  updated_by     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX library_entries_section ON library_entries(section, status, title);
CREATE INDEX library_entries_section_date ON library_entries(section, status, published_on);
CREATE INDEX library_entries_updated ON library_entries(updated_at);

-- Every saved version of an entry, so editors can see and restore earlier ones.
CREATE TABLE library_revisions (
  id             INTEGER PRIMARY KEY,
  entry_id       INTEGER NOT NULL REFERENCES library_entries(id),
  revision       INTEGER NOT NULL,
  section        TEXT NOT NULL,
  title          TEXT NOT NULL,
  summary        TEXT NOT NULL,
  body_md        TEXT NOT NULL,
  lob            TEXT NOT NULL,
  provider_types TEXT NOT NULL,
  code           TEXT NOT NULL,
  published_on   TEXT NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  saved_at       TEXT NOT NULL,
  saved_by       TEXT NOT NULL DEFAULT '',
  UNIQUE (entry_id, revision)
) STRICT;

-- Documents (PDF only) attached to an entry; text is what search indexes.
CREATE TABLE library_documents (
  id           INTEGER PRIMARY KEY,
  entry_id     INTEGER NOT NULL REFERENCES library_entries(id),
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL DEFAULT 'application/pdf',
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  data         BLOB NOT NULL,
  text         TEXT NOT NULL DEFAULT '',
  uploaded_at  TEXT NOT NULL,
  uploaded_by  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX library_documents_entry ON library_documents(entry_id);

-- Full-text index of published entries (rowid = library_entries.id). body holds the
-- summary, the entry's text and the text of its documents.
CREATE VIRTUAL TABLE library_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');

-- The provider directory for ProviderSearch.
CREATE TABLE providers (
  id             INTEGER PRIMARY KEY,
  npi            TEXT NOT NULL,
  type           TEXT NOT NULL CHECK (type IN ('physician','ppg','hospital','ancillary')),
  name           TEXT NOT NULL,
  name_key       TEXT NOT NULL,           -- lower case, accents removed, for name matching
  specialty      TEXT NOT NULL DEFAULT '',
  group_name     TEXT NOT NULL DEFAULT '',
  address        TEXT NOT NULL,
  city           TEXT NOT NULL,
  zip            TEXT NOT NULL,
  phone          TEXT NOT NULL,
  lat            REAL NOT NULL,
  lon            REAL NOT NULL,
  languages      TEXT NOT NULL DEFAULT '|English|', -- |-delimited, e.g. |English|Spanish|
  accepting      INTEGER NOT NULL DEFAULT 1,
  plan_types     TEXT NOT NULL DEFAULT '',          -- space-separated plan types
  gender         TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX providers_lat_lon ON providers(lat, lon);
CREATE INDEX providers_type_name ON providers(type, name_key);
CREATE INDEX providers_specialty ON providers(specialty, name_key);
CREATE INDEX providers_name ON providers(name_key);
CREATE INDEX providers_zip ON providers(zip);

-- Places whose coordinates anchor a distance search: a city and one of its ZIP codes.
CREATE TABLE places (
  id    INTEGER PRIMARY KEY,
  city  TEXT NOT NULL,
  zip   TEXT NOT NULL,
  lat   REAL NOT NULL,
  lon   REAL NOT NULL
) STRICT;
CREATE INDEX places_zip ON places(zip);
CREATE INDEX places_city ON places(city COLLATE NOCASE);
