//! Numbered schema migrations. Entry `n` moves the database from `user_version` n to n+1 and
//! runs inside one transaction. Never edit a released entry: append a new one.

/// The migrations, in order.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: initial schema.
    r#"
CREATE TABLE clinic_profile (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    json        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE assessments (
    id               INTEGER PRIMARY KEY,
    fiscal_year      INTEGER NOT NULL,
    checklist_id     TEXT NOT NULL,
    sheet            TEXT NOT NULL,
    profile_json     TEXT NOT NULL,
    assessor_name    TEXT NOT NULL DEFAULT '',
    assessor_company TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX assessments_fy ON assessments (fiscal_year);
CREATE TABLE answers (
    id             INTEGER PRIMARY KEY,
    assessment_id  INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    item_id        TEXT NOT NULL,
    scope          TEXT NOT NULL CHECK (scope IN ('general', 'server', 'terminal', 'network')),
    value          TEXT NOT NULL CHECK (value IN ('yes', 'no', 'not_applicable', 'unanswered')),
    checked_on     TEXT,
    target_date    TEXT,
    note           TEXT NOT NULL DEFAULT '',
    responsible    TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    UNIQUE (assessment_id, item_id, scope),
    CHECK (value <> 'no' OR target_date IS NOT NULL)
);
CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    answer_id  INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    added_at   TEXT NOT NULL,
    UNIQUE (answer_id, name, sha256)
);
CREATE TABLE bundles (
    id             INTEGER PRIMARY KEY,
    assessment_id  INTEGER REFERENCES assessments (id) ON DELETE CASCADE,
    host           TEXT NOT NULL,
    bundle_json    TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    signature      BLOB,
    imported_at    TEXT NOT NULL,
    superseded     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX bundles_host ON bundles (assessment_id, host);
CREATE TABLE reports (
    id             INTEGER PRIMARY KEY,
    assessment_id  INTEGER REFERENCES assessments (id) ON DELETE SET NULL,
    path           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
"#,
    // 2: many PCs, vendors and years (issue 8): bundle verification, device ledger, vendor sheets.
    r#"
ALTER TABLE bundles ADD COLUMN verification TEXT NOT NULL DEFAULT 'unchecked'
    CHECK (verification IN ('unchecked', 'verified', 'unverified'));
ALTER TABLE bundles ADD COLUMN signer TEXT;
CREATE TABLE host_roles (
    host        TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE devices (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    model       TEXT NOT NULL DEFAULT '',
    firmware    TEXT NOT NULL DEFAULT '',
    location    TEXT NOT NULL DEFAULT '',
    managed_by  TEXT NOT NULL DEFAULT 'clinic',
    partner     TEXT NOT NULL DEFAULT '',
    method      TEXT NOT NULL DEFAULT '',
    ports       TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);
CREATE TABLE vendor_sheets (
    id             INTEGER PRIMARY KEY,
    vendor         TEXT NOT NULL,
    fiscal_year    INTEGER NOT NULL,
    assessment_id  INTEGER REFERENCES assessments (id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('requested', 'answered', 'signed')),
    signer         TEXT,
    signature      BLOB,
    updated_at     TEXT NOT NULL,
    UNIQUE (vendor, fiscal_year)
);
"#,
    // 3: the network device ledger (外部接続ネットワーク装置一覧) fields the seed documents ask for.
    r#"
ALTER TABLE devices ADD COLUMN manufacturer TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN purpose TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN partner_ip TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN maintenance TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN firmware_updated TEXT NOT NULL DEFAULT '';
"#,
];
