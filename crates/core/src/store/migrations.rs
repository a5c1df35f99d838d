//! Versioned schema migrations. Each runs in one transaction together with its version bump, so a failure leaves
//! the database at the previous version, never half-migrated. Append only: never edit a released step.
//!
//! SQLite keeps the version in `PRAGMA user_version` (and marks the file with `application_id`); PostgreSQL in the
//! one-row table `skillcert_schema`. PostgreSQL databases start at schema 10, the first that runs there, built in one
//! step (postgres/schema-10.sql); a later step comes in both dialects.

use rusqlite::Connection;

use super::APPLICATION_ID;
use super::sql::{self, Engine};
use crate::error::{Error, Result};

const MIGRATIONS: &[&str] = &[
    // 1: plans, candidates, applications, the audit trail, certificate serials.
    r#"
    CREATE TABLE plans (
        id           INTEGER PRIMARY KEY,
        occupation   TEXT NOT NULL,
        job          TEXT,                       -- NULL: none ("--")
        level        TEXT NOT NULL,              -- label, e.g. 四级/中级工
        reg_start    TEXT NOT NULL,              -- YYYY-MM-DD, Asia/Shanghai
        reg_end      TEXT NOT NULL,
        exam_date    TEXT NOT NULL,
        code         TEXT NOT NULL UNIQUE CHECK (length(code) = 6),
        plan_no      TEXT NOT NULL UNIQUE,
        conditions   TEXT NOT NULL DEFAULT '',
        notice       TEXT NOT NULL DEFAULT '',
        publisher    TEXT NOT NULL DEFAULT '',
        announced_on TEXT NOT NULL,
        capacity     INTEGER CHECK (capacity IS NULL OR capacity > 0),
        fee_fen      INTEGER NOT NULL DEFAULT 0 CHECK (fee_fen >= 0),
        closed       INTEGER NOT NULL DEFAULT 0,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        CHECK (reg_start <= reg_end AND reg_end < exam_date)
    );

    CREATE TABLE candidates (
        id                  INTEGER PRIMARY KEY,
        id_type             TEXT NOT NULL,
        id_number           TEXT NOT NULL,
        name                TEXT NOT NULL,
        sex                 TEXT CHECK (sex IN ('男', '女')),
        birth_date          TEXT,
        phone               TEXT NOT NULL,
        ethnicity           TEXT,
        education           TEXT,
        employer            TEXT,
        address             TEXT,
        years_in_occupation INTEGER,
        source              TEXT,
        prior_cert_name     TEXT,
        prior_cert_level    TEXT,
        prior_cert_number   TEXT,
        prior_cert_date     TEXT,
        created_at          TEXT NOT NULL,
        updated_at          TEXT NOT NULL,
        UNIQUE (id_number, id_type)              -- also serves lookups by number alone
    );

    CREATE TABLE applications (
        id            INTEGER PRIMARY KEY,
        plan_id       INTEGER NOT NULL REFERENCES plans (id),
        candidate_id  INTEGER NOT NULL REFERENCES candidates (id),
        status        TEXT NOT NULL CHECK (status IN ('待处理', '申请不通过', '申请通过', '已提交申报', '成绩发布')),
        payment       TEXT NOT NULL CHECK (payment IN ('待支付', '已支付', '无需支付')),
        reject_reason TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        UNIQUE (plan_id, candidate_id)
    );
    CREATE INDEX applications_by_plan_status ON applications (plan_id, status);
    CREATE INDEX applications_by_candidate ON applications (candidate_id);

    -- Append-only: who did what, when, from which value to which.
    CREATE TABLE audit_log (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        entity     TEXT NOT NULL,               -- plan | candidate | application | certificate
        entity_id  INTEGER NOT NULL,
        action     TEXT NOT NULL,
        from_value TEXT,
        to_value   TEXT,
        detail     TEXT,
        id_number  TEXT,                        -- the candidate concerned, for lookups
        plan_id    INTEGER
    );
    CREATE INDEX audit_by_id_number ON audit_log (id_number) WHERE id_number IS NOT NULL;
    CREATE INDEX audit_by_plan ON audit_log (plan_id) WHERE plan_id IS NOT NULL;
    CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, '操作日志只能追加，不能修改'); END;
    CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, '操作日志只能追加，不能删除'); END;

    -- The last serial handed out per certificate-number prefix; only ever goes up.
    CREATE TABLE certificate_serials (
        prefix      TEXT PRIMARY KEY CHECK (length(prefix) = 16),
        last_serial INTEGER NOT NULL CHECK (last_serial > 0)
    );
    CREATE TRIGGER certificate_serials_never_go_back BEFORE UPDATE ON certificate_serials
        WHEN NEW.last_serial <= OLD.last_serial
        BEGIN SELECT RAISE(ABORT, '证书序号只能递增，不能回退'); END;
    CREATE TRIGGER certificate_serials_are_kept BEFORE DELETE ON certificate_serials
        BEGIN SELECT RAISE(ABORT, '证书序号记录不能删除'); END;
    "#,
    // 2: candidate portal accounts. Every candidate has one: login = 证件号码, default password = its last six
    // characters, to be changed at first login. Storing a hash of a value derivable from the login protects nothing,
    // so a row exists only once the candidate has chosen a password (argon2 hash); no row means "default".
    r#"
    CREATE TABLE accounts (
        candidate_id  INTEGER PRIMARY KEY REFERENCES candidates (id),
        password_hash TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    "#,
    // 3: agency settings; exam arrangements (one per plan) and the seat of each filed application.
    r#"
    CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );

    CREATE TABLE arrangements (
        plan_id         INTEGER PRIMARY KEY REFERENCES plans (id),
        venue           TEXT NOT NULL,
        rooms           INTEGER NOT NULL CHECK (rooms > 0),
        seats_per_room  INTEGER NOT NULL CHECK (seats_per_room > 0),
        theory_start    TEXT NOT NULL,            -- YYYY-MM-DDTHH:MM, Asia/Shanghai
        theory_end      TEXT NOT NULL,
        practical_start TEXT NOT NULL,
        practical_end   TEXT NOT NULL,
        review_start    TEXT,                     -- 综合评审, 二级/一级 only
        review_end      TEXT,
        updated_at      TEXT NOT NULL
    );

    CREATE TABLE seats (
        application_id INTEGER PRIMARY KEY REFERENCES applications (id),
        plan_id        INTEGER NOT NULL REFERENCES plans (id),
        ticket_number  TEXT NOT NULL UNIQUE,      -- 准考证号
        room           INTEGER NOT NULL CHECK (room > 0),
        seat           INTEGER NOT NULL CHECK (seat > 0),
        UNIQUE (plan_id, room, seat)
    );
    "#,
    // 4: exam marks and issued certificates.
    r#"
    CREATE TABLE scores (
        application_id INTEGER PRIMARY KEY REFERENCES applications (id),
        theory         INTEGER CHECK (theory BETWEEN -1 AND 1000),      -- tenths; -1 = 缺考; NULL = not entered
        practical      INTEGER CHECK (practical BETWEEN -1 AND 1000),
        review         INTEGER CHECK (review BETWEEN -1 AND 1000),
        updated_at     TEXT NOT NULL
    );

    -- What the certificate says, fixed when it is issued.
    CREATE TABLE certificates (
        id             INTEGER PRIMARY KEY,
        number         TEXT NOT NULL UNIQUE CHECK (length(number) = 22),
        application_id INTEGER NOT NULL UNIQUE REFERENCES applications (id),
        plan_id        INTEGER NOT NULL REFERENCES plans (id),
        name           TEXT NOT NULL,
        id_type        TEXT NOT NULL,
        id_number      TEXT NOT NULL,
        occupation     TEXT NOT NULL,
        job            TEXT,
        level          TEXT NOT NULL,
        issued_on      TEXT NOT NULL,
        agency_name    TEXT NOT NULL,
        created_at     TEXT NOT NULL
    );
    CREATE INDEX certificates_by_id_number ON certificates (id_number);
    CREATE TRIGGER certificates_are_kept BEFORE DELETE ON certificates
        BEGIN SELECT RAISE(ABORT, '已颁发的证书不能删除'); END;
    "#,
    // 5: candidate photos. `image` is what prints (upright, within the rules); `original` is what was given when
    // it had to be turned or fixed.
    r#"
    CREATE TABLE photos (
        candidate_id INTEGER PRIMARY KEY REFERENCES candidates (id),
        image        BLOB NOT NULL,
        format       TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
        width        INTEGER NOT NULL,
        height       INTEGER NOT NULL,
        original     BLOB,
        updated_at   TEXT NOT NULL
    );
    "#,
    // 6: sync with the candidate portal (docs/sync-protocol.md). Every insert or update of a synced table is logged in
    // `changes`, a sequence the other side reads from its cursor, unless a row in `changes_paused` (inside the
    // writing transaction) pauses it: see store::changes. The portal keeps its agencies' tokens (hashed) and
    // candidates' sessions here too.
    r#"
    CREATE TABLE changes_paused (one INTEGER PRIMARY KEY CHECK (one = 1));
    -- New candidates and applications are logged by store::candidates::insert and store::applications::insert
    -- (imports write 100,000 of each; a trigger per row cost more than the rest of the import).
    CREATE TABLE changes (
        seq       INTEGER PRIMARY KEY,                -- only grows: rows are never deleted
        entity    TEXT NOT NULL,
        entity_id INTEGER NOT NULL
    );
    CREATE TABLE sync_cursors (
        name       TEXT PRIMARY KEY,               -- 'sent' (our last seq the portal has), 'received' (theirs)
        seq        INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TRIGGER plans_insert_is_a_change AFTER INSERT ON plans WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('plans', NEW.id); END;
    CREATE TRIGGER plans_update_is_a_change AFTER UPDATE ON plans WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('plans', NEW.id); END;
    CREATE TRIGGER candidates_update_is_a_change AFTER UPDATE ON candidates WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('candidates', NEW.id); END;
    CREATE TRIGGER applications_update_is_a_change AFTER UPDATE ON applications WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('applications', NEW.id); END;
    CREATE TRIGGER photos_insert_is_a_change AFTER INSERT ON photos WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('photos', NEW.candidate_id); END;
    CREATE TRIGGER photos_update_is_a_change AFTER UPDATE ON photos WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('photos', NEW.candidate_id); END;
    CREATE TRIGGER arrangements_insert_is_a_change AFTER INSERT ON arrangements WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('arrangements', NEW.plan_id); END;
    CREATE TRIGGER arrangements_update_is_a_change AFTER UPDATE ON arrangements WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('arrangements', NEW.plan_id); END;
    CREATE TRIGGER scores_insert_is_a_change AFTER INSERT ON scores WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('scores', NEW.application_id); END;
    CREATE TRIGGER scores_update_is_a_change AFTER UPDATE ON scores WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('scores', NEW.application_id); END;
    CREATE TRIGGER certificates_insert_is_a_change AFTER INSERT ON certificates WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('certificates', NEW.id); END;
    CREATE TRIGGER certificates_update_is_a_change AFTER UPDATE ON certificates WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('certificates', NEW.id); END;

    -- What a database already holds when it gets this step is all unsent: the first sync sends it.
    INSERT INTO changes (entity, entity_id) SELECT 'plans', id FROM plans;
    INSERT INTO changes (entity, entity_id) SELECT 'candidates', id FROM candidates;
    INSERT INTO changes (entity, entity_id) SELECT 'applications', id FROM applications;
    INSERT INTO changes (entity, entity_id) SELECT 'photos', candidate_id FROM photos;
    INSERT INTO changes (entity, entity_id) SELECT 'arrangements', plan_id FROM arrangements;
    INSERT INTO changes (entity, entity_id) SELECT 'scores', application_id FROM scores;
    INSERT INTO changes (entity, entity_id) SELECT 'certificates', id FROM certificates;

    CREATE TABLE agency_tokens (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,           -- SHA-256 of the token; the token itself is shown once
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash   TEXT PRIMARY KEY,             -- SHA-256 of the cookie value
        candidate_id INTEGER NOT NULL REFERENCES candidates (id),
        csrf         TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        expires_at   TEXT NOT NULL
    );
    "#,
    // 7: a plan's 报考条件 as rules (domain::eligibility::RuleSet, JSON); NULL: none, the text alone is shown.
    r#"
    ALTER TABLE plans ADD COLUMN eligibility TEXT;
    "#,
    // 8: the agency's operators (docs/security.md has the roles' permission table).
    r#"
    CREATE TABLE operators (
        id            INTEGER PRIMARY KEY,
        login         TEXT NOT NULL UNIQUE,        -- lower case
        name          TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('管理员', '审核员', '考务员')),
        password_hash TEXT NOT NULL,               -- argon2id
        active        INTEGER NOT NULL DEFAULT 1,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    "#,
    // 9: agencies as tenants of a portal (docs/sync-protocol.md, "Agencies on one portal"). Each plan on a portal
    // belongs to the agency that published it (NULL on a desktop, and for the demo's plans); a token belongs to an
    // agency, found by the name it was added with. A portal that served one agency keeps every plan as that
    // agency's; on a portal of several, a plan from before is claimed by the first agency that pushes it.
    r#"
    CREATE TABLE agencies (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    INSERT INTO agencies (name, created_at) SELECT name, min(created_at) FROM agency_tokens GROUP BY name;
    -- agencies.id, like plans.agency_id (no REFERENCES clause, so that an older schema stays reachable in tests).
    ALTER TABLE agency_tokens ADD COLUMN agency_id INTEGER;
    UPDATE agency_tokens SET agency_id = (SELECT id FROM agencies WHERE agencies.name = agency_tokens.name);
    ALTER TABLE plans ADD COLUMN agency_id INTEGER;
    INSERT INTO changes_paused (one) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM changes_paused);
    UPDATE plans SET agency_id = (SELECT id FROM agencies) WHERE (SELECT count(*) FROM agencies) = 1;
    DELETE FROM changes_paused;
    CREATE INDEX plans_by_agency ON plans (agency_id) WHERE agency_id IS NOT NULL;
    CREATE INDEX sessions_by_candidate ON sessions (candidate_id);
    "#,
    // 10: failed portal sign-ins, per account and per address, so that the limit holds across portal processes and
    // restarts (ops::self_service); rows older than the window are deleted as new ones come.
    r#"
    CREATE TABLE sign_in_failures (
        id      INTEGER PRIMARY KEY,
        account TEXT NOT NULL,                      -- the 证件号码 as typed, normalised
        address TEXT NOT NULL,                      -- the client's IP address
        at      TEXT NOT NULL                       -- UTC, RFC 3339 with milliseconds (sorts as text)
    );
    CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, at);
    CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);
    "#,
    // 11: after the exam, by date. A plan's results notice (成绩公示): the days its results are public and may still
    // be corrected; certificates come after it. Each correction of a mark, kept with the mark before it, the reason,
    // who and when (never changed nor deleted: the first one holds the original mark).
    r#"
    CREATE TABLE results_notices (
        plan_id      INTEGER PRIMARY KEY REFERENCES plans (id),
        opens_on     TEXT NOT NULL,                 -- YYYY-MM-DD, both ends included
        ends_on      TEXT NOT NULL,
        published_by TEXT NOT NULL,
        published_at TEXT NOT NULL
    );
    CREATE TABLE score_corrections (
        id             INTEGER PRIMARY KEY,
        application_id INTEGER NOT NULL REFERENCES applications (id),
        part           TEXT NOT NULL CHECK (part IN ('theory', 'practical', 'review')),
        old_mark       INTEGER,                     -- tenths, -1 for 缺考, NULL for none (as scores)
        new_mark       INTEGER,
        reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        actor          TEXT NOT NULL,
        at             TEXT NOT NULL
    );
    CREATE INDEX score_corrections_by_application ON score_corrections (application_id);
    CREATE TRIGGER score_corrections_are_kept_update BEFORE UPDATE ON score_corrections
        BEGIN SELECT RAISE(ABORT, '成绩更正记录不能修改'); END;
    CREATE TRIGGER score_corrections_are_kept_delete BEFORE DELETE ON score_corrections
        BEGIN SELECT RAISE(ABORT, '成绩更正记录不能删除'); END;
    "#,
    // 12: certificates that are revoked (已作废: when, why, who) and reissued (补发: a new record pointing to the one it
    // replaces, under the same number with a new 印制流水码 or under a new number). A number, and an application, have
    // one valid certificate at a time; what a certificate says never changes, and a revoked one stays revoked. SQLite
    // cannot drop a UNIQUE constraint: the table is rebuilt (same ids, so the change log still points right).
    r#"
    CREATE TABLE certificates_12 (
        id             INTEGER PRIMARY KEY,
        number         TEXT NOT NULL CHECK (length(number) = 22),
        application_id INTEGER NOT NULL REFERENCES applications (id),
        plan_id        INTEGER NOT NULL REFERENCES plans (id),
        name           TEXT NOT NULL,
        id_type        TEXT NOT NULL,
        id_number      TEXT NOT NULL,
        occupation     TEXT NOT NULL,
        job            TEXT,
        level          TEXT NOT NULL,
        issued_on      TEXT NOT NULL,
        agency_name    TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        state          TEXT NOT NULL DEFAULT '有效' CHECK (state IN ('有效', '已作废')),
        revoked_on     TEXT,
        revoked_reason TEXT,
        revoked_by     TEXT,
        replaces_id    INTEGER REFERENCES certificates_12 (id),
        print_serial   TEXT                         -- 印制流水码 of the paper, when the agency records it
    );
    INSERT INTO certificates_12 (id, number, application_id, plan_id, name, id_type, id_number, occupation, job, level,
                                 issued_on, agency_name, created_at)
        SELECT id, number, application_id, plan_id, name, id_type, id_number, occupation, job, level, issued_on,
               agency_name, created_at FROM certificates;
    DROP TABLE certificates;
    ALTER TABLE certificates_12 RENAME TO certificates;
    CREATE INDEX certificates_by_id_number ON certificates (id_number);
    CREATE INDEX certificates_by_number ON certificates (number);
    CREATE INDEX certificates_by_application ON certificates (application_id);
    CREATE UNIQUE INDEX certificates_valid_by_number ON certificates (number) WHERE state = '有效';
    CREATE UNIQUE INDEX certificates_valid_by_application ON certificates (application_id) WHERE state = '有效';
    CREATE TRIGGER certificates_are_kept BEFORE DELETE ON certificates
        BEGIN SELECT RAISE(ABORT, '已颁发的证书不能删除'); END;
    CREATE TRIGGER certificates_stay_revoked BEFORE UPDATE ON certificates WHEN OLD.state = '已作废'
        BEGIN SELECT RAISE(ABORT, '已作废的证书不能再改动'); END;
    CREATE TRIGGER certificates_say_what_they_said BEFORE UPDATE ON certificates
        WHEN NEW.number IS NOT OLD.number OR NEW.application_id IS NOT OLD.application_id OR NEW.name IS NOT OLD.name
          OR NEW.id_number IS NOT OLD.id_number OR NEW.occupation IS NOT OLD.occupation OR NEW.job IS NOT OLD.job
          OR NEW.level IS NOT OLD.level OR NEW.issued_on IS NOT OLD.issued_on OR NEW.agency_name IS NOT OLD.agency_name
        BEGIN SELECT RAISE(ABORT, '证书内容不能修改，只能作废或补发'); END;
    CREATE TRIGGER certificates_insert_is_a_change AFTER INSERT ON certificates WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('certificates', NEW.id); END;
    CREATE TRIGGER certificates_update_is_a_change AFTER UPDATE ON certificates WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('certificates', NEW.id); END;
    "#,
    // 13: certificate numbers the province assigned (证件号码 → 证书编号, imported before issuing), one per application;
    // the issue step takes them instead of generating numbers.
    r#"
    CREATE TABLE assigned_numbers (
        application_id INTEGER PRIMARY KEY REFERENCES applications (id),
        number         TEXT NOT NULL UNIQUE CHECK (length(number) = 22),
        imported_by    TEXT NOT NULL,
        imported_at    TEXT NOT NULL
    );
    "#,
    // 14: a plan's 职业编码 (国家职业分类大典, e.g. 6-31-01-03), what provincial reports and certificates key on.
    r#"
    ALTER TABLE plans ADD COLUMN occupation_code TEXT;
    "#,
    // 15: 缓缴, a third payment state. SQLite cannot change a CHECK, so the table is rebuilt (its columns, indexes
    // and trigger as they were); `apply` runs steps with foreign keys off and checks them before each commit.
    r#"
    CREATE TABLE applications_15 (
        id            INTEGER PRIMARY KEY,
        plan_id       INTEGER NOT NULL REFERENCES plans (id),
        candidate_id  INTEGER NOT NULL REFERENCES candidates (id),
        status        TEXT NOT NULL CHECK (status IN ('待处理', '申请不通过', '申请通过', '已提交申报', '成绩发布')),
        payment       TEXT NOT NULL CHECK (payment IN ('待支付', '已支付', '缓缴', '无需支付')),
        reject_reason TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        UNIQUE (plan_id, candidate_id)
    );
    INSERT INTO applications_15 (id, plan_id, candidate_id, status, payment, reject_reason, created_at, updated_at)
        SELECT id, plan_id, candidate_id, status, payment, reject_reason, created_at, updated_at FROM applications;
    DROP TABLE applications;
    ALTER TABLE applications_15 RENAME TO applications;
    CREATE INDEX applications_by_plan_status ON applications (plan_id, status);
    CREATE INDEX applications_by_candidate ON applications (candidate_id);
    CREATE TRIGGER applications_update_is_a_change AFTER UPDATE ON applications WHEN NOT EXISTS (SELECT 1 FROM changes_paused)
        BEGIN INSERT INTO changes (entity, entity_id) VALUES ('applications', NEW.id); END;
    "#,
    // 16: where a plan's results report to the province stands (no row: 未上报); each change is audited.
    r#"
    CREATE TABLE result_reports (
        plan_id         INTEGER PRIMARY KEY REFERENCES plans (id),
        state           TEXT NOT NULL CHECK (state IN ('已上报', '退回', '已通过')),
        reported_on     TEXT NOT NULL,
        returned_on     TEXT,
        returned_reason TEXT,
        accepted_on     TEXT,
        updated_by      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
    );
    "#,
    // 17: 补考. A re-sit application keeps the parts its original passed (their marks copied into its own scores row,
    // so every rule reads one row of marks); an original is re-sat once.
    r#"
    CREATE TABLE resits (
        application_id INTEGER PRIMARY KEY REFERENCES applications (id),
        original_id    INTEGER NOT NULL UNIQUE REFERENCES applications (id),
        carried        TEXT NOT NULL,
        valid_until    TEXT NOT NULL,
        created_at     TEXT NOT NULL
    );
    "#,
    // 18: the profile fields the 报考条件 routes measure by (所学专业, 毕业院校, 毕业时间, 参加工作时间, 职称).
    r#"
    ALTER TABLE candidates ADD COLUMN major TEXT;
    ALTER TABLE candidates ADD COLUMN school TEXT;
    ALTER TABLE candidates ADD COLUMN graduated_on TEXT;
    ALTER TABLE candidates ADD COLUMN work_started_on TEXT;
    ALTER TABLE candidates ADD COLUMN title TEXT;
    "#,
    // 19: the agency's own 职业目录 entries (imported), which extend and override the bundled list.
    r#"
    CREATE TABLE occupations (
        code        TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    "#,
    // 20: 考务基础数据: 考点, their rooms, and exam staff (考评员 with their certificate, 督导员, 监考).
    r#"
    CREATE TABLE exam_sites (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        address    TEXT NOT NULL,
        leased     INTEGER NOT NULL CHECK (leased IN (0, 1)),
        updated_at TEXT NOT NULL
    );
    CREATE TABLE exam_rooms (
        id           INTEGER PRIMARY KEY,
        site_id      INTEGER NOT NULL REFERENCES exam_sites (id),
        name         TEXT NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('笔试', '机考', '实操', '综合评审')),
        capacity     INTEGER NOT NULL CHECK (capacity > 0),
        workstations INTEGER,
        updated_at   TEXT NOT NULL,
        UNIQUE (site_id, name)
    );
    CREATE TABLE exam_staff (
        id                 INTEGER PRIMARY KEY,
        id_type            TEXT NOT NULL,
        id_number          TEXT NOT NULL,
        name               TEXT NOT NULL,
        role               TEXT NOT NULL CHECK (role IN ('考评员', '督导员', '监考')),
        phone              TEXT NOT NULL,
        employer           TEXT,
        grade              TEXT CHECK (grade IN ('考评员', '高级考评员')),
        certificate_number TEXT,
        valid_until        TEXT,
        occupations        TEXT NOT NULL,
        updated_at         TEXT NOT NULL,
        UNIQUE (id_type, id_number)
    );
    "#,
    // 21: who serves each room's sitting of a plan (room 0: the 考点 as a whole, for its 督导员), with the reason a
    // broken rule was overridden, and the conflicts of interest each person declared for a plan.
    r#"
    CREATE TABLE staff_assignments (
        id              INTEGER PRIMARY KEY,
        plan_id         INTEGER NOT NULL REFERENCES plans (id),
        room            INTEGER NOT NULL CHECK (room >= 0),
        part            TEXT NOT NULL CHECK (part IN ('theory', 'practical', 'review')),
        staff_id        INTEGER NOT NULL REFERENCES exam_staff (id),
        override_reason TEXT,
        assigned_at     TEXT NOT NULL,
        UNIQUE (plan_id, room, part, staff_id)
    );
    CREATE INDEX staff_assignments_by_staff ON staff_assignments (staff_id);
    CREATE TABLE staff_declarations (
        id          INTEGER PRIMARY KEY,
        plan_id     INTEGER NOT NULL REFERENCES plans (id),
        staff_id    INTEGER NOT NULL REFERENCES exam_staff (id),
        declared    TEXT NOT NULL,
        declared_at TEXT NOT NULL,
        UNIQUE (plan_id, staff_id)
    );
    "#,
    // 22: the rule an arrangement filled its seats by, the seed a random one drew with (to show and to repeat), the
    // 考点's rooms it used as they were then (JSON: name, kind, capacity; NULL for numbered rooms), and each seat's
    // sequence in its plan (a 准考证号 rule need not end in it).
    r#"
    ALTER TABLE arrangements ADD COLUMN seat_rule TEXT NOT NULL DEFAULT '按准考证号'
        CHECK (seat_rule IN ('按准考证号', '按证件号码', '随机', '同单位分开', '同单位集中'));
    ALTER TABLE arrangements ADD COLUMN seat_seed INTEGER;
    ALTER TABLE arrangements ADD COLUMN room_list TEXT;
    ALTER TABLE seats ADD COLUMN sequence INTEGER CHECK (sequence > 0);
    "#,
    // 23: parts sat in rooms of their own (操作技能 in 实操 rooms, 综合评审 in its room): the arrangement's rooms for
    // each (JSON, as room_list), and each candidate's place there (NULL: in the arrangement's room and seat).
    r#"
    ALTER TABLE arrangements ADD COLUMN part_rooms TEXT;
    ALTER TABLE seats ADD COLUMN practical_room INTEGER CHECK (practical_room > 0);
    ALTER TABLE seats ADD COLUMN practical_seat INTEGER CHECK (practical_seat > 0);
    ALTER TABLE seats ADD COLUMN review_room INTEGER CHECK (review_room > 0);
    ALTER TABLE seats ADD COLUMN review_seat INTEGER CHECK (review_seat > 0);
    CREATE UNIQUE INDEX seats_practical_place ON seats (plan_id, practical_room, practical_seat)
        WHERE practical_room IS NOT NULL;
    CREATE UNIQUE INDEX seats_review_place ON seats (plan_id, review_room, review_seat) WHERE review_room IS NOT NULL;
    "#,
];

