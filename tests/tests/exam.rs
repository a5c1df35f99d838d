//! Agency settings, payments and the exam arrangement, through the real CLI on a real database.

use serde_json::Value;
use skillcert_fixtures::samples;
use skillcert_tests::{Agency, Run, add_plan};

skillcert_tests::agency_env!();

impl Env {
    fn new() -> Env {
        Env(Agency::new())
    }

    /// A plan with the 6 candidates of the title/aliases sample applied and approved.
    fn approved_plan(&self, level: &str, extra: &[&str]) -> String {
        let plan = add_plan(&self.db, "电工", level, extra);
        let roster = self.dir.path().join("roster.xlsx");
        samples::title_and_aliases(&roster).unwrap();
        // The sample names 四级 in its own 申报等级 column for some rows: import without a plan, then apply.
        assert_eq!(self.run(&["import", "candidates", roster.to_str().unwrap()]).code, 0);
        for id in self.ids() {
            assert_eq!(self.run(&["apply", "--plan", &plan, "--id-number", &id]).code, 0);
        }
        assert_eq!(self.run(&["review", "approve", "--plan", &plan, "--all-pending"]).code, 0);
        plan
    }

    fn ids(&self) -> Vec<String> {
        let list = self.run(&["candidate", "list", "--json"]).json();
        list.as_array().unwrap().iter().map(|c| c["id_number"].as_str().unwrap().to_string()).collect()
    }

    fn arrange(&self, plan: &str, rooms: &str, seats: &str, extra: &[&str]) -> Run {
        self.arrange_at(plan, rooms, seats, ("2026-12-28 09:00-10:30", "2026-12-28 13:30-16:00"), extra)
    }

    /// `arrange` with the given (理论知识, 操作技能) times.
    fn arrange_at(
        &self,
        plan: &str,
        rooms: &str,
        seats: &str,
        (theory, practical): (&str, &str),
        extra: &[&str],
    ) -> Run {
        let mut args = vec!["arrange", "--plan", plan, "--venue", "示范职业技能评价中心 第一教学楼", "--rooms", rooms];
        args.extend(["--seats-per-room", seats, "--theory", theory, "--practical", practical, "--json"]);
        args.extend(extra);
        self.run(&args)
    }

    fn statuses(&self, plan: &str) -> Vec<String> {
        let list = self.run(&["application", "list", "--plan", plan, "--json"]).json();
        list.as_array().unwrap().iter().map(|a| a["status"].as_str().unwrap().to_string()).collect()
    }
}

