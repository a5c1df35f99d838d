//! Encryption at rest through the real `skillcert` binary: databases are SQLCipher files, a wrong or missing key is a
//! clear refusal that leaves the file as it was, a plain database from before is encrypted on first opening, and the
//! recovery code is exported once and opens the database.

use std::path::Path;

use skillcert_core::Store;
use skillcert_core::encryption::{DbKey, KEY_ENV, Keys};
use skillcert_tests::{Agency, Run, add_plan, skillcert_cmd};

const ZHANG: &str = "11010519491231002X";

fn is_plain(db: &Path) -> bool {
    std::fs::read(db).unwrap().starts_with(b"SQLite format 3\0")
}

/// `skillcert --db DB ARGS` with `code` as the recovery code instead of the test key.
fn with_code(db: &Path, code: &str, args: &[&str]) -> Run {
    skillcert_cmd().env(KEY_ENV, code).arg("--db").arg(db).args(args).output().unwrap().into()
}

/// The database and its WAL, byte for byte.
fn bytes(db: &Path) -> (Vec<u8>, Option<Vec<u8>>) {
    (std::fs::read(db).unwrap(), std::fs::read(db.with_extension("db-wal")).ok())
}

#[test]
fn a_database_is_encrypted_and_a_wrong_key_changes_nothing() {
    if skillcert_tests::on_server() {
        eprintln!("encryption at rest is an SQLite file's: a server database is the server's to protect");
        return;
    }
    let agency = Agency::new();
    let status = agency.run(&["key", "status", "--json"]).json();
    assert_eq!(status["encryption"]["encrypted"], true, "{status}");
    assert_eq!(status["encryption"]["key_fingerprint"], skillcert_tests::test_key().fingerprint());
    let add = agency.run(&["candidate", "add", "--name", "张三", "--id-number", ZHANG, "--phone", "13812345678"]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    assert!(!is_plain(&agency.db));
    for file in [agency.db.clone(), agency.db.with_extension("db-wal")] {
        if let Ok(raw) = std::fs::read(&file) {
            let found = raw.windows(ZHANG.len()).any(|w| w == ZHANG.as_bytes());
            assert!(!found, "the ID number is not readable in {}", file.display());
        }
    }

    let before = bytes(&agency.db);
    let other = DbKey::random().unwrap().recovery_code();
    let run = with_code(&agency.db, &other, &["candidate", "list", "--json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.json()["error"]["code"], "key_missing");
    assert!(run.stderr.contains("恢复码"), "{}", run.stderr);
    let typo = with_code(&agency.db, &other[..30], &["candidate", "list"]);
    assert_eq!(typo.code, 1);
    assert!(typo.stderr.contains("SKILLCERT_DB_KEY") && typo.stderr.contains("长度不对"), "{}", typo.stderr);
    assert_eq!(bytes(&agency.db), before, "refused keys leave the database byte for byte");
    assert_eq!(agency.run(&["candidate", "list", "--json"]).json().as_array().unwrap().len(), 1);
}

#[test]
fn a_plain_database_and_its_backups_are_encrypted_on_first_opening() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("agency.db");
    drop(Store::open_or_create(&db, &Keys::Plain).unwrap());
    // Made by a SkillCert without a key: plain, with a plain backup.
    let plan = add_plan(&db, "电工", "四级", &[]);
    assert!(!is_plain(&db), "the CLI with a key encrypted it at once");
    assert_eq!(
        skillcert_tests::skillcert(&db, &["plan", "list", "--json"]).json()[0]["id"].to_string(),
        plan,
        "nothing lost"
    );

    let old = dir.path().join("old.db");
    let store = Store::open_or_create(&old, &Keys::Plain).unwrap();
    let beside = dir.path().join("backups");
    std::fs::create_dir_all(&beside).unwrap();
    let session = skillcert_core::ops::Session::new("测试");
    skillcert_core::backup::backup_to(&store, &session, &beside.join("old-20261101-090000-daily.db"), &Keys::Plain)
        .unwrap();
    drop(store);
    assert!(is_plain(&beside.join("old-20261101-090000-daily.db")));
    let run = skillcert_tests::skillcert(&old, &["backup", "--list", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!is_plain(&old));
    assert!(!is_plain(&beside.join("old-20261101-090000-daily.db")), "the old copy is encrypted too");
}

#[test]
fn the_recovery_code_is_exported_once_and_opens_the_database() {
    if skillcert_tests::on_server() {
        eprintln!("encryption at rest is an SQLite file's: a server database is the server's to protect");
        return;
    }
    let agency = Agency::new();
    let code_file = agency.path("恢复码.txt");
    let run = agency.run(&["key", "export", "-o", code_file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&code_file).unwrap();
    let code = text.lines().skip_while(|l| *l != "恢复码：").nth(1).unwrap();
    assert_eq!(&DbKey::from_recovery_code(code).unwrap(), skillcert_tests::test_key());
    assert!(text.contains(&skillcert_tests::test_key().fingerprint()));

    let again = agency.run(&["key", "export", "-o", agency.path("第二份.txt").to_str().unwrap()]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("只能导出一次"), "{}", again.stderr);
    let status = agency.run(&["key", "status"]);
    assert!(status.stdout.contains("恢复码已于"), "{}", status.stdout);
    let audit = agency.run(&["audit", "list", "--json"]).json();
    assert!(audit.to_string().contains("导出恢复码"), "the export is in the audit trail");

    // Where the key comes from the environment there is no keychain to add a code to: said plainly.
    let add = skillcert_cmd().arg("--db").arg(&agency.db).args(["key", "add"]).output().unwrap();
    assert_eq!(add.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&add.stderr).contains("不使用系统钥匙串"));
}
