//! Scores and certificates through the real CLI, as the clock runs them: marks only after the exam, imports by
//! 准考证号 or 证件号码, 缺考 that is not a zero, publication as a results notice (all or nothing), corrections that
//! keep the mark before, and certificates issued after the notice, dated by the operator, numbered from the agency
//! settings.

use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};
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
        let (plan, _) = self.approved_plan(level, &[]);
        let run = self.arrange(&plan, review);
        assert_eq!(run.code, 0, "{}", run.stderr);
        plan
    }

    /// The 6 sample candidates applied and approved; the plan and their 证件号码.
    fn approved_plan(&self, level: &str, plan_args: &[&str]) -> (String, Vec<String>) {
        let plan = add_plan(&self.db, "电工", level, &[&["--occupation-code", "6-31-01-03"], plan_args].concat());
        let roster = self.path("roster.xlsx");
        samples::title_and_aliases(&roster).unwrap();
        assert_eq!(self.run(&["import", "candidates", roster.to_str().unwrap()]).code, 0);
        let listed = self.run(&["candidate", "list", "--json"]).json();
        let ids: Vec<String> =
            listed.as_array().unwrap().iter().map(|c| c["id_number"].as_str().unwrap().to_string()).collect();
        for id in &ids {
            assert_eq!(self.run(&["apply", "--plan", &plan, "--id-number", id]).code, 0);
        }
        assert_eq!(self.run(&["review", "approve", "--plan", &plan, "--all-pending"]).code, 0);
        (plan, ids)
    }

    /// Arranges the plan into one room of 10 seats on 2026-12-28.
    fn arrange(&self, plan: &str, review: Option<&str>) -> Run {
        let mut args = vec!["arrange", "--plan", plan, "--venue", "示范中心", "--rooms", "1", "--seats-per-room", "10"];
        args.extend(["--theory", "2026-12-28 09:00-10:30", "--practical", "2026-12-28 13:30-16:00"]);
        if let Some(review) = review {
            args.extend(["--review", review]);
        }
        self.run(&args)
    }

    /// Every candidate of the arranged plan passes both parts; the marks imported and published as the notice.
    fn all_pass_published(&self, plan: &str) {
        let file = self.path("all-pass.xlsx");
        let rows = self.scores(plan);
        let mut data = vec![vec![V::T("准考证号"), V::T("理论知识"), V::T("操作技能")]];
        for r in &rows {
            data.push(vec![V::T(r["ticket_number"].as_str().unwrap()), V::N(80.0), V::N(75.0)]);
        }
        sheet(&file, &data);
        assert_eq!(self.import(plan, &file).code, 0);
        assert_eq!(self.run(&["scores", "publish", "--plan", plan]).code, 0);
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

/// Days from today until `date` (the tests' exams are on fixed dates ahead).
fn days_until(date: &str) -> u32 {
    let date: chrono::NaiveDate = date.parse().unwrap();
    (date - today()).num_days().try_into().expect("the tests' exam dates lie ahead")
}

fn today() -> chrono::NaiveDate {
    skillcert_core::domain::text::today_in_shanghai()
}

#[test]
fn scores_are_imported_after_the_exam_published_as_a_notice_and_certificates_follow_it() {
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
    // Before the exam there is nothing to mark: refused whole, nothing saved.
    let early = env.import(&plan, &first);
    assert_eq!(early.code, 1, "{}", early.stdout);
    assert!(early.stderr.contains("考试在 2026-12-28，考试之后才能登记成绩"), "{}", early.stderr);
    assert!(env.scores(&plan).iter().all(|r| r["marks"]["theory"].is_null()));

    env.days_pass(&plan, days_until("2026-12-28") + 1);
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

    // Publishing opens the notice (7 days from today, both included) and issues nothing yet.
    let published = env.run(&["scores", "publish", "--plan", &plan, "--json"]);
    assert_eq!(published.code, 0, "{}", published.stderr);
    let p = published.json();
    // Passed: 85.5/90, 60/60 (by 证件号码), 60/70 after the fix. Failed: 缺考, 59.5, 0.
    assert_eq!((p["published"].as_u64(), p["passed"].as_u64()), (Some(6), Some(3)));
    let (opens, ends) = (today(), today() + chrono::Days::new(6));
    assert_eq!(
        (p["notice"]["opens_on"].as_str(), p["notice"]["ends_on"].as_str()),
        (Some(&*opens.to_string()), Some(&*ends.to_string()))
    );
    assert!(env.scores(&plan).iter().all(|r| r["status"] == "成绩发布"));
    assert_eq!(env.run(&["certificate", "list", "--json"]).json().as_array().map(Vec::len), Some(0));
    let listing = env.run(&["scores", "list", "--plan", &plan]);
    assert!(listing.stdout.contains(&format!("成绩公示期 {opens} 至 {ends}（公示中")), "{}", listing.stdout);

    // The public list: printed and exported, 证件号码 masked, the results as published.
    let pdf = env.path("公示名单.pdf");
    let printed = env.run(&["scores", "notice", "--plan", &plan, "-o", pdf.to_str().unwrap()]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let text = String::from_utf8(
        std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().unwrap().stdout,
    )
    .unwrap();
    assert!(
        text.contains("职业技能等级认定成绩公示") && text.contains(&format!("公示期：{opens} 至 {ends}")),
        "{text}"
    );
    let masked = format!("{}********{}", &id4[..6], &id4[14..]);
    assert!(text.contains(&masked) && !text.contains(&id4), "{text}");
    assert_eq!((text.matches("不合格").count(), text.matches("合格").count()), (3, 6), "{text}");
    let xlsx = env.path("公示名单.xlsx");
    let exported = env.run(&["scores", "notice", "--plan", &plan, "-o", xlsx.to_str().unwrap(), "--json"]);
    assert_eq!(exported.json()["rows"], 6, "{}", exported.stderr);
    let mut book = skillcert_core::spreadsheet::Workbook::open(&xlsx).unwrap();
    let rows = book.read_sheet(&xlsx, "成绩公示").unwrap().rows;
    assert!(rows.iter().any(|r| r.cell(3).display() == masked), "{rows:?}");
    assert!(!rows.iter().any(|r| (0..8).any(|c| r.cell(c).display() == id4)));

    // During the notice: a sheet is refused row by row; one mark is corrected with its reason, the original kept.
    let late = env.import(&plan, &fix);
    assert_eq!(late.code, 3);
    assert!(late.json()["errors"][0]["reason"].as_str().unwrap().contains("已发布公示"), "{}", late.stdout);
    let correct = |candidate: &str, mark: &str, reason: &str| {
        env.run(&[
            "scores",
            "correct",
            "--plan",
            &plan,
            "--candidate",
            candidate,
            "--part",
            "理论",
            "--mark",
            mark,
            "--reason",
            reason,
            "--json",
        ])
    };
    let unexplained = correct(&t2, "60", "  ");
    assert_eq!(unexplained.code, 1, "{}", unexplained.stderr);
    assert!(unexplained.stderr.contains("更正原因"), "{}", unexplained.stderr);
    let same = correct(&t2, "59.5", "查分复核");
    assert!(same.code != 0 && same.stderr.contains("与原成绩（59.5）相同"), "{}", same.stderr);
    let corrected = correct(&t2, "60", "查分复核：第 3 题漏计 0.5 分");
    assert_eq!(corrected.code, 0, "{}", corrected.stderr);
    let c = corrected.json();
    assert_eq!((c["marks"]["theory"].as_str(), c["passed"].as_bool()), (Some("60"), Some(true)));
    let history = &c["corrections"][0];
    assert_eq!(
        (history["part"].as_str(), history["old"].as_str(), history["new"].as_str()),
        (Some("theory"), Some("59.5"), Some("60"))
    );
    assert_eq!(
        (history["reason"].as_str(), history["actor"].as_str()),
        (Some("查分复核：第 3 题漏计 0.5 分"), Some("测试操作员"))
    );
    let listing = env.run(&["scores", "list", "--plan", &plan]);
    assert!(listing.stdout.contains("成绩更正记录") && listing.stdout.contains("59.5"), "{}", listing.stdout);
    let mut raw = skillcert_tests::raw(&env.db);
    assert_eq!(raw.number("SELECT count(*) FROM audit_log WHERE action = '更正成绩'"), 1);
    // The record of a correction is kept as it was.
    assert!(raw.try_number("UPDATE score_corrections SET reason = 'x' RETURNING id").is_err());

    // No certificate while the notice runs.
    let during = env.run(&["certificate", "issue", "--plan", &plan, "--date", &today().to_string()]);
    assert_eq!(during.code, 1);
    assert!(during.stderr.contains("公示期满后才能颁发证书"), "{}", during.stderr);

    // The notice ends: the results are final.
    env.days_pass(&plan, 10);
    let final_ = correct(&t1, "61", "查分");
    assert!(final_.code != 0 && final_.stderr.contains("已结束"), "{}", final_.stderr);

    // Certificates need the agency's number parts: refused whole until they are set.
    let issue = |date: &str| env.run(&["certificate", "issue", "--plan", &plan, "--date", date, "--json"]);
    let unset = issue(&today().to_string());
    assert_eq!(unset.code, 1);
    assert!(unset.stderr.contains("settings set"), "{}", unset.stderr);
    env.set_settings(&[
        ("agency.name", "示范职业技能评价中心"),
        ("agency.type", "S"),
        ("agency.province", "44"),
        ("agency.site", "000123"),
    ]);
    // A 发证日期 before the exam, within the notice, or ahead of today is refused.
    let exam_day = today() - chrono::Days::new(11);
    for (date, why) in [
        (exam_day - chrono::Days::new(1), "早于考试日期"),
        (today() - chrono::Days::new(4), "公示期结束"),
        (today() + chrono::Days::new(1), "晚于今天"),
    ] {
        let refused = issue(&date.to_string());
        assert_eq!(refused.code, 1, "{date}: {}", refused.stderr);
        assert!(refused.stderr.contains(why), "{date}: {}", refused.stderr);
    }
    assert_eq!(env.run(&["certificate", "list", "--json"]).json().as_array().map(Vec::len), Some(0));

    let issued = issue(&today().to_string());
    assert_eq!(issued.code, 0, "{}", issued.stderr);
    let i = issued.json();
    let certificates = i["issued"].as_array().unwrap();
    // The three who passed at publication and the one whose corrected mark passes.
    assert_eq!(certificates.len(), 4);
    assert_eq!(certificates[0]["issued_on"].as_str(), Some(&*today().to_string()));
    let year = &today().to_string()[2..4];
    let numbers: Vec<&str> = certificates.iter().map(|c| c["number"].as_str().unwrap()).collect();
    let prefix = format!("S000044000123{year}4");
    assert_eq!(numbers, (1..=4).map(|n| format!("{prefix}{n:06}")).collect::<Vec<_>>());
    assert_eq!(certificates[0]["agency_name"], "示范职业技能评价中心");
    let listed = env.run(&["certificate", "list", "--id-number", &id4, "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // Issuing again finds everyone served.
    let again = issue(&today().to_string());
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("都已获发证书"), "{}", again.stderr);

    // 作废: a reason is required; the certificate stays, 已作废, and never prints again.
    let (first, second) = (numbers[0].to_string(), numbers[1].to_string());
    let cert = |args: &[&str]| env.run(&[&["certificate"], args, &["--json"]].concat());
    assert_eq!(cert(&["revoke", &first, "--reason", " "]).code, 1);
    let revoked = cert(&["revoke", &first, "--reason", "经核查不符合报考条件"]);
    assert_eq!(revoked.code, 0, "{}", revoked.stderr);
    let r = &revoked.json()[0];
    assert_eq!((r["state"].as_str(), r["revoked_reason"].as_str()), (Some("已作废"), Some("经核查不符合报考条件")));
    assert_eq!(r["revoked_on"].as_str(), Some(&*today().to_string()));
    let twice = cert(&["revoke", &first, "--reason", "再次"]);
    assert!(twice.code == 1 && twice.stderr.contains("已于"), "{}", twice.stderr);
    let holder = certificates[0]["id_number"].as_str().unwrap();
    let pdf = env.path("revoked.pdf");
    let print = env.run(&["print", "certificate", "--plan", &plan, "--id-number", holder, "-o", pdf.to_str().unwrap()]);
    assert!(print.code == 1 && print.stderr.contains("已作废，不能再打印"), "{}", print.stderr);
    assert!(!pdf.exists());
    let mut raw = skillcert_tests::raw(&env.db);
    assert!(raw.try_number("UPDATE certificates SET state = '有效' RETURNING id").is_err(), "revoked stays revoked");
    assert!(raw.try_number("UPDATE certificates SET name = 'x' RETURNING id").is_err(), "what it says never changes");
    drop(raw);

    // 补发 under the same number (the default) needs the new paper's 印制流水码; under a new number, the next serial.
    let unserialled = cert(&["reissue", &second, "--reason", "证书遗失"]);
    assert!(unserialled.code == 1 && unserialled.stderr.contains("印制流水码"), "{}", unserialled.stderr);
    let kept = cert(&["reissue", &second, "--reason", "证书遗失", "--print-serial", "A20260001"]);
    assert_eq!(kept.code, 0, "{}", kept.stderr);
    let k = &kept.json()[0];
    assert_eq!(
        (k["number"].as_str(), k["state"].as_str(), k["print_serial"].as_str()),
        (Some(&*second), Some("有效"), Some("A20260001"))
    );
    assert_eq!(k["issued_on"], certificates[1]["issued_on"], "a reissue certifies what the original did");
    env.set_settings(&[("certificate.reissue_number", "new")]);
    let renumbered = cert(&["reissue", &second, "--reason", "证书损坏"]);
    assert_eq!(renumbered.code, 0, "{}", renumbered.stderr);
    assert_eq!(renumbered.json()[0]["number"].as_str(), Some(&*format!("{prefix}000005")));
    let all = env.run(&["certificate", "list", "--plan", &plan, "--json"]).json();
    let states: Vec<(&str, &str)> =
        all.as_array().unwrap().iter().map(|c| (c["number"].as_str().unwrap(), c["state"].as_str().unwrap())).collect();
    assert_eq!(states.iter().filter(|(_, s)| *s == "有效").count(), 3, "one revoked, one reissued twice: {states:?}");
    assert_eq!(states.len(), 6, "nothing is deleted: {states:?}");
    let mut raw = skillcert_tests::raw(&env.db);
    assert_eq!(raw.number("SELECT count(*) FROM audit_log WHERE action IN ('作废证书', '补发证书')"), 3);
}

/// An exam platform's sheet: 操作技能 as items, 综合评审 as a panel of three (two marking 论文 and 答辩, one a whole
/// mark). The items are summed, the panel averaged with the agency's weighting, a wide spread flagged.
#[test]
fn practical_items_are_summed_and_the_review_panel_averaged() {
    let env = Env::new();
    let plan = env.arranged_plan("二级/技师", Some("2026-12-29 09:00-11:00"));
    env.days_pass(&plan, days_until("2026-12-29"));
    let tickets: Vec<String> =
        env.scores(&plan).iter().map(|r| r["ticket_number"].as_str().unwrap().to_string()).collect();
    let header = [
        "准考证号",
        "理论知识",
        "实操1",
        "实操2",
        "实操3",
        "专家1论文",
        "专家1答辩",
        "专家2论文",
        "专家2答辩",
        "专家3",
    ];
    let row = platform_row;
    let file = env.path("平台成绩.xlsx");
    let mut data = vec![header.iter().map(|h| V::T(h)).collect::<Vec<_>>()];
    // 30 + 25.5 + 20 = 75.5; (0.4·80 + 0.6·70 = 74, 0.4·90 + 0.6·85 = 87, 70) → 77, 17 apart.
    data.push(row(&tickets[0], [30.0, 25.5, 20.0], [80.0, 70.0, 90.0, 85.0, 70.0]));
    // Close experts: 80, 80, 78 → 79.3.
    data.push(row(&tickets[1], [40.0, 30.0, 10.0], [80.0, 80.0, 80.0, 80.0, 78.0]));
    // Items over 100 in all.
    data.push(row(&tickets[2], [60.0, 30.0, 20.0], [80.0, 80.0, 80.0, 80.0, 80.0]));
    // An expert's defence mark missing.
    let mut missing = row(&tickets[3], [30.0, 30.0, 20.0], [80.0, 80.0, 80.0, 80.0, 80.0]);
    missing[6] = V::T("");
    data.push(missing);
    sheet(&file, &data);
    let run = env.import(&plan, &file);
    assert_eq!(run.code, 3, "{} {}", run.stdout, run.stderr);
    let outcome = run.json();
    assert_eq!(outcome["imported"], 2);
    let errors = outcome["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["row"] == 4 && e["reason"].as_str().unwrap().contains("超过 100 分")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e["row"] == 5 && e["column"] == "专家1答辩" && e["reason"].as_str().unwrap().contains("为空")),
        "{errors:?}"
    );
    let flags = outcome["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert!(flags[0]["row"] == 2 && flags[0]["reason"].as_str().unwrap().contains("相差 17 分"), "{flags:?}");
    let scores = env.scores(&plan);
    let of = |t: &str| scores.iter().find(|r| r["ticket_number"] == t).unwrap()["marks"].clone();
    assert_eq!((of(&tickets[0])["practical"].as_str(), of(&tickets[0])["review"].as_str()), (Some("75.5"), Some("77")));
    assert_eq!(of(&tickets[1])["review"], "79.3");

    // Another weighting is the agency's setting; a sheet whose total contradicts its items is refused.
    env.set_settings(&[("review.weights", "50/50")]);
    let again = env.path("再次.xlsx");
    let mut data = vec![header.iter().map(|h| V::T(h)).collect::<Vec<_>>()];
    data.push(row(&tickets[2], [30.0, 30.0, 20.0], [80.0, 60.0, 90.0, 70.0, 75.0]));
    sheet(&again, &data);
    assert_eq!(env.import(&plan, &again).code, 0);
    // (70 + 80 + 75) / 3 = 75.
    assert_eq!(of_now(&env, &plan, &tickets[2])["review"], "75");
    let contradicting = env.path("合计不符.xlsx");
    sheet(
        &contradicting,
        &[
            vec![V::T("准考证号"), V::T("操作技能"), V::T("项目一"), V::T("项目二")],
            vec![V::T(&tickets[4]), V::N(90.0), V::N(40.0), V::N(40.0)],
        ],
    );
    let refused = env.import(&plan, &contradicting).json();
    assert!(refused["errors"][0]["reason"].as_str().unwrap().contains("各项合计 80"), "{refused}");
}

/// A platform sheet's row: 准考证号, 理论知识 80, three 实操 items, 专家1–2 论文 and 答辩, 专家3's whole mark.
fn platform_row(ticket: &str, items: [f64; 3], experts: [f64; 5]) -> Vec<V<'_>> {
    let mut row = vec![V::T(ticket), V::N(80.0)];
    row.extend(items.map(V::N));
    row.extend(experts.map(V::N));
    row
}

/// A computer-based exam platform's export with its own column names: read once the agency has told SkillCert how
/// that source names them (scores.sources), its errors naming the file's own columns.
#[test]
fn a_platform_export_is_read_by_the_column_names_set_up_for_its_source() {
    let env = Env::new();
    let plan = env.arranged_plan("四级/中级工", None);
    env.days_pass(&plan, days_until("2026-12-28"));
    let tickets: Vec<String> =
        env.scores(&plan).iter().map(|r| r["ticket_number"].as_str().unwrap().to_string()).collect();
    let file = env.path("机考平台导出.xlsx");
    sheet(
        &file,
        &[
            vec![V::T("考生编号"), V::T("考生姓名"), V::T("客观题总分"), V::T("第一题"), V::T("第二题")],
            vec![V::T(&tickets[0]), V::T("甲"), V::N(82.5), V::N(40.0), V::N(38.0)],
            vec![V::T(&tickets[1]), V::T("乙"), V::T("八十"), V::N(40.0), V::N(30.0)],
        ],
    );
    let unknown = env.run(&["scores", "import", file.to_str().unwrap(), "--plan", &plan]);
    assert_eq!(unknown.code, 2, "without its source the sheet has no known header: {}", unknown.stderr);
    let no_source = env.run(&["scores", "import", file.to_str().unwrap(), "--plan", &plan, "--source", "机考平台"]);
    assert!(no_source.code == 1 && no_source.stderr.contains("尚未设置任何来源"), "{}", no_source.stderr);
    env.set_settings(&[(
        "scores.sources",
        "[机考平台]\n考生编号=准考证号\n考生姓名=姓名\n客观题总分=理论知识\n第一题=实操1\n第二题=实操2",
    )]);
    let run = env.run(&["scores", "import", file.to_str().unwrap(), "--plan", &plan, "--source", "机考平台", "--json"]);
    assert_eq!(run.code, 3, "{} {}", run.stdout, run.stderr);
    let outcome = run.json();
    assert_eq!(outcome["imported"], 1);
    assert_eq!(outcome["errors"][0]["column"], "客观题总分", "named as the file names it");
    let marks = of_now(&env, &plan, &tickets[0]);
    assert_eq!((marks["theory"].as_str(), marks["practical"].as_str()), (Some("82.5"), Some("78")));
}

fn of_now(env: &Env, plan: &str, ticket: &str) -> Value {
    env.scores(plan).iter().find(|r| r["ticket_number"] == ticket).unwrap()["marks"].clone()
}

#[test]
fn technicians_need_the_review_panel_mark() {
    let env = Env::new();
    let plan = env.arranged_plan("二级/技师", Some("2026-12-29 09:00-11:00"));
    // The first day of the exam is today; the review panel sits tomorrow.
    env.days_pass(&plan, days_until("2026-12-28"));
    let rows = env.scores(&plan);
    let tomorrow = today() + chrono::Days::new(1);
    let ahead = env.path("ahead.xlsx");
    let first = rows[0]["ticket_number"].as_str().unwrap();
    sheet(
        &ahead,
        &[vec![V::T("准考证号"), V::T("理论知识"), V::T("综合评审")], vec![V::T(first), V::N(80.0), V::N(75.0)]],
    );
    let run = env.import(&plan, &ahead);
    assert_eq!(run.code, 3, "{}", run.stdout);
    let error = &run.json()["errors"][0];
    assert_eq!(error["column"], "综合评审");
    assert!(error["reason"].as_str().unwrap().contains(&format!("综合评审考试在 {tomorrow}")), "{error}");
    let early = env.run(&["scores", "publish", "--plan", &plan]);
    assert!(early.code == 1 && early.stderr.contains(&format!("{tomorrow} 才结束")), "{}", early.stderr);
    env.days_pass(&plan, 1);
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
    env.days_pass(&four, days_until("2026-12-28"));
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

#[test]
fn numbers_the_province_assigned_are_checked_and_taken_by_the_issue_step() {
    let env = Env::new();
    let plan = env.arranged_plan("四级/中级工", None);
    env.exam_held(&plan);
    let rows = env.scores(&plan);
    // Everyone passes but the last.
    let file = env.path("marks.xlsx");
    let mut data = vec![vec![V::T("准考证号"), V::T("理论知识"), V::T("操作技能")]];
    for (i, r) in rows.iter().enumerate() {
        data.push(vec![V::T(r["ticket_number"].as_str().unwrap()), V::N(if i == 5 { 40.0 } else { 80.0 }), V::N(75.0)]);
    }
    sheet(&file, &data);
    assert_eq!(env.import(&plan, &file).code, 0);
    assert_eq!(env.run(&["scores", "publish", "--plan", &plan]).code, 0);
    // Only the agency's name: with every number assigned by the province, no number parts of its own are needed.
    env.set_settings(&[("agency.name", "示范职业技能评价中心")]);
    let ids: Vec<String> = rows.iter().map(|r| r["id_number"].as_str().unwrap().to_string()).collect();
    let assigned = |n: u32| format!("S000044000777264{n:06}");
    let numbers = env.path("省级分配证书编号.xlsx");
    let (a0, a1, a2, a3) = (assigned(11), assigned(12), assigned(13), assigned(14));
    let lower = assigned(15).to_lowercase();
    sheet(
        &numbers,
        &[
            vec![V::T("某省职业技能等级证书编号分配表")],
            vec![V::T("姓名"), V::T("身份证号"), V::T("证书编号")],
            vec![V::T(""), V::T(&ids[0]), V::T(&a0)],
            vec![V::T(""), V::T(&ids[1]), V::T(&a1)],
            vec![V::T(""), V::T(&ids[2]), V::T("S00004400077726400001")],
            vec![V::T(""), V::T(&ids[3]), V::T("S000044000777263000014")],
            vec![V::T(""), V::T(&ids[4]), V::T(&a1)],
            vec![V::T(""), V::T(&ids[5]), V::T(&a3)],
            vec![V::T(""), V::T("110101199001011234"), V::T(&a2)],
        ],
    );
    let report = env.path("编号错误.xlsx");
    let run = env.run(&[
        "certificate",
        "numbers",
        numbers.to_str().unwrap(),
        "--plan",
        &plan,
        "--report",
        report.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    let j = run.json();
    assert_eq!((j["read"].as_u64(), j["imported"].as_u64(), j["rejected"].as_u64()), (Some(7), Some(2), Some(5)));
    let reasons: Vec<(u64, String)> = j["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["reason"].as_str().unwrap().to_string()))
        .collect();
    let reason = |row: u64| reasons.iter().find(|(r, _)| *r == row).map(|(_, why)| why.clone()).unwrap_or_default();
    assert!(reason(5).contains("22位"), "{reasons:?}");
    assert!(reason(6).contains("第16位等级为 3"), "{reasons:?}");
    assert!(reason(7).contains("与第 4 行的证书编号重复"), "{reasons:?}");
    assert!(reason(8).contains("成绩合格"), "the failed candidate: {reasons:?}");
    assert!(reason(9).contains("成绩合格"), "unknown 证件号码: {reasons:?}");
    assert!(report.exists());

    // Issuing refuses while a passed candidate has no number: numbers are not mixed.
    let refused = env.issue_after_notice(&plan);
    assert!(refused.code == 1 && refused.stderr.contains("还没有分配编号"), "{}", refused.stderr);
    let fix = env.path("补充.xlsx");
    let rows_fix: Vec<Vec<V<'_>>> = vec![
        vec![V::T("证件号码"), V::T("证书编号")],
        vec![V::T(&ids[2]), V::T(&a2)],
        vec![V::T(&ids[3]), V::T(&a3)],
        vec![V::T(&ids[4]), V::T(&lower)],
    ];
    sheet(&fix, &rows_fix);
    let run = env.run(&["certificate", "numbers", fix.to_str().unwrap(), "--plan", &plan, "--json"]);
    assert_eq!((run.code, run.json()["imported"].as_u64()), (0, Some(3)), "{}", run.stdout);
    let today = today().to_string();
    let issued = env.run(&["certificate", "issue", "--plan", &plan, "--date", &today, "--json"]);
    assert_eq!(issued.code, 0, "{}", issued.stderr);
    let mut got: Vec<String> =
        issued.json()["issued"].as_array().unwrap().iter().map(|c| c["number"].as_str().unwrap().to_string()).collect();
    got.sort();
    assert_eq!(got, [a0.clone(), a1, a2, a3, assigned(15)]);

    // 上报: the results (every published one) as the generic .xlsx, the certificates as the upload CSV.
    let results = env.path("成绩上报.xlsx");
    let run = env.run(&["report", "results", "--plan", &plan, "-o", results.to_str().unwrap(), "--json"]);
    assert_eq!(run.json()["rows"], 6, "{}", run.stderr);
    let mut book = skillcert_core::spreadsheet::Workbook::open(&results).unwrap();
    let rows = book.read_sheet(&results, "成绩上报").unwrap().rows;
    let header: Vec<String> = (0..17).map(|c| rows[0].cell(c).display()).collect();
    assert_eq!(header[..3], ["姓名", "证件类型", "证件号码"]);
    let first = rows.iter().find(|r| r.cell(2).display() == ids[0]).expect("the first candidate is reported");
    assert_eq!(
        (first.cell(8).display(), first.cell(10).display(), first.cell(14).display(), first.cell(15).display()),
        ("6-31-01-03".into(), "四级/中级工".into(), "合格".into(), a0.clone())
    );
    let failed = rows.iter().find(|r| r.cell(2).display() == ids[5]).unwrap();
    assert_eq!(
        (failed.cell(11).display(), failed.cell(14).display(), failed.cell(15).display()),
        ("40".into(), "不合格".into(), String::new())
    );
    let csv = env.path("证书上报.csv");
    let run = env.run(&["report", "certificates", "--plan", &plan, "-o", csv.to_str().unwrap(), "--json"]);
    assert_eq!(run.json()["rows"], 5, "{}", run.stderr);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("\u{FEFF}\"姓名\",\"证件类型\""), "{text}");
    assert_eq!(text.lines().count(), 6);
    assert!(text.contains(&format!("\"{}\"", a0)) && !text.contains(&ids[5]), "{text}");
    let wrong = env.run(&["report", "results", "--plan", &plan, "-o", env.path("x.pdf").to_str().unwrap()]);
    assert!(wrong.code != 0 && wrong.stderr.contains(".xlsx 或 .csv"), "{}", wrong.stderr);
}

#[test]
fn a_deferred_fee_sits_the_exam_and_waits_for_its_certificate() {
    let env = Env::new();
    let (plan, ids) = env.approved_plan("四级/中级工", &["--fee", "150"]);
    let pay = |id: &str, flag: Option<&str>| {
        let mut args = vec!["pay", "--plan", &plan, "--id-number", id, "--json"];
        args.extend(flag);
        env.run(&args)
    };
    for id in &ids[..4] {
        assert_eq!(pay(id, None).code, 0);
    }
    let deferred = pay(&ids[4], Some("--defer"));
    assert_eq!(deferred.code, 0, "{}", deferred.stderr);
    assert_eq!(deferred.json()["payment"], "缓缴");
    // 待支付 keeps a candidate from the exam; 缓缴 does not.
    let refused = env.arrange(&plan, None);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains(&*ids[5]) && !refused.stderr.contains(&*ids[4]), "{}", refused.stderr);
    assert_eq!(pay(&ids[5], None).code, 0);
    let arranged = env.arrange(&plan, None);
    assert_eq!(arranged.code, 0, "{}", arranged.stderr);

    env.exam_held(&plan);
    env.all_pass_published(&plan);
    env.set_settings(&[
        ("agency.name", "示范职业技能评价中心"),
        ("agency.type", "S"),
        ("agency.province", "44"),
        ("agency.site", "000123"),
    ]);
    // Everyone else is issued; the deferred candidate is named as waiting and gets nothing yet.
    let issued = env.issue_after_notice(&plan);
    assert_eq!(issued.code, 0, "{}", issued.stderr);
    let outcome = issued.json();
    assert_eq!(outcome["issued"].as_array().map(Vec::len), Some(5));
    let waiting = outcome["waiting"].as_array().unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0]["id_number"].as_str(), waiting[0]["payment"].as_str()), (Some(&*ids[4]), Some("缓缴")));
    let table = env.run(&["certificate", "issue", "--plan", &plan, "--date", &today().to_string()]);
    assert_eq!(table.code, 1, "only the waiting one is left: refused, naming them");
    assert!(table.stderr.contains("尚未缴费") && table.stderr.contains(&*ids[4]), "{}", table.stderr);

    // Paid: the next issue run serves them, and a certificate holder's payment cannot be taken back.
    assert_eq!(pay(&ids[4], None).code, 0);
    let later = env.run(&["certificate", "issue", "--plan", &plan, "--date", &today().to_string(), "--json"]);
    assert_eq!(later.code, 0, "{}", later.stderr);
    let later = later.json();
    assert_eq!((later["issued"].as_array().map(Vec::len), later["already"].as_u64()), (Some(1), Some(5)));
    assert_eq!(later["issued"][0]["id_number"].as_str(), Some(&*ids[4]));
    let undo = pay(&ids[4], Some("--unpaid"));
    assert!(undo.code == 1 && undo.stderr.contains("已获发证书"), "{}", undo.stderr);
    let mut raw = skillcert_tests::raw(&env.db);
    assert_eq!(raw.number("SELECT count(*) FROM audit_log WHERE action = '准予缓缴'"), 1);
}

/// The `n`-th working day after `day` by weekday and the listed days: the test's own count, to check the program's.
fn nth_working_day(day: NaiveDate, n: u32, holidays: &[NaiveDate], workdays: &[NaiveDate]) -> NaiveDate {
    let works =
        |d: NaiveDate| workdays.contains(&d) || (!holidays.contains(&d) && d.weekday().num_days_from_monday() < 5);
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().unwrap();
        if works(d) {
            left -= 1;
        }
    }
    d
}

