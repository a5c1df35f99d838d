//! Several PCs on one PostgreSQL database, as two `skillcert` processes started at the same moment: every decision
//! made once and audited once, no certificate number handed out twice, an import beside a review losing nothing.
//! Run on the server pass (`SKILLCERT_TEST_ENGINE=postgres`); on SQLite one file has one writer anyway.

use std::path::Path;
use std::process::{Child, Stdio};

use skillcert_fixtures::samples;
use skillcert_tests::{Agency, Run, add_plan, on_server, raw, skillcert_cmd};

/// `skillcert --db DB ARGS` started as operator `who`, not waited for.
fn start(db: &Path, who: &str, args: &[&str]) -> Child {
    skillcert_cmd()
        .arg("--db")
        .arg(db)
        .args(args)
        .env("SKILLCERT_OPERATOR", who)
        .env_remove("SKILLCERT_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start skillcert")
}

/// Both started before either is waited for.
fn at_once(db: &Path, first: (&str, &[&str]), second: (&str, &[&str])) -> (Run, Run) {
    let a = start(db, first.0, first.1);
    let b = start(db, second.0, second.1);
    (a.wait_with_output().unwrap().into(), b.wait_with_output().unwrap().into())
}

/// An agency with the settings certificates need and `people` candidates applied to a new plan of `occupation`.
fn plan_with(agency: &Agency, occupation: &str, people: usize, seed: u64) -> String {
    let plan = add_plan(&agency.db, occupation, "四级", &[]);
    let roster = agency.path(&format!("roster-{seed}.xlsx"));
    samples::roster(&roster, seed, people).unwrap();
    let import = agency.run(&["import", "candidates", roster.to_str().unwrap(), "--plan", &plan]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    plan
}

fn with_settings() -> Agency {
    let agency = Agency::new();
    agency.set_settings(&[
        ("agency.name", "示范中心"),
        ("agency.type", "S"),
        ("agency.province", "44"),
        ("agency.site", "000123"),
    ]);
    agency
}

#[test]
fn two_pcs_approving_the_same_applications_decide_each_once() {
    if !on_server() {
        return;
    }
    let agency = with_settings();
    let plan = plan_with(&agency, "电工", 1500, 21);
    let approve = ["review", "approve", "--plan", plan.as_str(), "--all-pending"];
    let (a, b) = at_once(&agency.db, ("甲", &approve), ("乙", &approve));
    assert_eq!((a.code, b.code), (0, 0), "{}{}", a.stderr, b.stderr);
    let mut db = raw(&agency.db);
    assert_eq!(db.number("SELECT count(*) FROM applications WHERE status = '申请通过'"), 1500);
    assert_eq!(db.number("SELECT count(*) FROM audit_log WHERE action = '审核通过'"), 1500, "one audit row each");
    let twice = "SELECT count(*) FROM (SELECT entity_id FROM audit_log WHERE action = '审核通过'
                 GROUP BY entity_id HAVING count(*) > 1) AS doubled";
    assert_eq!(db.number(twice), 0, "no application decided twice");

    // Two operators deciding the same one: the second is told who was first.
    let other = plan_with(&agency, "钳工", 1, 22);
    let id = agency.run(&["application", "list", "--plan", &other, "--json"]).json()[0]["id_number"]
        .as_str()
        .unwrap()
        .to_string();
    let one = ["review", "approve", "--plan", other.as_str(), "--id-number", id.as_str()];
    let (a, b) = at_once(&agency.db, ("甲", &one), ("乙", &one));
    let (won, lost, winner) = if a.code == 0 { (a, b, "甲") } else { (b, a, "乙") };
    assert_eq!((won.code, lost.code), (0, 1), "{}{}", won.stderr, lost.stderr);
    assert!(lost.stderr.contains(&format!("{winner} 已于")) && lost.stderr.contains("审核通过"), "{}", lost.stderr);
}

