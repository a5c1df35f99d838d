-- Schema step 15 on PostgreSQL (SQLite's step 15 in store/migrations.rs, which rebuilds the table): 缓缴, a third
-- payment state.

ALTER TABLE applications DROP CONSTRAINT applications_payment_check,
    ADD CONSTRAINT applications_payment_check CHECK (payment IN ('待支付', '已支付', '缓缴', '无需支付'));
