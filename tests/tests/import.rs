//! Candidate import, template, accounts and export, run as an operator would: the real binary, real files in every
//! shape agencies send (.xlsx written by the fixtures generator; .xls/.ods/encrypted committed under fixtures/samples).

use std::path::{Path, PathBuf};

use serde_json::Value;
use skillcert_fixtures::samples;
use skillcert_tests::{Agency, Run, add_plan, write_sheet};

skillcert_tests::agency_env!();

impl Env {
    fn new() -> Env {
        Env(Agency::new())
    }

    fn import(&self, file: &Path, extra: &[&str]) -> Run {
        let file = file.to_str().unwrap();
        let args: Vec<&str> =
            ["import", "candidates", file, "--json"].into_iter().chain(extra.iter().copied()).collect();
        self.run(&args)
    }

    fn candidates(&self) -> Vec<Value> {
        self.run(&["candidate", "list", "--json"]).json().as_array().unwrap().clone()
    }

    fn audit_len(&self) -> usize {
        self.run(&["audit", "list", "--json"]).json().as_array().unwrap().len()
    }
}

fn committed_sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/samples").join(name)
}

fn errors(run: &Run) -> Vec<(u64, String)> {
    run.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap().to_string()))
        .collect()
}

fn counts(run: &Run) -> [u64; 5] {
    let j = run.json();
    ["read", "imported", "updated", "unchanged", "rejected"].map(|k| j[k].as_u64().unwrap())
}

