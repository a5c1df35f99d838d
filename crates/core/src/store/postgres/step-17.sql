-- Schema step 17 on PostgreSQL (SQLite's step 17 in store/migrations.rs): 补考, the parts a re-sit keeps.

CREATE TABLE resits (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    original_id    BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    carried        TEXT COLLATE "C" NOT NULL,
    valid_until    TEXT COLLATE "C" NOT NULL,
    created_at     TEXT COLLATE "C" NOT NULL
);
