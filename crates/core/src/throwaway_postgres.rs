//! A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` and `pg_ctl` in a temporary folder, listening on
//! 127.0.0.1 at a free port, with password authentication as a real server has. One cluster per process, made on
//! first use; a watchdog stops it and removes its folder once the process has ended, however it ended.
//!
//! `SKILLCERT_TEST_POSTGRES` (an administrator's URL) uses a server that is already running instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The environment variable naming a running server to use instead of a cluster of our own.
pub const SERVER_ENV: &str = "SKILLCERT_TEST_POSTGRES";

const ADMIN: &str = "skillcert_admin";
const ADMIN_PASSWORD: &str = "throwaway-admin";

struct Cluster {
    /// postgres://skillcert_admin:…@127.0.0.1:PORT — without a database name.
    base: String,
}

/// The URL of a new, empty database on the shared cluster, owned by a user of its own (`name_…`) who may create
/// tables in it, as an agency's administrator would set one up.
pub fn fresh_database(name: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let cluster = cluster();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let database = format!("{}_{}_{n}", sanitize(name), std::process::id());
    let user = format!("u_{database}");
    admin(None, &format!("CREATE USER \"{user}\" PASSWORD 'pw-{database}'"));
    admin(None, &format!("CREATE DATABASE \"{database}\" OWNER \"{user}\" ENCODING 'UTF8' TEMPLATE template0"));
    let host = cluster.base.rsplit_once('@').map(|(_, h)| h).unwrap_or_default();
    format!("postgres://{user}:pw-{database}@{host}/{database}?sslmode=disable")
}

/// Runs SQL as the cluster's administrator (in the `postgres` database, or `database`).
pub fn admin(database: Option<&str>, sql: &str) {
    let cluster = cluster();
    let url = format!("{}/{}?sslmode=disable", cluster.base, database.unwrap_or("postgres"));
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect to the throwaway cluster");
    client.batch_execute(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The address of the cluster as its administrator, with `database`.
pub fn admin_url(database: &str) -> String {
    format!("{}/{database}?sslmode=disable", cluster().base)
}

fn sanitize(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    s.chars().take(30).collect()
}

fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| match std::env::var(SERVER_ENV) {
        Ok(url) => Cluster { base: url.trim_end_matches('/').to_string() },
        Err(_) => start(),
    })
}

/// PostgreSQL's server programs: on Debian they are under /usr/lib/postgresql/N/bin, not on PATH.
fn bin_dir() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").exists())
        .collect();
    found.sort();
    if let Some((_, bin)) = found.pop() {
        return bin;
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    }
    PathBuf::new() // on PATH
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// `program args…`, as the `postgres` user when we are root (initdb and the server refuse to run as root).
fn as_server_user(program: &Path, args: &[&str]) -> Command {
    if is_root() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program).args(args);
        cmd
    } else {
        let mut cmd = Command::new(program);
        cmd.args(args);
        cmd
    }
}

fn run(mut cmd: Command, what: &str) {
    let out = cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn start() -> Cluster {
    let bin = bin_dir();
    // Not a TempDir: the watchdog removes it after this process is gone.
    let dir = std::env::temp_dir().join(format!("skillcert-pg-{}-{}", std::process::id(), random_suffix()));
    std::fs::create_dir_all(&dir).expect("cluster folder");
    if is_root() {
        run(
            {
                let mut c = Command::new("chown");
                c.arg("postgres:postgres").arg(&dir);
                c
            },
            "chown",
        );
    }
    let data = dir.join("data");
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, ADMIN_PASSWORD).expect("password file");
    if is_root() {
        run(
            {
                let mut c = Command::new("chown");
                c.arg("postgres:postgres").arg(&pwfile);
                c
            },
            "chown",
        );
    }
    let data_arg = data.to_string_lossy().to_string();
    let pw_arg = format!("--pwfile={}", pwfile.display());
    run(
        as_server_user(
            &bin.join("initdb"),
            &["-D", &data_arg, "-U", ADMIN, "-A", "scram-sha-256", &pw_arg, "-E", "UTF8", "--no-sync", "--locale=C"],
        ),
        "initdb",
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200",
        dir.display()
    );
    let log = dir.join("server.log").to_string_lossy().to_string();
    run(
        as_server_user(&bin.join("pg_ctl"), &["-D", &data_arg, "-o", &options, "-l", &log, "-w", "start"]),
        "pg_ctl start",
    );
    watch(&bin, &dir, &data_arg);
    Cluster { base: format!("postgres://{ADMIN}:{ADMIN_PASSWORD}@127.0.0.1:{port}") }
}

/// A shell that waits for this process to end, then stops the cluster and removes its folder. It is never waited
/// for: it outlives this process by design.
#[allow(clippy::zombie_processes)]
fn watch(bin: &Path, dir: &Path, data: &str) {
    let pg_ctl = bin.join("pg_ctl");
    let stop = if is_root() {
        format!("runuser -u postgres -- '{}' -D '{data}' -m immediate stop", pg_ctl.display())
    } else {
        format!("'{}' -D '{data}' -m immediate stop", pg_ctl.display())
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        dir = dir.display()
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the cluster's watchdog");
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).expect("random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