#[test]
fn real_world_shapes_are_normalised() {
    let env = Env::new();
    let file = env.path("roster.xlsx");
    samples::title_and_aliases(&file).unwrap();
    let run = env.import(&file, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(counts(&run), [6, 6, 0, 0, 0]);

    let people = env.candidates();
    let by_name = |name: &str| people.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{name} missing"));
    // Full-width space inside the name, lower-case x, a phone typed as a number, a date cell.
    let zhang = by_name("张三");
    assert_eq!(zhang["id_number"], "11010519491231002X");
    assert_eq!(zhang["phone"], "13812345678");
    assert_eq!(zhang["education"], "大学专科");
    assert_eq!(zhang["employer"], "示范机电");
    // Full-width digits, spaces around the name, a dotted date, a phone with spaces.
    let li = by_name("李四");
    assert_eq!(li["id_number"], "110105198001010016");
    assert_eq!(li["phone"], "13800000001");
    assert_eq!(by_name("欧阳娜娜")["birth_date"], "1990-03-07");
    // Sex and birth date filled from the ID when blank; an Excel date serial in 出生年月.
    assert_eq!(by_name("王五")["sex"], "男");
    assert_eq!(by_name("赵六")["birth_date"], "1976-12-31");
    assert_eq!(by_name("阿卜杜·热合曼")["education"], "中等专业学校");
    // Full-width letters become half-width; full-width punctuation in a company name stays.
    assert_eq!(by_name("阿卜杜·热合曼")["employer"], "ABC科技（深圳）有限公司");

    // Every imported candidate has a default account: login = ID, password = last six, must change.
    let accounts = env.run(&["accounts", "list", "--json"]).json();
    let account = accounts.as_array().unwrap().iter().find(|a| a["login"] == "11010519491231002X").unwrap().clone();
    assert_eq!(account["default_password"], "31002X");
    assert_eq!(account["must_change_password"], true);
}

#[test]
fn exports_from_other_systems_are_understood() {
    let env = Env::new();
    let file = env.path("export.xlsx");
    write_sheet(
        &file,
        &[
            &["考生姓名", "性别（1男2女）", "公民身份证号", "出生日期（格式：1990-01-01）", "联系手机", "学历"],
            &["张三", "2", "'11010519491231002X", "1949-12-31 00:00:00", "13812345678", "中职"],
            &["李\u{200B}四", "1", "110105198001010016\u{FEFF}", "1980-01-01T00:00:00", "138-0000-0001", "初中及以下"],
        ],
    );
    let run = env.import(&file, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(counts(&run), [2, 2, 0, 0, 0]);
    let people = env.candidates();
    let zhang = people.iter().find(|p| p["id_number"] == "11010519491231002X").unwrap();
    assert_eq!((zhang["sex"].as_str(), zhang["education"].as_str()), (Some("女"), Some("中等专业学校")));
    let li = people.iter().find(|p| p["id_number"] == "110105198001010016").unwrap();
    assert_eq!((li["name"].as_str(), li["phone"].as_str()), (Some("李四"), Some("13800000001")));
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let env = Env::new();
    let file = env.path("roster.xlsx");
    samples::title_and_aliases(&file).unwrap();
    assert_eq!(env.import(&file, &[]).code, 0);
    let changes = |env: &Env| skillcert_tests::raw(&env.db).number("SELECT count(*) FROM changes");
    let before = (env.candidates(), env.audit_len(), changes(&env));
    let again = env.import(&file, &[]);
    assert_eq!(again.code, 0);
    assert_eq!(counts(&again), [6, 0, 0, 6, 0]);
    assert_eq!((env.candidates(), env.audit_len(), changes(&env)), before, "nothing written, nothing to sync");
}

#[test]
fn ids_stored_as_numbers_are_rejected_with_the_explanation() {
    let env = Env::new();
    let file = env.path("ids.xlsx");
    samples::ids_as_numbers(&file).unwrap();
    let run = env.import(&file, &[]);
    assert_eq!(run.code, 3);
    assert_eq!(counts(&run), [3, 1, 0, 0, 2]);
    let j = run.json();
    let first = &j["errors"][0];
    assert_eq!((first["row"].as_u64(), first["column"].as_str()), (Some(2), Some("证件号码")));
    assert_eq!(first["value"], "1.10105E+17");
    let reason = first["reason"].as_str().unwrap();
    assert!(reason.contains("数字") && reason.contains("丢失") && reason.contains("文本"), "{reason}");
    // Nothing resembling the damaged number was stored.
    let stored: Vec<String> = env.candidates().iter().map(|c| c["id_number"].as_str().unwrap().to_string()).collect();
    assert_eq!(stored, ["110105198001010016"]);
}

#[test]
fn every_bad_cell_is_named_and_the_report_marks_it() {
    let env = Env::new();
    let file = env.path("bad.xlsx");
    samples::bad_rows(&file).unwrap();
    let report = env.path("report.xlsx");
    let run = env.import(&file, &["--report", report.to_str().unwrap()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(counts(&run), [10, 2, 0, 0, 8]);
    assert_eq!(
        errors(&run),
        [
            (3, "证件号码".to_string()),
            (4, "姓名".to_string()),
            (5, "性别".to_string()),
            (6, "出生日期".to_string()),
            (7, "手机号码".to_string()),
            (8, "证件类型".to_string()),
            (9, "文化程度".to_string()),
            (9, "民族".to_string()),
            (10, "证件号码".to_string()),
        ]
    );
    let dup = &run.json()["errors"][8];
    assert!(dup["reason"].as_str().unwrap().contains("第 2 行"), "{dup}");

    // The report holds the 8 rejected rows as they were, with a reason column and a note on each bad cell.
    let mut book = skillcert_core::spreadsheet::Workbook::open(&report).unwrap();
    let name = book.sheet_names()[0].clone();
    let sheet = book.read_sheet(&report, &name).unwrap();
    assert_eq!(sheet.rows.len(), 9);
    assert_eq!(sheet.rows[0].cells.last().unwrap().display(), "原文件行号");
    assert_eq!(sheet.rows[1].cell(3).display(), "110105198001010017");
    assert!(sheet.rows[1].cell(8).display().contains("校验位"));
    let xml = unzip_text(&report, "xl/comments1.xml");
    assert_eq!(xml.matches("<comment ").count(), 9, "one note per bad cell");

    // Importing the report as it is rejects the same rows again. The duplicate of 张三 stands alone there now, so it
    // updates the stored 张三 (its phone differs) instead.
    let again = env.import(&report, &[]);
    assert_eq!(again.code, 3);
    assert_eq!(counts(&again), [8, 0, 1, 0, 7]);
}

#[test]
fn strict_and_dry_run_commit_nothing() {
    let env = Env::new();
    let bad = env.path("bad.xlsx");
    samples::bad_rows(&bad).unwrap();
    let before = (env.candidates().len(), env.audit_len());
    let strict = env.import(&bad, &["--strict"]);
    assert_eq!(strict.code, 3);
    assert_eq!(strict.json()["committed"], false);
    assert_eq!(strict.json()["imported"], 2, "the counts say what would have happened");
    assert_eq!((env.candidates().len(), env.audit_len()), before);

    let good = env.path("good.xlsx");
    samples::title_and_aliases(&good).unwrap();
    let dry = env.import(&good, &["--dry-run"]);
    assert_eq!(dry.code, 0);
    assert_eq!(counts(&dry), [6, 6, 0, 0, 0]);
    assert_eq!((env.candidates().len(), env.audit_len()), before);
}

#[test]
fn unusable_files_exit_2_and_leave_the_database_alone() {
    let env = Env::new();
    let good = env.path("good.xlsx");
    samples::title_and_aliases(&good).unwrap();
    env.import(&good, &[]);
    let dir = env.path("samples");
    samples::write_samples(&dir).unwrap();
    let before = (env.candidates(), env.audit_len());
    for (file, expect) in [
        (dir.join("truncated.xlsx"), "损坏"),
        (dir.join("empty.xlsx"), "空"),
        (dir.join("not-a-spreadsheet.xlsx"), "不是表格文件"),
        (dir.join("huge-dimension.xlsx"), "超出导入上限"),
        (committed_sample("roster-encrypted.xlsx"), "密码"),
        (dir.join("does-not-exist.xlsx"), "不存在"),
    ] {
        let run = env.import(&file, &[]);
        assert_eq!(run.code, 2, "{}: {}", file.display(), run.stderr);
        assert!(run.stderr.contains(expect), "{}: {}", file.display(), run.stderr);
        assert_eq!(run.json()["error"]["code"], "unreadable");
    }
    // A spreadsheet without the required columns is one clear error naming them.
    let no_phone = env.path("no-phone.xlsx");
    write_sheet(&no_phone, &[&["姓名", "身份证号"], &["张三", "11010519491231002X"]]);
    let run = env.import(&no_phone, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("缺少必填列") && run.stderr.contains("手机号码"), "{}", run.stderr);
    assert_eq!((env.candidates(), env.audit_len()), before);
}

#[test]
fn web_exports_give_the_same_outcome_as_xlsx_whatever_their_name() {
    let dir = tempfile::tempdir().unwrap();
    samples::write_samples(dir.path()).unwrap();
    for name in [
        "roster-title-aliases.html.xls",
        "roster-title-aliases.xml.xls",
        "roster-title-aliases.gbk.csv",
        "roster-title-aliases.utf8.csv",
        "roster-title-aliases.utf16.txt",
    ] {
        let env = Env::new();
        let run = env.import(&dir.path().join(name), &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert_eq!(counts(&run), [6, 6, 0, 0, 0], "{name}");
        let people = env.candidates();
        let zhang = people.iter().find(|c| c["name"] == "张三").unwrap_or_else(|| panic!("{name}: {people:?}"));
        assert_eq!(zhang["id_number"], "11010519491231002X", "{name}");
        assert_eq!(zhang["birth_date"], "1949-12-31", "{name}");
        assert_eq!(zhang["phone"], "13812345678", "{name}");
        let abdu = people.iter().find(|c| c["name"] == "阿卜杜·热合曼").unwrap();
        assert_eq!(abdu["employer"], "ABC科技（深圳）有限公司", "{name}");
    }
    // A web export with bad rows gets the same row- and cell-level report as a workbook.
    let env = Env::new();
    let bad = dir.path().join("roster-bad-rows.xlsx");
    samples::web_exports(&bad, dir.path()).unwrap();
    let from_xlsx = env.import(&bad, &["--dry-run"]).json()["errors"].clone();
    let from_csv = env.import(&dir.path().join("roster-bad-rows.gbk.csv"), &["--dry-run"]).json()["errors"].clone();
    let rows = |errors: &serde_json::Value| -> Vec<(u64, String)> {
        errors
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap().into()))
            .collect()
    };
    assert!(!rows(&from_xlsx).is_empty());
    assert_eq!(rows(&from_csv), rows(&from_xlsx));
}

#[test]
fn xls_and_ods_give_the_same_outcome_as_xlsx() {
    for name in ["roster-title-aliases.xls", "roster-title-aliases.ods"] {
        let env = Env::new();
        let run = env.import(&committed_sample(name), &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert_eq!(counts(&run), [6, 6, 0, 0, 0], "{name}");
        let people = env.candidates();
        let zhang = people.iter().find(|c| c["name"] == "张三").unwrap();
        assert_eq!(zhang["id_number"], "11010519491231002X", "{name}");
        assert_eq!(zhang["birth_date"], "1949-12-31", "{name}");
        let abdu = people.iter().find(|c| c["name"] == "阿卜杜·热合曼").unwrap();
        assert_eq!(abdu["employer"], "ABC科技（深圳）有限公司", "{name}");
    }
    let env = Env::new();
    let run = env.import(&committed_sample("roster-bad-rows.xls"), &[]);
    assert_eq!(run.code, 3);
    assert_eq!(counts(&run), [10, 2, 0, 0, 8]);
    let run = env.import(&committed_sample("roster-ids-as-numbers.ods"), &[]);
    assert_eq!(counts(&run), [3, 1, 0, 0, 2]);
}

#[test]
fn import_into_a_plan_creates_applications_and_checks_the_rows_plan_columns() {
    let env = Env::new();
    let plan = add_plan(&env.db, "电工", "四级/中级工", &["--fee", "120"]);
    let other = add_plan(&env.db, "焊工", "三级", &[]);

    let file = env.path("roster.xlsx");
    samples::title_and_aliases(&file).unwrap();
    let run = env.import(&file, &["--plan", &plan]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let apps = env.run(&["application", "list", "--plan", &plan, "--json"]).json();
    assert_eq!(apps.as_array().unwrap().len(), 6);
    assert!(apps.as_array().unwrap().iter().all(|a| a["status"] == "待处理" && a["payment"] == "待支付"));
    let accounts = env.run(&["accounts", "list", "--plan", &plan, "--json"]).json();
    assert_eq!(accounts.as_array().unwrap().len(), 6);

    // Again: nothing new.
    assert_eq!(counts(&env.import(&file, &["--plan", &plan])), [6, 0, 0, 6, 0]);

    // Into another plan: rows whose own 申报职业/申报等级 say 电工 四级 are rejected with the reason.
    let run = env.import(&file, &["--plan", &other]);
    assert_eq!(run.code, 3);
    let errs = errors(&run);
    assert!(errs.contains(&(4, "申报职业".to_string())) && errs.contains(&(4, "申报等级".to_string())), "{errs:?}");
    let reason = run.json()["errors"][0]["reason"].as_str().unwrap().to_string();
    assert!(reason.contains("焊工"), "{reason}");
    // Rows 7 and 9 name no occupation or level: they become applications.
    assert_eq!(counts(&run), [6, 0, 2, 0, 4]);
}

#[test]
fn a_full_plan_rejects_the_rows_beyond_its_capacity_and_writes_nothing_for_them() {
    let env = Env::new();
    let plan = add_plan(&env.db, "电工", "四级/中级工", &["--capacity", "4"]);
    let file = env.path("roster.xlsx");
    samples::title_and_aliases(&file).unwrap();
    let run = env.import(&file, &["--plan", &plan]);
    assert_eq!(run.code, 3);
    assert_eq!(counts(&run), [6, 4, 0, 0, 2]);
    assert!(run.json()["errors"][0]["reason"].as_str().unwrap().contains("计划人数已满"), "{}", run.stdout);
    // The two refused rows left no candidate behind.
    assert_eq!(env.candidates().len(), 4);
    let apps = env.run(&["application", "list", "--plan", &plan, "--json"]).json();
    assert_eq!(apps.as_array().unwrap().len(), 4);
}

#[test]
fn accounts_can_be_reset_to_the_default() {
    let env = Env::new();
    let file = env.path("roster.xlsx");
    samples::title_and_aliases(&file).unwrap();
    env.import(&file, &[]);
    // A candidate who changed their password on the portal (simulated in the database).
    skillcert_tests::raw(&env.db).run(
        "INSERT INTO accounts (candidate_id, password_hash, updated_at)
         SELECT id, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', '2026-11-26T10:00:00+08:00'
         FROM candidates WHERE id_number = '110105198001010016'",
    );
    let list = env.run(&["accounts", "list", "--json"]).json();
    let li = list.as_array().unwrap().iter().find(|a| a["login"] == "110105198001010016").unwrap().clone();
    assert_eq!(li["default_password"], Value::Null);
    let reset = env.run(&["accounts", "reset", "--id-number", "110105198001010016", "--json"]);
    assert_eq!(reset.code, 0, "{}", reset.stderr);
    assert_eq!(reset.json()["default_password"], "010016");
    assert_eq!(reset.json()["must_change_password"], true);
    let audit = env.run(&["audit", "list", "--id-number", "110105198001010016", "--json"]).json();
    assert_eq!(audit.as_array().unwrap().last().unwrap()["action"], "重置密码");
    let unknown = env.run(&["accounts", "reset", "--id-number", "110105198001010024"]);
    assert_eq!(unknown.code, 1);
}

#[test]
fn the_template_imports_cleanly_and_protects_ids() {
    let env = Env::new();
    let template = env.path("template.xlsx");
    let run = env.run(&["template", "candidates", "-o", template.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sheet = unzip_text(&template, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<dataValidation"), "dropdowns present");
    assert!(sheet.matches("<dataValidation ").count() >= 16, "an input message on every column");
    assert!(sheet.contains("选项!$C$2"), "民族 from the hidden list sheet");
    let workbook = unzip_text(&template, "xl/workbook.xml");
    assert!(workbook.contains("state=\"hidden\""), "the list sheet is hidden");
    // Imported as it is, the example row is skipped.
    let run = env.import(&template, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(counts(&run), [0, 0, 0, 0, 0]);
}

#[test]
fn export_writes_every_application_and_never_a_formula() {
    let env = Env::new();
    let plan = add_plan(&env.db, "电工", "四级", &[]);
    let file = env.path("roster.xlsx");
    write_sheet(
        &file,
        &[
            &["姓名", "证件号码", "手机号码", "工作单位", "通讯地址"],
            &["张三", "11010519491231002X", "13812345678", "=HYPERLINK(\"http://x\",\"点我\")", "+1-1"],
            &["李四", "110105198001010016", "13812345679", "@SUM(A1)", "-2+3"],
        ],
    );
    assert_eq!(env.import(&file, &["--plan", &plan]).code, 0);
    let out = env.path("export.xlsx");
    // Cancelled (from the app): no file at all.
    {
        let store = skillcert_core::Store::open_existing(&env.db, &skillcert_tests::test_keys()).unwrap();
        let cancel = std::sync::atomic::AtomicBool::new(true);
        let plan_id: i64 = plan.parse().unwrap();
        let e = skillcert_core::export::export_applications(&store, plan_id, None, &out, &mut |_| {}, &cancel);
        assert_eq!(e.unwrap_err().code(), skillcert_core::ErrorCode::Cancelled);
        assert!(!out.exists());
    }
    let run = env.run(&["export", "applications", "--plan", &plan, "-o", out.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["rows"], 2);
    let xml = unzip_text(&out, "xl/worksheets/sheet1.xml");
    assert!(!xml.contains("<f>"), "no formula cells");
    let mut book = skillcert_core::spreadsheet::Workbook::open(&out).unwrap();
    let sheet = book.read_sheet(&out, "报名名单").unwrap();
    assert_eq!(sheet.rows.len(), 3);
    assert_eq!(sheet.rows[1].cell(5).display(), "11010519491231002X");
    assert_eq!(sheet.rows[1].cell(9).display(), "=HYPERLINK(\"http://x\",\"点我\")");
    assert_eq!(sheet.rows[1].cell(16).display(), "待处理");
    let pending = env.run(&[
        "export",
        "applications",
        "--plan",
        &plan,
        "--status",
        "申请通过",
        "-o",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(pending.json()["rows"], 0);
}

/// One part of an .xlsx (a zip), as text, read with the system's unzip.
fn unzip_text(path: &Path, part: &str) -> String {
    let out = std::process::Command::new("unzip").arg("-p").arg(path).arg(part).output().expect("unzip");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn hong_kong_macao_taiwan_and_foreign_numbers_are_taken_as_written() {
    let env = Env::new();
    let roster = env.path("港澳台.xlsx");
    write_sheet(
        &roster,
        &[
            &["姓名", "证件类型", "证件号码", "手机号码"],
            &["陈大文", "港澳居民来往内地通行证", "H12345678", "+852 9123 4567"],
            &["林美玲", "台湾居民来往大陆通行证", "12345678", "+886 912 345 678"],
            &["张三", "居民身份证", "11010519491231002X", "020-87654321"],
            &["李四", "居民身份证", "110105198001010016", "+852 912345"],
        ],
    );
    let run = env.import(&roster, &[]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    let errors = run.json()["errors"].clone();
    assert_eq!(errors.as_array().map(Vec::len), Some(1), "{errors}");
    assert!(errors[0]["reason"].as_str().unwrap().contains("+852 加 8 位"), "{errors}");
    let people = env.candidates();
    let phone =
        |name: &str| people.iter().find(|c| c["name"] == name).map(|c| c["phone"].as_str().unwrap().to_string());
    assert_eq!(phone("陈大文").as_deref(), Some("+852 9123 4567"));
    assert_eq!(phone("林美玲").as_deref(), Some("+886 912 345 678"));
    assert_eq!(phone("张三").as_deref(), Some("02087654321"));
}

#[test]
fn schooling_work_start_and_title_are_read_under_the_names_rosters_give_them() {
    let env = Env::new();
    let roster = env.path("学历.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    let headers = ["姓名", "身份证号", "手机", "毕业学校", "专业", "毕业时间", "参工时间", "专业技术职称"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let text = |sheet: &mut rust_xlsxwriter::Worksheet, r: u32, values: &[&str]| {
        for (c, v) in values.iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
    };
    text(sheet, 1, &["张三", "11010519491231002X", "13800000001", "广东省技师学院", "电气自动化设备安装与维修"]);
    // 2015.07 typed into Excel is the number 2015.07; 2016.10 becomes 2016.1.
    sheet.write_number(1, 5, 2015.07).unwrap();
    sheet.write_number(1, 6, 2016.1).unwrap();
    sheet.write_string(1, 7, "助理工程师").unwrap();
    text(sheet, 2, &["李四", "110105198001010016", "13800000002", "", "", "2001年7月", "2001年8月", ""]);
    text(sheet, 3, &["王五", "44030519850715003X", "13800000003", "", "", "2015-13", "2030-01", ""]);
    wb.save(&roster).unwrap();

    let run = env.import(&roster, &[]);
    assert_eq!(counts(&run), [3, 2, 0, 0, 1], "{}", run.stdout);
    // Named as the file names them.
    assert_eq!(errors(&run), vec![(4, "毕业时间".to_string()), (4, "参工时间".to_string())], "{}", run.stdout);
    let people = env.candidates();
    let zhang = people.iter().find(|c| c["name"] == "张三").unwrap();
    assert_eq!(
        [&zhang["school"], &zhang["major"], &zhang["graduated_on"], &zhang["work_started_on"], &zhang["title"]],
        ["广东省技师学院", "电气自动化设备安装与维修", "2015-07-01", "2016-10-01", "助理工程师"]
    );
    let li = people.iter().find(|c| c["name"] == "李四").unwrap();
    assert_eq!([&li["graduated_on"], &li["work_started_on"]], ["2001-07-01", "2001-08-01"]);
    assert!(li["school"].is_null(), "{li}");

    // The template offers the columns, and the same file again changes nothing.
    let template = env.path("template.xlsx");
    assert_eq!(env.run(&["template", "candidates", "-o", template.to_str().unwrap()]).code, 0);
    let header = unzip_text(&template, "xl/sharedStrings.xml");
    for column in ["所学专业", "毕业院校", "毕业时间", "参加工作时间", "职称"] {
        assert!(header.contains(column), "the template lacks {column}");
    }
    assert_eq!(counts(&env.import(&roster, &[])), [3, 0, 0, 2, 1]);
}
