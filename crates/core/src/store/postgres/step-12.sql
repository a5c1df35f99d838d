-- Schema step 12 on PostgreSQL (SQLite's step 12 in store/migrations.rs): certificates that are revoked and
-- reissued; one valid certificate per number and per application; what a certificate says never changes.

ALTER TABLE certificates DROP CONSTRAINT certificates_number_key;
ALTER TABLE certificates DROP CONSTRAINT certificates_application_id_key;
ALTER TABLE certificates
    ADD COLUMN state          TEXT COLLATE "C" NOT NULL DEFAULT '有效' CHECK (state IN ('有效', '已作废')),
    ADD COLUMN revoked_on     TEXT COLLATE "C",
    ADD COLUMN revoked_reason TEXT COLLATE "C",
    ADD COLUMN revoked_by     TEXT COLLATE "C",
    ADD COLUMN replaces_id    BIGINT REFERENCES certificates (id),
    ADD COLUMN print_serial   TEXT COLLATE "C";
-- Lookups by number and by application, of any state (the unique indexes cover only valid ones).
CREATE INDEX certificates_by_number ON certificates (number);
CREATE INDEX certificates_by_application ON certificates (application_id);
CREATE UNIQUE INDEX certificates_valid_by_number ON certificates (number) WHERE state = '有效';
CREATE UNIQUE INDEX certificates_valid_by_application ON certificates (application_id) WHERE state = '有效';
CREATE TRIGGER certificates_stay_revoked BEFORE UPDATE ON certificates
    FOR EACH ROW WHEN (OLD.state = '已作废') EXECUTE FUNCTION skillcert_refuse('已作废的证书不能再改动');
CREATE TRIGGER certificates_say_what_they_said BEFORE UPDATE ON certificates
    FOR EACH ROW WHEN (NEW.number IS DISTINCT FROM OLD.number OR NEW.application_id IS DISTINCT FROM OLD.application_id
        OR NEW.name IS DISTINCT FROM OLD.name OR NEW.id_number IS DISTINCT FROM OLD.id_number
        OR NEW.occupation IS DISTINCT FROM OLD.occupation OR NEW.job IS DISTINCT FROM OLD.job
        OR NEW.level IS DISTINCT FROM OLD.level OR NEW.issued_on IS DISTINCT FROM OLD.issued_on
        OR NEW.agency_name IS DISTINCT FROM OLD.agency_name)
    EXECUTE FUNCTION skillcert_refuse('证书内容不能修改，只能作废或补发');
