//! The CLI contract of the foundation issue, run as an operator would: the real binary on a real database file.

use std::path::PathBuf;

use serde_json::Value;
use skillcert_tests::skillcert;

const ZHANG: &str = "11010519491231002X";
const LI: &str = "110105198001010016";

struct Db {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn new_db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agency.db");
    let init = skillcert(&path, &["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    Db { _dir: dir, path }
}

fn add_plan(db: &Db, extra: &[&str]) -> i64 {
    skillcert_tests::add_plan(&db.path, "电工", "四级/中级工", &[&["--job", "--"], extra].concat()).parse().unwrap()
}

fn add_candidate(db: &Db, name: &str, id: &str) {
    let run = skillcert(
        &db.path,
        &["candidate", "add", "--name", name, "--id-type", "居民身份证", "--id-number", id, "--phone", "13812345678"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn statuses(db: &Db, plan: i64) -> Vec<(String, String)> {
    let run = skillcert(&db.path, &["application", "list", "--plan", &plan.to_string(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id_number"].as_str().unwrap().to_string(), a["status"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn the_whole_review_flow() {
    let db = new_db();
    let plan = add_plan(&db, &["--code", "155265", "--fee", "0"]);
    let plan_args = [
        "plan",
        "add",
        "--occupation",
        "电工",
        "--job",
        "--",
        "--level",
        "四级/中级工",
        "--reg-start",
        "2026-12-01",
        "--reg-end",
        "2026-12-20",
        "--exam",
        "2026-12-28",
        "--json",
    ];
    let json = skillcert(&db.path, &plan_args);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let second = json.json();
    assert!(second["id"].as_i64().unwrap() > plan);
    assert_eq!(second["level"], "四级/中级工");
    assert_eq!(second["job"], Value::Null);
    assert_eq!(second["code"].as_str().unwrap().len(), 6);

    let show = skillcert(&db.path, &["plan", "show", &plan.to_string(), "--json"]).json();
    assert_eq!(show["code"], "155265");
    assert_eq!(show["plan_no"], "1");
    let list = skillcert(&db.path, &["plan", "list", "--json"]).json();
    assert_eq!(list.as_array().unwrap().len(), 2);

    add_candidate(&db, "张 三", &ZHANG.to_lowercase());
    add_candidate(&db, "李四", LI);
    let candidates = skillcert(&db.path, &["candidate", "list", "--json"]).json();
    let zhang = &candidates[0];
    assert_eq!((zhang["name"].as_str(), zhang["id_number"].as_str()), (Some("张三"), Some(ZHANG)));
    assert_eq!((zhang["sex"].as_str(), zhang["birth_date"].as_str()), (Some("女"), Some("1949-12-31")));

    let p = plan.to_string();
    for id in [ZHANG, LI] {
        let run = skillcert(&db.path, &["apply", "--plan", &p, "--id-number", id, "--json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.json()["status"], "待处理");
        assert_eq!(run.json()["payment"], "无需支付");
    }

    let approve = skillcert(&db.path, &["review", "approve", "--plan", &p, "--id-number", ZHANG]);
    assert_eq!(approve.code, 0, "{}", approve.stderr);

    let no_reason = skillcert(&db.path, &["review", "reject", "--plan", &p, "--id-number", LI]);
    assert_eq!(no_reason.code, 1);
    assert!(no_reason.stderr.contains("原因"), "{}", no_reason.stderr);

    let reject =
        skillcert(&db.path, &["review", "reject", "--plan", &p, "--id-number", LI, "--reason", "照片不清晰", "--json"]);
    assert_eq!(reject.code, 0, "{}", reject.stderr);
    assert_eq!(reject.json()["changed"][0]["reject_reason"], "照片不清晰");

    assert_eq!(
        statuses(&db, plan),
        [(ZHANG.to_string(), "申请通过".to_string()), (LI.to_string(), "申请不通过".to_string())]
    );
    let approved = skillcert(&db.path, &["application", "list", "--plan", &p, "--status", "申请通过", "--json"]).json();
    assert_eq!(approved.as_array().unwrap().len(), 1);

    // Profile edits are refused once approved.
    let edit =
        skillcert(&db.path, &["candidate", "edit", "--name", "张三", "--id-number", ZHANG, "--phone", "13900000000"]);
    assert_eq!(edit.code, 1);
    assert!(edit.stderr.contains("锁定"), "{}", edit.stderr);

    let audit = skillcert(&db.path, &["audit", "list", "--id-number", LI, "--json"]).json();
    let last = audit.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "审核不通过");
    assert_eq!((last["from_value"].as_str(), last["to_value"].as_str()), (Some("待处理"), Some("申请不通过")));
    assert_eq!(last["actor"], "测试操作员");
    assert_eq!(last["detail"], "照片不清晰");
    assert!(last["at"].as_str().unwrap().ends_with("+08:00"));
}

#[test]
fn illegal_transitions_are_refused_with_exit_1_and_change_nothing() {
    let db = new_db();
    let plan = add_plan(&db, &[]);
    add_candidate(&db, "张三", ZHANG);
    add_candidate(&db, "李四", LI);
    let p = plan.to_string();
    for id in [ZHANG, LI] {
        assert_eq!(skillcert(&db.path, &["apply", "--plan", &p, "--id-number", id]).code, 0);
    }
    assert_eq!(skillcert(&db.path, &["review", "approve", "--plan", &p, "--id-number", ZHANG]).code, 0);
    let audit_before = skillcert(&db.path, &["audit", "list", "--json"]).json().as_array().unwrap().len();

    // One of the two is already approved: the batch is refused whole.
    let run =
        skillcert(&db.path, &["review", "reject", "--plan", &p, "--id-number", LI, ZHANG, "--reason", "资料不全"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("申请通过") && run.stderr.contains("不能执行"), "{}", run.stderr);
    assert_eq!(statuses(&db, plan)[1].1, "待处理");
    assert_eq!(skillcert(&db.path, &["audit", "list", "--json"]).json().as_array().unwrap().len(), audit_before);

    let twice = skillcert(&db.path, &["apply", "--plan", &p, "--id-number", ZHANG]);
    assert_eq!(twice.code, 1);
    assert!(twice.stderr.contains("已报名"), "{}", twice.stderr);

    let all = skillcert(&db.path, &["review", "approve", "--plan", &p, "--all-pending", "--json"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(all.json()["changed"].as_array().unwrap().len(), 1);
}

#[test]
fn rule_violations_exit_1_with_the_reason() {
    let db = new_db();
    // The seed's own bad sample: exam before the end of registration.
    let bad_plan = skillcert(
        &db.path,
        &[
            "plan",
            "add",
            "--occupation",
            "电工",
            "--level",
            "四级/中级工",
            "--reg-start",
            "2022-04-11",
            "--reg-end",
            "2022-04-30",
            "--exam",
            "2021-05-08",
        ],
    );
    assert_eq!(bad_plan.code, 1);
    assert!(bad_plan.stderr.contains("计划考试日期"), "{}", bad_plan.stderr);

    add_plan(&db, &["--code", "155265"]);
    let dup = skillcert(
        &db.path,
        &[
            "plan",
            "add",
            "--occupation",
            "电工",
            "--level",
            "四级",
            "--reg-start",
            "2026-12-01",
            "--reg-end",
            "2026-12-20",
        ]
        .into_iter()
        .chain(["--exam", "2026-12-28", "--code", "155265"])
        .collect::<Vec<_>>(),
    );
    assert_eq!(dup.code, 1);
    assert!(dup.stderr.contains("155265"), "{}", dup.stderr);

    let bad_id = skillcert(
        &db.path,
        &[
            "candidate",
            "add",
            "--name",
            "王五",
            "--id-number",
            "110105198001010017",
            "--phone",
            "13812345678",
            "--json",
        ],
    );
    assert_eq!(bad_id.code, 1);
    assert!(bad_id.stderr.contains("校验位"), "{}", bad_id.stderr);
    assert_eq!(bad_id.json()["error"]["code"], "invalid");

    let unknown = skillcert(&db.path, &["apply", "--plan", "1", "--id-number", LI]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("没有证件号码"), "{}", unknown.stderr);

    let bad_status = skillcert(&db.path, &["application", "list", "--plan", "1", "--status", "已通过"]);
    assert_eq!(bad_status.code, 1);
    assert!(bad_status.stderr.contains("待处理"), "{}", bad_status.stderr);
}

#[test]
fn unusable_databases_exit_2_and_are_not_touched() {
    let dir = tempfile::tempdir().unwrap();

    let missing = dir.path().join("missing.db");
    let run = skillcert(&missing, &["plan", "list"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("init"), "{}", run.stderr);
    assert!(!missing.exists(), "a missing database is not created by a read");

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, "这不是数据库".repeat(200)).unwrap();
    let before = std::fs::read(&garbage).unwrap();
    let run = skillcert(&garbage, &["plan", "list", "--json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("不是 SkillCert 数据库"), "{}", run.stderr);
    assert_eq!(run.json()["error"]["code"], "database");
    assert_eq!(std::fs::read(&garbage).unwrap(), before);

    // A database from a newer SkillCert.
    let newer = dir.path().join("newer.db");
    assert_eq!(skillcert(&newer, &["init"]).code, 0);
    {
        let conn = skillcert_tests::connect(&newer);
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&newer).unwrap();
    let run = skillcert(&newer, &["plan", "list"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("99") && run.stderr.contains("升级"), "{}", run.stderr);
    assert_eq!(std::fs::read(&newer).unwrap(), before, "the newer database is left byte for byte");
    assert!(!dir.path().join("newer.db-wal").exists());
}

#[test]
fn the_demo_database_is_readable_by_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut store = skillcert_core::Store::open_or_create(&db, &skillcert_tests::test_keys()).unwrap();
    let session = skillcert_core::ops::Session::new("演示");
    skillcert_fixtures::seed_demo(&mut store, &session).unwrap();
    drop(store);
    let plans = skillcert(&db, &["plan", "list", "--json"]).json();
    assert_eq!(plans.as_array().unwrap().len(), 5);
    let open = plans.as_array().unwrap().iter().filter(|p| p["registration"] == "报名中").count();
    assert_eq!(open, 2);
}

#[test]
fn an_address_is_a_server_or_refused_and_no_folder_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let init = |location: &str| {
        let out =
            skillcert_tests::skillcert_cmd().current_dir(dir.path()).args(["--db", location, "init"]).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, stderr) = init("ftp://clerk:s3cret@files.example.cn/agency.db");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("未创建任何文件") && !stderr.contains("s3cret"), "{stderr}");
    // Nothing listens on port 9 here: the server is named, its password never.
    let (code, stderr) = init("postgres://clerk:s3cret@127.0.0.1:9/skillcert");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("无法连接数据库服务器 postgres://clerk@127.0.0.1:9/skillcert"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no folder named after the address");
}

/// Bad server databases, as administrators get them wrong: each refused in words they can act on, nothing written.
#[test]
fn a_server_database_that_cannot_be_used_is_refused_and_left_as_it_was() {
    use skillcert_core::throwaway_postgres::{admin, fresh_database};
    let run = |db: &str, args: &[&str]| skillcert(std::path::Path::new(db), args);
    let tables = |db: &str| {
        skillcert_tests::raw(std::path::Path::new(db))
            .number("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    };

    // A wrong password.
    let good = fresh_database("badpw");
    let wrong = good.replacen(":pw-", ":not-the-password-", 1);
    let out = run(&wrong, &["init"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("用户名或密码不正确") && !out.stderr.contains("not-the-password"), "{}", out.stderr);
    assert_eq!(tables(&good), 0);

    // A database nobody created.
    let missing = good.replace("/badpw_", "/nosuch_");
    let out = run(&missing, &["init"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("没有这个数据库"), "{}", out.stderr);

    // A database before `init`: nothing to open, and what to do about it.
    let out = run(&good, &["plan", "list"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("还没有 SkillCert 的数据表"), "{}", out.stderr);
    assert_eq!(tables(&good), 0);

    // An account that may not create tables (PostgreSQL 15 lets only the owner create in `public`).
    let limited = fresh_database("limited");
    let name = limited.rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    admin(None, &format!("ALTER DATABASE \"{name}\" OWNER TO skillcert_admin"));
    let out = run(&limited, &["init"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("权限不足"), "{}", out.stderr);
    assert_eq!(tables(&limited), 0, "the failed set-up left no table behind");

    // Another program's database.
    let other = fresh_database("other");
    skillcert_tests::raw(std::path::Path::new(&other))
        .run("CREATE TABLE orders (id INT); INSERT INTO orders VALUES (1)");
    let out = run(&other, &["init"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("不是 SkillCert 的数据库"), "{}", out.stderr);
    assert_eq!(tables(&other), 1);
    assert_eq!(skillcert_tests::raw(std::path::Path::new(&other)).number("SELECT count(*) FROM orders"), 1);

    // A database of a newer SkillCert.
    let newer = fresh_database("newer");
    assert_eq!(run(&newer, &["init"]).code, 0);
    skillcert_tests::raw(std::path::Path::new(&newer)).run("UPDATE skillcert_schema SET version = 99");
    let out = run(&newer, &["plan", "list"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("99") && out.stderr.contains("升级"), "{}", out.stderr);
    let plans = skillcert_tests::raw(std::path::Path::new(&newer)).number("SELECT count(*) FROM plans");
    assert_eq!(plans, 0);

    // And a good one: `init` says where, without the password.
    let out = run(&good, &["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("数据库已就绪：postgres://") && !out.stdout.contains(":pw-"), "{}", out.stdout);
}
