-- Schema step 13 on PostgreSQL (SQLite's step 13 in store/migrations.rs): certificate numbers the province assigned.

CREATE TABLE assigned_numbers (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    number         TEXT COLLATE "C" NOT NULL UNIQUE CHECK (length(number) = 22),
    imported_by    TEXT COLLATE "C" NOT NULL,
    imported_at    TEXT COLLATE "C" NOT NULL
);
