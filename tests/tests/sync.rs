//! The desktop core syncing with the real portal binary on loopback.

use std::net::TcpListener;
use std::sync::atomic::AtomicBool;

use skillcert_core::Store;
use skillcert_core::sync::client::{Portal, sync};
use skillcert_tests::{Agency, RunningPortal, add_plan};

#[test]
fn the_desktop_pushes_its_plans_and_a_wrong_token_is_refused() {
    let env = Agency::new();
    add_plan(&env.db, "电工", "四级", &["--code", "155265"]);
    let portal = RunningPortal::start(env.dir.path());
    let (status, home) = portal.get("/");
    assert_eq!(status, 200);
    assert!(!home.contains("电工"));

    let mut store = Store::open_existing(&env.db, &skillcert_tests::test_keys()).unwrap();
    let never = AtomicBool::new(false);
    let wrong = Portal { url: portal.url.clone(), token: "not-a-token".into() };
    let e = sync(&mut store, &wrong, &mut |_| {}, &never).unwrap_err();
    assert!(e.to_string().contains("门户拒绝了机构令牌"), "{e}");

    let right = Portal { url: portal.url.clone(), token: portal.token("示范中心") };
    let outcome = sync(&mut store, &right, &mut |_| {}, &never).unwrap();
    assert_eq!(outcome.pushed.applied, 1, "{outcome:?}");
    let (_, home) = portal.get("/");
    assert!(home.contains("电工/--") && home.contains("四级/中级工"), "{home}");
    // Nothing new: a second sync applies nothing.
    let again = sync(&mut store, &right, &mut |_| {}, &never).unwrap();
    assert_eq!((again.pulled.applied, again.pushed.applied), (0, 0));
}

#[test]
fn an_unreachable_portal_is_a_clear_error_and_nothing_moves() {
    let env = Agency::new();
    add_plan(&env.db, "电工", "四级", &[]);
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut store = Store::open_existing(&env.db, &skillcert_tests::test_keys()).unwrap();
    let nowhere = Portal { url: format!("http://127.0.0.1:{port}"), token: "x".into() };
    let e = sync(&mut store, &nowhere, &mut |_| {}, &AtomicBool::new(false)).unwrap_err();
    assert!(e.to_string().contains("无法连接门户"), "{e}");
    assert_eq!(skillcert_core::sync::client::cursors(&store).unwrap().sent, 0);
}

#[test]
fn the_cli_syncs_with_the_token_from_the_environment() {
    let env = Agency::new();
    add_plan(&env.db, "电工", "四级", &[]);
    let portal = RunningPortal::start(env.dir.path());
    let token = portal.token("示范中心");
    let out = skillcert_tests::skillcert_cmd()
        .arg("--db")
        .arg(&env.db)
        .args(["sync", "--portal", &portal.url, "--json"])
        .env("SKILLCERT_PORTAL_TOKEN", &token)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["pushed"]["applied"], 1, "{report}");
    // Without a token (none given, none in the keychain) the command says what to do instead of trying.
    let out = skillcert_tests::skillcert_cmd()
        .arg("--db")
        .arg(&env.db)
        .args(["sync", "--portal", &portal.url])
        .env_remove("SKILLCERT_PORTAL_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("portal connect") && stderr.contains("SKILLCERT_PORTAL_TOKEN"), "{stderr}");
    // Without an address either, it says where to set one.
    let out = skillcert_tests::skillcert_cmd().arg("--db").arg(&env.db).arg("sync").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("还没有设置门户网址"));
}

#[test]
fn a_sync_cut_off_by_the_portal_dying_converges_on_the_next_one() {
    let env = Agency::new();
    let plan = add_plan(&env.db, "电工", "四级", &[]);
    // 1,500 candidates applied: several rounds of 500 records.
    let roster = env.path("roster.xlsx");
    skillcert_fixtures::samples::roster(&roster, 11, 1500).unwrap();
    assert_eq!(env.run(&["import", "candidates", roster.to_str().unwrap(), "--plan", &plan]).code, 0);
    let mut portal = RunningPortal::start(env.dir.path());
    let token = portal.token("示范中心");
    let url = portal.url.clone();

    // Kill the portal as soon as its database has taken the first rounds.
    let portal_db = portal.db.clone();
    let worker = std::thread::spawn({
        let (db, url, token) = (env.db.clone(), url.clone(), token.clone());
        move || {
            let mut store = Store::open_existing(&db, &skillcert_tests::test_keys()).unwrap();
            sync(&mut store, &Portal { url, token }, &mut |_| {}, &AtomicBool::new(false))
        }
    });
    let count = |table: &str, db: &std::path::Path| -> i64 {
        skillcert_tests::raw(db).try_number(&format!("SELECT count(*) FROM {table}")).unwrap_or(0)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while count("candidates", &portal_db) == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    portal.kill();
    let first = worker.join().unwrap();
    let sent_after_cut = {
        let store = Store::open_existing(&env.db, &skillcert_tests::test_keys()).unwrap();
        skillcert_core::sync::client::cursors(&store).unwrap().sent
    };
    // Cut after the first round: the sync says so, and what was applied stays.
    let e = first.expect_err("the portal died during the sync");
    assert_eq!(e.code(), skillcert_core::ErrorCode::Network, "{e}");
    assert!(count("candidates", &portal_db) > 0);

    // Back up on the same database: the next sync converges, nothing lost, nothing doubled.
    let portal = RunningPortal::restart(portal);
    let mut store = Store::open_existing(&env.db, &skillcert_tests::test_keys()).unwrap();
    sync(&mut store, &Portal { url: portal.url.clone(), token }, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert!(skillcert_core::sync::client::cursors(&store).unwrap().sent >= sent_after_cut);
    for table in ["plans", "candidates", "applications"] {
        assert_eq!(count(table, &portal.db), count(table, &env.db), "{table}");
    }
    assert_eq!(count("applications", &portal.db), 1500);
}

#[test]
fn the_token_goes_to_the_keychain_or_the_operator_is_told_there_is_none() {
    use std::io::Write;
    let env = Agency::new();
    add_plan(&env.db, "电工", "四级", &[]);
    let portal = RunningPortal::start(env.dir.path());
    let token = portal.token("示范中心");
    let mut connect = skillcert_tests::skillcert_cmd()
        .arg("--db")
        .arg(&env.db)
        .args(["portal", "connect", "--url", &portal.url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(connect.stdin.take().unwrap(), "{token}").unwrap();
    let out = connect.wait_with_output().unwrap();
    let settings = env.run(&["settings", "show", "--json"]).stdout;
    if out.status.success() {
        // A machine with a keychain: the next sync needs neither address nor token.
        assert!(settings.contains(&portal.url));
        let sync = env.run(&["sync", "--json"]);
        assert_eq!(sync.code, 0, "{}", sync.stderr);
        skillcert_core::sync::keychain::forget(&portal.url).unwrap();
    } else {
        // None here (a headless Linux has no Secret Service): said clearly, nothing stored anywhere.
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("系统钥匙串不可用") && stderr.contains("SKILLCERT_PORTAL_TOKEN"), "{stderr}");
        assert!(!settings.contains(&portal.url));
        for file in [env.db.clone(), env.db.with_extension("db-wal")] {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "the token is in {}", file.display());
        }
    }
}
