//! Keeping the data safe, with the real binary on real database files: backups as an operator uses them
//! (`skillcert backup -o`, the automatic copies before bulk operations, `skillcert restore`), and two programs on
//! one database (the CLI while the app writes). On a PostgreSQL server (`SKILLCERT_TEST_ENGINE=postgres`) the
//! backup is an SQLite file copied from the server, a restore goes onto an empty server database, and the other
//! writer is another PC holding the server's write lock.

use skillcert_tests::{Agency, add_plan, new_database, on_server, write_sheet};

/// A roster of one candidate, 张三.
fn write_roster(path: &std::path::Path) {
    write_sheet(path, &[&["姓名", "证件号码", "手机号码"], &["张三", "11010519491231002X", "13812345678"]]);
}

fn candidate_count(agency: &Agency) -> usize {
    agency.run(&["candidate", "list", "--json"]).json().as_array().unwrap().len()
}

#[test]
fn backup_bulk_copies_and_restore_bring_the_data_back() {
    let agency = Agency::new();
    add_plan(&agency.db, "电工", "四级", &[]);
    let saved = agency.path("电工计划备份.db");
    let backup = agency.run(&["backup", "-o", saved.to_str().unwrap()]);
    assert_eq!(backup.code, 0, "{}", backup.stderr);
    assert!(backup.stdout.contains("已通过完整性检查"), "{}", backup.stdout);
    assert_ne!(agency.run(&["backup", "-o", saved.to_str().unwrap()]).code, 0, "never over an existing file");

    let roster = agency.path("名单.xlsx");
    write_roster(&roster);
    assert_eq!(agency.run(&["import", "candidates", roster.to_str().unwrap()]).code, 0);
    assert_eq!(candidate_count(&agency), 1);
    if on_server() {
        // A server keeps no copies beside it (its administrator's pg_dump does), and its data is never replaced.
        assert_eq!(agency.run(&["backup", "--list", "--json"]).json().as_array().unwrap().len(), 0);
        let refused = agency.run(&["restore", saved.to_str().unwrap()]);
        assert_eq!(refused.code, 1, "{}", refused.stderr);
        assert!(refused.stderr.contains("已有数据"), "{}", refused.stderr);
        assert_eq!(candidate_count(&agency), 1);
        // Onto a new, empty server database: the database as it was at the backup.
        let fresh = new_database(agency.dir.path(), "restored");
        assert_eq!(skillcert_tests::skillcert(&fresh, &["init"]).code, 0);
        let restored = skillcert_tests::skillcert(&fresh, &["restore", saved.to_str().unwrap()]);
        assert_eq!(restored.code, 0, "{}", restored.stderr);
        let people = skillcert_tests::skillcert(&fresh, &["candidate", "list", "--json"]).json();
        assert_eq!(people.as_array().unwrap().len(), 0);
        let plans = skillcert_tests::skillcert(&fresh, &["plan", "list", "--json"]).json();
        assert_eq!(plans.as_array().unwrap().len(), 1);
        let junk = agency.run(&["restore", roster.to_str().unwrap()]);
        assert_eq!(junk.code, 2, "{}", junk.stderr);
        return;
    }
    // The import made its own copy first.
    let list = agency.run(&["backup", "--list", "--json"]).json();
    let reasons: Vec<&str> = list.as_array().unwrap().iter().map(|b| b["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["批量操作前"]);

    // Restore while another program has the database open: refused, nothing changed.
    let other = skillcert_tests::connect(&agency.db);
    other.query_row("SELECT count(*) FROM candidates", [], |r| r.get::<_, i64>(0)).unwrap();
    let refused = agency.run(&["restore", saved.to_str().unwrap()]);
    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("请先关闭"), "{}", refused.stderr);
    drop(other);
    assert_eq!(candidate_count(&agency), 1);

    let restored = agency.run(&["restore", saved.to_str().unwrap()]);
    assert_eq!(restored.code, 0, "{}", restored.stderr);
    assert_eq!(candidate_count(&agency), 0, "the database as it was at the backup");
    let list = agency.run(&["backup", "--list", "--json"]).json();
    let kept = list.as_array().unwrap().iter().find(|b| b["reason"] == "恢复前").expect("the replaced one kept");
    let conn = skillcert_tests::connect(std::path::Path::new(kept["path"].as_str().unwrap()));
    let n: i64 = conn.query_row("SELECT count(*) FROM candidates", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1, "the replaced database holds the imported candidate");

    // Not a backup at all: exit 2, the database untouched.
    let junk = agency.run(&["restore", roster.to_str().unwrap()]);
    assert_eq!(junk.code, 2, "{}", junk.stderr);
    assert!(junk.stderr.contains("不能用作 SkillCert 备份"), "{}", junk.stderr);
}

#[test]
fn a_bulk_operation_without_a_backup_does_not_run() {
    if on_server() {
        eprintln!("a server database has no backups beside a file to make: SQLite only");
        return;
    }
    let agency = Agency::new();
    // Where the backups go is taken by a file: no backup can be made.
    std::fs::write(agency.path("backups"), b"not a folder").unwrap();
    let roster = agency.path("名单.xlsx");
    write_roster(&roster);
    let import = agency.run(&["import", "candidates", roster.to_str().unwrap()]);
    assert_eq!(import.code, 1, "{}", import.stderr);
    assert!(import.stderr.contains("无法备份数据库") && import.stderr.contains("未执行导入考生"), "{}", import.stderr);
    assert_eq!(candidate_count(&agency), 0);
    // A dry run writes nothing, so it needs no backup.
    assert_eq!(agency.run(&["import", "candidates", roster.to_str().unwrap(), "--dry-run"]).code, 0);
}

#[test]
fn a_write_while_another_program_writes_waits_then_refuses_clearly_and_changes_nothing() {
    let agency = Agency::new();
    let plan = add_plan(&agency.db, "电工", "四级", &[]);
    // The app (here: another connection; on a server, another PC) is in the middle of a write and keeps its lock.
    let mut app = skillcert_tests::raw(&agency.db);
    let (begin, waits, who) = if on_server() {
        ("BEGIN; SELECT pg_advisory_xact_lock(1396917586);", 9, "正被另一台电脑")
    } else {
        ("BEGIN IMMEDIATE;", 4, "正被另一个程序")
    };
    app.run(&format!("{begin} UPDATE plans SET notice = '编辑中' WHERE id = {plan};"));
    let started = std::time::Instant::now();
    let blocked = agency.run(&["plan", "close", &plan]);
    let waited = started.elapsed();
    assert_eq!(blocked.code, 1, "{}", blocked.stderr);
    assert!(blocked.stderr.contains(who) && blocked.stderr.contains("请稍后再试"), "{}", blocked.stderr);
    assert!(waited >= std::time::Duration::from_secs(waits), "it waited for the lock first ({waited:?})");
    // Reading is never blocked by a writer.
    assert_eq!(agency.run(&["plan", "list", "--json"]).code, 0);
    app.run("COMMIT");
    drop(app);
    // Once the other program is done, the same command goes through; both changes are there.
    assert_eq!(agency.run(&["plan", "close", &plan]).code, 0);
    let shown = agency.run(&["plan", "show", &plan, "--json"]).json();
    assert_eq!((shown["notice"].as_str(), shown["closed"].as_bool()), (Some("编辑中"), Some(true)));
    if !on_server() {
        let conn = skillcert_tests::connect(&agency.db);
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
    }
}