/// The schema version this program writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// The first schema version a PostgreSQL database can have, and the SQL that builds it.
const POSTGRES_BASELINE: (i64, &str) = (10, include_str!("postgres/schema-10.sql"));

/// The schema steps after the baseline in PostgreSQL's dialect, one per SQLite step from 11 on.
const POSTGRES_STEPS: &[&str] = &[
    include_str!("postgres/step-11.sql"),
    include_str!("postgres/step-12.sql"),
    include_str!("postgres/step-13.sql"),
    include_str!("postgres/step-14.sql"),
    include_str!("postgres/step-15.sql"),
    include_str!("postgres/step-16.sql"),
    include_str!("postgres/step-17.sql"),
    include_str!("postgres/step-18.sql"),
    include_str!("postgres/step-19.sql"),
    include_str!("postgres/step-20.sql"),
    include_str!("postgres/step-21.sql"),
    include_str!("postgres/step-22.sql"),
    include_str!("postgres/step-23.sql"),
];

/// Brings the schema up to date. A database of another program, or of a newer SkillCert, is refused untouched; an
/// empty server database gets the schema only when `create` (else [`Error::NoRow`], which the caller words).
pub(super) fn migrate(conn: &mut sql::Connection, create: bool) -> Result<()> {
    match conn.as_sqlite_mut() {
        Some(sqlite) => apply(sqlite, MIGRATIONS),
        None => migrate_postgres(conn, create),
    }
}