fn seats(run: &Run) -> Vec<(String, String, u64, u64)> {
    run.json()["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["ticket_number"].as_str().unwrap().to_string(),
                s["id_number"].as_str().unwrap().to_string(),
                s["room"].as_u64().unwrap(),
                s["seat"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn settings_are_validated_shown_and_audited() {
    let env = Env::new();
    let show = env.run(&["settings", "show", "--json"]).json();
    let get = |doc: &Value, key: &str| doc.as_array().unwrap().iter().find(|s| s["key"] == key).unwrap().clone();
    assert_eq!(get(&show, "agency.code")["value"], "0000");
    assert_eq!(get(&show, "agency.code")["is_default"], true);
    assert_eq!(get(&show, "agency.province")["value"], Value::Null);

    assert_eq!(env.run(&["settings", "set", "agency.type", "s"]).code, 0);
    assert_eq!(env.run(&["settings", "set", "agency.province", "44"]).code, 0);
    assert_eq!(env.run(&["settings", "set", "print.offset_x_mm", "-1.5"]).code, 0);
    let show = env.run(&["settings", "show", "--json"]).json();
    assert_eq!(get(&show, "agency.type")["value"], "S");
    assert_eq!(get(&show, "print.offset_x_mm")["value"], "-1.5");

    let bad_key = env.run(&["settings", "set", "agency.nmae", "x"]);
    assert_eq!(bad_key.code, 1);
    assert!(bad_key.stderr.contains("agency.name"), "{}", bad_key.stderr);
    let bad_value = env.run(&["settings", "set", "agency.site", "12"]);
    assert_eq!(bad_value.code, 1);
    assert!(bad_value.stderr.contains("6位数字"), "{}", bad_value.stderr);

    let audit = env.run(&["audit", "list", "--json"]).json();
    let last = audit.as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["action"].as_str(), last["detail"].as_str()), (Some("修改设置"), Some("print.offset_x_mm")));
}

#[test]
fn payments_are_recorded_and_refused_where_they_make_no_sense() {
    let env = Env::new();
    let free = env.approved_plan("四级/中级工", &[]);
    let id = env.ids()[0].clone();
    let run = env.run(&["pay", "--plan", &free, "--id-number", &id]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("无需缴费"), "{}", run.stderr);

    let paid_plan = add_plan(&env.db, "焊工", "五级", &["--fee", "260"]);
    assert_eq!(env.run(&["apply", "--plan", &paid_plan, "--id-number", &id]).code, 0);
    let paid = env.run(&["pay", "--plan", &paid_plan, "--id-number", &id, "--json"]);
    assert_eq!(paid.code, 0, "{}", paid.stderr);
    assert_eq!(paid.json()["payment"], "已支付");
    let undone = env.run(&["pay", "--plan", &paid_plan, "--id-number", &id, "--unpaid", "--json"]);
    assert_eq!(undone.json()["payment"], "待支付");
    let audit = env.run(&["audit", "list", "--id-number", &id, "--json"]).json();
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.ends_with(&["登记缴费", "撤销缴费"]), "{actions:?}");
}

#[test]
fn arrangement_seats_everyone_files_them_and_refuses_whole() {
    let env = Env::new();
    let plan = env.approved_plan("四级/中级工", &["--code", "155265", "--fee", "150"]);
    let ids = env.ids();

    // Unpaid: refused, naming the candidates; nothing changes.
    let unpaid = env.arrange(&plan, "1", "10", &[]);
    assert_eq!(unpaid.code, 1);
    assert!(unpaid.stderr.contains("尚未缴费") && unpaid.stderr.contains("张三"), "{}", unpaid.stderr);
    for id in &ids {
        assert_eq!(env.run(&["pay", "--plan", &plan, "--id-number", id]).code, 0);
    }
    // Too few seats: refused with the numbers; nothing changes.
    let small = env.arrange(&plan, "2", "2", &[]);
    assert_eq!(small.code, 1);
    assert!(small.stderr.contains("需要 6 个座位") && small.stderr.contains("= 4 个"), "{}", small.stderr);
    assert!(env.statuses(&plan).iter().all(|s| s == "申请通过"));

    let run = env.arrange(&plan, "2", "4", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["filed"], 6);
    let first = seats(&run);
    let tickets: Vec<&str> = first.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(tickets, ["1552650001", "1552650002", "1552650003", "1552650004", "1552650005", "1552650006"]);
    let places: Vec<(u64, u64)> = first.iter().map(|s| (s.2, s.3)).collect();
    assert_eq!(places, [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2)]);
    assert!(env.statuses(&plan).iter().all(|s| s == "已提交申报"));

    // Re-arranging before the exam keeps every 准考证号, moves seats, and records each move.
    let again = env.arrange(&plan, "3", "2", &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let second = seats(&again);
    assert_eq!(
        second.iter().map(|s| (&s.0, &s.1)).collect::<Vec<_>>(),
        first.iter().map(|s| (&s.0, &s.1)).collect::<Vec<_>>()
    );
    assert_eq!(second.iter().map(|s| (s.2, s.3)).collect::<Vec<_>>(), [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]);
    assert_eq!(again.json()["filed"], 0);
    assert_eq!(again.json()["moved"], 4);
    let moved = env.run(&["audit", "list", "--id-number", &first[2].1, "--json"]).json();
    let last = moved.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "重新编排座位");
    assert_eq!(
        (last["from_value"].as_str(), last["to_value"].as_str()),
        (Some("第01考场 03号"), Some("第02考场 01号"))
    );
}