#[test]
fn the_results_report_has_a_deadline_in_working_days_and_a_state_the_operator_records() {
    let env = Env::new();
    let plan = env.arranged_plan("四级/中级工", None);
    let status = || env.run(&["report", "status", "--plan", &plan, "--json"]).json();
    let before = status();
    assert_eq!(before["state"], "未上报");
    assert!(before["next"].as_str().unwrap().contains("考试后 5 个工作日内"), "{before}");

    env.exam_held(&plan);
    let mark = |args: &[&str]| env.run(&[&["report", "mark", "--plan", &plan], args, &["--json"]].concat());
    let early = mark(&["--state", "已上报"]);
    assert!(early.code == 1 && early.stderr.contains("发布公示"), "{}", early.stderr);
    env.all_pass_published(&plan);

    // The exam's last day, and a holiday list of the agency's own around it: two days off after the exam, and the
    // Saturday after them worked.
    let exam_day: String = skillcert_tests::raw(&env.db).text("SELECT substr(practical_end, 1, 10) FROM arrangements");
    let exam_day = NaiveDate::parse_from_str(&exam_day, "%Y-%m-%d").unwrap();
    let holidays = [exam_day + Days::new(1), exam_day + Days::new(2)];
    let saturday = (3..10).map(|n| exam_day + Days::new(n)).find(|d| d.weekday().num_days_from_monday() == 5).unwrap();
    let list = format!("{} 休 机构自定\n{} 班 调休", holidays[0], saturday);
    let list = format!("{list}\n{}~{} 休", holidays[0], holidays[1]);
    let wrong = env.run(&["settings", "set", "results.calendar", "2026-02-30 休"]);
    assert!(wrong.code != 0 && wrong.stderr.contains("第 1 行"), "{}", wrong.stderr);
    assert_eq!(env.run(&["settings", "set", "results.calendar", &list]).code, 0);
    env.set_settings(&[("agency.type", "Y")]);

    let due = nth_working_day(exam_day, 10, &holidays, &[saturday]);
    let s = status();
    assert_eq!(s["due_on"].as_str(), Some(&*due.to_string()), "{s}");
    let next = s["next"].as_str().unwrap();
    if due < today() {
        assert!(next.contains("已逾期"), "{next}");
        assert!(s["working_days_left"].as_i64().unwrap() < 0, "{s}");
    } else {
        assert!(s["working_days_left"].as_i64().unwrap() >= 0, "{s}");
    }

    // States follow one another; dates are not ahead of today; a return needs the city's reason.
    let refused = mark(&["--state", "已通过"]);
    assert!(refused.code == 1 && refused.stderr.contains("不能改为“已通过”"), "{}", refused.stderr);
    let tomorrow = (today() + Days::new(1)).to_string();
    assert!(mark(&["--state", "已上报", "--on", &tomorrow]).stderr.contains("晚于今天"));
    let sent = mark(&["--state", "已上报"]);
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    let sent = sent.json();
    assert_eq!((sent["state"].as_str(), sent["due_on"].as_str()), (Some("已上报"), None));
    assert!(sent["next"].as_str().unwrap().contains("等待审核"));
    let unexplained = mark(&["--state", "退回"]);
    assert!(unexplained.code != 0 && unexplained.stderr.contains("退回原因"), "{}", unexplained.stderr);
    let returned = mark(&["--state", "退回", "--reason", "考评员信息缺失"]).json();
    assert_eq!(returned["state"], "退回");
    let fix_by = nth_working_day(today(), 5, &holidays, &[saturday]);
    assert_eq!(returned["due_on"].as_str(), Some(&*fix_by.to_string()), "{returned}");
    assert!(returned["next"].as_str().unwrap().contains("考评员信息缺失"), "{returned}");
    assert_eq!(mark(&["--state", "已上报"]).code, 0);
    let accepted = mark(&["--state", "已通过"]).json();
    assert_eq!(accepted["state"], "已通过");
    let table = env.run(&["report", "status", "--plan", &plan]);
    assert!(table.stdout.contains("成绩上报：已通过"), "{}", table.stdout);
    let mut raw = skillcert_tests::raw(&env.db);
    assert_eq!(raw.number("SELECT count(*) FROM audit_log WHERE action = '成绩上报'"), 4);
}

