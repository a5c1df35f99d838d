-- Schema step 23 on PostgreSQL (SQLite's step 23 in store/migrations.rs): parts sat in rooms of their own (操作技能
-- in 实操 rooms, 综合评审 in its room): the arrangement's rooms for each (JSON, as room_list), and each candidate's
-- place there (NULL: in the arrangement's room and seat).

ALTER TABLE arrangements ADD COLUMN part_rooms TEXT COLLATE "C";

ALTER TABLE seats
    ADD COLUMN practical_room BIGINT CHECK (practical_room > 0),
    ADD COLUMN practical_seat BIGINT CHECK (practical_seat > 0),
    ADD COLUMN review_room BIGINT CHECK (review_room > 0),
    ADD COLUMN review_seat BIGINT CHECK (review_seat > 0);

CREATE UNIQUE INDEX seats_practical_place ON seats (plan_id, practical_room, practical_seat)
    WHERE practical_room IS NOT NULL;
CREATE UNIQUE INDEX seats_review_place ON seats (plan_id, review_room, review_seat) WHERE review_room IS NOT NULL;
