-- Schema step 14 on PostgreSQL (SQLite's step 14 in store/migrations.rs): a plan's 职业编码.

ALTER TABLE plans ADD COLUMN occupation_code TEXT COLLATE "C";
