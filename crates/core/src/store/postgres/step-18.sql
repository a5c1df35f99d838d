-- Schema step 18 on PostgreSQL (SQLite's step 18 in store/migrations.rs): the profile fields the 报考条件 routes
-- measure by (所学专业, 毕业院校, 毕业时间, 参加工作时间, 职称).

ALTER TABLE candidates
    ADD COLUMN major           TEXT COLLATE "C",
    ADD COLUMN school          TEXT COLLATE "C",
    ADD COLUMN graduated_on    TEXT COLLATE "C",
    ADD COLUMN work_started_on TEXT COLLATE "C",
    ADD COLUMN title           TEXT COLLATE "C";