/// The schema version of the database.
pub(super) fn version(conn: &sql::Connection) -> Result<i64> {
    match conn.engine() {
        Engine::Sqlite => conn.query_row("PRAGMA user_version", (), |r| r.get(0)),
        Engine::Postgres => postgres_version(conn)?.ok_or(Error::NoRow),
    }
}

/// The version a server database is at: None for one without SkillCert's tables (empty, or another program's).
fn postgres_version(conn: &sql::Connection) -> Result<Option<i64>> {
    let marked: bool = conn.query_row("SELECT to_regclass('skillcert_schema') IS NOT NULL", (), |r| r.get(0))?;
    if !marked {
        return Ok(None);
    }
    let (app_id, version): (i64, i64) =
        conn.query_row("SELECT application_id, version FROM skillcert_schema", (), |r| Ok((r.get(0)?, r.get(1)?)))?;
    if app_id != i64::from(APPLICATION_ID) {
        return Err(not_ours());
    }
    Ok(Some(version))
}

fn not_ours() -> Error {
    Error::Refused(
        "这个数据库不是 SkillCert 的数据库（其中已有其他程序的数据表），为免损坏已拒绝使用，未做任何改动".into(),
    )
}

fn migrate_postgres(conn: &sql::Connection, create: bool) -> Result<()> {
    let refuse_newer = |found: i64| {
        if found > LATEST_VERSION {
            return Err(Error::SchemaTooNew { found, supported: LATEST_VERSION });
        }
        Ok(())
    };
    // Read-only checks first, outside any lock, so a database to refuse is never written to.
    match postgres_version(conn)? {
        Some(found) if found >= LATEST_VERSION => return refuse_newer(found),
        Some(_) => {}
        None => {
            let tables: i64 = conn.query_row(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
                (),
                |r| r.get(0),
            )?;
            if tables > 0 {
                return Err(not_ours());
            }
            if !create {
                return Err(Error::NoRow);
            }
        }
    }
    // Several PCs may open a new or older database at once: the write lock makes them take turns, and each checks
    // again what the one before it left.
    conn.begin()?;
    let result = (|| {
        let found = postgres_version(conn)?;
        if let Some(found) = found {
            refuse_newer(found)?;
        }
        let (baseline, schema) = POSTGRES_BASELINE;
        if found.is_none() {
            conn.execute_batch(schema)?;
            conn.execute(
                "INSERT INTO skillcert_schema (application_id, version) VALUES (?1, ?2)",
                sql::params![i64::from(APPLICATION_ID), baseline],
            )?;
        }
        let mut version = found.unwrap_or(baseline);
        for (step, sql) in (baseline + 1..).zip(POSTGRES_STEPS) {
            if step > version {
                conn.execute_batch(sql)?;
                version = step;
            }
        }
        conn.execute("UPDATE skillcert_schema SET version = ?1", [version])?;
        conn.commit()
    })();
    if result.is_err() {
        conn.rollback();
    }
    result
}

