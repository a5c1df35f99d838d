//! 职业目录 and 备案范围 as an agency meets them: the bundled list searched, a province's list imported from the file
//! it comes as (a GBK CSV, an HTML table named .xls, an .xlsx), a bad list refused whole with every bad row named,
//! plans taking their 职业编码 from the list, plans outside the filed scope refused; and old 16-digit 职业资格证书
//! numbers read as prior certificates. The real binary on real files, on both engines.

use skillcert_fixtures::samples::{delimited, gbk, html_table};
use skillcert_tests::{Agency, add_plan, try_add_plan, write_sheet};

fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
    cells.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

fn names(found: &serde_json::Value) -> Vec<String> {
    found.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_catalog_is_searched_extended_by_import_and_fills_in_plan_codes() {
    let agency = Agency::new();
    let found = agency.run(&["occupation", "search", "养老", "--json"]).json();
    assert_eq!(found[0]["code"], "4-10-01-05");
    assert_eq!(found[0]["imported"], false);
    assert_eq!(
        names(&agency.run(&["occupation", "search", "6-18-0", "--json"]).json()),
        ["车工", "铣工", "磨工", "焊工"]
    );

    // A province's list as its web system exports it: GBK CSV under a title row, full-width codes in places.
    let list = rows(&[
        &["广东省职业技能等级认定职业目录（2025）", ""],
        &["职业代码", "职业名称"],
        &["6-31-01-04", "电工仪表维修工"],
        &["４－１０－０１－０７", "婴幼儿发展引导员"],
        &["6-31-01-03", "电工"],
    ]);
    let csv = agency.path("职业目录.csv");
    std::fs::write(&csv, gbk(&delimited(&list, ','))).unwrap();
    let import = agency.run(&["occupation", "import", csv.to_str().unwrap(), "--json"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    let summary = import.json();
    assert_eq!((summary["imported"].as_u64(), summary["read"].as_u64()), (Some(3), Some(3)));
    let guide = agency.run(&["occupation", "search", "引导员", "--json"]).json();
    assert_eq!((guide[0]["code"].as_str(), guide[0]["imported"].as_bool()), (Some("4-10-01-07"), Some(true)));

    // The same list again as an HTML table named .xls, one name changed: the entry of that code is replaced.
    let renamed = rows(&[&["职业编码", "职业名称"], &["6-31-01-04", "电工仪器仪表维修工"]]);
    let xls = agency.path("职业目录.xls");
    std::fs::write(&xls, gbk(&html_table(&renamed))).unwrap();
    let again = agency.run(&["occupation", "import", xls.to_str().unwrap(), "--json"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.json()["updated"], 1);
    assert_eq!(names(&agency.run(&["occupation", "search", "6-31-01-04", "--json"]).json()), ["电工仪器仪表维修工"]);

    // A list with bad rows is refused whole, each bad cell named; what was imported before stays.
    let bad = agency.path("坏目录.xlsx");
    write_sheet(
        &bad,
        &[
            &["职业编码", "职业名称"],
            &["6-99-01-01", "新职业甲"],
            &["6-31-1-5", "仪控工"],
            &["", "没有编码"],
            &["6-99-01-01", "新职业乙"],
        ],
    );
    let report = agency.path("坏目录-报告.xlsx");
    let refused =
        agency.run(&["occupation", "import", bad.to_str().unwrap(), "--report", report.to_str().unwrap(), "--json"]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    let summary = refused.json();
    assert_eq!((summary["committed"].as_bool(), summary["rejected"].as_u64()), (Some(false), Some(3)));
    let errors: Vec<(u64, String)> = summary["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["reason"].as_str().unwrap().to_string()))
        .collect();
    assert!(errors[0].0 == 3 && errors[0].1.contains("6-31-01-03"), "{errors:?}");
    assert!(errors[1].0 == 4 && errors[1].1.contains("不能为空"), "{errors:?}");
    assert!(errors[2].0 == 5 && errors[2].1.contains("第 2 行"), "{errors:?}");
    assert!(report.exists(), "the rejected rows are written for the operator to correct");
    assert_eq!(agency.run(&["occupation", "search", "新职业", "--json"]).json().as_array().unwrap().len(), 0);

    // A plan takes its code from the list; a code the list gives another listed occupation is refused.
    let plan = add_plan(&agency.db, "婴幼儿发展引导员", "四级", &[]);
    assert_eq!(agency.run(&["plan", "show", &plan, "--json"]).json()["occupation_code"], "4-10-01-07");
    let wrong = try_add_plan(&agency.db, "焊工", "四级", &["--occupation-code", "6-31-01-03"]);
    assert_eq!(wrong.code, 1, "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("6-31-01-03 在职业目录中是“电工”") && wrong.stderr.contains("6-18-02-04"),
        "{}",
        wrong.stderr
    );
    let audit = agency.run(&["audit", "list", "--json"]).json();
    assert!(audit.as_array().unwrap().iter().any(|e| e["action"] == "导入职业目录"), "the import is audited");
}

#[test]
fn plans_outside_the_filed_scope_are_refused_with_the_scope_named() {
    let agency = Agency::new();
    // No scope entered: nothing is checked.
    add_plan(&agency.db, "茶艺师", "五级", &[]);
    let bad = agency.run(&["settings", "set", "agency.scope", "电工 五级-三级\n焊工"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("第 2 行") && bad.stderr.contains("等级"), "{}", bad.stderr);
    agency.set_settings(&[(
        "agency.scope",
        "# 2025 年人社厅备案\n6-31-01-03 电工 五级-三级\n焊工、五级/初级工、四级/中级工\n中式烹调师 工种：中式面点 四级",
    )]);
    add_plan(&agency.db, "电工", "三级", &[]);
    add_plan(&agency.db, "焊工", "四级", &["--job", "电焊"]);
    add_plan(&agency.db, "中式烹调师", "四级", &["--job", "中式面点"]);
    for (occupation, level, job) in [("电工", "二级", "--"), ("茶艺师", "五级", "--"), ("中式烹调师", "四级", "--")]
    {
        let run = try_add_plan(&agency.db, occupation, level, &["--job", job]);
        assert_eq!(run.code, 1, "{occupation} {level}: {}", run.stderr);
        assert!(run.stderr.contains("不在本机构备案的评价范围内"), "{}", run.stderr);
        assert!(run.stderr.contains("电工 五级、四级、三级"), "the scope is named: {}", run.stderr);
        assert!(run.stderr.contains("agency.scope"), "the fix names the setting: {}", run.stderr);
    }
    assert_eq!(agency.run(&["plan", "list", "--json"]).json().as_array().unwrap().len(), 4);
}

#[test]
fn an_old_occupational_qualification_number_counts_as_a_prior_certificate() {
    let agency = Agency::new();
    let plan = add_plan(&agency.db, "电工", "三级", &[]);
    assert_eq!(agency.run(&["plan", "rules", &plan, "--preset"]).code, 0);
    // 电工 certificates known by their number only: 2012, a 鉴定站 in Guangdong, level 4 (the 11th digit); with work
    // since 2008 the 四级 route's years after it are met.
    let roster = agency.path("名单.xlsx");
    write_sheet(
        &roster,
        &[
            &["姓名", "身份证号", "手机", "学历", "原证书名称", "原证书编号", "参加工作时间"],
            &["孙老证", "110105198001010016", "13800000001", "高中", "电工", "1244012001400123", "2008年9月"],
            &["周新证", "44030519850715003X", "13800000004", "高中", "电工", "1244012001500123", "2008年9月"],
        ],
    );
    let import = agency.run(&["import", "candidates", roster.to_str().unwrap(), "--plan", &plan, "--json"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    let queue = agency.run(&["plan", "check", &plan, "--json"]).json();
    let verdict = |name: &str| {
        let rows = queue["rows"].as_array().unwrap();
        let row = rows.iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name}: {queue}"));
        row["eligibility"]["verdict"].as_str().unwrap().to_string()
    };
    assert_eq!(verdict("孙老证"), "符合");
    // Level 5 (the 11th digit) is not enough for 三级 by itself.
    assert_ne!(verdict("周新证"), "符合");

    // Typed as a number, a 16-digit number has lost its last digit: the row is refused, saying so.
    let damaged = agency.path("数字编号.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, v) in ["姓名", "身份证号", "手机", "原证书编号"].iter().enumerate() {
        sheet.write_string(0, c as u16, *v).unwrap();
    }
    for (c, v) in ["吴数字", "11010519491231002X", "13800000003"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    sheet.write_number(1, 3, 1244012001400123.0).unwrap();
    wb.save(&damaged).unwrap();
    let run = agency.run(&["import", "candidates", damaged.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let reason = run.json()["errors"][0]["reason"].as_str().unwrap().to_string();
    assert!(reason.contains("原证书编号被 Excel 存成了数字"), "{reason}");
}
