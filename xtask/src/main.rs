//! `cargo xtask run | test | setup | bundle`: the two commands README.md promises, and what they need.
//!
//! - `run`: installs what is missing, builds the app with the UI embedded, creates the demo database (kept under
//!   target/demo, apart from a real user's data) and opens the app on it.
//! - `test`: everything CI checks — formatting, clippy, all Rust tests (core's and the whole-system tests once more
//!   on PostgreSQL), the UI's type check, lint and unit tests, the app build, and a smoke test of the real app in a
//!   real window (under Xvfb on a headless Linux).
//! - `setup`: only the installing part (system packages on Linux, the UI's npm packages).
//! - `bundle`: the platform's installer (.deb on Linux; msi/dmg are built on Windows/macOS).
//! - `bench`: release-build benchmarks that print figures (never timed assertions in tests).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// Debian packages to build the Tauri app (WebKitGTK) and to run it headless in tests.
const APT_BUILD: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libxdo-dev",
];
const APT_TEST: &[&str] = &[
    "xvfb",
    "xauth",
    "dbus-x11",
    "x11-utils",
    "imagemagick",
    "fonts-noto-cjk",
    "poppler-utils",
    "unzip",
    "zbar-tools",
    "webkit2gtk-driver",
    "chromium",
    // The server engine: the tests start throwaway clusters of their own with its initdb and pg_ctl.
    "postgresql",
];

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&root),
        Some("test") => test(&root),
        Some("setup") => setup(&root, true),
        Some("bundle") => bundle(&root),
        Some("bench") => bench(&root),
        // One end-to-end file (or all) in the real window, for working on a screen: the app built first.
        Some("e2e") => setup(&root, true).and_then(|()| build_app(&root)).and_then(|()| e2e_test(&root, args.get(1))),
        _ => Err("usage: cargo xtask run | test | setup | bundle | bench | e2e [FILE]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn run(root: &Path) -> Result {
    setup(root, false)?;
    build_app(root)?;
    let db = demo_database(root)?;
    let app = app_binary(root);
    println!("xtask: opening SkillCert on the demo database {}", db.display());
    let mut cmd = Command::new(&app);
    cmd.arg("--db").arg(&db);
    if needs_virtual_display() {
        println!("xtask: no display found; running under xvfb-run (the window is not visible)");
        cmd = wrap_in_xvfb(cmd);
    }
    status(&mut cmd, "the app")
}