#[test]
fn two_plans_of_the_same_level_issued_at_once_share_no_certificate_number() {
    if !on_server() {
        return;
    }
    let agency = with_settings();
    let plans = [plan_with(&agency, "电工", 800, 31), plan_with(&agency, "钳工", 800, 32)];
    for (n, plan) in plans.iter().enumerate() {
        assert_eq!(agency.run(&["review", "approve", "--plan", plan, "--all-pending"]).code, 0);
        let venue = format!("第{}考点", n + 1);
        let mut arrange = vec!["arrange", "--plan", plan.as_str(), "--venue", venue.as_str(), "--rooms", "10"];
        arrange.extend(["--seats-per-room", "100", "--theory", "2026-12-28 09:00-10:30"]);
        arrange.extend(["--practical", "2026-12-28 13:30-16:00"]);
        let arranged = agency.run(&arrange);
        assert_eq!(arranged.code, 0, "{}", arranged.stderr);
    }
    for plan in &plans {
        agency.exam_held(plan);
    }
    raw(&agency.db).run(
        "INSERT INTO scores (application_id, theory, practical, updated_at) SELECT id, 800, 750, 't' FROM applications",
    );
    // Both published at once, then, after the notices, both plans' certificates issued at once.
    let p0 = ["scores", "publish", "--plan", plans[0].as_str()];
    let p1 = ["scores", "publish", "--plan", plans[1].as_str()];
    let (a, b) = at_once(&agency.db, ("甲", &p0), ("乙", &p1));
    assert_eq!((a.code, b.code), (0, 0), "{}{}", a.stderr, b.stderr);
    let today = skillcert_core::domain::text::today_in_shanghai().to_string();
    for plan in &plans {
        agency.days_pass(plan, 30);
    }
    let i0 = ["certificate", "issue", "--plan", plans[0].as_str(), "--date", today.as_str()];
    let i1 = ["certificate", "issue", "--plan", plans[1].as_str(), "--date", today.as_str()];
    let (a, b) = at_once(&agency.db, ("甲", &i0), ("乙", &i1));
    assert_eq!((a.code, b.code), (0, 0), "{}{}", a.stderr, b.stderr);
    let mut db = raw(&agency.db);
    assert_eq!(db.number("SELECT count(*) FROM certificates"), 1600);
    assert_eq!(db.number("SELECT count(DISTINCT number) FROM certificates"), 1600, "no number handed out twice");
    assert_eq!(db.number("SELECT max(last_serial) FROM certificate_serials"), 1600, "one counter for the level");
}

#[test]
fn an_import_beside_a_review_loses_nothing() {
    if !on_server() {
        return;
    }
    let agency = with_settings();
    let reviewed = plan_with(&agency, "电工", 1000, 41);
    let imported = add_plan(&agency.db, "钳工", "四级", &[]);
    let roster = agency.path("新名单.xlsx");
    samples::roster(&roster, 42, 2000).unwrap();
    let review = ["review", "approve", "--plan", reviewed.as_str(), "--all-pending"];
    let import = ["import", "candidates", roster.to_str().unwrap(), "--plan", imported.as_str()];
    let (a, b) = at_once(&agency.db, ("甲", &import), ("乙", &review));
    assert_eq!((a.code, b.code), (0, 0), "{}{}", a.stderr, b.stderr);
    let mut db = raw(&agency.db);
    let status = |db: &mut skillcert_tests::RawDb, plan: &str, status: &str| {
        db.number(&format!("SELECT count(*) FROM applications WHERE plan_id = {plan} AND status = '{status}'"))
    };
    assert_eq!(status(&mut db, &reviewed, "申请通过"), 1000);
    assert_eq!(status(&mut db, &imported, "待处理"), 2000);
    assert_eq!(db.number("SELECT count(*) FROM audit_log WHERE action = '审核通过'"), 1000);
    assert_eq!(db.number("SELECT count(*) FROM audit_log WHERE action = '导入考生'"), 3000);
}
