//! 报考条件 checks as an operator meets them: rules set from the national pattern and moved between plans as a file,
//! a roster imported into the plan with a warning sheet in the report, the review queue, and a batch approval
//! limited to 符合 ones. The real binary on real files.

use std::path::Path;

use skillcert_tests::{Agency, add_plan, write_sheet};

#[test]
fn rules_import_warnings_review_queue_and_approving_only_eligible_ones() {
    let agency = Agency::new();
    let plan = add_plan(&agency.db, "电工", "四级", &[]);
    let set = agency.run(&["plan", "rules", &plan, "--preset"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    assert!(set.stdout.contains("条件三"), "{}", set.stdout);
    let shown = agency.run(&["plan", "show", &plan, "--json"]).json();
    let text = shown["conditions"].as_str().unwrap();
    assert!(text.starts_with("具备以下条件之一者：\n条件一：取得本职业或相关职业五级/初级工"), "{text}");
    assert!(text.contains("后，累计从事本职业或相关职业工作满4年") && !text.contains("周岁"), "{text}");

    // The roster as agencies keep it: years as "8年", 学历 short forms, a 原证书编号 alone (a 五级 certificate of
    // 2021: level and year, not the occupation), and one certificate described in full.
    let roster = agency.path("电工四级名单.xlsx");
    write_sheet(
        &roster,
        &[
            &[
                "姓名",
                "身份证号",
                "手机",
                "学历",
                "从事本职业年限",
                "原证书编号",
                "原证书名称",
                "原证书等级",
                "发证日期",
                "参加工作时间",
            ],
            &["王老手", "110105198001010016", "13800000001", "初中", "8年", "", "", "", "", ""],
            &["李少年", "110105201006150012", "13800000002", "初中", "0", "", "", "", "", ""],
            &[
                "赵持证",
                "11010519491231002X",
                "13800000003",
                "高中",
                "1",
                "S000044000123215000042",
                "",
                "",
                "",
                "2019.9",
            ],
            // Years of work after the certificate count from it (at work since 2008).
            &["钱证书", "44030519850715003X", "13800000004", "高中", "1", "", "电工", "初级", "2020/6/30", "2008年9月"],
        ],
    );
    let report = agency.path("报告.xlsx");
    let import = agency.run(&[
        "import",
        "candidates",
        roster.to_str().unwrap(),
        "--plan",
        &plan,
        "--report",
        report.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(import.code, 0, "warnings are not rejections: {}", import.stderr);
    let summary = import.json();
    assert_eq!(summary["imported"], 4);
    let warnings = summary["warnings"].as_array().unwrap();
    let by_name: Vec<(&str, &str)> =
        warnings.iter().map(|w| (w["name"].as_str().unwrap(), w["verdict"].as_str().unwrap())).collect();
    assert_eq!(by_name, [("李少年", "不符合"), ("赵持证", "需人工核对")]);
    assert_eq!(warnings[0]["row"], 3);
    let sheet = read_sheet(&report, "报考条件核验");
    assert_eq!(sheet[0], ["原文件行号", "姓名", "证件号码", "核验结果", "说明"]);
    assert_eq!(sheet[1][1..4], ["李少年", "110105201006150012", "不符合"]);
    assert!(sheet[1][4].contains("条件二（从事本职业年限 0 年，不足 6 年）"), "{:?}", sheet[1]);

    let queue = agency.run(&["plan", "check", &plan, "--json"]).json();
    assert_eq!(queue["counts"]["eligible"], 2);
    assert_eq!(queue["counts"]["not_eligible"], 1);
    assert_eq!(queue["counts"]["needs_review"], 1);

    let approve = agency.run(&["review", "approve", "--plan", &plan, "--all-pending", "--only-eligible", "--json"]);
    assert_eq!(approve.code, 0, "{}", approve.stderr);
    let outcome = approve.json();
    let approved: Vec<&str> =
        outcome["changed"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(approved, ["王老手", "钱证书"]);
    assert_eq!(outcome["skipped"].as_array().unwrap().len(), 2);
    let audit = agency.run(&["audit", "list", "--json"]).json();
    let decision = |id: &str| {
        let entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "审核通过" && e["id_number"] == id);
        entry.unwrap()["detail"].as_str().unwrap().to_string()
    };
    assert_eq!(decision("110105198001010016"), "资格核验：符合条件二");
    assert_eq!(decision("44030519850715003X"), "资格核验：符合条件一");
    let qian = agency.run(&["candidate", "list", "--json"]).json();
    let qian = qian.as_array().unwrap().iter().find(|c| c["name"] == "钱证书").unwrap().clone();
    assert_eq!(
        (qian["prior_cert_level"].as_str(), qian["prior_cert_date"].as_str()),
        (Some("五级/初级工"), Some("2020-06-30"))
    );

    // The rules travel as a file to another plan of the same level.
    let file = agency.path("电工四级规则.json");
    let export = agency.run(&["plan", "rules", &plan, "--export", file.to_str().unwrap()]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let other = add_plan(&agency.db, "电工", "四级", &["--code", "222222"]);
    let import_rules = agency.run(&["plan", "rules", &other, "--file", file.to_str().unwrap(), "--json"]);
    assert_eq!(import_rules.code, 0, "{}", import_rules.stderr);
    assert_eq!(import_rules.json()["text"].as_str().unwrap(), text);
    // A file that is not a rule file is refused and changes nothing.
    let bad = agency.run(&["plan", "rules", &other, "--file", roster.to_str().unwrap()]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("规则文件") || bad.stderr.contains("不是文本文件"), "{}", bad.stderr);
    assert_eq!(agency.run(&["plan", "rules", &other, "--json"]).json()["text"].as_str().unwrap(), text);
}

/// Every row of one sheet as text.
fn read_sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

#[test]
fn the_2022_pattern_counts_shorter_work_and_routes_through_titles() {
    let agency = Agency::new();
    let plan = add_plan(&agency.db, "电工", "三级", &[]);
    let set = agency.run(&["plan", "rules", &plan, "--preset", "--pattern-2022", "--json"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let text = set.json()["text"].as_str().unwrap().to_string();
    assert!(
        text.contains("四级/中级工（或更高等级）职业资格证书或职业技能等级证书后，累计从事本职业或相关职业工作满4年"),
        "{text}"
    );
    assert!(text.contains("取得本专业或相关专业初级（或更高）专业技术职称"), "{text}");
    // A 工程师 with a 四级 certificate of last year: the title route, with its years for a person to check.
    let run = agency.run(&[
        "candidate",
        "add",
        "--name",
        "孙工",
        "--id-number",
        "110105198001010016",
        "--phone",
        "13800000001",
        "--title",
        "工程师",
        "--work-started",
        "2005-07",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(agency.run(&["apply", "--plan", &plan, "--id-number", "110105198001010016"]).code, 0);
    let queue = agency.run(&["plan", "check", &plan, "--json"]).json();
    assert_eq!(queue["counts"]["needs_review"], 1, "{queue}");
    let file = agency.path("三级2022.json");
    assert_eq!(agency.run(&["plan", "rules", &plan, "--export", file.to_str().unwrap()]).code, 0);
    assert!(std::fs::read_to_string(&file).unwrap().contains("\"version\": 2"));
}
