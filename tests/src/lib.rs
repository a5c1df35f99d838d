//! Whole-system tests (in tests/): the real `skillcert` binary against real SQLite files, or, with
//! `SKILLCERT_TEST_ENGINE=postgres` (`cargo xtask test` runs them both ways), real databases on a throwaway
//! PostgreSQL cluster.
//!
//! This library only helps them find and run the binary and make their databases.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use skillcert_core::encryption::{self, DbKey, KEY_ENV, Keys};

/// The `skillcert` binary of this build, next to the test executable's `deps` folder. It is (re)built once per test
/// process, so a test never runs a stale binary (`cargo test` alone does not build other packages' binaries).
pub fn skillcert_bin() -> PathBuf {
    static BUILT: Once = Once::new();
    built_binary(&BUILT, "skillcert-cli", "skillcert")
}

/// The `skillcert-portal` binary of this build, (re)built once per test process like [`skillcert_bin`].
pub fn portal_bin() -> PathBuf {
    static BUILT: Once = Once::new();
    built_binary(&BUILT, "skillcert-portal", "skillcert-portal")
}

fn built_binary(built: &Once, package: &str, name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
    let bin = profile_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    built.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "-p", package]);
        if profile_dir.file_name().is_some_and(|p| p == "release") {
            build.arg("--release");
        }
        let ok = build.status().map(|s| s.success()).unwrap_or(false);
        assert!(ok && bin.exists(), "could not build the {name} binary at {}", bin.display());
    });
    bin
}

/// The key every test database is encrypted with, made once per test process: the binaries get it as their
/// recovery code (`SKILLCERT_DB_KEY`), so the tests run on SQLCipher files as agencies have them.
pub fn test_key() -> &'static DbKey {
    static KEY: OnceLock<DbKey> = OnceLock::new();
    KEY.get_or_init(|| DbKey::random().expect("random key"))
}

/// The keys a test opens its databases with directly.
pub fn test_keys() -> Keys {
    Keys::Given(test_key().clone())
}

/// `skillcert` with the test key (add `--db` and the arguments).
pub fn skillcert_cmd() -> Command {
    let mut cmd = Command::new(skillcert_bin());
    cmd.env(KEY_ENV, test_key().recovery_code());
    cmd
}

/// A bare SQL connection to a test database (keyed: the files are encrypted).
pub fn connect(db: &Path) -> rusqlite::Connection {
    encryption::connect(db, &test_keys()).unwrap_or_else(|e| panic!("open {}: {e}", db.display()))
}