fn test(root: &Path) -> Result {
    let started = Instant::now();
    setup(root, true)?;
    let ui = root.join("ui");
    step("cargo fmt --check", || status(cargo(root).args(["fmt", "--all", "--check"]), "cargo fmt"))?;
    step("UI type check", || status(npm(&ui).args(["run", "typecheck"]), "vue-tsc"))?;
    step("UI lint", || status(npm(&ui).args(["run", "lint"]), "eslint"))?;
    step("UI unit tests", || status(npm(&ui).args(["run", "test"]), "vitest"))?;
    // The app embeds ui/dist, which clippy and the app build need.
    step("UI build", || status(npm(&ui).args(["exec", "--", "vite", "build"]), "vite build"))?;
    step("cargo clippy", || {
        status(
            cargo(root).args(["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]),
            "cargo clippy",
        )
    })?;
    step("Rust tests", || {
        status(
            cargo(root).args(["build", "--locked", "-p", "skillcert-cli", "-p", "skillcert-fixtures"]),
            "cargo build",
        )?;
        status(cargo(root).args(["test", "--workspace", "--locked"]), "cargo test")
    })?;
    // The same operations on the server engine: core's unit tests and the whole-system tests, each test process on
    // a throwaway PostgreSQL cluster of its own.
    step("Rust tests on PostgreSQL", || {
        status(
            cargo(root)
                .args(["test", "--locked", "-p", "skillcert-core", "-p", "skillcert-tests"])
                .env("SKILLCERT_TEST_ENGINE", "postgres"),
            "cargo test (PostgreSQL)",
        )
    })?;
    step("app build", || build_app(root))?;
    step("app smoke test in a real window", || smoke_test(root))?;
    step("end-to-end tests in a real window (WebDriver)", || e2e_test(root, None))?;
    println!("xtask: all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

fn bundle(root: &Path) -> Result {
    setup(root, false)?;
    let bundles = if cfg!(target_os = "linux") {
        "deb"
    } else if cfg!(target_os = "windows") {
        "msi"
    } else {
        "dmg"
    };
    status(tauri_cli(root).args(["build", "--bundles", bundles]), "tauri build")?;
    println!("xtask: installer written under target/release/bundle/{bundles}");
    Ok(())
}

/// Import of a generated 100,000-row roster into a fresh database, and export of 100,000 applications, with the
/// release CLI (wall time and peak memory from GNU time); the application table's queries over those 100,000
/// applications; 1,000 admission tickets.
fn bench(root: &Path) -> Result {
    status(
        cargo(root).args(["build", "--release", "--locked", "-p", "skillcert-cli", "-p", "skillcert-fixtures"]),
        "build",
    )?;
    let release = target_dir(root).join("release");
    let dir = target_dir(root).join("bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let rows = 100_000;
    let roster = dir.join("roster-100k.xlsx");
    status(
        Command::new(release.join("skillcert-fixtures")).arg("roster").arg(&roster).arg(rows.to_string()),
        "roster",
    )?;
    let size = std::fs::metadata(&roster).map(|m| m.len()).unwrap_or(0);
    println!("xtask: roster {rows} rows × 11 columns (IDs as text), {:.1} MB", size as f64 / 1e6);
    let skillcert = release.join("skillcert");
    // Encrypted, as agencies' databases are (a fresh key, given as agencies without a keychain give it).
    let key = Command::new(release.join("skillcert-fixtures")).arg("key").output().map_err(|e| e.to_string())?;
    let key = String::from_utf8_lossy(&key.stdout).trim().to_string();
    let cli = |db: &Path| -> Command {
        let mut cmd = Command::new(&skillcert);
        cmd.arg("--db").arg(db).env("SKILLCERT_DB_KEY", &key);
        cmd
    };
    let fresh = |name: &str| -> Result<PathBuf> {
        let db = dir.join(name);
        status(cli(&db).arg("init").stdout(std::process::Stdio::null()), "init")?;
        Ok(db)
    };

    let db = fresh("import.db")?;
    // The target is against python-calamine merely reading the same file in the same run: read first, then import.
    let calamine = peer(root, "calamine_read.py", &[roster.as_os_str()]);
    let imported = measure("import into a fresh encrypted database (read, validate, commit, accounts)", || {
        let mut cmd = cli(&db);
        cmd.args(["import", "candidates"]).arg(&roster).arg("--json");
        cmd
    })?;
    if let Some(read) = calamine {
        println!(
            "xtask: bench import: {:.2}× python-calamine's bare read of the file (target: at most 0.5×)",
            imported / read
        );
    }
    measure("the same import again (every row unchanged)", || {
        let mut cmd = cli(&db);
        cmd.args(["import", "candidates"]).arg(&roster).arg("--json");
        cmd
    })?;
    // The same roster as web systems export it: an HTML table named .xls and a GBK CSV (target: within 1.5× the
    // .xlsx import above, peak memory ≤ 300 MB).
    status(Command::new(release.join("skillcert-fixtures")).arg("web-exports").arg(&roster).arg(&dir), "web exports")?;
    for (kind, file) in [("HTML table .xls", "roster-100k.html.xls"), ("GBK CSV", "roster-100k.gbk.csv")] {
        let export = dir.join(file);
        let size = std::fs::metadata(&export).map(|m| m.len()).unwrap_or(0);
        let db = fresh(&format!("import-{file}.db"))?;
        measure(
            &format!("import of the {kind} ({:.1} MB) into a fresh encrypted database", size as f64 / 1e6),
            || {
                let mut cmd = cli(&db);
                cmd.args(["import", "candidates"]).arg(&export).arg("--json");
                cmd
            },
        )?;
    }

    let add_plan = |db: &Path| -> Result<String> {
        let plan = cli(db)
            .args(["plan", "add", "--occupation", "电工", "--level", "四级", "--reg-start", "2026-12-01"])
            .args(["--reg-end", "2026-12-20", "--exam", "2026-12-28"])
            .output()
            .map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&plan.stdout).trim().to_string())
    };

    // The 报考条件 check on every row of an import, and on every pending application of the review queue.
    let db = fresh("rules.db")?;
    let plan = add_plan(&db)?;
    status(cli(&db).args(["plan", "rules", &plan, "--preset"]).stdout(std::process::Stdio::null()), "rules")?;
    measure("import with --plan into a plan with 报考条件 rules (each row checked)", || {
        let mut cmd = cli(&db);
        cmd.args(["import", "candidates"]).arg(&roster).args(["--plan", &plan, "--json"]);
        cmd
    })?;
    measure("review queue of 100k pending applications, each checked (plan check)", || {
        let mut cmd = cli(&db);
        cmd.args(["plan", "check", &plan, "--json"]);
        cmd
    })?;

    let db = fresh("plan.db")?;
    let plan = add_plan(&db)?;
    measure("import into a fresh database with --plan (also 100k applications)", || {
        let mut cmd = cli(&db);
        cmd.args(["import", "candidates"]).arg(&roster).args(["--plan", &plan, "--json"]);
        cmd
    })?;
    let out = dir.join("export-100k.xlsx");
    measure("export of 100k applications", || {
        let mut cmd = cli(&db);
        cmd.args(["export", "applications", "--plan", &plan, "-o"]).arg(&out);
        cmd
    })?;
    status(
        cargo(root)
            .args(["bench", "--locked", "-p", "skillcert-core", "--bench", "search"])
            .env("SKILLCERT_BENCH_DB", &db)
            .env("SKILLCERT_DB_KEY", &key),
        "search bench",
    )?;
    // 年度统计 over the same 100,000 applications once every one has marks and published results: in-process, and
    // as the CLI (process start and opening the encrypted file included).
    status(
        Command::new(release.join("skillcert-fixtures"))
            .args(["everyone-published", "--db"])
            .arg(&db)
            .env("SKILLCERT_DB_KEY", &key),
        "everyone published",
    )?;
    status(
        cargo(root)
            .args(["bench", "--locked", "-p", "skillcert-core", "--bench", "statistics"])
            .env("SKILLCERT_BENCH_DB", &db)
            .env("SKILLCERT_DB_KEY", &key),
        "statistics bench",
    )?;
    for run in 1..=3 {
        measure(&format!("stats --year 2026 over 100k published results, run {run} (target ≤ 200 ms)"), || {
            let mut cmd = cli(&db);
            cmd.args(["stats", "--year", "2026", "--json"]);
            cmd
        })?;
    }
    bench_server(root, &dir, &release, &roster, &key)?;
    // 200 candidates signing in at once against the real portal binary, and the home page meanwhile (on SQLite, on
    // PostgreSQL, and with two portal processes on one PostgreSQL database).
    status(cargo(root).args(["bench", "--locked", "-p", "skillcert-portal", "--bench", "signin"]), "sign-in bench")?;
    bench_tickets(root, &dir, &release, &cli, &fresh)?;
    bench_room_documents(&dir, &release, &cli, &fresh)?;
    bench_results(&dir, &release, &key, &cli, &fresh)
}

/// After the exam for 9,999 candidates of one plan (the most a plan's 准考证号 run holds; the target is for 10,000):
/// the marks imported, the results notice published, the certificates issued once the notice has ended (time passed
/// with `skillcert-fixtures days-pass`), and the results and the certificate data reported.
fn bench_results(
    dir: &Path,
    release: &Path,
    key: &str,
    cli: &dyn Fn(&Path) -> Command,
    fresh: &dyn Fn(&str) -> Result<PathBuf>,
) -> Result {
    let fixtures = release.join("skillcert-fixtures");
    let roster = dir.join("roster-9999.xlsx");
    status(Command::new(&fixtures).arg("roster").arg(&roster).arg("9999"), "roster")?;
    let db = fresh("results.db")?;
    let step = |args: &[&str], what: &str| {
        let mut cmd = cli(&db);
        cmd.args(args);
        status(cmd.stdout(std::process::Stdio::null()), what)
    };
    let plan = cli(&db)
        .args(["plan", "add", "--occupation", "电工", "--occupation-code", "6-31-01-03", "--level", "四级"])
        .args(["--reg-start", "2026-12-01", "--reg-end", "2026-12-20", "--exam", "2026-12-28"])
        .output()
        .map_err(|e| e.to_string())?;
    let plan = String::from_utf8_lossy(&plan.stdout).trim().to_string();
    let roster_path = roster.to_string_lossy().to_string();
    step(&["import", "candidates", &roster_path, "--plan", &plan], "import")?;
    step(&["review", "approve", "--plan", &plan, "--all-pending"], "approve")?;
    let rooms = ["--venue", "示范职业技能评价中心", "--rooms", "100", "--seats-per-room", "100"];
    let times = ["--theory", "2026-12-28 09:00-10:30", "--practical", "2026-12-28 13:30-16:00"];
    step(&[&["arrange", "--plan", &plan][..], &rooms, &times].concat(), "arrange")?;
    let days_pass = |days: &str| {
        status(
            Command::new(&fixtures).args(["days-pass", "--db"]).arg(&db).arg(days).env("SKILLCERT_DB_KEY", key),
            "days-pass",
        )
    };
    days_pass("60")?;
    let (template, marks) = (dir.join("template-9999.xlsx"), dir.join("marks-9999.xlsx"));
    step(&["scores", "template", "--plan", &plan, "-o", &template.to_string_lossy()], "template")?;
    status(Command::new(&fixtures).arg("marks").arg(&template).arg(&marks), "marks")?;
    for (key, value) in [
        ("agency.name", "示范职业技能评价中心"),
        ("agency.type", "S"),
        ("agency.province", "44"),
        ("agency.site", "000123"),
    ] {
        step(&["settings", "set", key, value], "settings")?;
    }
    measure("import of 9,999 marks", || {
        let mut cmd = cli(&db);
        cmd.args(["scores", "import"]).arg(&marks).args(["--plan", &plan, "--json"]);
        cmd
    })?;
    measure("publish the results notice of 9,999 (target ≤ 1 s for 10,000)", || {
        let mut cmd = cli(&db);
        cmd.args(["scores", "publish", "--plan", &plan, "--json"]);
        cmd
    })?;
    days_pass("30")?;
    // The 发证日期: today in Asia/Shanghai, as core judges dates.
    let shanghai = chrono::FixedOffset::east_opt(8 * 3600).expect("+08:00");
    let today = chrono::Utc::now().with_timezone(&shanghai).date_naive().to_string();
    measure("issue the certificates of 9,999 after the notice (target ≤ 1 s for 10,000)", || {
        let mut cmd = cli(&db);
        cmd.args(["certificate", "issue", "--plan", &plan, "--date", &today, "--json"]);
        cmd
    })?;
    for (kind, file) in [("results", "成绩上报-9999.xlsx"), ("certificates", "证书上报-9999.csv")] {
        let out = dir.join(file);
        measure(&format!("report {kind} of 9,999 as {file} (target ≤ 1 s for 10,000)"), || {
            let mut cmd = cli(&db);
            cmd.args(["report", kind, "--plan", &plan, "-o"]).arg(&out);
            cmd
        })?;
    }
    Ok(())
}

/// The same on PostgreSQL (a throwaway cluster): the 100,000-row import with --plan, the application table's
/// queries over its 100,000 applications, and 10,000 approvals by two processes side by side (two plans of 5,000,
/// one process each), then counted: none lost, none doubled.
fn bench_server(root: &Path, dir: &Path, release: &Path, roster: &Path, key: &str) -> Result {
    let mut cluster = Command::new(release.join("skillcert-fixtures"))
        .args(["postgres", "2"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start a PostgreSQL cluster: {e}"))?;
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(cluster.stdout.take().expect("piped stdout")));
    let mut next_url = || lines.next().and_then(|l| l.ok()).ok_or("the cluster gave no database");
    let (big, approvals) = (next_url()?, next_url()?);
    let skillcert = release.join("skillcert");
    let cli = |db: &str| -> Command {
        let mut cmd = Command::new(&skillcert);
        cmd.args(["--db", db]).env("SKILLCERT_DB_KEY", key);
        cmd
    };
    let quiet = |mut cmd: Command, what: &str| status(cmd.stdout(std::process::Stdio::null()), what);
    let plan_on = |db: &str, occupation: &str| -> Result<String> {
        let out = cli(db)
            .args(["plan", "add", "--occupation", occupation, "--level", "四级", "--reg-start", "2026-12-01"])
            .args(["--reg-end", "2026-12-20", "--exam", "2026-12-28"])
            .output()
            .map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let result = (|| {
        let mut init = cli(&big);
        init.arg("init");
        quiet(init, "init")?;
        let plan = plan_on(&big, "电工")?;
        measure(
            "PostgreSQL: import into a fresh server database with --plan (100k candidates and applications)",
            || {
                let mut cmd = cli(&big);
                cmd.args(["import", "candidates"]).arg(roster).args(["--plan", &plan, "--json"]);
                cmd
            },
        )?;
        status(
            cargo(root)
                .args(["bench", "--locked", "-p", "skillcert-core", "--bench", "search"])
                .env("SKILLCERT_BENCH_DB", &big)
                .env("SKILLCERT_DB_KEY", key),
            "search bench (PostgreSQL)",
        )?;

        let mut init = cli(&approvals);
        init.arg("init");
        quiet(init, "init")?;
        let half = dir.join("roster-5k.xlsx");
        status(Command::new(release.join("skillcert-fixtures")).arg("roster").arg(&half).arg("5000"), "roster")?;
        let plans = [plan_on(&approvals, "电工")?, plan_on(&approvals, "钳工")?];
        for plan in &plans {
            let mut import = cli(&approvals);
            import.args(["import", "candidates"]).arg(&half).args(["--plan", plan]);
            quiet(import, "import")?;
        }
        let started = Instant::now();
        let running: Vec<_> = plans
            .iter()
            .map(|plan| {
                cli(&approvals)
                    .args(["review", "approve", "--plan", plan, "--all-pending"])
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<_>>()?;
        for mut child in running {
            let exit = child.wait().map_err(|e| e.to_string())?;
            if !exit.success() {
                return Err(format!("an approving process failed ({exit})"));
            }
        }
        let took = started.elapsed();
        let count = |sql: &str| -> Result<String> {
            let out =
                Command::new("psql").args([approvals.as_str(), "-tAc", sql]).output().map_err(|e| e.to_string())?;
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        };
        println!(
            "xtask: bench PostgreSQL: 10,000 approvals by two processes side by side in {:.1} s ({:.0}/s);              approved {}, audit rows {}, applications audited twice {}",
            took.as_secs_f64(),
            10_000.0 / took.as_secs_f64(),
            count("SELECT count(*) FROM applications WHERE status = '申请通过'")?,
            count("SELECT count(*) FROM audit_log WHERE action = '审核通过'")?,
            count(
                "SELECT count(*) FROM (SELECT entity_id FROM audit_log WHERE action = '审核通过' GROUP BY entity_id HAVING count(*) > 1) d"
            )?,
        );
        Ok(())
    })();
    drop(cluster.stdin.take());
    let _ = cluster.wait();
    result
}

/// 1,000 admission tickets, each with its own ~12 KB JPEG photo, into one PDF; then the same with one name in ten
/// holding a rare character printed from the fallback font.
fn bench_tickets(
    root: &Path,
    dir: &Path,
    release: &Path,
    cli: &dyn Fn(&Path) -> Command,
    fresh: &dyn Fn(&str) -> Result<PathBuf>,
) -> Result {
    let fixtures = release.join("skillcert-fixtures");
    let (photos, photo_bytes) = sample_photos(&fixtures, dir, 1000)?;
    let mut walls = Vec::new();
    for (name, rare) in [("tickets", false), ("tickets-rare", true)] {
        let roster = dir.join(format!("roster-{name}.xlsx"));
        let mut write = Command::new(&fixtures);
        write.arg("roster").arg(&roster).arg("1000");
        if rare {
            write.arg("--rare-names");
        }
        status(&mut write, "roster")?;
        let db = fresh(&format!("{name}.db"))?;
        arranged_plan(cli, &db, (&roster, &photos), ("155265", 40, 25))?;
        let pdf = dir.join(format!("{name}-1000.pdf"));
        let what = if rare {
            "1,000 admission tickets, one name in ten from the fallback font"
        } else {
            "1,000 admission tickets with their photos into one PDF"
        };
        walls.push(measure(what, || {
            let mut cmd = cli(&db);
            cmd.args(["print", "ticket", "--plan", "1", "-o"]).arg(&pdf);
            cmd
        })?);
        let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
        let target = if rare { 1.5 } else { 1.0 };
        println!(
            "xtask: bench {name}: PDF {:.2} MB; photos {:.2} MB; PDF minus photos {:.2} MB (target: at most {target} MB)",
            size as f64 / 1e6,
            photo_bytes as f64 / 1e6,
            (size as f64 - photo_bytes as f64) / 1e6
        );
    }
    if let [plain, rare] = walls[..] {
        println!(
            "xtask: bench tickets: rare names {:.2}× the plain run (target: at most 1.2×)",
            rare / plain.max(1e-9)
        );
        // ReportLab on the same 1,000 tickets with the same font (as TrueType outlines, which is all it embeds).
        let ttf = dir.join("NotoSansSC-Regular.ttf");
        let otf = root.join("assets/fonts/NotoSansSC-Regular.otf");
        if ttf.exists() || peer(root, "otf_to_ttf.py", &[otf.as_os_str(), ttf.as_os_str()]).is_some() {
            let (roster, pdf) = (dir.join("roster-tickets.xlsx"), dir.join("reportlab-1000.pdf"));
            let args = [ttf.as_os_str(), roster.as_os_str(), photos.as_os_str(), pdf.as_os_str()];
            if let Some(reportlab) = peer(root, "reportlab_tickets.py", &args) {
                println!(
                    "xtask: bench tickets: {:.2}× ReportLab's {reportlab:.2} s (target: at most 0.2×)",
                    plain / reportlab
                );
            }
        }
    }
    Ok(())
}

/// Runs a Python peer of `xtask/peers` and returns the seconds it reports ("… in 1.23 s"); None, saying why, when
/// python3 or the peer's packages (python-calamine, reportlab, fonttools) are missing.
fn peer(root: &Path, script: &str, args: &[&std::ffi::OsStr]) -> Option<f64> {
    let output = Command::new("python3").arg(root.join("xtask/peers").join(script)).args(args).output();
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            println!(
                "xtask: peer {script} did not run: {}",
                String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("")
            );
            return None;
        }
        Err(e) => {
            println!("xtask: peer {script} did not run: {e}");
            return None;
        }
    };
    let said = String::from_utf8_lossy(&output.stdout).to_string();
    print!("xtask: {said}");
    said.split(" in ").nth(1)?.split(" s").next()?.trim().parse().ok()
}

/// `count` sample photos written by the fixtures into a folder of `dir`: the folder and their bytes in all.
fn sample_photos(fixtures: &Path, dir: &Path, count: u32) -> Result<(PathBuf, u64)> {
    let photos = dir.join(format!("photos-{count}"));
    status(Command::new(fixtures).arg("photos").arg(&photos).arg(count.to_string()), "photos")?;
    let bytes = std::fs::read_dir(&photos)
        .map_err(|e| e.to_string())?
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    Ok((photos, bytes))
}

/// One 四级 电工 plan in `db` with the roster's candidates applied, approved and arranged in `rooms` × `seats` for two
/// subjects, with their photos.
fn arranged_plan(
    cli: &dyn Fn(&Path) -> Command,
    db: &Path,
    (roster, photos): (&Path, &Path),
    (code, rooms, seats): (&str, u32, u32),
) -> Result {
    let quiet = |mut cmd: Command, what: &str| status(cmd.stdout(std::process::Stdio::null()), what);
    let mut add = cli(db);
    add.args(["plan", "add", "--occupation", "电工", "--level", "四级", "--reg-start", "2026-11-01"]).args([
        "--reg-end",
        "2026-11-20",
        "--exam",
        "2026-12-28",
        "--code",
        code,
    ]);
    quiet(add, "plan")?;
    let mut import = cli(db);
    import.args(["import", "candidates"]).arg(roster).args(["--plan", "1"]);
    quiet(import, "import")?;
    let mut approve = cli(db);
    approve.args(["review", "approve", "--plan", "1", "--all-pending"]);
    quiet(approve, "approve")?;
    let mut arrange = cli(db);
    arrange
        .args(["arrange", "--plan", "1", "--venue", "示范职业技能评价中心", "--rooms", &rooms.to_string()])
        .args(["--seats-per-room", &seats.to_string(), "--theory", "2026-12-28 09:00-10:30"])
        .args(["--practical", "2026-12-28 13:30-16:00"]);
    quiet(arrange, "arrange")?;
    let mut photo = cli(db);
    photo.args(["photo", "import"]).arg(photos);
    quiet(photo, "photos")
}

/// 考务 documents of one large sitting: 9,999 candidates (a plan's most) with photos in 200 rooms of 50 seats, two
/// subjects. Targets: 10,000 桌贴 in one PDF ≤ 1.5 s and ≤ the photos + 2 MB; 座次表 of 200 rooms ≤ 1 s.
fn bench_room_documents(
    dir: &Path,
    release: &Path,
    cli: &dyn Fn(&Path) -> Command,
    fresh: &dyn Fn(&str) -> Result<PathBuf>,
) -> Result {
    let fixtures = release.join("skillcert-fixtures");
    let count = 9999;
    let (photos, photo_bytes) = sample_photos(&fixtures, dir, count)?;
    let roster = dir.join("roster-rooms.xlsx");
    status(Command::new(&fixtures).arg("roster").arg(&roster).arg(count.to_string()), "roster")?;
    let db = fresh("rooms.db")?;
    arranged_plan(cli, &db, (&roster, &photos), ("155266", 200, 50))?;
    // Re-arranging the sitting: every seat moved (and audited) at random, then kept apart by unit.
    for rule in ["随机", "同单位分开"] {
        measure(&format!("re-arrange 9,999 candidates in 200 rooms, {rule} (target ≤ 1 s for 10,000)"), || {
            let mut cmd = cli(&db);
            cmd.args(["arrange", "--plan", "1", "--venue", "示范职业技能评价中心", "--rooms", "200"])
                .args(["--seats-per-room", "50", "--theory", "2026-12-28 09:00-10:30"])
                .args(["--practical", "2026-12-28 13:30-16:00", "--seat-rule", rule, "--json"]);
            cmd
        })?;
    }
    for (kind, what) in [
        ("desk", "9,999 桌贴 with photos in one PDF (target ≤ 1.5 s for 10,000)"),
        ("seating", "座次表 of 200 rooms × 2 subjects with photos (target ≤ 1 s)"),
        ("sign-in", "签到表 of 200 rooms × 2 subjects with photos"),
    ] {
        let pdf = dir.join(format!("{kind}-rooms.pdf"));
        measure(what, || {
            let mut cmd = cli(&db);
            cmd.args(["print", kind, "--plan", "1", "-o"]).arg(&pdf);
            cmd
        })?;
        let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
        println!(
            "xtask: bench {kind}: PDF {:.2} MB; photos {:.2} MB; PDF minus photos {:.2} MB",
            size as f64 / 1e6,
            photo_bytes as f64 / 1e6,
            (size as f64 - photo_bytes as f64) / 1e6
        );
    }
    Ok(())
}

/// Runs the command under GNU time and prints its wall time and peak resident memory; returns the wall time in s.
fn measure(what: &str, command: impl Fn() -> Command) -> Result<f64> {
    let cmd = command();
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .output()
        .map_err(|e| format!("/usr/bin/time (apt-get install time): {e}"))?;
    let report = String::from_utf8_lossy(&output.stderr);
    let field = |name: &str| {
        report.lines().find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_string())).unwrap_or_default()
    };
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):");
    let rss_kb: f64 = field("Maximum resident set size (kbytes):").parse().unwrap_or(0.0);
    let code = output.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let first = stdout.lines().take(8).collect::<Vec<_>>().join(" ");
    println!("xtask: bench {what}: wall {wall}, peak RSS {:.0} MB, exit {code}; {first}", rss_kb / 1024.0);
    // GNU time writes m:ss.ss (or h:mm:ss).
    Ok(wall.split(':').fold(0.0, |total, part| total * 60.0 + part.parse::<f64>().unwrap_or(0.0)))
}

/// Installs what a fresh machine lacks: Debian packages (as root, on Linux) and the UI's npm packages.
fn setup(root: &Path, for_tests: bool) -> Result {
    if cfg!(target_os = "linux") {
        let mut wanted: Vec<&str> = APT_BUILD.to_vec();
        if for_tests || needs_virtual_display() {
            wanted.extend(APT_TEST);
        }
        let missing: Vec<&str> = wanted.into_iter().filter(|p| !deb_installed(p)).collect();
        if !missing.is_empty() {
            if !is_root() {
                return Err(format!(
                    "missing system packages; install them with:\n  sudo apt-get install -y {}",
                    missing.join(" ")
                ));
            }
            println!("xtask: installing {}", missing.join(" "));
            status(Command::new("apt-get").arg("update").arg("-qq"), "apt-get update")?;
            status(
                Command::new("apt-get")
                    .args(["install", "-y", "-qq", "--no-install-recommends"])
                    .args(&missing)
                    .env("DEBIAN_FRONTEND", "noninteractive"),
                "apt-get install",
            )?;
        }
    }
    // The WebDriver bridge the end-to-end tests drive the app through (Linux and Windows; ~30 s to build).
    if for_tests && !cfg!(target_os = "macos") && !tauri_driver().exists() {
        status(
            cargo(root).args(["install", "tauri-driver", "--locked", "--version", "2.1.0"]),
            "cargo install tauri-driver",
        )?;
    }
    let ui = root.join("ui");
    let lock = ui.join("package-lock.json");
    let installed = ui.join("node_modules/.package-lock.json");
    let stale = match (modified(&lock), modified(&installed)) {
        (Some(lock), Some(installed)) => lock > installed,
        _ => true,
    };
    if stale {
        status(npm(&ui).arg("ci").arg("--no-audit").arg("--no-fund"), "npm ci")?;
    }
    Ok(())
}

/// `tauri build --debug --no-bundle`: a debug binary with the UI embedded (a plain cargo build would load the
/// dev server instead).
fn build_app(root: &Path) -> Result {
    status(tauri_cli(root).args(["build", "--debug", "--no-bundle"]), "tauri build")
}

fn app_binary(root: &Path) -> PathBuf {
    target_dir(root).join("debug").join(format!("skillcert-app{}", std::env::consts::EXE_SUFFIX))
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

/// The demo database under target/demo, created from the fixtures when missing.
fn demo_database(root: &Path) -> Result<PathBuf> {
    let db = target_dir(root).join("demo").join("skillcert-demo.db");
    status(
        cargo(root).args(["run", "--quiet", "-p", "skillcert-fixtures", "--", "demo", "--db"]).arg(&db),
        "demo database",
    )?;
    Ok(db)
}

/// Opens the real app on a fresh demo database in a real window; the UI reports what it rendered (read from the
/// DOM) through the `ui_ready` command, the app writes it to SKILLCERT_SMOKE_REPORT and quits.
fn smoke_test(root: &Path) -> Result {
    let dir = target_dir(root).join("smoke");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let db = dir.join("smoke.db");
    let report = dir.join("report.json");
    status(
        cargo(root).args(["run", "--quiet", "-p", "skillcert-fixtures", "--", "demo", "--db"]).arg(&db),
        "demo database",
    )?;
    let mut cmd = Command::new(app_binary(root));
    cmd.arg("--db").arg(&db).env("SKILLCERT_SMOKE_REPORT", &report);
    if needs_virtual_display() {
        cmd = wrap_in_xvfb(cmd);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("could not start the app: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(exit) = child.try_wait().map_err(|e| e.to_string())? {
            if !exit.success() {
                return Err(format!("the app exited with {exit} before reporting"));
            }
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err("the app did not report a rendered screen within 90 s".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| format!("no report from the app: {e}"))?;
    // Includes Xvfb's start when there is no display; the window itself is ready sooner.
    println!("xtask: the app rendered {text}; start to first screen and exit: {:.2?}", started.elapsed());
    // The demo has 5 plans; the first screen (工作台) shows a card per plan with its status tags.
    let expect = |needle: &str| {
        if text.contains(needle) { Ok(()) } else { Err(format!("the rendered screen lacks {needle}: {text}")) }
    };
    expect("\"plans\":5")?;
    expect("\"applications\":5")?;
    expect("待处理")?;
    expect("申请通过")?;
    Ok(())
}

/// The operator cycle through the real app in a real window: WebdriverIO → tauri-driver → WebKitWebDriver → the
/// app, on a fresh demo database and the fixtures' e2e files. Screenshots land in target/e2e/screenshots. Only the
/// file `only` (cycle.e2e.ts, say) when given.
fn e2e_test(root: &Path, only: Option<&String>) -> Result {
    let dir = target_dir(root).join("e2e");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let fixtures = |args: &[&str], path: &Path| {
        status(cargo(root).args(["run", "--quiet", "-p", "skillcert-fixtures", "--"]).args(args).arg(path), "fixtures")
    };
    fixtures(&["demo", "--db"], &dir.join("e2e.db"))?;
    fixtures(&["e2e"], &dir)?;
    fixtures(&["locked-demo", "--db"], &dir.join("locked.db"))?;
    // A candidate portal on loopback for the app's 立即同步; the phone test starts its own demo portal.
    status(cargo(root).args(["build", "--quiet", "-p", "skillcert-portal"]), "portal build")?;
    let portal_bin = target_dir(root).join("debug").join(format!("skillcert-portal{}", std::env::consts::EXE_SUFFIX));
    let portal_db = dir.join("portal.db");
    let token = Command::new(&portal_bin)
        .arg("--db")
        .arg(&portal_db)
        .args(["agency", "add", "端到端测试"])
        .output()
        .map_err(|e| format!("portal: {e}"))?;
    let token = String::from_utf8_lossy(&token.stdout).trim().to_string();
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let mut portal = Command::new(&portal_bin)
        .arg("--db")
        .arg(&portal_db)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start the portal: {e}"))?;
    // An empty database on a throwaway PostgreSQL cluster, for the app's move onto a server; the cluster goes when
    // the fixtures process does (its stdin closed below).
    let mut server = Command::new(
        target_dir(root).join("debug").join(format!("skillcert-fixtures{}", std::env::consts::EXE_SUFFIX)),
    )
    .arg("postgres")
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .spawn()
    .map_err(|e| format!("could not start a PostgreSQL cluster: {e}"))?;
    let mut server_url = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().expect("piped stdout")),
        &mut server_url,
    )
    .map_err(|e| e.to_string())?;
    let mut cmd = npm(&root.join("ui"));
    cmd.args(["run", "e2e"])
        .args(only.map(|file| ["--", file.as_str()]).into_iter().flatten())
        .env("SKILLCERT_E2E_SERVER_URL", server_url.trim())
        .env("SKILLCERT_APP", app_binary(root))
        .env("SKILLCERT_E2E_DIR", &dir)
        .env("SKILLCERT_PORTAL_URL", format!("http://127.0.0.1:{port}"))
        .env("SKILLCERT_PORTAL_TOKEN", &token)
        .env("SKILLCERT_PORTAL_BIN", &portal_bin)
        .env(
            "SKILLCERT_FIXTURES_BIN",
            target_dir(root).join("debug").join(format!("skillcert-fixtures{}", std::env::consts::EXE_SUFFIX)),
        )
        .env("TAURI_DRIVER", tauri_driver());
    if needs_virtual_display() {
        cmd = wrap_in_xvfb(cmd);
    }
    let outcome = status(&mut cmd, "end-to-end tests");
    let _ = portal.kill();
    let _ = portal.wait();
    drop(server.stdin.take());
    let _ = server.wait();
    outcome?;
    println!("xtask: screenshots of each screen in {}", dir.join("screenshots").display());
    Ok(())
}

/// tauri-driver, installed by `setup` into cargo's bin directory.
fn tauri_driver() -> PathBuf {
    let name = format!("tauri-driver{}", std::env::consts::EXE_SUFFIX);
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    home.join("bin").join(name)
}

fn step(name: &str, f: impl FnOnce() -> Result) -> Result {
    let started = Instant::now();
    println!("\nxtask: === {name} ===");
    f()?;
    println!("xtask: {name}: ok ({:.1?})", started.elapsed());
    Ok(())
}

fn status(cmd: &mut Command, what: &str) -> Result {
    let exit = cmd.status().map_err(|e| format!("{what}: could not start: {e}"))?;
    if exit.success() { Ok(()) } else { Err(format!("{what} failed ({exit})")) }
}

fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root);
    cmd
}

fn npm(dir: &Path) -> Command {
    let mut cmd = Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" });
    cmd.current_dir(dir);
    cmd
}

/// The Tauri CLI from the UI's npm packages, run from the workspace root so it finds src-tauri.
fn tauri_cli(root: &Path) -> Command {
    let bin = root.join("ui/node_modules/.bin").join(if cfg!(windows) { "tauri.cmd" } else { "tauri" });
    let mut cmd = Command::new(bin);
    cmd.current_dir(root);
    cmd
}

fn wrap_in_xvfb(cmd: Command) -> Command {
    let mut wrapped = Command::new("xvfb-run");
    wrapped.args(["-a", "-s", "-screen 0 1400x900x24"]).arg(cmd.get_program()).args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        wrapped.current_dir(dir);
    }
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => wrapped.env(key, v),
            None => wrapped.env_remove(key),
        };
    }
    wrapped
}

fn needs_virtual_display() -> bool {
    cfg!(target_os = "linux") && std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none()
}

fn deb_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false)
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
