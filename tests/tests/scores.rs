//! Scores and certificates through the real CLI: the score sheet, imports by 准考证号 or 证件号码, 缺考 that is not a
//! zero, publication all or nothing, certificate numbers from the agency settings.

use std::path::Path;

use serde_json::Value;
use skillcert_fixtures::samples;
use skillcert_tests::{Agency, Run, add_plan};

skillcert_tests::agency_env!();

impl Env {
    fn new() -> Env {
        Env(Agency::new())
    }

    /// The 6 sample candidates applied, approved and arranged into one room.
    fn arranged_plan(&self, level: &str, review: Option<&str>) -> String {
        let plan = add_plan(&self.db, "电工", level, &[]);
        let roster = self.path("roster.xlsx");
        samples::title_and_aliases(&roster).unwrap();
        assert_eq!(self.run(&["import", "candidates", roster.to_str().unwrap()]).code, 0);
        let ids = self.run(&["candidate", "list", "--json"]).json();
        for c in ids.as_array().unwrap() {
            assert_eq!(self.run(&["apply", "--plan", &plan, "--id-number", c["id_number"].as_str().unwrap()]).code, 0);
        }
        assert_eq!(self.run(&["review", "approve", "--plan", &plan, "--all-pending"]).code, 0);
        let mut args =
            vec!["arrange", "--plan", &plan, "--venue", "示范中心", "--rooms", "1", "--seats-per-room", "10"];
        args.extend(["--theory", "2026-12-28 09:00-10:30", "--practical", "2026-12-28 13:30-16:00"]);
        if let Some(review) = review {
            args.extend(["--review", review]);
        }
        let run = self.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        plan
    }

    fn scores(&self, plan: &str) -> Vec<Value> {
        self.run(&["scores", "list", "--plan", plan, "--json"]).json().as_array().unwrap().clone()
    }

    fn import(&self, plan: &str, file: &Path) -> Run {
        self.run(&["scores", "import", file.to_str().unwrap(), "--plan", plan, "--json"])
    }
}

/// A score sheet: a header and rows of text or number cells.
enum V<'a> {
    T(&'a str),
    N(f64),
}

