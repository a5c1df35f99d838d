-- Schema step 22 on PostgreSQL (SQLite's step 22 in store/migrations.rs): the rule an arrangement filled its seats
-- by, the seed a random one drew with (to show and to repeat), the 考点's rooms it used as they were then (JSON:
-- name, kind, capacity; NULL for numbered rooms), and each seat's sequence in its plan (a 准考证号 rule need not end
-- in it).

ALTER TABLE arrangements
    ADD COLUMN seat_rule TEXT COLLATE "C" NOT NULL DEFAULT '按准考证号'
        CHECK (seat_rule IN ('按准考证号', '按证件号码', '随机', '同单位分开', '同单位集中')),
    ADD COLUMN seat_seed BIGINT,
    ADD COLUMN room_list TEXT COLLATE "C";

ALTER TABLE seats ADD COLUMN sequence BIGINT CHECK (sequence > 0);
