-- Schema step 19 on PostgreSQL (SQLite's step 19 in store/migrations.rs): the agency's own 职业目录 entries
-- (imported), which extend and override the bundled list.

CREATE TABLE occupations (
    code        TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL,
    imported_at TEXT COLLATE "C" NOT NULL
);
