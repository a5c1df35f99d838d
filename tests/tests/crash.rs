//! Crash safety: the real `skillcert` binary is killed with SIGKILL at random moments during an import, a batch
//! status change, score publication and a schema migration; the database is then reopened and must pass
//! `PRAGMA integrity_check` and `foreign_key_check`, with each operation there in full or not at all. On a
//! PostgreSQL server (`SKILLCERT_TEST_ENGINE=postgres`) the import, the batch change and the publication are killed
//! the same way, each on a copy of the prepared database (`CREATE DATABASE … TEMPLATE`); migrations and encryption
//! are an SQLite file's.
//!
//! Each operation runs `SKILLCERT_CRASH_ITERATIONS` times (default 5) on a fresh copy of a prepared database, killed
//! after a delay drawn between 0 and 1.3 × the time the operation takes uninterrupted. The seed is printed (set
//! `SKILLCERT_CRASH_SEED` to replay a run).

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use skillcert_fixtures::samples;
use skillcert_tests::{Agency, RawDb, add_plan, on_server, skillcert_cmd};

/// Candidates in the prepared databases: enough that each operation takes a good part of a second.
const PEOPLE: usize = 6000;

fn iterations() -> usize {
    std::env::var("SKILLCERT_CRASH_ITERATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(5)
}

/// A small deterministic generator (xorshift), seeded from the clock unless a seed is given.
struct Rng(u64);

impl Rng {
    fn new(what: &str) -> Rng {
        let seed = std::env::var("SKILLCERT_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
        });
        eprintln!("crash test {what}: SKILLCERT_CRASH_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Runs `skillcert --db DB ARGS` to the end and returns how long it took.
fn timed(db: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = skillcert_cmd().arg("--db").arg(db).args(args).stdout(Stdio::null()).status().unwrap();
    assert!(status.success(), "{args:?} failed uninterrupted");
    start.elapsed()
}

/// Starts `skillcert --db DB ARGS`, kills it with SIGKILL after `delay` (unless it finished), and says whether it
/// was killed.
fn kill_after(db: &Path, args: &[&str], delay: Duration) -> bool {
    let mut child =
        skillcert_cmd().arg("--db").arg(db).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(delay);
    let killed = child.try_wait().unwrap().is_none();
    if killed {
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no rollback code of ours runs.
    }
    child.wait().unwrap();
    killed
}

/// The database is whole: SQLite's own checks pass (a server checks its constraints at every commit).
fn assert_whole(db: &Path) -> RawDb {
    let raw = skillcert_tests::raw(db);
    if let RawDb::File(conn) = &raw {
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok", "{}", db.display());
        let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
        assert_eq!(broken, 0, "foreign keys of {}", db.display());
    }
    raw
}

fn count(db: &mut RawDb, sql: &str) -> i64 {
    db.number(sql)
}

/// A copy of `base` (and nothing of an earlier run) to crash on.
fn fresh_copy(base: &Path, run: usize) -> PathBuf {
    if on_server() {
        return server_copy(base, run);
    }
    let dir = base.parent().unwrap().join(format!("run-{run}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("agency.db");
    std::fs::copy(base, &db).unwrap();
    db
}

/// A copy of the server database `base` (a URL) made by the server, owned by the same user.
fn server_copy(base: &Path, run: usize) -> PathBuf {
    let url = base.to_string_lossy().to_string();
    let (head, query) = url.split_once('?').unwrap_or((&url, ""));
    let (server, name) = head.rsplit_once('/').unwrap();
    let user = server.split("//").nth(1).unwrap().split(':').next().unwrap();
    let copy = format!("{name}_run{run}");
    // A test that crashes two operations in turn makes its copies again (one statement each: neither runs in a
    // transaction block).
    let admin = skillcert_core::throwaway_postgres::admin;
    admin(None, &format!("DROP DATABASE IF EXISTS \"{copy}\" WITH (FORCE)"));
    admin(None, &format!("CREATE DATABASE \"{copy}\" OWNER \"{user}\" TEMPLATE \"{name}\""));
    PathBuf::from(format!("{server}/{copy}?{query}"))
}

/// Kills `args` on copies of `base` at random moments and hands each reopened database to `check`. Returns how
/// many runs were killed mid-way and how many of those left the operation done.
fn crash_runs(what: &str, base: &Path, args: &[&str], check: impl Fn(&mut RawDb) -> bool) -> (usize, usize) {
    let mut rng = Rng::new(what);
    let full = timed(&fresh_copy(base, 9999), args);
    let (mut killed, mut done_anyway) = (0, 0);
    for run in 0..iterations() {
        let db = fresh_copy(base, run);
        let delay = Duration::from_micros(rng.below(full.as_micros() as u64 * 13 / 10));
        let was_killed = kill_after(&db, args, delay);
        let mut conn = assert_whole(&db);
        let done = check(&mut conn);
        drop(conn);
        if was_killed {
            killed += 1;
            done_anyway += usize::from(done);
        } else {
            assert!(done, "{what}: finished but not all there");
        }
    }
    eprintln!(
        "crash test {what}: {} runs, {killed} killed mid-way ({done_anyway} of them had already committed), \
         uninterrupted run {full:?}; every database whole, every operation all or nothing",
        iterations()
    );
    (killed, done_anyway)
}

/// A database with one plan (and the settings certificates need) and a roster file of [`PEOPLE`] rows beside it.
fn prepared() -> (Agency, String, PathBuf) {
    let agency = Agency::new();
    let plan = add_plan(&agency.db, "电工", "四级", &[]);
    agency.set_settings(&[
        ("agency.name", "示范中心"),
        ("agency.type", "S"),
        ("agency.province", "44"),
        ("agency.site", "000123"),
    ]);
    let roster = agency.path("roster.xlsx");
    samples::roster(&roster, 11, PEOPLE).unwrap();
    (agency, plan, roster)
}

/// [`prepared`] with the roster imported into the plan: [`PEOPLE`] candidates, each with a 待处理 application.
fn imported() -> (Agency, String) {
    let (agency, plan, roster) = prepared();
    timed(&agency.db, &["import", "candidates", roster.to_str().unwrap(), "--plan", &plan]);
    (agency, plan)
}

#[test]
fn a_killed_import_leaves_all_rows_or_none() {
    let (agency, plan, roster) = prepared();
    let args = ["import", "candidates", roster.to_str().unwrap(), "--plan", &plan];
    crash_runs("import", &agency.db, &args, |conn| {
        let people = count(conn, "SELECT count(*) FROM candidates");
        let applications = count(conn, "SELECT count(*) FROM applications");
        let audited = count(conn, "SELECT count(*) FROM audit_log WHERE action = '导入考生'");
        assert!(people == 0 || people == PEOPLE as i64, "{people} of {PEOPLE} candidates");
        assert_eq!((applications, audited), (people, people), "applications and audit rows go with the candidates");
        people > 0
    });
}

#[test]
fn a_killed_batch_approval_changes_all_or_none() {
    let (agency, plan) = imported();
    let args = ["review", "approve", "--plan", &plan, "--all-pending"];
    crash_runs("batch approval", &agency.db, &args, |conn| {
        let approved = count(conn, "SELECT count(*) FROM applications WHERE status = '申请通过'");
        let pending = count(conn, "SELECT count(*) FROM applications WHERE status = '待处理'");
        let audited = count(conn, "SELECT count(*) FROM audit_log WHERE action = '审核通过'");
        assert!(approved == 0 || pending == 0, "{approved} approved and {pending} pending");
        assert_eq!(audited, approved, "one audit row per approval");
        approved > 0
    });
}

#[test]
fn a_killed_publication_and_a_killed_issue_each_do_all_or_nothing() {
    let (agency, plan) = imported();
    timed(&agency.db, &["review", "approve", "--plan", &plan, "--all-pending"]);
    let mut arrange = vec!["arrange", "--plan", &plan, "--venue", "示范中心第一考点", "--rooms", "60"];
    arrange.extend(["--seats-per-room", "100", "--theory", "2026-12-28 09:00-10:30"]);
    arrange.extend(["--practical", "2026-12-28 13:30-16:00"]);
    timed(&agency.db, &arrange);
    agency.exam_held(&plan);
    // Marks for everyone (what a score import would have entered).
    skillcert_tests::raw(&agency.db).run(
        "INSERT INTO scores (application_id, theory, practical, updated_at) SELECT id, 800, 750, 't' FROM applications",
    );
    let args = ["scores", "publish", "--plan", &plan];
    crash_runs("score publication", &agency.db, &args, |conn| {
        let published = count(conn, "SELECT count(*) FROM applications WHERE status = '成绩发布'");
        let notices = count(conn, "SELECT count(*) FROM results_notices");
        assert!(published == 0 || published == PEOPLE as i64, "{published} of {PEOPLE} published");
        assert_eq!(notices, i64::from(published > 0), "the notice opens with the publication");
        assert_eq!(count(conn, "SELECT count(*) FROM certificates"), 0, "no certificate before the notice ends");
        published > 0
    });
    // The base itself published, its notice over: issuing is what gets killed now.
    timed(&agency.db, &args);
    agency.days_pass(&plan, 30);
    let today = skillcert_core::domain::text::today_in_shanghai().to_string();
    let args = ["certificate", "issue", "--plan", &plan, "--date", &today];
    crash_runs("certificate issue", &agency.db, &args, |conn| {
        let certificates = count(conn, "SELECT count(*) FROM certificates");
        assert!(certificates == 0 || certificates == PEOPLE as i64, "{certificates} of {PEOPLE} issued");
        let serial = count(conn, "SELECT coalesce(max(last_serial), 0) FROM certificate_serials");
        assert_eq!(serial, certificates, "serials handed out match the certificates issued");
        let audited = count(conn, "SELECT count(*) FROM audit_log WHERE action = '颁发证书'");
        assert_eq!(audited, certificates, "one audit row per certificate");
        certificates > 0
    });
}

#[test]
fn a_killed_upgrade_leaves_the_old_or_the_new_schema() {
    let (agency, _) = imported();
    let latest = skillcert_core::LATEST_VERSION;
    if on_server() {
        // A server database as an earlier release left it: schema 10, before results notices and corrections (11),
        // certificates that are revoked and reissued (12), numbers the province assigned (13), 职业编码 (14),
        // 缓缴 (15), results reports (16), re-sits (17), the profile's education and work fields (18), the
        // agency's own 职业目录 (19), 考务基础数据 (20), staff assignments (21), seat rules (22) and parts in rooms of their own (23).
        skillcert_tests::raw(&agency.db).run(
            "ALTER TABLE arrangements DROP COLUMN part_rooms;
             ALTER TABLE seats DROP COLUMN practical_room, DROP COLUMN practical_seat, DROP COLUMN review_room,
                 DROP COLUMN review_seat;
             ALTER TABLE arrangements DROP COLUMN seat_rule, DROP COLUMN seat_seed, DROP COLUMN room_list;
             ALTER TABLE seats DROP COLUMN sequence;
             DROP TABLE staff_declarations; DROP TABLE staff_assignments; DROP TABLE exam_staff; DROP TABLE exam_rooms; DROP TABLE exam_sites; DROP TABLE occupations;
             ALTER TABLE candidates DROP COLUMN major, DROP COLUMN school, DROP COLUMN graduated_on,
                 DROP COLUMN work_started_on, DROP COLUMN title;
             DROP TABLE resits; DROP TABLE result_reports;
             ALTER TABLE applications DROP CONSTRAINT applications_payment_check,
                 ADD CONSTRAINT applications_payment_check CHECK (payment IN ('待支付', '已支付', '无需支付'));
             ALTER TABLE plans DROP COLUMN occupation_code;
             DROP TABLE assigned_numbers; DROP TABLE results_notices; DROP TABLE score_corrections;
             DROP TRIGGER certificates_stay_revoked ON certificates;
             DROP TRIGGER certificates_say_what_they_said ON certificates;
             DROP INDEX certificates_valid_by_number; DROP INDEX certificates_valid_by_application;
             DROP INDEX certificates_by_number; DROP INDEX certificates_by_application;
             ALTER TABLE certificates DROP COLUMN state, DROP COLUMN revoked_on, DROP COLUMN revoked_reason,
                 DROP COLUMN revoked_by, DROP COLUMN replaces_id, DROP COLUMN print_serial;
             ALTER TABLE certificates ADD CONSTRAINT certificates_number_key UNIQUE (number),
                 ADD CONSTRAINT certificates_application_id_key UNIQUE (application_id);
             UPDATE skillcert_schema SET version = 10;",
        );
        crash_runs("migration", &agency.db, &["plan", "list"], |conn| {
            let version = count(conn, "SELECT version FROM skillcert_schema");
            let has_notices = count(conn, "SELECT count(*) FROM pg_tables WHERE tablename = 'results_notices'");
            assert!((10..=latest).contains(&version), "schema {version}");
            assert_eq!(has_notices == 1, version >= 11, "each step's change comes with its version");
            assert_eq!(count(conn, "SELECT count(*) FROM candidates"), PEOPLE as i64, "no data lost");
            version == latest
        });
        return;
    }
    // The database as an earlier release left it: schema 6, before plans had rules (7), operators had accounts (8),
    // a portal told its agencies apart (9), counted failed sign-ins (10), kept results notices and corrections (11)
    // revoked and reissued certificates (12, which rebuilds the certificates table), took numbers the province
    // assigned (13), knew the 职业编码 (14), 缓缴 (15, which rebuilds the applications table), results reports (16)
    // re-sits (17), the profile's education and work fields (18), the agency's own 职业目录 (19), 考务基础数据 (20)
    // staff assignments (21), seat rules (22) and parts in rooms of their own (23).
    let conn = skillcert_tests::connect(&agency.db);
    conn.execute_batch(
        "DROP INDEX seats_practical_place; DROP INDEX seats_review_place; ALTER TABLE arrangements DROP COLUMN part_rooms;
         ALTER TABLE seats DROP COLUMN practical_room; ALTER TABLE seats DROP COLUMN practical_seat;
         ALTER TABLE seats DROP COLUMN review_room; ALTER TABLE seats DROP COLUMN review_seat;
         ALTER TABLE arrangements DROP COLUMN seat_rule; ALTER TABLE arrangements DROP COLUMN seat_seed;
         ALTER TABLE arrangements DROP COLUMN room_list; ALTER TABLE seats DROP COLUMN sequence;
         DROP TABLE staff_declarations; DROP TABLE staff_assignments; DROP TABLE exam_staff; DROP TABLE exam_rooms; DROP TABLE exam_sites; DROP TABLE occupations; ALTER TABLE candidates DROP COLUMN major; ALTER TABLE candidates DROP COLUMN school;
         ALTER TABLE candidates DROP COLUMN graduated_on; ALTER TABLE candidates DROP COLUMN work_started_on;
         ALTER TABLE candidates DROP COLUMN title;
         DROP TABLE resits; DROP TABLE result_reports; ALTER TABLE plans DROP COLUMN occupation_code;
         DROP TABLE assigned_numbers; DROP TABLE results_notices; DROP TABLE score_corrections;
         DROP TABLE sign_in_failures; DROP INDEX plans_by_agency; DROP INDEX sessions_by_candidate; ALTER TABLE plans DROP COLUMN agency_id;
         ALTER TABLE agency_tokens DROP COLUMN agency_id; DROP TABLE agencies;
         ALTER TABLE plans DROP COLUMN eligibility; DROP TABLE operators; PRAGMA user_version = 6;",
    )
    .unwrap();
    drop(conn);
    crash_runs("migration", &agency.db, &["plan", "list"], |conn| {
        let version = count(conn, "PRAGMA user_version");
        let has_rules = count(conn, "SELECT count(*) FROM pragma_table_info('plans') WHERE name = 'eligibility'");
        let has_operators = count(conn, "SELECT count(*) FROM sqlite_schema WHERE name = 'operators'");
        let has_agencies = count(conn, "SELECT count(*) FROM sqlite_schema WHERE name = 'agencies'");
        let has_notices = count(conn, "SELECT count(*) FROM sqlite_schema WHERE name = 'results_notices'");
        assert!((6..=latest).contains(&version), "schema {version}");
        assert_eq!(has_rules == 1, version >= 7, "each step's change comes with its version");
        assert_eq!(has_operators == 1, version >= 8, "each step's change comes with its version");
        assert_eq!(has_agencies == 1, version >= 9, "each step's change comes with its version");
        assert_eq!(has_notices == 1, version >= 11, "each step's change comes with its version");
        assert_eq!(count(conn, "SELECT count(*) FROM candidates"), PEOPLE as i64, "no data lost");
        assert_eq!(count(conn, "SELECT count(*) FROM applications"), PEOPLE as i64, "no application lost");
        version == latest
    });
    // Whatever the kill left, the next start finishes the upgrade.
    for run in 0..iterations() {
        let db = agency.dir.path().join(format!("run-{run}")).join("agency.db");
        timed(&db, &["plan", "list"]);
        assert_eq!(count(&mut assert_whole(&db), "PRAGMA user_version"), latest);
    }
}

#[test]
fn a_killed_encryption_leaves_the_plain_or_the_encrypted_database() {
    if on_server() {
        eprintln!("encryption at rest is an SQLite file's (a server keeps its own files)");
        return;
    }
    let (agency, _) = imported();
    // The database as a SkillCert without a key left it: plain, with a plain backup beside it.
    let plain = agency.path("plain/agency.db");
    std::fs::create_dir_all(plain.parent().unwrap()).unwrap();
    skillcert_tests::connect(&agency.db)
        .execute_batch(&format!(
            "ATTACH DATABASE '{}' AS plain KEY ''; SELECT sqlcipher_export('plain');
             PRAGMA plain.user_version = {}; PRAGMA plain.application_id = {}; DETACH DATABASE plain;",
            plain.display(),
            skillcert_core::LATEST_VERSION,
            skillcert_core::APPLICATION_ID
        ))
        .unwrap();
    assert!(is_plain(&plain));
    let encrypted = |db: &mut RawDb| {
        assert_eq!(count(db, "SELECT count(*) FROM candidates"), PEOPLE as i64, "no data lost");
        let RawDb::File(conn) = db else { unreachable!("SQLite only") };
        !is_plain(Path::new(conn.path().unwrap()))
    };
    crash_runs("encryption", &plain, &["plan", "list"], encrypted);
    // Whatever the kill left, the next start finishes the encryption and leaves no partial copy behind.
    for run in 0..iterations() {
        let db = plain.parent().unwrap().join(format!("run-{run}")).join("agency.db");
        timed(&db, &["plan", "list"]);
        assert!(!is_plain(&db));
        assert!(!db.with_extension("db.encrypting").exists());
    }
}

fn is_plain(db: &Path) -> bool {
    std::fs::read(db).unwrap().starts_with(b"SQLite format 3\0")
}