#[test]
fn the_years_statistics_count_who_applied_sat_was_absent_passed_and_was_certified() {
    let env = Env::new();
    let (plan, ids) = env.approved_plan("四级/中级工", &[]);
    assert_eq!(env.arrange(&plan, None).code, 0);
    // A second plan of the year whose applications wait for review: applied, nothing more.
    let waiting = add_plan(&env.db, "保育师", "五级/初级工", &[]);
    for id in &ids {
        assert_eq!(env.run(&["apply", "--plan", &waiting, "--id-number", id]).code, 0);
    }
    env.exam_held(&plan);
    // Three pass, one fails, one is absent from both parts, one misses theory and sits practical (sat, failed).
    let rows = env.scores(&plan);
    let marks = [("80", "75"), ("90", "60"), ("61", "88"), ("59", "70"), ("缺考", "缺考"), ("缺考", "80")];
    // The marks as a computer-based exam platform exports them: a GBK CSV.
    let mut data = vec![vec!["准考证号".to_string(), "理论知识".into(), "操作技能".into()]];
    for (row, (theory, practical)) in rows.iter().zip(marks) {
        data.push(vec![row["ticket_number"].as_str().unwrap().into(), theory.into(), practical.into()]);
    }
    let file = env.path("marks.csv");
    std::fs::write(&file, samples::gbk(&samples::delimited(&data, ','))).unwrap();
    let imported = env.import(&plan, &file);
    assert_eq!((imported.code, imported.json()["imported"].as_u64()), (0, Some(6)), "{}", imported.stdout);
    let stats = || env.run(&["stats", "--year", "2026", "--json"]).json();
    let before = stats();
    assert_eq!((before["total"]["applied"].as_i64(), before["total"]["sat"].as_i64()), (Some(12), Some(0)));
    assert_eq!(before["plans"], 2);
    assert_eq!(env.run(&["scores", "publish", "--plan", &plan]).code, 0);
    env.set_settings(&[
        ("agency.name", "示范职业技能评价中心"),
        ("agency.type", "S"),
        ("agency.province", "44"),
        ("agency.site", "000123"),
    ]);
    assert_eq!(env.issue_after_notice(&plan).code, 0);

    let s = stats();
    let figures = |f: &Value| {
        ["applied", "sat", "absent", "passed", "certified"].map(|k| f[k].as_i64().unwrap_or_else(|| panic!("{k}: {f}")))
    };
    assert_eq!(figures(&s["total"]), [12, 5, 1, 3, 3], "{s}");
    assert_eq!(s["total"]["pass_rate"].as_f64(), Some(60.0));
    let line = |section: &str, label: &str| {
        s[section].as_array().unwrap().iter().find(|b| b["label"] == label).map(|b| figures(&b["figures"]))
    };
    assert_eq!(line("by_level", "四级/中级工"), Some([6, 5, 1, 3, 3]));
    assert_eq!(line("by_level", "五级/初级工"), Some([6, 0, 0, 0, 0]));
    assert_eq!(line("by_occupation", "保育师"), Some([6, 0, 0, 0, 0]));
    assert_eq!(line("by_month", "12月"), Some([12, 5, 1, 3, 3]));
    assert_eq!(line("by_month", "11月"), Some([0, 0, 0, 0, 0]));
    let by_source: i64 =
        s["by_source"].as_array().unwrap().iter().map(|b| b["figures"]["applied"].as_i64().unwrap()).sum();
    assert_eq!(by_source, 12, "every application has a 考生来源 line: {s}");
    // A revoked certificate no longer counts as certified.
    let number =
        env.run(&["certificate", "list", "--plan", &plan, "--json"]).json()[0]["number"].as_str().unwrap().to_string();
    assert_eq!(env.run(&["certificate", "revoke", &number, "--reason", "经核查不符合报考条件"]).code, 0);
    assert_eq!(stats()["total"]["certified"], 2);
    assert_eq!(env.run(&["stats", "--year", "2025", "--json"]).json()["total"]["applied"], 0);

    // The summary as a workbook and as a PDF; another kind of file is refused.
    let xlsx = env.path("2026年度统计.xlsx");
    let run = env.run(&["stats", "--year", "2026", "-o", xlsx.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = skillcert_core::spreadsheet::Workbook::open(&xlsx).unwrap();
    let rows = book.read_sheet(&xlsx, "年度统计").unwrap().rows;
    assert!(rows[0].cell(0).display().contains("2026 年度职业技能等级认定工作统计"));
    let total = rows.iter().find(|r| r.cell(0).display() == "全年").expect("the total line");
    assert_eq!((1..=6).map(|c| total.cell(c).display()).collect::<Vec<_>>(), ["12", "5", "1", "3", "60.0%", "2"]);
    let pdf = env.path("2026年度统计.pdf");
    assert_eq!(env.run(&["stats", "--year", "2026", "-o", pdf.to_str().unwrap()]).code, 0);
    let text = skillcert_tests::poppler("pdftotext", &["-layout"], &pdf);
    for expected in
        ["2026 年度职业技能等级认定工作统计", "示范职业技能评价中心", "四级/中级工", "保育师", "60.0%", "12月"]
    {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    let fonts = skillcert_tests::poppler("pdffonts", &[], &pdf);
    assert!(fonts.lines().any(|l| l.contains("NotoSansSC") && l.contains("yes yes yes")), "{fonts}");
    let wrong = env.run(&["stats", "--year", "2026", "-o", env.path("统计.txt").to_str().unwrap()]);
    assert!(wrong.code != 0 && wrong.stderr.contains(".xlsx 或 .pdf"), "{}", wrong.stderr);
}

#[test]
fn a_resit_keeps_the_passed_part_takes_only_the_failed_one_and_is_certified_when_both_are_passed() {
    let env = Env::new();
    let (first, ids) = env.approved_plan("四级/中级工", &[]);
    assert_eq!(env.arrange(&first, None).code, 0);
    env.exam_held(&first);
    // 0 passes; 1 fails practical; 2 fails theory; 3 missed theory; 4 fails both; 5 passes.
    let marks = [("80", "75"), ("80", "50"), ("40", "70"), ("缺考", "80"), ("40", "40"), ("90", "90")];
    let rows = env.scores(&first);
    let by_id = |id: &str| rows.iter().position(|r| r["id_number"] == id).unwrap();
    let mut data = vec![vec![V::T("证件号码"), V::T("理论知识"), V::T("操作技能")]];
    for (id, (theory, practical)) in ids.iter().zip(marks) {
        data.push(vec![V::T(id), V::T(theory), V::T(practical)]);
    }
    let file = env.path("first.xlsx");
    sheet(&file, &data);
    assert_eq!(env.import(&first, &file).code, 0);
    assert_eq!(env.run(&["scores", "publish", "--plan", &first]).code, 0);
    let _ = by_id;

    let second = add_plan(&env.db, "电工", "四级/中级工", &["--occupation-code", "6-31-01-03"]);
    let resit = |plan: &str, id: &str| env.run(&["apply", "--plan", plan, "--id-number", id, "--resit", "--json"]);
    // Refused with the reason: nothing to re-take, nothing to keep, no earlier result of this occupation and level.
    let passed = resit(&second, &ids[0]);
    assert!(passed.code == 1 && passed.stderr.contains("无需补考"), "{}", passed.stderr);
    let nothing = resit(&second, &ids[4]);
    assert!(nothing.code == 1 && nothing.stderr.contains("没有合格的科目"), "{}", nothing.stderr);
    let other_level = add_plan(&env.db, "电工", "三级/高级工", &[]);
    let none = resit(&other_level, &ids[1]);
    assert!(none.code == 1 && none.stderr.contains("请按新考报名"), "{}", none.stderr);
    // The passed part's validity: an occupation's own months (1 here) make the next exam too late.
    assert_eq!(env.run(&["settings", "set", "resit.validity_months", "12\n电工=1"]).code, 0);
    let late = resit(&second, &ids[1]);
    assert!(late.code == 1 && late.stderr.contains("已超过有效期"), "{}", late.stderr);
    assert_eq!(env.run(&["settings", "set", "resit.validity_months", "12"]).code, 0);
    for id in &ids[1..4] {
        let run = resit(&second, id);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.json()["status"], "待处理");
    }
    // One re-sit: not again in a third plan.
    let third = add_plan(&env.db, "电工", "四级/中级工", &[]);
    let again = resit(&third, &ids[1]);
    assert!(again.code == 1 && again.stderr.contains("只能补考一次"), "{}", again.stderr);

    assert_eq!(env.run(&["review", "approve", "--plan", &second, "--all-pending"]).code, 0);
    assert_eq!(env.arrange(&second, None).code, 0);
    // The template says which parts are kept; the kept parts are not marked again.
    let template = env.path("template.xlsx");
    assert_eq!(env.run(&["scores", "template", "--plan", &second, "-o", template.to_str().unwrap()]).code, 0);
    let mut book = skillcert_core::spreadsheet::Workbook::open(&template).unwrap();
    let cells = book.read_sheet(&template, "成绩登记").unwrap().rows;
    let line = |id: &str| cells.iter().find(|r| r.cell(2).display() == id).unwrap().clone();
    assert_eq!((line(&ids[1]).cell(3).display(), line(&ids[1]).cell(4).display()), ("沿用 80".into(), String::new()));
    assert_eq!(line(&ids[2]).cell(4).display(), "沿用 70");
    // The ticket lists the kept part as 免考 and only the failed part's sitting.
    let photo = env.path("photo.jpg");
    std::fs::write(&photo, skillcert_fixtures::photo_jpeg(1)).unwrap();
    assert_eq!(env.run(&["photo", "set", "--id-number", &ids[1], photo.to_str().unwrap()]).code, 0);
    let ticket = env.path("resit-ticket.pdf");
    let args = ["print", "ticket", "--plan", &second, "--id-number", &ids[1], "-o", ticket.to_str().unwrap()];
    let printed = env.run(&args);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let text = skillcert_tests::poppler("pdftotext", &["-layout"], &ticket);
    assert!(text.contains("免考") && text.contains("补考，沿用上次合格成绩"), "{text}");
    assert_eq!(text.matches("2026年12月28日").count(), 1, "one sitting only: {text}");
    let form = env.path("resit-form.pdf");
    let args = ["print", "application", "--plan", &second, "--id-number", &ids[1], "-o", form.to_str().unwrap()];
    assert_eq!(env.run(&args).code, 0);
    env.exam_held(&second);
    let wrong = env.path("resit-wrong.xlsx");
    sheet(
        &wrong,
        &[vec![V::T("证件号码"), V::T("理论知识"), V::T("操作技能")], vec![V::T(&ids[1]), V::T("95"), V::T("70")]],
    );
    let refused = env.import(&second, &wrong);
    assert_eq!(refused.code, 3, "{}", refused.stdout);
    assert!(refused.stdout.contains("沿用上次合格成绩 80"), "{}", refused.stdout);
    let resit_marks = env.path("resit.xlsx");
    sheet(
        &resit_marks,
        &[
            vec![V::T("证件号码"), V::T("理论知识"), V::T("操作技能")],
            vec![V::T(&ids[1]), V::T("沿用 80"), V::T("66")],
            vec![V::T(&ids[2]), V::T(""), V::T("")],
            vec![V::T(&ids[3]), V::T("72"), V::T("80")],
        ],
    );
    // 2 re-takes theory and has no mark yet: publication waits for it.
    assert_eq!(env.import(&second, &resit_marks).code, 0);
    let early = env.run(&["scores", "publish", "--plan", &second]);
    assert!(early.code == 1 && early.stderr.contains("缺理论知识"), "{}", early.stderr);
    sheet(&resit_marks, &[vec![V::T("证件号码"), V::T("理论知识")], vec![V::T(&ids[2]), V::T("58")]]);
    assert_eq!(env.import(&second, &resit_marks).code, 0);
    let listed = env.scores(&second);
    let row = |id: &str| listed.iter().find(|r| r["id_number"] == id).unwrap().clone();
    assert_eq!(row(&ids[1])["carried"], serde_json::json!(["theory"]));
    assert_eq!((row(&ids[1])["marks"]["theory"].as_str(), row(&ids[1])["passed"].as_bool()), (Some("80"), Some(true)));
    assert_eq!(row(&ids[2])["passed"], false);
    assert_eq!(row(&ids[3])["passed"], true);
    // The kept part is not corrected in the re-sit's plan.
    let correct = env.run(&[
        "scores",
        "correct",
        "--plan",
        &second,
        "--candidate",
        &ids[1],
        "--part",
        "理论",
        "--mark",
        "90",
        "--reason",
        "复核",
    ]);
    assert!(correct.code == 1 && correct.stderr.contains("沿用上次考试的合格成绩"), "{}", correct.stderr);

    // Every part passed: the certificate follows.
    assert_eq!(env.run(&["scores", "publish", "--plan", &second]).code, 0);
    env.set_settings(&[
        ("agency.name", "示范职业技能评价中心"),
        ("agency.type", "S"),
        ("agency.province", "44"),
        ("agency.site", "000123"),
    ]);
    let issued = env.issue_after_notice(&second);
    assert_eq!(issued.code, 0, "{}", issued.stderr);
    let mut holders: Vec<String> = issued.json()["issued"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id_number"].as_str().unwrap().to_string())
        .collect();
    holders.sort();
    let mut expected = vec![ids[1].clone(), ids[3].clone()];
    expected.sort();
    assert_eq!(holders, expected);
    let mut raw = skillcert_tests::raw(&env.db);
    assert_eq!(raw.number("SELECT count(*) FROM audit_log WHERE action = '补考沿用成绩'"), 3);
}
