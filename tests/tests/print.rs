//! Printed admission tickets, checked as a reader would: pages, text extracted with pdftotext, fonts embedded as
//! subsets (pdffonts), refusals that name every candidate before anything is written.

use std::path::Path;
use std::process::Command;

use skillcert_fixtures::samples;
use skillcert_tests::{Agency, add_plan};

skillcert_tests::agency_env!();

impl Env {
    fn new() -> Env {
        Env(Agency::new())
    }

    /// The 6 sample candidates approved and arranged; photos for all but 欧阳娜娜.
    fn arranged(&self) -> String {
        self.arranged_with(&[])
    }

    /// [`Env::arranged`] with more candidates (name, 证件号码), each with a photo.
    fn arranged_with(&self, more: &[(&str, &str)]) -> String {
        let plan = add_plan(&self.db, "电工", "四级/中级工", &["--job", "低压电工", "--code", "155265"]);
        let roster = self.path("roster.xlsx");
        samples::title_and_aliases(&roster).unwrap();
        assert_eq!(self.run(&["import", "candidates", roster.to_str().unwrap()]).code, 0);
        for (name, id) in more {
            let run = self.run(&["candidate", "add", "--name", name, "--id-number", id, "--phone", "13900001111"]);
            assert_eq!(run.code, 0, "{}", run.stderr);
        }
        let list = self.run(&["candidate", "list", "--json"]).json();
        for (i, c) in list.as_array().unwrap().iter().enumerate() {
            let id = c["id_number"].as_str().unwrap();
            assert_eq!(self.run(&["apply", "--plan", &plan, "--id-number", id]).code, 0);
            if c["name"] != "欧阳娜娜" {
                let photo = self.path(&format!("{id}.jpg"));
                std::fs::write(&photo, skillcert_fixtures::photo_jpeg(i as u64)).unwrap();
                assert_eq!(self.run(&["photo", "set", "--id-number", id, photo.to_str().unwrap()]).code, 0);
            }
        }
        assert_eq!(self.run(&["review", "approve", "--plan", &plan, "--all-pending"]).code, 0);
        assert_eq!(self.run(&["settings", "set", "agency.name", "广东省示范职业技能评价中心"]).code, 0);
        let run = self.run(&[
            "arrange",
            "--plan",
            &plan,
            "--venue",
            "广州市天河区中山大道西100号 第一教学楼",
            "--rooms",
            "1",
            "--seats-per-room",
            "30",
            "--theory",
            "2026-12-28 09:00-10:30",
            "--practical",
            "2026-12-28 13:30-16:00",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        plan
    }
}

#[test]
fn a_batch_without_every_photo_is_refused_naming_who_lacks_one() {
    let env = Env::new();
    let plan = env.arranged();
    let pdf = env.path("tickets.pdf");
    let run = env.run(&["print", "ticket", "--plan", &plan, "-o", pdf.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("欧阳娜娜") && run.stderr.contains("没有照片"), "{}", run.stderr);
    assert!(!pdf.exists(), "nothing is written");

    // A pending application is not printable either.
    let other = add_plan(&env.db, "焊工", "五级", &[]);
    let id = "11010519491231002X";
    assert_eq!(env.run(&["apply", "--plan", &other, "--id-number", id]).code, 0);
    let run = env.run(&["print", "ticket", "--plan", &other, "--id-number", id, "-o", pdf.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("待处理"), "{}", run.stderr);
}

#[test]
fn tickets_carry_every_field_in_extractable_text_with_subset_fonts() {
    let env = Env::new();
    let plan = env.arranged();
    let pdf = env.path("tickets.pdf");
    let ids = ["11010519491231002X", "110105198001010016"];
    let run = env.run(&[
        "print",
        "ticket",
        "--plan",
        &plan,
        "--id-number",
        ids[0],
        ids[1],
        "-o",
        pdf.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["pages"], 2);

    let info = skillcert_tests::poppler("pdfinfo", &[], &pdf);
    assert!(info.contains("Pages:           2"), "{info}");
    let fonts = skillcert_tests::poppler("pdffonts", &[], &pdf);
    let noto = fonts.lines().find(|l| l.contains("NotoSansSC")).unwrap_or_else(|| panic!("{fonts}"));
    assert!(noto.contains("yes yes yes"), "embedded, subset, with a unicode map: {noto}");
    // A subset is small: a full Noto Sans SC would be over 8 MB.
    assert!(std::fs::metadata(&pdf).unwrap().len() < 400_000);

    let text = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1", "-layout"], &pdf);
    for field in [
        "职业技能等级认定准考证",
        "广东省示范职业技能评价中心",
        "1552650001",
        "张三",
        "女",
        "11010519491231002X",
        "电工（低压电工）",
        "四级/中级工",
        "广州市天河区中山大道西100号",
        "第01考场",
        "理论知识",
        "2026年12月28日",
        "09:00",
        "13:30",
        "考生须知",
    ] {
        assert!(text.contains(field), "page 1 lacks {field}:\n{text}");
    }
    let second = skillcert_tests::poppler("pdftotext", &["-f", "2", "-l", "2"], &pdf);
    assert!(second.contains("李四") && second.contains("1552650002"), "{second}");
}

#[test]
fn a_rare_name_prints_in_the_shipped_fallback_and_one_no_font_has_is_left_out_alone() {
    let env = Env::new();
    let birth = chrono::NaiveDate::from_ymd_opt(1990, 3, 4).unwrap();
    let (ji, wang) =
        (skillcert_fixtures::resident_id("110105", birth, 11), skillcert_fixtures::resident_id("110105", birth, 12));
    // 𠮷 (U+20BB7) is CJK Extension B; U+31350 is Extension H (Unicode 15), in no font this test machine has.
    let plan = env.arranged_with(&[("吉𠮷", &ji), ("王\u{31350}", &wang)]);
    let pdf = env.path("tickets.pdf");
    let with = |ids: &[&str], json: bool| {
        let mut args = vec!["print", "ticket", "--plan", &plan, "--id-number"];
        args.extend(ids.iter().copied());
        args.extend(["-o", pdf.to_str().unwrap()]);
        if json {
            args.push("--json");
        }
        env.run(&args)
    };
    let run = with(&[&ji, &wang, "110105198001010016"], true);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome = run.json();
    assert_eq!(outcome["documents"], 2, "{outcome}");
    let left_out = outcome["left_out"].as_array().unwrap();
    assert_eq!(left_out.len(), 1, "{outcome}");
    assert_eq!(left_out[0]["id_number"], wang.as_str());
    assert!(left_out[0]["reason"].as_str().unwrap().contains("U+31350"), "{outcome}");

    let text = skillcert_tests::poppler("pdftotext", &[], &pdf);
    assert!(text.contains("吉𠮷") && text.contains("李四"), "{text}");
    assert!(!text.contains("王"), "the one no font can print is not in the file: {text}");
    let fonts = skillcert_tests::poppler("pdffonts", &[], &pdf);
    let fallback = fonts.lines().find(|l| l.contains("HanaMinB")).unwrap_or_else(|| panic!("{fonts}"));
    assert!(fallback.contains("yes yes yes"), "embedded as a subset with a unicode map: {fallback}");
    assert!(std::fs::metadata(&pdf).unwrap().len() < 600_000, "a subset, not the 30 MB font");

    // Said in words too, and a batch of only that one prints nothing.
    let run = with(&[&ji, &wang], false);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("以下 1 位考生未打印") && run.stdout.contains(&wang), "{}", run.stdout);
    std::fs::remove_file(&pdf).unwrap();
    let run = with(&[&wang], false);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&wang) && run.stderr.contains("U+31350"), "{}", run.stderr);
    assert!(!pdf.exists());
}

/// An arranged plan, every candidate with a photo, marks entered and published: five certificates issued.
fn certified_plan(env: &Env) -> String {
    let plan = env.arranged();
    // 欧阳娜娜 has no photo yet: give her one so the whole plan prints.
    let photo = env.path("ouyang.jpg");
    std::fs::write(&photo, skillcert_fixtures::photo_jpeg(99)).unwrap();
    assert_eq!(env.run(&["photo", "set", "--id-number", "32010219900307152X", photo.to_str().unwrap()]).code, 0);
    publish(env, &plan);
    plan
}

/// `print certificate` for the whole plan with SKILLCERT_CERTIFICATE_FONT set.
fn print_certificates_with_font(env: &Env, plan: &str, pdf: &Path, font: &Path) {
    let out = skillcert_tests::skillcert_cmd()
        .arg("--db")
        .arg(&env.db)
        .args(["print", "certificate", "--plan", plan, "-o"])
        .arg(pdf)
        .env("SKILLCERT_CERTIFICATE_FONT", font)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Marks for every arranged candidate after the exam (all pass but the first), publication, and the certificates
/// after the notice with the agency settings.
fn publish(env: &Env, plan: &str) {
    env.exam_held(plan);
    let scores = env.run(&["scores", "list", "--plan", plan, "--json"]).json();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["准考证号", "理论知识", "操作技能"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, row) in scores.as_array().unwrap().iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, row["ticket_number"].as_str().unwrap()).unwrap();
        ws.write_number(r, 1, if i == 0 { 50.0 } else { 80.0 }).unwrap();
        ws.write_number(r, 2, 75.5).unwrap();
    }
    let sheet = env.path("scores.xlsx");
    wb.save(&sheet).unwrap();
    assert_eq!(env.run(&["scores", "import", sheet.to_str().unwrap(), "--plan", plan]).code, 0);
    env.set_settings(&[
        ("agency.type", "S"),
        ("agency.province", "44"),
        ("agency.site", "000123"),
        ("verify.base_url", "https://zs.example.cn"),
    ]);
    let run = env.run(&["scores", "publish", "--plan", plan]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = env.issue_after_notice(plan);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The left edge (pt) of the first word containing `needle` on page 1, from pdftotext -bbox.
fn x_of(pdf: &Path, needle: &str) -> f32 {
    let html = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1", "-bbox"], pdf);
    let line = html.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in {html}"));
    let start = line.find("xMin=\"").unwrap() + 6;
    line[start..].split('"').next().unwrap().parse().unwrap()
}

#[test]
fn certificates_print_every_field_a_working_qr_code_and_an_offset_overlay() {
    let env = Env::new();
    let plan = certified_plan(&env);

    let pdf = env.path("certificates.pdf");
    let run = env.run(&["print", "certificate", "--plan", &plan, "-o", pdf.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["documents"], 5, "the one who failed has no certificate");

    let fonts = skillcert_tests::poppler("pdffonts", &[], &pdf);
    for face in ["NotoSansSC", "NotoSerifSC"] {
        let line = fonts.lines().find(|l| l.contains(face)).unwrap_or_else(|| panic!("{face}: {fonts}"));
        assert!(line.contains("yes yes yes"), "{line}");
    }
    let text = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1"], &pdf);
    let list = env.run(&["certificate", "list", "--plan", &plan, "--json"]).json();
    let first = &list[0];
    for field in [
        "职业技能等级证书",
        "Certificate of Occupational Skill Level",
        first["name"].as_str().unwrap(),
        first["id_type"].as_str().unwrap(),
        first["id_number"].as_str().unwrap(),
        "电工",
        "低压电工",
        "四级/中级工",
        first["number"].as_str().unwrap(),
        "广东省示范职业技能评价中心",
        "jndj.osta.org.cn",
        "pjjg.osta.org.cn",
        "发证日期",
    ] {
        assert!(text.contains(field), "the certificate lacks {field}:\n{text}");
    }

    // The QR code decodes to this certificate's verification page.
    let png = env.path("page");
    Command::new("pdftoppm").args(["-r", "150", "-png", "-f", "1", "-l", "1"]).arg(&pdf).arg(&png).status().unwrap();
    let image = env.path("page-1.png");
    let image = if image.exists() { image } else { env.path("page-01.png") };
    let decoded = Command::new("zbarimg").arg("-q").arg(&image).output().expect("zbarimg (zbar-tools)");
    let decoded = String::from_utf8_lossy(&decoded.stdout);
    let url = format!("QR-Code:https://zs.example.cn/verify?no={}", first["number"].as_str().unwrap());
    assert_eq!(decoded.trim(), url);

    // 套打: values only, moved by the printer offset.
    let overlay = env.path("overlay.pdf");
    let args = ["print", "certificate", "--plan", &plan, "--overlay", "-o", overlay.to_str().unwrap()];
    assert_eq!(env.run(&args).code, 0);
    let plain = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1"], &overlay);
    assert!(!plain.contains("职业技能等级证书") && plain.contains(first["number"].as_str().unwrap()), "{plain}");
    let before = x_of(&overlay, first["number"].as_str().unwrap());
    assert_eq!(env.run(&["settings", "set", "print.offset_x_mm", "5"]).code, 0);
    assert_eq!(env.run(&args).code, 0);
    let after = x_of(&overlay, first["number"].as_str().unwrap());
    assert!((after - before - 5.0 * 72.0 / 25.4).abs() < 0.5, "moved {} pt", after - before);

    // The agency's stock puts 证书编号 elsewhere and larger and has no place for the QR code; its printer prints
    // 1 % small, so the scale is 101 %.
    let template = "姓名 100 80\n证书编号 40 250 20\n照片 20 60 25 35";
    assert_eq!(env.run(&["settings", "set", "certificate.overlay", template]).code, 0);
    assert_eq!(env.run(&["settings", "set", "print.scale_percent", "101"]).code, 0);
    assert_eq!(env.run(&args).code, 0);
    let number = first["number"].as_str().unwrap();
    let mm = |pt: f32| pt * 25.4 / 72.0;
    assert!((mm(x_of(&overlay, number)) - (40.0 * 1.01 + 5.0)).abs() < 0.3, "x {} mm", mm(x_of(&overlay, number)));
    let (_, height) = word_box(&overlay, number);
    let (_, name_height) = word_box(&overlay, first["name"].as_str().unwrap());
    assert!((height / name_height - 20.0 / 12.0).abs() < 0.1, "20 pt against 12 pt: {height} / {name_height}");
    let plain = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1"], &overlay);
    assert!(!plain.contains(first["id_number"].as_str().unwrap()), "fields left out of the template are not printed");
    let decoded = Command::new("pdftoppm")
        .args(["-r", "100", "-png", "-f", "1", "-l", "1"])
        .arg(&overlay)
        .arg(env.path("overlay"))
        .status();
    assert!(decoded.unwrap().success());
    let qr = Command::new("zbarimg").arg("-q").arg(env.path("overlay-1.png")).output().unwrap();
    assert!(qr.stdout.is_empty(), "no QR code on this stock");
    // A template line that is wrong is refused naming it, and the one in force stays.
    let run = env.run(&["settings", "set", "certificate.overlay", "姓名 100 80\n性别 1 1"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("第 2 行") && run.stderr.contains("性别"), "{}", run.stderr);
    let shown = env.run(&["settings", "show", "--json"]).json();
    let kept = shown.as_array().unwrap().iter().find(|s| s["key"] == "certificate.overlay").unwrap();
    assert_eq!(kept["value"], template);
}

/// The left edge and the height (pt) of the first word containing `needle` on page 1, from pdftotext -bbox.
fn word_box(pdf: &Path, needle: &str) -> (f32, f32) {
    let html = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1", "-bbox"], pdf);
    let line = html.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in {html}"));
    let attr = |name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    (attr("xMin"), attr("yMax") - attr("yMin"))
}

#[test]
fn the_certificate_prints_values_at_xiaosi_without_the_seal_word_and_the_photo_undistorted_at_one_inch() {
    let env = Env::new();
    let plan = certified_plan(&env);
    let pdf = env.path("certificates.pdf");
    let run = env.run(&["print", "certificate", "--plan", &plan, "-o", pdf.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No 仿宋 on this machine: said before printing, on stderr, naming what to install.
    assert!(run.stderr.contains("没有安装仿宋") && run.stderr.contains("simfang.ttf"), "{}", run.stderr);
    let text = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1"], &pdf);
    assert!(text.contains("评价机构：广东省示范职业技能评价中心") && !text.contains("盖章"), "{text}");
    // A value and its label are both 小四: the same height.
    let list = env.run(&["certificate", "list", "--plan", &plan, "--json"]).json();
    let (_, value) = word_box(&pdf, list[0]["id_number"].as_str().unwrap());
    let (_, label) = word_box(&pdf, "证件号码：");
    assert!((value / label - 1.0).abs() < 0.15, "value {value} pt high, label {label} pt");
    // pdfimages: each photo drawn at the same resolution across and down (not stretched), and the sample photo
    // (295 × 413 px, 1 inch at 300 dpi) at 25 × 35 mm comes out at 300 ppi.
    let images = Command::new("pdfimages").args(["-list", "-f", "1", "-l", "1"]).arg(&pdf).output().unwrap();
    let images = String::from_utf8_lossy(&images.stdout);
    let row = images.lines().find(|l| l.contains(" image ")).unwrap_or_else(|| panic!("{images}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    let (width, height, x_ppi, y_ppi): (f32, f32, f32, f32) =
        (cols[3].parse().unwrap(), cols[4].parse().unwrap(), cols[12].parse().unwrap(), cols[13].parse().unwrap());
    assert_eq!((width, height), (295.0, 413.0), "{images}");
    assert!((x_ppi - y_ppi).abs() <= 1.0 && (x_ppi - 300.0).abs() <= 2.0, "{images}");
}

#[test]
fn the_calibration_page_shows_where_the_overlay_prints_with_the_offsets_set() {
    let env = Env::new();
    let pdf = env.path("calibration.pdf");
    let args = ["calibration", "-o", pdf.to_str().unwrap()];
    assert_eq!(env.run(&args).code, 0);
    let text = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1"], &pdf);
    assert!(text.contains("套打校准页") && text.contains("当前偏移：水平 0 毫米"), "{text}");
    let before = x_of(&pdf, "姓名起点");
    assert!(text.contains("证书编号起点（12 磅）") && text.contains("二维码"), "every field of the template: {text}");
    assert_eq!(env.run(&["settings", "set", "print.offset_x_mm", "-2.5"]).code, 0);
    assert_eq!(env.run(&args).code, 0);
    assert!(skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1"], &pdf).contains("水平 -2.5 毫米"));
    let after = x_of(&pdf, "姓名起点");
    assert!((before - after - 2.5 * 72.0 / 25.4).abs() < 0.5, "moved {} pt", after - before);
    // The agency's own template: its fields, where it puts them.
    assert_eq!(env.run(&["settings", "set", "certificate.overlay", "证书编号 30 200 10.5"]).code, 0);
    assert_eq!(env.run(&args).code, 0);
    let text = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1"], &pdf);
    assert!(text.contains("证书编号起点（10.5 磅）") && !text.contains("姓名起点"), "{text}");
    assert!((x_of(&pdf, "证书编号起点") * 25.4 / 72.0 - (30.0 - 2.5 + 7.0)).abs() < 0.3);
}

#[test]
fn the_application_form_shows_schooling_work_start_and_title() {
    let env = Env::new();
    let plan = add_plan(&env.db, "电工", "三级/高级工", &[]);
    let id = "11010519491231002X";
    let run = env.run(&[
        "candidate",
        "add",
        "--name",
        "张三",
        "--id-number",
        id,
        "--phone",
        "13812345678",
        "--school",
        "广东省技师学院",
        "--major",
        "电气自动化设备安装与维修",
        "--graduated",
        "2015年7月",
        "--work-started",
        "2015-08",
        "--title",
        "助理工程师",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let photo = env.path("photo.jpg");
    std::fs::write(&photo, skillcert_fixtures::photo_jpeg(3)).unwrap();
    assert_eq!(env.run(&["photo", "set", "--id-number", id, photo.to_str().unwrap()]).code, 0);
    assert_eq!(env.run(&["apply", "--plan", &plan, "--id-number", id]).code, 0);
    assert_eq!(env.run(&["review", "approve", "--plan", &plan, "--all-pending"]).code, 0);
    let pdf = env.path("form.pdf");
    let run = env.run(&["print", "application", "--plan", &plan, "--id-number", id, "-o", pdf.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1"], &pdf);
    for field in
        ["毕业院校", "广东省技师学院", "所学专业", "毕业时间", "2015-07", "参加工作", "2015-08", "职称", "助理工程师"]
    {
        assert!(text.contains(field), "the form lacks {field}:\n{text}");
    }
    // A month or a day in the future is refused naming the field.
    let run = env.run(&[
        "candidate",
        "add",
        "--name",
        "李四",
        "--id-number",
        "110105198001010016",
        "--phone",
        "13800000001",
        "--work-started",
        "2099-01",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("参加工作时间") && run.stderr.contains("晚于今天"), "{}", run.stderr);
}

#[test]
fn the_application_form_carries_the_profile_and_is_refused_before_approval() {
    let env = Env::new();
    let plan = env.arranged();
    let pdf = env.path("form.pdf");
    let id = "11010519491231002X";
    let run = env.run(&["print", "application", "--plan", &plan, "--id-number", id, "-o", pdf.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = skillcert_tests::poppler("pdftotext", &["-f", "1", "-l", "1"], &pdf);
    for field in [
        "职业技能等级认定个人申请表",
        "张三",
        "1949-12-31",
        "居民身份证",
        id,
        "大学专科",
        "13812345678",
        "示范机电",
        "现有证书",
        "电工",
        "低压电工",
        "四级/中级工",
        "理论知识",
        "操作技能",
        "申请人签名",
        "评价机构审核意见",
    ] {
        assert!(text.contains(field), "the form lacks {field}:\n{text}");
    }
    // Before approval there is no form to print.
    let other = add_plan(&env.db, "焊工", "五级", &[]);
    assert_eq!(env.run(&["apply", "--plan", &other, "--id-number", id]).code, 0);
    let run = env.run(&["print", "application", "--plan", &other, "-o", pdf.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("没有可打印个人申请表"), "{}", run.stderr);
}

#[test]
fn certificates_prefer_an_installed_fangsong() {
    let env = Env::new();
    let plan = certified_plan(&env);
    // Stand in for a system 仿宋 with another font file: the certificate uses it instead of the bundled serif.
    let stand_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/fonts/NotoSansSC-Regular.otf");
    let pdf = env.path("fangsong.pdf");
    print_certificates_with_font(&env, &plan, &pdf, &stand_in);
    let fonts = skillcert_tests::poppler("pdffonts", &[], &pdf);
    assert!(!fonts.contains("NotoSerifSC") && fonts.contains("NotoSansSC"), "{fonts}");
    // A file that is not a usable font is ignored: the bundled serif is used.
    let junk = env.path("junk.ttf");
    std::fs::write(&junk, b"not a font").unwrap();
    print_certificates_with_font(&env, &plan, &pdf, &junk);
    assert!(skillcert_tests::poppler("pdffonts", &[], &pdf).contains("NotoSerifSC"));
}

#[test]
fn room_documents_print_every_room_and_session_with_photos_names_and_numbers() {
    let env = Env::new();
    let plan = env.arranged();
    let print = |kind: &str| -> (std::path::PathBuf, serde_json::Value) {
        let pdf = env.path(&format!("{kind}.pdf"));
        let run = env.run(&["print", kind, "--plan", &plan, "-o", pdf.to_str().unwrap(), "--json"]);
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
        (pdf, run.json())
    };
    let text = |pdf: &Path, page: u32| {
        skillcert_tests::poppler("pdftotext", &["-f", &page.to_string(), "-l", &page.to_string(), "-layout"], pdf)
    };
    // 座次表: one page per session (理论知识, 操作技能) of the one room, six seats with names, numbers, photos.
    let (chart, outcome) = print("seating");
    assert_eq!((outcome["pages"].as_u64(), outcome["documents"].as_u64()), (Some(2), Some(6)));
    let first = text(&chart, 1);
    for field in ["座次表", "广东省示范职业技能评价中心", "第01考场", "理论知识", "2026年12月28日 09:00", "讲", "01号"]
    {
        assert!(first.contains(field), "the 座次表 lacks {field}:\n{first}");
    }
    for (name, ticket) in [("张三", "1552650001"), ("李四", "1552650002"), ("欧阳娜娜", "")] {
        assert!(first.contains(name) && first.contains(ticket), "{name} {ticket}:\n{first}");
    }
    assert!(first.contains("无照片"), "欧阳娜娜 has no photo: an empty box says so\n{first}");
    assert_eq!(first.matches("签名").count(), 6, "a signature box per seat:\n{first}");
    assert!(text(&chart, 2).contains("操作技能"), "the second page is the afternoon's session");
    let images = skillcert_tests::poppler("pdfimages", &["-list"], &chart);
    assert_eq!(images.lines().filter(|l| l.contains("jpeg")).count(), 10, "five photos on each page:\n{images}");
    let fonts = skillcert_tests::poppler("pdffonts", &[], &chart);
    assert!(fonts.lines().any(|l| l.contains("NotoSansSC") && l.contains("yes yes yes")), "{fonts}");

    // 门贴: the room, both sessions, the seats and the numbers from–to.
    let (door, outcome) = print("door");
    assert_eq!(outcome["pages"], 1);
    let sign = text(&door, 1);
    for field in
        ["第01考场", "电工（低压电工） 四级/中级工", "理论知识", "操作技能", "13:30", "座位号 01–06（共 6 人）"]
    {
        assert!(sign.contains(field), "the 门贴 lacks {field}:\n{sign}");
    }
    assert!(sign.contains("准考证号 1552650001 – 1552650006"), "{sign}");

    // 桌贴: six labels on one page, each with its seat, number and name.
    let (desk, outcome) = print("desk");
    assert_eq!(outcome["pages"], 1);
    let labels = text(&desk, 1);
    assert_eq!(labels.matches("第01考场").count(), 6, "{labels}");
    assert!(labels.contains("06号") && labels.contains("1552650006"), "{labels}");

    // 签到表 and 考场记录表: per session, with who is expected.
    let (sign_in, outcome) = print("sign-in");
    assert_eq!(outcome["pages"], 2);
    let sheet = text(&sign_in, 1);
    for field in ["考生签到表", "考生签名", "11010519491231002X", "应到 6 人"] {
        assert!(sheet.contains(field), "the 签到表 lacks {field}:\n{sheet}");
    }
    let (record, outcome) = print("room-record");
    assert_eq!(outcome["pages"], 2);
    let form = text(&record, 2);
    for field in ["考场记录表", "操作技能", "应到人数", "6 人", "缺考考生", "违纪情况", "监考员签名", "督导员签名"]
    {
        assert!(form.contains(field), "the 考场记录表 lacks {field}:\n{form}");
    }

    // 组织册: every place (the 考点 and the room, each subject) with its time, seats, people and staff — none yet.
    let (book, outcome) = print("org-book");
    assert_eq!(outcome["pages"], 1);
    let places = text(&book, 1);
    for field in ["考务组织册", "考场 1 个", "考生 6 人", "考点", "第01考场", "01–06", "6 人", "（未指派）"]
    {
        assert!(places.contains(field), "the 组织册 lacks {field}:\n{places}");
    }
    assert_eq!(places.matches("（未指派）").count(), 4, "2 places × 2 subjects:\n{places}");

    // Room documents are for the whole plan; a plan not arranged has none.
    let pdf = env.path("one.pdf");
    let run =
        env.run(&["print", "desk", "--plan", &plan, "--id-number", "110105198001010016", "-o", pdf.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("按考场打印整个计划"), "{}", run.stderr);
    let other = add_plan(&env.db, "焊工", "五级/初级工", &[]);
    let run = env.run(&["print", "seating", "--plan", &other, "-o", pdf.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("还没有编排考试"), "{}", run.stderr);
    assert!(!pdf.exists(), "nothing is written for a refused print");
}

#[test]
fn an_arrangement_into_a_sites_rooms_holds_each_rooms_own_seats_and_prints_their_names() {
    let env = Env::new();
    let plan = env.arranged();
    let site = env.run(&["venue", "site", "--name", "第一考点", "--address", "深圳市福田区测试路 1 号"]);
    assert_eq!(site.code, 0, "{}", site.stderr);
    for (name, kind, seats) in
        [("301", "笔试", "3"), ("机房一", "机考", "2"), ("电工技能实训中心东区二楼", "笔试", "4")]
    {
        let run =
            env.run(&["venue", "room", "--site", "第一考点", "--name", name, "--kind", kind, "--capacity", seats]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let arrange = |site: &str, rooms: &[&str]| {
        let mut args = vec!["arrange", "--plan", &plan, "--site", site, "--json"];
        args.extend(["--theory", "2026-12-28 09:00-10:30", "--practical", "2026-12-28 13:30-16:00"]);
        for room in rooms {
            args.extend(["--room", room]);
        }
        env.run(&args)
    };
    // Refused, naming what is wrong and what there is: an unknown 考点, an unknown room, too few seats.
    let run = arrange("第九考点", &[]);
    assert!(run.code == 1 && run.stderr.contains("已有的考点：第一考点"), "{}", run.stderr);
    let run = arrange("第一考点", &["301", "302"]);
    assert!(run.code == 1 && run.stderr.contains("没有考场 302；它的考场有：301、机房一"), "{}", run.stderr);
    let run = arrange("第一考点", &["301", "机房一"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("需要 6 个座位，所选考场共 5 个（301 3 座、机房一 2 座）"), "{}", run.stderr);

    // The rooms named, in that order, each filled to its own capacity.
    let run = arrange("第一考点", &["机房一", "301", "电工技能实训中心东区二楼"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome = run.json();
    assert_eq!(outcome["arrangement"]["venue"], "第一考点 深圳市福田区测试路 1 号");
    let places: Vec<(String, u64)> = outcome["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["room_label"].as_str().unwrap().to_string(), s["seat"].as_u64().unwrap()))
        .collect();
    let want = [("机房一", 1), ("机房一", 2), ("301", 1), ("301", 2), ("301", 3), ("电工技能实训中心东区二楼", 1)];
    assert_eq!(places, want.map(|(r, s)| (r.to_string(), s)));
    // Every seat moved from 第01考场 is audited with the room's name.
    assert_eq!(outcome["moved"], 6);
    let first =
        env.run(&["audit", "list", "--id-number", outcome["seats"][0]["id_number"].as_str().unwrap(), "--json"]);
    let last = first.json().as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["from_value"].as_str(), last["to_value"].as_str()), (Some("第01考场 01号"), Some("机房一 01号")));

    // The documents name the rooms: the door sign of the long name stays on the page, the ticket says 301.
    let door = env.path("door.pdf");
    let run = env.run(&["print", "door", "--plan", &plan, "-o", door.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let signs = skillcert_tests::poppler("pdftotext", &[], &door);
    for room in ["机房一", "301", "电工技能实训中心东区二楼"] {
        assert!(signs.contains(room), "no door sign for {room}:\n{signs}");
    }
    let bbox = skillcert_tests::poppler("pdftotext", &["-f", "3", "-l", "3", "-bbox"], &door);
    let right = bbox
        .lines()
        .filter(|l| l.contains("电工技能实训中心东区二楼"))
        .filter_map(|l| l.split("xMax=\"").nth(1)?.split('"').next()?.parse::<f32>().ok())
        .fold(0.0_f32, f32::max);
    assert!(right > 0.0 && right < 595.0 - 40.0, "the long room name ends at {right} pt, past the margin:\n{bbox}");
    let tickets = env.path("tickets.pdf");
    // Someone in 301 with a photo (欧阳娜娜 has none).
    let in_301 =
        outcome["seats"].as_array().unwrap().iter().find(|s| s["room_label"] == "301" && s["name"] != "欧阳娜娜");
    let id = in_301.unwrap()["id_number"].as_str().unwrap();
    let run = env.run(&["print", "ticket", "--plan", &plan, "--id-number", id, "-o", tickets.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ticket = skillcert_tests::poppler("pdftotext", &["-layout"], &tickets);
    assert!(ticket.contains("301") && ticket.contains("第一考点"), "{ticket}");
}

#[test]
fn a_practical_room_with_fewer_workstations_works_in_groups_the_chart_and_ticket_name() {
    let env = Env::new();
    let plan = env.arranged();
    assert_eq!(env.run(&["venue", "site", "--name", "实训基地", "--address", "深圳市南山区学府路 8 号"]).code, 0);
    let room = ["venue", "room", "--site", "实训基地", "--name", "电工实训室", "--kind", "实操", "--capacity", "6"];
    assert_eq!(env.run(&[&room[..], &["--workstations", "3"]].concat()).code, 0);
    let run = env.run(&[
        "arrange",
        "--plan",
        &plan,
        "--site",
        "实训基地",
        "--theory",
        "2026-12-28 09:00-10:30",
        "--practical",
        "2026-12-28 13:30-16:00",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let chart = env.path("chart.pdf");
    assert_eq!(env.run(&["print", "seating", "--plan", &plan, "-o", chart.to_str().unwrap()]).code, 0);
    let page = |n: &str| skillcert_tests::poppler("pdftotext", &["-f", n, "-l", n, "-layout"], &chart);
    let (theory, practical) = (page("1"), page("2"));
    assert!(theory.contains("理论知识") && !theory.contains("组 工位"), "no turns in the theory session:\n{theory}");
    for turn in ["第1组 工位01", "第1组 工位03", "第2组 工位01", "第2组 工位03"] {
        assert!(practical.contains(turn), "{turn}:\n{practical}");
    }
    // Seat 4 (someone with a photo) is the first of the second group, on their ticket too.
    let seats = run.json()["seats"].as_array().unwrap().clone();
    let fourth = seats.iter().find(|s| s["seat"] == 4 && s["name"] != "欧阳娜娜").expect("seat 4 has a photo");
    let ticket = env.path("ticket.pdf");
    let id = fourth["id_number"].as_str().unwrap();
    let printed = env.run(&["print", "ticket", "--plan", &plan, "--id-number", id, "-o", ticket.to_str().unwrap()]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let text = skillcert_tests::poppler("pdftotext", &["-layout"], &ticket);
    assert!(text.contains("第2组 工位01") && text.contains("电工实训室"), "{text}");
}

#[test]
fn a_part_sat_in_rooms_of_its_own_seats_its_candidates_there_and_every_document_follows() {
    let env = Env::new();
    let plan = env.arranged();
    assert_eq!(env.run(&["venue", "site", "--name", "实训基地", "--address", "深圳市南山区学府路 8 号"]).code, 0);
    let rooms = [
        ("301", "笔试", "4", None),
        ("机房一", "机考", "3", None),
        ("电工实训室", "实操", "6", Some("3")),
        ("小实训室", "实操", "5", Some("5")),
    ];
    for (name, kind, seats, stations) in rooms {
        let mut room = vec!["venue", "room", "--site", "实训基地", "--name", name, "--kind", kind, "--capacity", seats];
        if let Some(stations) = stations {
            room.extend(["--workstations", stations]);
        }
        let run = env.run(&room);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let arrange = |site: Option<&str>, practical: &[&str]| {
        let mut args = vec!["arrange", "--plan", &plan, "--json"];
        args.extend(["--theory", "2026-12-28 09:00-10:30", "--practical", "2026-12-28 13:30-16:00"]);
        match site {
            Some(site) => args.extend(["--site", site, "--room", "301", "--room", "机房一"]),
            None => args.extend(["--venue", "第一教学楼", "--rooms", "1", "--seats-per-room", "30"]),
        }
        for room in practical {
            args.extend(["--practical-room", room]);
        }
        env.run(&args)
    };
    // Refused, nothing changed: a part's own rooms without a 考点, and too few seats for those who sit it.
    let run = arrange(None, &["电工实训室"]);
    assert!(run.code == 1 && run.stderr.contains("只有选定考点时才能为一科另选考场"), "{}", run.stderr);
    let run = arrange(Some("实训基地"), &["小实训室"]);
    assert!(
        run.code == 1
            && run.stderr.contains("操作技能考场座位不足：6 人参加操作技能，所选考场共 5 个（小实训室 5 座）"),
        "{}",
        run.stderr
    );
    let run = arrange(Some("实训基地"), &["实训室九"]);
    assert!(run.code == 1 && run.stderr.contains("没有考场 实训室九"), "{}", run.stderr);

    // The theory in 301 and 机房一, the practical in 电工实训室 in two groups of three.
    let run = arrange(Some("实训基地"), &["电工实训室"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome = run.json();
    assert_eq!(outcome["arrangement"]["own_rooms"][0]["part"], "practical");
    let seats = outcome["seats"].as_array().unwrap().clone();
    let places: Vec<&str> = seats.iter().map(|s| s["places"].as_str().unwrap()).collect();
    assert_eq!(
        places,
        [
            "301 01号；操作技能 电工实训室 01号",
            "301 02号；操作技能 电工实训室 02号",
            "301 03号；操作技能 电工实训室 03号",
            "301 04号；操作技能 电工实训室 04号",
            "机房一 01号；操作技能 电工实训室 05号",
            "机房一 02号；操作技能 电工实训室 06号",
        ]
    );

    // 座次表: 301 and 机房一 for the 理论知识 only, 电工实训室 for the 操作技能 only, with the groups.
    let chart = env.path("chart.pdf");
    assert_eq!(env.run(&["print", "seating", "--plan", &plan, "-o", chart.to_str().unwrap()]).code, 0);
    let page = |pdf: &Path, n: &str| skillcert_tests::poppler("pdftotext", &["-f", n, "-l", n, "-layout"], pdf);
    let (first, second, third) = (page(&chart, "1"), page(&chart, "2"), page(&chart, "3"));
    assert!(first.contains("考场：301") && first.contains("理论知识") && !first.contains("操作技能"), "{first}");
    assert!(second.contains("考场：机房一") && second.contains("理论知识"), "{second}");
    assert!(third.contains("考场：电工实训室") && third.contains("操作技能") && !third.contains("理论知识"), "{third}");
    assert!(third.contains("第2组 工位03"), "{third}");
    assert_eq!(
        skillcert_tests::poppler("pdfinfo", &[], &chart)
            .lines()
            .find(|l| l.starts_with("Pages:"))
            .unwrap()
            .split_whitespace()
            .last(),
        Some("3")
    );
    // 门贴: each room with what is sat there, when, and its own seats.
    let door = env.path("door.pdf");
    assert_eq!(env.run(&["print", "door", "--plan", &plan, "-o", door.to_str().unwrap()]).code, 0);
    let practical_sign = page(&door, "3");
    assert!(practical_sign.contains("电工实训室") && practical_sign.contains("操作技能"), "{practical_sign}");
    assert!(
        practical_sign.contains("座位号 01–06（共 6 人）") && !practical_sign.contains("理论知识"),
        "{practical_sign}"
    );
    assert!(page(&door, "1").contains("座位号 01–04（共 4 人）"));

    // The ticket: each session with its room and seat; the one in 机房一 02号 works at 电工实训室's group 2, station 3.
    let last = &seats[5];
    let ticket = env.path("ticket.pdf");
    let id = last["id_number"].as_str().unwrap();
    let printed = env.run(&["print", "ticket", "--plan", &plan, "--id-number", id, "-o", ticket.to_str().unwrap()]);
    if last["name"] != "欧阳娜娜" {
        assert_eq!(printed.code, 0, "{}", printed.stderr);
        let text = skillcert_tests::poppler("pdftotext", &["-layout"], &ticket);
        assert!(text.contains("机房一 02号") && text.contains("电工实训室 06号 第2组 工位03"), "{text}");
    }

    // Moving the practical to other rooms is audited with both places, as the ticket prints them.
    let run = arrange(Some("实训基地"), &["小实训室", "电工实训室"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["moved"], 6);
    let audit = env.run(&["audit", "list", "--id-number", seats[0]["id_number"].as_str().unwrap(), "--json"]).json();
    let moved = audit.as_array().unwrap().iter().rev().find(|e| e["action"] == "重新编排座位").unwrap().clone();
    assert_eq!(
        (moved["from_value"].as_str(), moved["to_value"].as_str()),
        (Some("301 01号；操作技能 电工实训室 01号"), Some("301 01号；操作技能 小实训室 01号"))
    );

    // Staff are assigned per room of each part: the theory's two rooms, the practical's two.
    let staffing = env.run(&["venue", "staffing", "--plan", &plan, "--json"]);
    assert_eq!(staffing.code, 0, "{}", staffing.stderr);
    let labels: Vec<String> = staffing.json()["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap().to_string())
        .collect();
    for want in ["301 理论知识", "机房一 理论知识", "小实训室 操作技能", "电工实训室 操作技能", "考点 操作技能"]
    {
        assert!(labels.iter().any(|l| l == want), "{want} in {labels:?}");
    }
    assert!(!labels.iter().any(|l| l == "301 操作技能"), "{labels:?}");
}
