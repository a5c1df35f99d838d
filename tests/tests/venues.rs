//! 考务基础数据 as an agency keeps it: one workbook of 考点, 考场 and 考务人员 imported (headers as agencies word them,
//! sheets in any order), a bad workbook refused whole with every bad cell named, an import of changes updating the
//! records it names, and the export read back by the import. The real binary on real .xlsx files, both engines.

use skillcert_tests::Agency;

fn workbook(path: &std::path::Path, sheets: &[(&str, &[&[&str]])]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = wb.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

const STAFF_HEADER: &[&str] = &["姓名", "身份证号", "类别", "联系电话", "单位", "考评员证号", "证书有效期", "考评职业"];

#[test]
fn sites_rooms_and_staff_are_imported_checked_and_exported() {
    let agency = Agency::new();
    let file = agency.path("考务基础数据.xlsx");
    workbook(
        &file,
        &[
            // Staff first and rooms before sites: sheets are told apart by their headers, not their order.
            (
                "人员",
                &[
                    STAFF_HEADER,
                    &[
                        "李考评",
                        "11010519491231002X",
                        "高级考评员",
                        "13800000001",
                        "市技师学院",
                        "KP2024001",
                        "2027/6/30",
                        "电工、焊工",
                    ],
                    &["王督导", "110105198001010016", "督导员", "13800000002", "", "", "", ""],
                    &["赵监考", "44030519850715003X", "监考", "+852 9123 4567", "", "", "", ""],
                ],
            ),
            (
                "考场",
                &[
                    &["所属考点", "考场号", "用途", "座位数", "工位"],
                    &["第一考点", "301", "理论", "30", ""],
                    &["第一考点", "机房一", "机考", "40人", ""],
                    &["第一考点", "电工实训室", "实操", "24", "12"],
                    &["第二考点", "会议室", "综合评审", "10", ""],
                ],
            ),
            (
                "考点",
                &[
                    &["2026 年考点一览", "", ""],
                    &["考点名称", "地址", "场地性质"],
                    &["第一考点", "深圳市福田区测试路 1 号", "自有"],
                    &["第二考点", "深圳市南山区学府路 8 号", "租用"],
                ],
            ),
        ],
    );
    let run = agency.run(&["venue", "import", file.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{} {}", run.stdout, run.stderr);
    let outcome = run.json();
    assert_eq!(outcome["committed"], true);
    assert_eq!((outcome["sites"]["added"].as_u64(), outcome["rooms"]["added"].as_u64()), (Some(2), Some(4)));
    assert_eq!(outcome["staff"]["added"], 3);

    let sites = agency.run(&["venue", "list", "--json"]).json();
    assert_eq!(sites[0]["name"], "第一考点");
    assert_eq!(sites[1]["leased"], true);
    let rooms = sites[0]["rooms"].as_array().unwrap();
    let lab = rooms.iter().find(|r| r["name"] == "电工实训室").unwrap();
    assert_eq!(
        (lab["kind"].as_str(), lab["capacity"].as_u64(), lab["workstations"].as_u64()),
        (Some("实操"), Some(24), Some(12))
    );
    assert_eq!(rooms.iter().find(|r| r["name"] == "机房一").unwrap()["capacity"], 40);
    let staff = agency.run(&["venue", "staff", "--json"]).json();
    let li = staff.as_array().unwrap().iter().find(|p| p["name"] == "李考评").unwrap().clone();
    assert_eq!((li["grade"].as_str(), li["valid_until"].as_str()), (Some("高级考评员"), Some("2027-06-30")));
    assert_eq!(li["occupations"], serde_json::json!(["电工", "焊工"]));

    // A workbook with bad rows: every bad cell is named with its sheet, and nothing of it is written.
    let bad = agency.path("有误.xlsx");
    workbook(
        &bad,
        &[
            ("考点", &[&["考点名称", "考点地址"], &["第三考点", "广州市天河区"]]),
            (
                "考场",
                &[
                    &["考点名称", "考场名称", "考场类型", "容纳人数", "工位数"],
                    &["第三考点", "101", "笔试", "30", ""],
                    &["第九考点", "201", "笔试", "30", ""],
                    &["第三考点", "实训一", "实操", "20", ""],
                    &["第三考点", "102", "笔试", "三十", ""],
                ],
            ),
            ("人员", &[STAFF_HEADER, &["钱考评", "11010519491231002X", "考评员", "13800000009", "", "", "", ""]]),
        ],
    );
    let refused = agency.run(&["venue", "import", bad.to_str().unwrap(), "--json"]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    let outcome = refused.json();
    assert_eq!(outcome["committed"], false);
    let errors: Vec<String> = outcome["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}行 {} {}", e["row"], e["column"].as_str().unwrap(), e["reason"].as_str().unwrap()))
        .collect();
    assert!(errors.iter().any(|e| e.starts_with("3行 考场/考点名称 没有这个考点")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("4行 考场/工位数 实操考场须填写工位数")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("5行 考场/容纳人数")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("2行 人员/考评员证书编号")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("2行 人员/可考评职业")), "{errors:?}");
    assert_eq!(agency.run(&["venue", "list", "--json"]).json().as_array().unwrap().len(), 2, "nothing written");

    // The export reads back as it was; an edited copy updates the records it names.
    let exported = agency.path("导出.xlsx");
    assert_eq!(agency.run(&["venue", "export", exported.to_str().unwrap()]).code, 0);
    let again = agency.run(&["venue", "import", exported.to_str().unwrap(), "--json"]).json();
    assert_eq!((again["sites"]["unchanged"].as_u64(), again["rooms"]["unchanged"].as_u64()), (Some(2), Some(4)));
    assert_eq!(again["staff"]["unchanged"], 3);
    let change = agency.path("更新.xlsx");
    workbook(
        &change,
        &[(
            "考场",
            &[&["考点名称", "考场名称", "考场类型", "容纳人数", "工位数"], &["第一考点", "301", "笔试", "35", ""]],
        )],
    );
    let updated = agency.run(&["venue", "import", change.to_str().unwrap(), "--json"]).json();
    assert_eq!(updated["rooms"]["updated"], 1);
    let sites = agency.run(&["venue", "list", "--json"]).json();
    let room = sites[0]["rooms"].as_array().unwrap().iter().find(|r| r["name"] == "301").unwrap().clone();
    assert_eq!(room["capacity"], 35);
    let audit = agency.run(&["audit", "list", "--json"]).json();
    let imports = audit.as_array().unwrap().iter().filter(|e| e["action"] == "导入考务基础数据").count();
    assert_eq!(imports, 2, "each import that changed something is audited (the unchanged re-import is not)");
}

#[test]
fn one_site_room_or_person_is_added_and_changed_from_the_command_line() {
    let agency = Agency::new();
    let site = agency.run(&["venue", "site", "--name", "第一考点", "--address", "深圳市福田区测试路 1 号", "--json"]);
    assert_eq!(site.code, 0, "{}", site.stderr);
    let unknown =
        agency.run(&["venue", "room", "--site", "第九考点", "--name", "101", "--kind", "笔试", "--capacity", "30"]);
    assert!(unknown.code == 1 && unknown.stderr.contains("没有名为“第九考点”的考点"), "{}", unknown.stderr);
    let no_stations =
        agency.run(&["venue", "room", "--site", "第一考点", "--name", "实训一", "--kind", "实操", "--capacity", "20"]);
    assert!(no_stations.code != 0 && no_stations.stderr.contains("工位数"), "{}", no_stations.stderr);
    let room = agency.run(&[
        "venue",
        "room",
        "--site",
        "第一考点",
        "--name",
        "实训一",
        "--kind",
        "实操",
        "--capacity",
        "20",
        "--workstations",
        "10",
        "--json",
    ]);
    assert_eq!(room.code, 0, "{}", room.stderr);
    assert_eq!(room.json()[0]["rooms"][0]["workstations"], 10);
    let bare = agency.run(&[
        "venue",
        "person",
        "--name",
        "李考评",
        "--id-number",
        "11010519491231002X",
        "--role",
        "考评员",
        "--phone",
        "13800000001",
    ]);
    assert!(bare.code != 0 && bare.stderr.contains("考评员证书编号"), "{}", bare.stderr);
    let examiner = agency.run(&[
        "venue",
        "person",
        "--name",
        "李考评",
        "--id-number",
        "11010519491231002X",
        "--role",
        "高级考评员",
        "--phone",
        "13800000001",
        "--certificate",
        "KP2024001",
        "--valid-until",
        "2027-06-30",
        "--occupations",
        "电工,焊工",
        "--json",
    ]);
    assert_eq!(examiner.code, 0, "{}", examiner.stderr);
    assert_eq!(examiner.json()[0]["grade"], "高级考评员");
    // The same address again changes nothing and records nothing; a new one is a change.
    let before = agency.run(&["audit", "list", "--json"]).json().as_array().unwrap().len();
    agency.run(&["venue", "site", "--name", "第一考点", "--address", "深圳市福田区测试路 1 号"]);
    assert_eq!(agency.run(&["audit", "list", "--json"]).json().as_array().unwrap().len(), before);
    let moved = agency.run(&[
        "venue",
        "site",
        "--name",
        "第一考点",
        "--address",
        "深圳市福田区测试路 2 号",
        "--leased",
        "--json",
    ]);
    assert_eq!(moved.json()[0]["leased"], true);
    let audit = agency.run(&["audit", "list", "--json"]).json();
    let actions: Vec<&str> = audit.as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "保存考点").count(), 2, "{actions:?}");
    assert!(actions.contains(&"保存考场") && actions.contains(&"保存考务人员"), "{actions:?}");
}

#[test]
fn staff_are_assigned_by_the_rules_and_a_broken_rule_needs_an_audited_reason() {
    let agency = Agency::new();
    let file = agency.path("人员.xlsx");
    let examiner =
        |name: &'static str, id: &'static str, grade: &'static str, until: &'static str, job: &'static str| {
            [name, id, grade, "13800000001", "", "KP2025001", until, job]
        };
    let rows = [
        examiner("高一", "11010519491231002X", "高级考评员", "2028-12-31", "电工"),
        examiner("高二", "110105198001010016", "高级考评员", "2028-12-31", "电工"),
        // Valid today, not on the day of the exam (2026-12-28).
        examiner("高三", "44030519850715003X", "高级考评员", "2026-12-20", "电工"),
        examiner("普通", "110105199003070017", "考评员", "2028-12-31", "焊工"),
        ["王督导", "320102199001011232", "督导员", "13800000003", "", "", "", ""],
    ];
    let sheet: Vec<&[&str]> = std::iter::once(STAFF_HEADER).chain(rows.iter().map(|r| &r[..])).collect();
    workbook(&file, &[("考务人员", &sheet)]);
    let run = agency.run(&["venue", "import", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    // A 二级 plan of the sample candidates, approved and arranged in one room.
    let plan = skillcert_tests::add_plan(&agency.db, "电工", "二级/技师", &[]);
    let roster = agency.path("roster.xlsx");
    skillcert_fixtures::samples::title_and_aliases(&roster).unwrap();
    assert_eq!(agency.run(&["import", "candidates", roster.to_str().unwrap()]).code, 0);
    for c in agency.run(&["candidate", "list", "--json"]).json().as_array().unwrap() {
        let id = c["id_number"].as_str().unwrap();
        assert_eq!(agency.run(&["apply", "--plan", &plan, "--id-number", id]).code, 0);
    }
    assert_eq!(agency.run(&["review", "approve", "--plan", &plan, "--all-pending"]).code, 0);
    let run = agency.run(&[
        "arrange",
        "--plan",
        &plan,
        "--venue",
        "示范考点",
        "--rooms",
        "1",
        "--seats-per-room",
        "30",
        "--theory",
        "2026-12-28 09:00-10:30",
        "--practical",
        "2026-12-28 13:30-16:00",
        "--review",
        "2026-12-28 16:30-18:00",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let assign = |args: &[&str]| {
        let mut all = vec!["venue", "assign", "--plan", plan.as_str()];
        all.extend(args);
        agency.run(&all)
    };
    let staffing = || agency.run(&["venue", "staffing", "--plan", &plan, "--json"]).json();

    // Two seniors and an examiner of another occupation: both rules named, nothing saved.
    let run = assign(&["--room", "1", "--part", "操作技能", "--staff", "高一", "高二", "普通"]);
    assert_ne!(run.code, 0);
    for said in ["二级/技师的考评组只有 2 名高级考评员", "普通的考评职业为焊工，不含“电工”", "请填写理由"]
    {
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
    }
    let now = staffing();
    let practical = now["places"].as_array().unwrap().iter().find(|p| p["label"] == "第01考场 操作技能").unwrap();
    assert!(practical["staff"].as_array().unwrap().is_empty(), "nothing was saved: {practical}");
    // Three seniors, one of whose certificate ends before the exam: refused, then made with a reason, audited.
    let run = assign(&["--room", "1", "--part", "practical", "--staff", "高一", "高二", "高三"]);
    assert!(run.stderr.contains("高三的考评员证书 2026-12-20 已到期，考试日为 2026-12-28"), "{}", run.stderr);
    let reason = "高三已提交换证申请，省鉴定中心书面同意本次考评";
    let run = assign(&["--room", "1", "--part", "practical", "--staff", "高一", "高二", "高三", "--reason", reason]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let now = staffing();
    let practical = now["places"].as_array().unwrap().iter().find(|p| p["label"] == "第01考场 操作技能").unwrap();
    assert_eq!(practical["staff"].as_array().unwrap().len(), 3);
    assert_eq!(practical["staff"][2]["override_reason"], reason);
    let audit = agency.run(&["audit", "list", "--json"]).stdout;
    assert!(
        audit.contains("指派考务人员") && audit.contains(reason) && audit.contains("证书须在考试当天有效"),
        "{audit}"
    );

    // A declared relative in the room, and a day without its 督导员, are listed with the rule.
    let rules = |v: &serde_json::Value| -> Vec<String> {
        v["violations"].as_array().unwrap().iter().map(|v| v["rule"].as_str().unwrap().to_string()).collect()
    };
    assert!(rules(&now).contains(&"SupervisorPresent".to_string()), "{now}");
    let run = agency.run(&["venue", "declare", "--plan", &plan, "--person", "高一", "11010519491231002X"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let now = staffing();
    let conflict = now["violations"].as_array().unwrap().iter().find(|v| v["rule"] == "DeclaredConflict").unwrap();
    assert!(conflict["detail"].as_str().unwrap().contains("高一申报须回避的考生张三"), "{conflict}");
    // The 考点 (room 0) takes its 督导员 and nobody else.
    let run = assign(&["--room", "0", "--part", "theory", "--staff", "高二"]);
    assert!(run.stderr.contains("考点（考场 0）只指派督导员"), "{}", run.stderr);
    assert_eq!(assign(&["--room", "0", "--part", "theory", "--staff", "王督导"]).code, 0);
    assert!(!rules(&staffing()).contains(&"SupervisorPresent".to_string()));
    // Someone not on the list, and a room the plan does not have.
    assert!(
        assign(&["--room", "1", "--part", "theory", "--staff", "李四"]).stderr.contains("考务人员名单中没有“李四”")
    );
    assert!(assign(&["--room", "2", "--part", "theory", "--staff", "高一"]).stderr.contains("只编排了 1 个考场"));
}

#[test]
fn a_site_room_or_person_is_removed_audited_and_an_assigned_person_is_kept() {
    let agency = Agency::new();
    let file = agency.path("考务基础数据.xlsx");
    skillcert_fixtures::samples::venue_workbook(&file).unwrap();
    assert_eq!(agency.run(&["venue", "import", file.to_str().unwrap()]).code, 0);

    // One room of 第一考点: gone, the others stay; an unknown room is named with the ones there are.
    let run = agency.run(&["venue", "remove", "--site", "第一考点", "--room", "302", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rooms: Vec<String> =
        run.json()[0]["rooms"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(rooms, ["301", "机房一"]);
    let run = agency.run(&["venue", "remove", "--site", "第一考点", "--room", "999"]);
    assert!(run.code != 0 && run.stderr.contains("它的考场有：301、机房一"), "{}", run.stderr);

    // A 考点 with its rooms; the arrangement made into it keeps its rooms' names.
    let plan = skillcert_tests::add_plan(&agency.db, "电工", "四级/中级工", &[]);
    let roster = agency.path("roster.xlsx");
    skillcert_fixtures::samples::title_and_aliases(&roster).unwrap();
    assert_eq!(agency.run(&["import", "candidates", roster.to_str().unwrap()]).code, 0);
    for c in agency.run(&["candidate", "list", "--json"]).json().as_array().unwrap() {
        assert_eq!(agency.run(&["apply", "--plan", &plan, "--id-number", c["id_number"].as_str().unwrap()]).code, 0);
    }
    assert_eq!(agency.run(&["review", "approve", "--plan", &plan, "--all-pending"]).code, 0);
    let arranged = agency.run(&[
        "arrange",
        "--plan",
        &plan,
        "--site",
        "南山实训基地",
        "--room",
        "电工实训室",
        "--theory",
        "2026-12-28 09:00-10:30",
        "--practical",
        "2026-12-28 13:30-16:00",
    ]);
    assert_eq!(arranged.code, 0, "{}", arranged.stderr);
    let run = agency.run(&["venue", "remove", "--site", "南山实训基地"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sites = agency.run(&["venue", "list", "--json"]).json();
    assert_eq!(sites.as_array().unwrap().len(), 1, "{sites}");
    let staffing = agency.run(&["venue", "staffing", "--plan", &plan, "--json"]).json();
    let places: Vec<&str> = staffing["places"].as_array().unwrap().iter().filter_map(|p| p["label"].as_str()).collect();
    assert!(places.iter().any(|p| p.starts_with("电工实训室")), "{places:?}");

    // A person assigned to serve is kept, naming the plan; once unassigned, removed.
    let assign = |staff: &[&str]| {
        let mut args = vec!["venue", "assign", "--plan", plan.as_str(), "--room", "0", "--part", "理论知识"];
        if !staff.is_empty() {
            args.push("--staff");
            args.extend(staff);
        }
        args.extend(["--reason", "测试"]);
        agency.run(&args)
    };
    assert_eq!(assign(&["王督导"]).code, 0);
    let run = agency.run(&["venue", "remove", "--person", "王督导"]);
    assert!(run.code != 0 && run.stderr.contains("已被指派到计划“电工"), "{}", run.stderr);
    assert_eq!(assign(&[]).code, 0);
    let run = agency.run(&["venue", "remove", "--person", "44030519850715003X"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let staff = agency.run(&["venue", "staff", "--json"]).json();
    assert!(staff.as_array().unwrap().iter().all(|p| p["name"] != "王督导"), "{staff}");
    let trail = agency.run(&["audit", "list", "--json"]).json();
    let removals: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().is_some_and(|a| a.starts_with("删除")))
        .filter_map(|e| e["detail"].as_str())
        .collect();
    assert_eq!(removals.len(), 3, "{removals:?}");
    assert!(removals.iter().any(|d| d.contains("南山实训基地") && d.contains("会议室、电工实训室")), "{removals:?}");
}