#[test]
fn arrangement_dates_and_review_panels_are_checked() {
    let env = Env::new();
    let plan = env.approved_plan("二级/技师", &[]);
    let no_review = env.arrange(&plan, "1", "10", &[]);
    assert_eq!(no_review.code, 1);
    assert!(no_review.stderr.contains("综合评审"), "{}", no_review.stderr);
    let ok = env.arrange(&plan, "1", "10", &["--review", "2026-12-29 09:00-11:00"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(ok.json()["arrangement"]["review"]["start"], "2026-12-29T09:00:00");

    let four = add_plan(&env.db, "焊工", "四级", &[]);
    let early = env.arrange_at(&four, "1", "1", ("2026-12-15 09:00-10:30", "2026-12-15 13:00-15:00"), &[]);
    assert_eq!(early.code, 1);
    assert!(early.stderr.contains("报名截止"), "{}", early.stderr);
    let nobody = env.arrange(&four, "1", "10", &[]);
    assert_eq!(nobody.code, 1);
    assert!(nobody.stderr.contains("审核通过"), "{}", nobody.stderr);
    let review = ["--review", "2026-12-29 09:00-11:00"];
    let bad_time = env.arrange_at(&plan, "1", "10", ("2026-12-28 上午", "2026-12-28 13:00-15:00"), &review);
    assert_eq!(bad_time.code, 1);
    assert!(bad_time.stderr.contains("09:00-10:30"), "{}", bad_time.stderr);
}

#[test]
fn seats_follow_the_chosen_rule_and_a_random_chart_repeats_from_its_recorded_seed() {
    let env = Env::new();
    // Eight people of two units and one without, in the order they applied.
    let units = ["甲机电厂", "甲机电厂", "甲机电厂", "乙建设公司", "甲机电厂", "乙建设公司", "", "甲机电厂"];
    let birth = chrono::NaiveDate::from_ymd_opt(1990, 3, 7).unwrap();
    let ids: Vec<String> =
        (0..units.len() as u32).map(|i| skillcert_fixtures::resident_id("110105", birth, 20 + i * 7)).collect();
    let roster = env.path("同单位.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in ["姓名", "证件号码", "手机号码", "工作单位"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (id, unit)) in ids.iter().zip(units).enumerate() {
        let row = r as u32 + 1;
        sheet.write_string(row, 0, format!("考生{}", "甲乙丙丁戊己庚辛".chars().nth(r).unwrap())).unwrap();
        sheet.write_string(row, 1, id).unwrap();
        sheet.write_string(row, 2, format!("1380000{:04}", r)).unwrap();
        sheet.write_string(row, 3, unit).unwrap();
    }
    wb.save(&roster).unwrap();
    let plan = add_plan(&env.db, "电工", "四级/中级工", &["--code", "155265"]);
    let run = env.run(&["import", "candidates", roster.to_str().unwrap(), "--plan", &plan]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(env.run(&["review", "approve", "--plan", &plan, "--all-pending"]).code, 0);
    let unit_of = |id: &str| units[ids.iter().position(|i| i == id).unwrap()];

    // 同单位分开: no two neighbours of one unit while someone else could sit between them.
    let apart = env.arrange(&plan, "2", "4", &["--seat-rule", "同单位分开"]);
    assert_eq!(apart.code, 0, "{}", apart.stderr);
    let order: Vec<&str> = seats(&apart).iter().map(|s| unit_of(&s.1)).collect();
    assert_eq!(order.len(), 8);
    let side_by_side = order.windows(2).filter(|w| !w[0].is_empty() && w[0] == w[1]).count();
    // 5 of 甲 among 8 need at least one pair; the greedy deal leaves only the last.
    assert!(side_by_side <= 1, "{order:?}");
    assert_eq!(apart.json()["arrangement"]["seat_rule"], "同单位分开");

    // 同单位集中: each unit on consecutive seats; moves are audited seat by seat.
    let together = env.arrange(&plan, "2", "4", &["--seat-rule", "同单位集中"]);
    let order: Vec<&str> = seats(&together).iter().map(|s| unit_of(&s.1)).collect();
    let runs = order.windows(2).filter(|w| w[0] != w[1]).count() + 1;
    assert_eq!(runs, 3, "three blocks (乙, 甲, none): {order:?}");
    assert!(together.json()["moved"].as_u64().unwrap() > 0);

    // 按证件号码.
    let by_id = env.arrange(&plan, "2", "4", &["--seat-rule", "按证件号码"]);
    let order: Vec<String> = seats(&by_id).iter().map(|s| s.1.clone()).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);

    // 随机: a seed is drawn and recorded; arranging again with it gives the same chart, with another a different one.
    let random = env.arrange(&plan, "2", "4", &["--seat-rule", "随机"]);
    assert_eq!(random.code, 0, "{}", random.stderr);
    let seed = random.json()["arrangement"]["seat_seed"].as_u64().expect("a recorded seed");
    let chart = seats(&random);
    let repeat = env.arrange(&plan, "2", "4", &["--seat-rule", "随机", "--seed", &seed.to_string()]);
    assert_eq!(seats(&repeat), chart);
    assert_eq!(repeat.json()["moved"], 0, "the same seed moves nobody");
    let other = (0..5)
        .map(|n| env.arrange(&plan, "2", "4", &["--seat-rule", "随机", "--seed", &(seed + 1 + n).to_string()]))
        .find(|run| seats(run) != chart);
    assert!(other.is_some(), "other seeds give other charts");
    let audit = env.run(&["audit", "list", "--json"]).json();
    let details: Vec<&str> = audit.as_array().unwrap().iter().filter_map(|e| e["detail"].as_str()).collect();
    assert!(details.iter().any(|d| d.contains(&format!("随机排座（种子 {seed}）"))), "{details:?}");

    // A seed without 随机, or a rule nobody knows: refused, the stored chart as it was.
    let stored = || {
        // Who sits where, as one number both engines compute: any two people swapping places change it.
        let sql =
            "SELECT CAST(sum((room * 100 + seat) * CAST(substr(ticket_number, 7) AS INTEGER)) AS BIGINT) FROM seats";
        skillcert_tests::raw(&env.db).number(sql)
    };
    let before = stored();
    let wrong = env.arrange(&plan, "2", "4", &["--seat-rule", "按证件号码", "--seed", "7"]);
    assert_eq!(wrong.code, 1);
    assert!(wrong.stderr.contains("只有“随机”排座使用种子"), "{}", wrong.stderr);
    let unknown = env.arrange(&plan, "2", "4", &["--seat-rule", "按身高"]);
    assert!(unknown.code != 0 && unknown.stderr.contains("可选：按准考证号"), "{}", unknown.stderr);
    assert_eq!(stored(), before);
    // Staffing reads each seat's 工作单位 with the chart.
    let staffing = env.run(&["venue", "staffing", "--plan", &plan, "--json"]);
    assert_eq!(staffing.code, 0, "{}", staffing.stderr);
}

#[test]
fn the_ticket_number_rule_is_a_setting_and_a_rule_with_the_seat_renumbers_on_rearrangement() {
    let env = Env::new();
    let plan = env.approved_plan("四级/中级工", &["--code", "155265", "--plan-no", "2026-007"]);
    let set = |value: &str| env.run(&["settings", "set", "ticket.number_pattern", value]);
    // Refused when set, with the reason: numbers that could repeat, a part nobody knows.
    let run = set("{年2}{考场3}");
    assert!(run.code != 0 && run.stderr.contains("相同的准考证号"), "{}", run.stderr);
    let run = set("{年2}{班级}{序号4}");
    assert!(run.code != 0 && run.stderr.contains("不认识“{班级}”"), "{}", run.stderr);
    // One province's layout: year 2 + province 2 + agency 3 + batch 3 + subjects 3 + room 3 + seat 3.
    let run = set("｛年2｝{省}{机构3}{批次3}{科目}{考场3}{座号3}");
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The rule needs the agency's codes: refused until they are set, naming the setting.
    let run = env.arrange(&plan, "2", "4", &[]);
    assert!(run.code == 1 && run.stderr.contains("省份代码"), "{}", run.stderr);
    for (key, value) in [("agency.province", "44"), ("agency.site", "000123")] {
        assert_eq!(env.run(&["settings", "set", key, value]).code, 0);
    }
    let run = env.arrange(&plan, "2", "4", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = seats(&run);
    let tickets: Vec<&str> = first.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(tickets[0], "2644123007110001001", "{tickets:?}");
    assert_eq!(tickets[5], "2644123007110002002", "{tickets:?}");

    // Re-arranged into rooms of 3: the numbers follow the seats, each change audited from the old number.
    let again = env.arrange(&plan, "2", "3", &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let second = seats(&again);
    assert_eq!(second[3].0, "2644123007110002001");
    let id = &second[3].1;
    let was = &first.iter().find(|s| &s.1 == id).unwrap().0;
    assert_eq!(was, "2644123007110001004");
    let trail = env.run(&["audit", "list", "--id-number", id, "--json"]).json();
    let renumbered = trail.as_array().unwrap().iter().find(|e| e["action"] == "准考证号变更").expect("audited").clone();
    assert_eq!(
        (renumbered["from_value"].as_str(), renumbered["to_value"].as_str()),
        (Some(was.as_str()), Some(second[3].0.as_str()))
    );

    // A rule without the plan in it gives a second plan's candidates the first plan's numbers: refused whole.
    assert_eq!(set("{考场2}{座号2}").code, 0);
    assert_eq!(env.arrange(&plan, "1", "10", &[]).code, 0);
    let other = env.approved_plan("三级/高级工", &["--code", "155266"]);
    let next_day = ("2026-12-29 09:00-10:30", "2026-12-29 13:30-16:00");
    let run = env.arrange_at(&other, "1", "10", next_day, &[]);
    assert!(run.code == 1 && run.stderr.contains("准考证号 0101 已由计划“电工"), "{}", run.stderr);
    assert!(run.stderr.contains("{识别码}"), "the fix is named: {}", run.stderr);
    assert!(env.statuses(&other).iter().all(|s| s == "申请通过"), "nothing of the refused arrangement stays");
}

#[test]
fn sessions_that_overlap_for_one_candidate_are_refused_naming_who_and_which() {
    let env = Env::new();
    let first = env.approved_plan("四级/中级工", &["--code", "155265"]);
    // Within one plan: the two subjects at overlapping times.
    let run = env.arrange_at(&first, "1", "10", ("2026-12-28 09:00-10:30", "2026-12-28 10:00-12:00"), &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("理论知识 2026-12-28 09:00-10:30 与操作技能 2026-12-28 10:00-12:00 时间重叠"),
        "{}",
        run.stderr
    );
    // One ending as the next begins is fine.
    let run = env.arrange_at(&first, "1", "10", ("2026-12-28 09:00-10:30", "2026-12-28 10:30-12:00"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // The same people in a second plan, at the first plan's morning: refused, naming each and both sessions.
    let second = env.approved_plan("三级/高级工", &["--code", "155266"]);
    let run = env.arrange_at(&second, "1", "10", ("2026-12-28 08:30-09:30", "2026-12-28 14:00-16:00"), &[]);
    assert_eq!(run.code, 1);
    let said = "张三（11010519491231002X）的理论知识 2026-12-28 08:30-09:30 与计划“电工/-- 四级/中级工”的理论知识 2026-12-28 09:00-10:30";
    assert!(run.stderr.contains(said), "{}", run.stderr);
    assert!(env.statuses(&second).iter().all(|s| s == "申请通过"), "nothing filed");
    // The next day: arranged.
    let run = env.arrange_at(&second, "1", "10", ("2026-12-29 09:00-10:30", "2026-12-29 14:00-16:00"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