fn sheet(path: &Path, rows: &[Vec<V<'_>>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v {
                V::T("") => {}
                V::T(t) => {
                    ws.write_string(r as u32, c as u16, *t).unwrap();
                }
                V::N(n) => {
                    ws.write_number(r as u32, c as u16, *n).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn scores_are_imported_checked_and_published_with_certificates() {
    let env = Env::new();
    let plan = env.arranged_plan("四级/中级工", None);
    let rows = env.scores(&plan);
    assert_eq!(rows.len(), 6);
    let ticket = |i: usize| rows[i]["ticket_number"].as_str().unwrap().to_string();
    let id = |i: usize| rows[i]["id_number"].as_str().unwrap().to_string();

    // The template lists every arranged candidate.
    let template = env.path("template.xlsx");
    let run = env.run(&["scores", "template", "--plan", &plan, "-o", template.to_str().unwrap(), "--json"]);
    assert_eq!(run.json()["rows"], 6);

    let (t0, t1, t2, t3, t5) = (ticket(0), ticket(1), ticket(2), ticket(3), ticket(5));
    let id4 = id(4);
    let first = env.path("scores1.xlsx");
    sheet(
        &first,
        &[
            vec![V::T("准考证号"), V::T("证件号码"), V::T("理论知识"), V::T("操作技能")],
            vec![V::T(&t0), V::T(""), V::N(85.5), V::T("90")],
            vec![V::T(&t1), V::T(""), V::T("缺考"), V::N(75.0)],
            vec![V::T(&t2), V::T(""), V::N(59.5), V::N(88.0)],
            vec![V::T(&t3), V::T(""), V::T("105"), V::N(70.0)],
            vec![V::T(""), V::T(&id4), V::N(60.0), V::N(60.0)],
            vec![V::T("9999990001"), V::T(""), V::N(70.0), V::N(70.0)],
            vec![V::T(&t5), V::T(""), V::N(0.0), V::N(95.0)],
        ],
    );
    let report = env.path("score-errors.xlsx");
    let run = env.run(&[
        "scores",
        "import",
        first.to_str().unwrap(),
        "--plan",
        &plan,
        "--report",
        report.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    // The report holds the two rejected rows as they were, with the reason.
    let mut book = skillcert_core::spreadsheet::Workbook::open(&report).unwrap();
    let name = book.sheet_names()[0].clone();
    let rows = book.read_sheet(&report, &name).unwrap().rows;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1].cell(2).display(), "105");
    assert!(rows[1].cell(4).display().contains("0 到 100"), "{:?}", rows[1]);
    let j = run.json();
    assert_eq!((j["read"].as_u64(), j["imported"].as_u64(), j["rejected"].as_u64()), (Some(7), Some(5), Some(2)));
    assert_eq!((j["errors"][0]["row"].as_u64(), j["errors"][0]["column"].as_str()), (Some(5), Some("理论知识")));
    assert_eq!(j["errors"][1]["column"], "准考证号");

    // 缺考 is recorded as absent, not as 0.
    let rows = env.scores(&plan);
    assert_eq!(rows[1]["marks"]["theory"], "缺考");
    assert_eq!(rows[5]["marks"]["theory"], "0");
    assert_eq!(rows[0]["passed"], true);
    assert_eq!(rows[1]["passed"], false);
    assert_eq!(rows[3]["passed"], Value::Null);

    // Publication waits for every mark.
    let early = env.run(&["scores", "publish", "--plan", &plan]);
    assert_eq!(early.code, 1);
    assert!(
        early.stderr.contains("未登记") && early.stderr.contains(rows[3]["name"].as_str().unwrap()),
        "{}",
        early.stderr
    );

    let fix = env.path("scores2.xlsx");
    // The rejected row saved nothing: it comes back whole. A blank cell keeps what was entered before (row 0).
    sheet(
        &fix,
        &[
            vec![V::T("准考证号"), V::T("理论知识"), V::T("操作技能")],
            vec![V::T(&t3), V::T("60"), V::N(70.0)],
            vec![V::T(&t0), V::T(""), V::N(91.0)],
        ],
    );
    let run = env.import(&plan, &fix);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!((run.json()["imported"].as_u64(), run.json()["updated"].as_u64()), (Some(1), Some(1)));
    assert_eq!(env.scores(&plan)[0]["marks"]["theory"], "85.5");
    assert_eq!(env.scores(&plan)[0]["marks"]["practical"], "91");

    // Certificates need the agency's number parts: refused whole until they are set.
    let unset = env.run(&["scores", "publish", "--plan", &plan]);
    assert_eq!(unset.code, 1);
    assert!(unset.stderr.contains("settings set"), "{}", unset.stderr);
    assert!(env.scores(&plan).iter().all(|r| r["status"] == "已提交申报"));
    env.set_settings(&[
        ("agency.name", "示范职业技能评价中心"),
        ("agency.type", "S"),
        ("agency.province", "44"),
        ("agency.site", "000123"),
    ]);
    // A publication cancelled from the app (the flag set) changes nothing at all.
    {
        use skillcert_core::ops::{Session, scores::publish_scores};
        let mut store = skillcert_core::Store::open_existing(&env.db, &skillcert_tests::test_keys()).unwrap();
        let cancel = std::sync::atomic::AtomicBool::new(true);
        let plan_id: i64 = plan.parse().unwrap();
        let e = publish_scores(&mut store, &Session::new("测试"), plan_id, &mut |_| {}, &cancel).unwrap_err();
        assert_eq!(e.code(), skillcert_core::ErrorCode::Cancelled);
    }
    assert!(env.scores(&plan).iter().all(|r| r["status"] == "已提交申报"));
    assert_eq!(env.run(&["certificate", "list", "--json"]).json().as_array().map(Vec::len), Some(0));

    let published = env.run(&["scores", "publish", "--plan", &plan, "--json"]);
    assert_eq!(published.code, 0, "{}", published.stderr);
    let p = published.json();
    // Passed: 85.5/90, 60/60 (by 证件号码), 60/70 after the fix. Failed: 缺考, 59.5, 0.
    assert_eq!((p["published"].as_u64(), p["passed"].as_u64()), (Some(6), Some(3)));
    let year = &p["certificates"][0]["issued_on"].as_str().unwrap()[2..4];
    let numbers: Vec<String> =
        p["certificates"].as_array().unwrap().iter().map(|c| c["number"].as_str().unwrap().to_string()).collect();
    let prefix = format!("S000044000123{year}4");
    assert_eq!(numbers, [format!("{prefix}000001"), format!("{prefix}000002"), format!("{prefix}000003")]);
    assert_eq!(p["certificates"][0]["agency_name"], "示范职业技能评价中心");
    assert!(env.scores(&plan).iter().all(|r| r["status"] == "成绩发布"));

    let listed = env.run(&["certificate", "list", "--id-number", &id4, "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // Published marks are final.
    let late = env.import(&plan, &fix);
    assert_eq!(late.code, 3);
    assert!(late.json()["errors"][0]["reason"].as_str().unwrap().contains("成绩发布"), "{}", late.stdout);
}

#[test]
fn technicians_need_the_review_panel_mark() {
    let env = Env::new();
    let plan = env.arranged_plan("二级/技师", Some("2026-12-29 09:00-11:00"));
    let rows = env.scores(&plan);
    let file = env.path("scores.xlsx");
    let mut data = vec![vec![V::T("准考证号"), V::T("理论知识"), V::T("操作技能"), V::T("综合评审")]];
    let tickets: Vec<String> = rows.iter().map(|r| r["ticket_number"].as_str().unwrap().to_string()).collect();
    for t in &tickets {
        data.push(vec![V::T(t), V::N(80.0), V::N(80.0), V::T("")]);
    }
    sheet(&file, &data);
    assert_eq!(env.import(&plan, &file).code, 0);
    let early = env.run(&["scores", "publish", "--plan", &plan]);
    assert_eq!(early.code, 1);
    assert!(early.stderr.contains("综合评审"), "{}", early.stderr);

    // A 四级 plan has no review panel: a mark there is refused.
    let four = env.arranged_plan("四级/中级工", None);
    let ticket = env.scores(&four)[0]["ticket_number"].as_str().unwrap().to_string();
    let extra = env.path("extra.xlsx");
    sheet(
        &extra,
        &[
            data[0]
                .iter()
                .map(|v| match v {
                    V::T(t) => V::T(t),
                    V::N(n) => V::N(*n),
                })
                .collect(),
            vec![V::T(&ticket), V::N(80.0), V::N(80.0), V::N(70.0)],
        ],
    );
    let run = env.import(&four, &extra);
    assert_eq!(run.code, 3);
    assert!(run.json()["errors"][0]["reason"].as_str().unwrap().contains("没有综合评审"), "{}", run.stdout);
}