/// Whether this run's databases are on a PostgreSQL server (`SKILLCERT_TEST_ENGINE=postgres`).
pub fn on_server() -> bool {
    std::env::var("SKILLCERT_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

/// Where a test's database `name` is: a file in `dir`, or a new database on the throwaway cluster (its URL, which
/// `--db` takes like a path).
pub fn new_database(dir: &Path, name: &str) -> PathBuf {
    if on_server() {
        PathBuf::from(skillcert_core::throwaway_postgres::fresh_database(name))
    } else {
        dir.join(format!("{name}.db"))
    }
}

/// A bare SQL connection to a test database of either engine, for a test's own checks and set-ups.
pub enum RawDb {
    File(rusqlite::Connection),
    Server(postgres::Client),
}

/// Opens `db` as [`new_database`] made it.
pub fn raw(db: &Path) -> RawDb {
    let text = db.to_string_lossy();
    if text.starts_with("postgres://") {
        RawDb::Server(postgres::Client::connect(&text, postgres::NoTls).expect("connect to the test database"))
    } else {
        RawDb::File(connect(db))
    }
}

impl RawDb {
    /// The one integer `sql` selects.
    pub fn number(&mut self, sql: &str) -> i64 {
        self.try_number(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The one integer `sql` selects, or why not (a file another process is writing, say).
    pub fn try_number(&mut self, sql: &str) -> Result<i64, String> {
        match self {
            RawDb::File(conn) => conn.query_row(sql, [], |r| r.get(0)).map_err(|e| e.to_string()),
            RawDb::Server(client) => {
                let row = client.query_one(sql, &[]).map_err(|e| e.to_string())?;
                // count(*) is BIGINT; max() of a BIGINT column too; a literal is INTEGER.
                row.try_get::<_, i64>(0).or_else(|_| row.try_get::<_, i32>(0).map(i64::from)).map_err(|e| e.to_string())
            }
        }
    }

    /// The one text `sql` selects.
    pub fn text(&mut self, sql: &str) -> String {
        match self {
            RawDb::File(conn) => conn.query_row(sql, [], |r| r.get(0)),
            RawDb::Server(client) => {
                return client
                    .query_one(sql, &[])
                    .and_then(|row| row.try_get(0))
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs statements (no parameters).
    pub fn run(&mut self, sql: &str) {
        match self {
            RawDb::File(conn) => conn.execute_batch(sql).unwrap_or_else(|e| panic!("{sql}: {e}")),
            RawDb::Server(client) => client.batch_execute(sql).unwrap_or_else(|e| panic!("{sql}: {e}")),
        }
    }
}

/// The outcome of one CLI call.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

/// Runs `skillcert --db DB ARGS…` with a fixed operator name.
pub fn skillcert(db: &Path, args: &[&str]) -> Run {
    skillcert_cmd()
        .arg("--db")
        .arg(db)
        .args(args)
        .env("SKILLCERT_OPERATOR", "测试操作员")
        .env_remove("SKILLCERT_DB")
        .output()
        .expect("run skillcert")
        .into()
}

/// Publishes a plan (registration 2026-12-01 to 2026-12-20, exam 2026-12-28) and returns its id as printed.
pub fn add_plan(db: &Path, occupation: &str, level: &str, extra: &[&str]) -> String {
    let run = try_add_plan(db, occupation, level, extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let id = run.stdout.trim().to_string();
    assert!(id.parse::<i64>().is_ok(), "plan add prints the id, got {id:?}");
    id
}

/// `plan add` with [`add_plan`]'s dates, for a test that expects a refusal.
pub fn try_add_plan(db: &Path, occupation: &str, level: &str, extra: &[&str]) -> Run {
    let mut args = vec!["plan", "add", "--occupation", occupation, "--level", level];
    args.extend(["--reg-start", "2026-12-01", "--reg-end", "2026-12-20", "--exam", "2026-12-28"]);
    args.extend(extra);
    skillcert(db, &args)
}

/// A fresh agency database in a temporary folder, and the files a test writes beside it.
pub struct Agency {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Agency {
    pub fn new() -> Agency {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db = new_database(dir.path(), "agency");
        let init = skillcert(&db, &["init"]);
        assert_eq!(init.code, 0, "{}", init.stderr);
        Agency { dir, db }
    }

    /// `skillcert --db <this database> ARGS…`.
    pub fn run(&self, args: &[&str]) -> Run {
        skillcert(&self.db, args)
    }

    /// `skillcert settings set KEY VALUE` for each pair, each expected to succeed.
    pub fn set_settings(&self, pairs: &[(&str, &str)]) {
        for (key, value) in pairs {
            let run = self.run(&["settings", "set", key, value]);
            assert_eq!(run.code, 0, "settings set {key}: {}", run.stderr);
        }
    }

    /// A path in the test's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `days` pass for a plan: its exam and its results notice move that far into the past, as the clock would
    /// take them (an exam is arranged in the future; marks, publication and certificates come after it).
    pub fn days_pass(&self, plan: &str, days: u32) {
        time_passes(&self.db, plan, days);
    }

    /// The plan's exam has been held: [`Agency::days_pass`] by 60 days (the tests' exams lie less far ahead).
    pub fn exam_held(&self, plan: &str) {
        self.days_pass(plan, 60);
    }

    /// The plan's results notice has ended ([`Agency::days_pass`] by 30 days) and its certificates are issued,
    /// dated today.
    pub fn issue_after_notice(&self, plan: &str) -> Run {
        self.days_pass(plan, 30);
        let today = skillcert_core::domain::text::today_in_shanghai().to_string();
        self.run(&["certificate", "issue", "--plan", plan, "--date", &today, "--json"])
    }
}

/// [`Agency::days_pass`] for any test database.
pub fn time_passes(db: &Path, plan: &str, days: u32) {
    let plan: i64 = plan.parse().expect("a plan id");
    let mut raw = raw(db);
    let server = matches!(raw, RawDb::Server(_));
    raw.run(&skillcert_fixtures::clock::days_pass_sql(server, Some(plan), days));
}

impl Default for Agency {
    fn default() -> Self {
        Agency::new()
    }
}

/// Declares `Env`, a test file's own wrapper around a fresh [`Agency`] (it derefs to it), so the file can add its own
/// helper methods in an `impl Env` block.
#[macro_export]
macro_rules! agency_env {
    () => {
        /// The shared test agency, with this file's own helpers.
        struct Env($crate::Agency);

        impl std::ops::Deref for Env {
            type Target = $crate::Agency;
            fn deref(&self) -> &$crate::Agency {
                &self.0
            }
        }
    };
}

/// A portal serving its own database on a free loopback port; killed when dropped.
pub struct RunningPortal {
    child: Child,
    pub url: String,
    pub db: PathBuf,
}

impl RunningPortal {
    pub fn start(dir: &Path) -> RunningPortal {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        RunningPortal::on(new_database(dir, "portal"), port)
    }

    /// Kills the process at once (SIGKILL on Unix): a crash, not a shutdown.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Another portal process on the same database, at its own address (a portal that outgrew one process).
    pub fn beside(&self) -> RunningPortal {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        RunningPortal::on(self.db.clone(), port)
    }

    /// The same portal (database and address) started again.
    pub fn restart(mut self) -> RunningPortal {
        self.kill();
        let port: u16 = self.url.rsplit(':').next().unwrap().parse().unwrap();
        RunningPortal::on(self.db.clone(), port)
    }

    fn on(db: PathBuf, port: u16) -> RunningPortal {
        let child = Command::new(portal_bin())
            .arg("--db")
            .arg(&db)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .spawn()
            .expect("start the portal");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the portal did not listen within 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        RunningPortal { child, url, db }
    }

    /// A new agency sync token (`skillcert-portal agency add`).
    pub fn token(&self, agency: &str) -> String {
        let out =
            Command::new(portal_bin()).arg("--db").arg(&self.db).args(["agency", "add", agency]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// GET without cookies: (status, body).
    pub fn get(&self, path: &str) -> (u16, String) {
        let mut response =
            ureq::get(&format!("{}{path}", self.url)).config().http_status_as_error(false).build().call().unwrap();
        (response.status().as_u16(), response.body_mut().read_to_string().unwrap())
    }
}

impl Drop for RunningPortal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A one-sheet .xlsx of text cells, as an operator's roster or score sheet looks.
pub fn write_sheet(path: &Path, rows: &[&[&str]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).expect("a text cell");
        }
    }
    wb.save(path).expect("the sheet is written");
}

/// A poppler tool's output for a PDF (pdftotext, pdffonts, pdfinfo; pdftotext writes to stdout with "-").
pub fn poppler(program: &str, args: &[&str], pdf: &Path) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args).arg(pdf);
    if program == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("{program} (poppler-utils): {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
