-- Schema step 16 on PostgreSQL (SQLite's step 16 in store/migrations.rs): where a plan's results report to the
-- province stands.

CREATE TABLE result_reports (
    plan_id         BIGINT PRIMARY KEY REFERENCES plans (id),
    state           TEXT COLLATE "C" NOT NULL CHECK (state IN ('已上报', '退回', '已通过')),
    reported_on     TEXT COLLATE "C" NOT NULL,
    returned_on     TEXT COLLATE "C",
    returned_reason TEXT COLLATE "C",
    accepted_on     TEXT COLLATE "C",
    updated_by      TEXT COLLATE "C" NOT NULL,
    updated_at      TEXT COLLATE "C" NOT NULL
);