fn apply(conn: &mut Connection, steps: &[&str]) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", (), |r| r.get(0))?;
    if current as usize >= steps.len() {
        return Ok(());
    }
    // A step that rebuilds a table others refer to drops it first: with foreign keys on, that would delete (or
    // refuse) the rows referring to it. They are off while the steps run (a connection's setting, outside any
    // transaction) and checked whole before each step commits.
    conn.pragma_update(None, "foreign_keys", false)?;
    let result = (|| {
        for (index, sql) in steps.iter().enumerate().skip(current as usize) {
            let version = index as i64 + 1;
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", (), |r| r.get(0))?;
            if broken > 0 {
                return Err(Error::Refused(format!(
                    "数据库升级到第 {version} 版时发现 {broken} 条记录的关联不完整，升级已撤销，数据未改动"
                )));
            }
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()?;
        }
        Ok(())
    })();
    conn.pragma_update(None, "foreign_keys", true)?;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_step_runs_on_postgresql_too() {
        assert_eq!(
            POSTGRES_BASELINE.0 + POSTGRES_STEPS.len() as i64,
            LATEST_VERSION,
            "a schema step after the PostgreSQL baseline needs its PostgreSQL SQL in POSTGRES_STEPS"
        );
    }

    /// Step 15 rebuilds the applications table others refer to: the rows referring to it stay, foreign keys are on
    /// again afterwards, and the new payment state is accepted.
    #[test]
    fn rebuilding_the_applications_table_keeps_what_refers_to_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        apply(&mut conn, &MIGRATIONS[..14]).unwrap();
        conn.execute_batch(
            "INSERT INTO plans (id, occupation, level, reg_start, reg_end, exam_date, code, plan_no, announced_on,
                                created_at, updated_at)
             VALUES (1, '电工', '四级/中级工', '2026-12-01', '2026-12-02', '2026-12-03', '155265', 'P1', '2026-12-01',
                     't', 't');
             INSERT INTO candidates (id, id_type, id_number, name, phone, created_at, updated_at)
             VALUES (1, '居民身份证', '11010519491231002X', '张三', '13800000000', 't', 't');
             INSERT INTO applications (id, plan_id, candidate_id, status, payment, created_at, updated_at)
             VALUES (7, 1, 1, '已提交申报', '待支付', 't', 't');
             INSERT INTO scores (application_id, theory, updated_at) VALUES (7, 805, 't');",
        )
        .unwrap();
        assert!(conn.execute("UPDATE applications SET payment = '缓缴'", ()).is_err(), "schema 14 knows no 缓缴");
        apply(&mut conn, MIGRATIONS).unwrap();
        conn.execute("UPDATE applications SET payment = '缓缴'", ()).unwrap();
        let kept: i64 = conn
            .query_row("SELECT theory FROM scores JOIN applications ON applications.id = application_id", (), |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(kept, 805);
        let on: bool = conn.query_row("PRAGMA foreign_keys", (), |r| r.get(0)).unwrap();
        assert!(on);
        assert!(conn.execute("DELETE FROM applications", ()).is_err(), "the marks still refer to it");
        let logged: i64 =
            conn.query_row("SELECT count(*) FROM changes WHERE entity = 'applications'", (), |r| r.get(0)).unwrap();
        assert!(logged >= 1, "the change-log trigger was made again");
    }

    /// A portal database of schema 8 with `agencies` token names and one plan.
    fn portal_before_agencies(agencies: &[&str]) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, &MIGRATIONS[..8]).unwrap();
        for (i, name) in agencies.iter().enumerate() {
            conn.execute(
                "INSERT INTO agency_tokens (name, token_hash, created_at) VALUES (?1, ?2, 't')",
                rusqlite::params![name, format!("hash{i}")],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO plans (occupation, level, reg_start, reg_end, exam_date, code, plan_no, announced_on,
                                created_at, updated_at)
             VALUES ('电工', '四级/中级工', '2026-12-01', '2026-12-02', '2026-12-03', '155265', 'P1', '2026-12-01',
                     't', 't');",
        )
        .unwrap();
        apply(&mut conn, MIGRATIONS).unwrap();
        conn
    }

    #[test]
    fn a_portal_of_one_agency_keeps_its_plans_and_tokens_as_that_agencys() {
        // Two tokens of one name: two PCs of the same agency.
        let conn = portal_before_agencies(&["甲中心", "甲中心"]);
        let agencies: i64 = conn.query_row("SELECT count(*) FROM agencies", (), |r| r.get(0)).unwrap();
        assert_eq!(agencies, 1);
        let owners: Vec<Option<i64>> = conn
            .prepare("SELECT agency_id FROM agency_tokens UNION ALL SELECT agency_id FROM plans")
            .unwrap()
            .query_map((), |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(owners, [Some(1), Some(1), Some(1)]);
        let unsent: i64 =
            conn.query_row("SELECT count(*) FROM changes WHERE entity = 'plans'", (), |r| r.get(0)).unwrap();
        assert_eq!(unsent, 1, "the owner's assignment is not a change to send (only step 6's initial row)");
    }

    #[test]
    fn on_a_portal_of_several_agencies_an_old_plan_waits_for_its_agency() {
        let conn = portal_before_agencies(&["甲中心", "乙中心"]);
        let owner: Option<i64> = conn.query_row("SELECT agency_id FROM plans", (), |r| r.get(0)).unwrap();
        assert_eq!(owner, None);
        let tokens: i64 =
            conn.query_row("SELECT count(*) FROM agency_tokens WHERE agency_id IS NOT NULL", (), |r| r.get(0)).unwrap();
        assert_eq!(tokens, 2);
    }

    #[test]
    fn a_failing_step_leaves_the_previous_version_whole() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = ["CREATE TABLE a (x);", "CREATE TABLE b (x); INSERT INTO nowhere VALUES (1);"];
        assert!(apply(&mut conn, &steps).is_err());
        let version: i64 = conn.query_row("PRAGMA user_version", (), |r| r.get(0)).unwrap();
        assert_eq!(version, 1);
        let b_exists: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'b'", (), |r| r.get(0)).unwrap();
        assert_eq!(b_exists, 0, "the failed step's first statement was rolled back");
        // Fixed, the same list resumes from version 1.
        let fixed = ["CREATE TABLE a (x);", "CREATE TABLE b (x);"];
        apply(&mut conn, &fixed).unwrap();
        let version: i64 = conn.query_row("PRAGMA user_version", (), |r| r.get(0)).unwrap();
        assert_eq!(version, 2);
    }

    #[test]
    fn a_database_older_than_the_sync_log_sends_everything_it_holds_first() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, &MIGRATIONS[..5]).unwrap();
        conn.execute_batch(
            "INSERT INTO plans (occupation, level, reg_start, reg_end, exam_date, code, plan_no, announced_on,
                                created_at, updated_at)
             VALUES ('电工', '四级/中级工', '2026-12-01', '2026-12-20', '2026-12-28', '155265', '1', '2026-11-01', 't', 't');
             INSERT INTO candidates (id_type, id_number, name, phone, created_at, updated_at)
             VALUES ('居民身份证', '11010519491231002X', '张三', '13812345678', 't', 't');
             INSERT INTO applications (plan_id, candidate_id, status, payment, created_at, updated_at)
             VALUES (1, 1, '待处理', '待支付', 't', 't');",
        )
        .unwrap();
        apply(&mut conn, MIGRATIONS).unwrap();
        let logged: Vec<String> = conn
            .prepare("SELECT entity FROM changes ORDER BY seq")
            .unwrap()
            .query_map((), |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(logged, ["plans", "candidates", "applications"]);
    }
}

#[cfg(test)]
mod upgrade_tests {
    use std::path::Path;

    use super::*;
    use crate::encryption::Keys;
    use crate::store::Store;

    #[test]
    fn an_upgrade_keeps_the_database_as_it_was_first() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("agency.db");
        {
            let mut conn = Connection::open(&db).unwrap();
            apply(&mut conn, &MIGRATIONS[..MIGRATIONS.len() - 1]).unwrap();
        }
        let store = Store::open_existing(&db, &Keys::Plain).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        let kept = crate::backup::list(&db).unwrap();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].reason, crate::backup::BackupReason::BeforeMigration);
        assert_eq!(crate::backup::verify(Path::new(&kept[0].path), &Keys::Plain).unwrap(), LATEST_VERSION - 1);
        // An up-to-date database is opened without another copy.
        drop(store);
        Store::open_existing(&db, &Keys::Plain).unwrap();
        assert_eq!(crate::backup::list(&db).unwrap().len(), 1);
    }
}
