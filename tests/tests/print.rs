//! Printed admission tickets, checked as a reader would: pages, text extracted with pdftotext, fonts embedded as
//! subsets (pdffonts), refusals that name every candidate before anything is written.

use std::path::{Path, PathBuf};
use std::process::Command;

use skillcert_fixtures::samples;
use skillcert_tests::{Run, add_plan, skillcert};

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("agency.db");
        assert_eq!(skillcert(&db, &["init"]).code, 0);
        Env { dir, db }
    }

    fn run(&self, args: &[&str]) -> Run {
        skillcert(&self.db, args)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The 6 sample candidates approved and arranged; photos for all but 欧阳娜娜.
    fn arranged(&self) -> String {
        let plan = add_plan(&self.db, "电工", "四级/中级工", &["--job", "低压电工", "--code", "155265"]);
        let roster = self.path("roster.xlsx");
        samples::title_and_aliases(&roster).unwrap();
        assert_eq!(self.run(&["import", "candidates", roster.to_str().unwrap()]).code, 0);
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

/// Runs a poppler tool on the PDF (pdftotext writes to stdout with "-").
fn tool(program: &str, args: &[&str], pdf: &Path) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args).arg(pdf);
    if program == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("{program} (poppler-utils): {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
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

    let info = tool("pdfinfo", &[], &pdf);
    assert!(info.contains("Pages:           2"), "{info}");
    let fonts = tool("pdffonts", &[], &pdf);
    let noto = fonts.lines().find(|l| l.contains("NotoSansSC")).unwrap_or_else(|| panic!("{fonts}"));
    assert!(noto.contains("yes yes yes"), "embedded, subset, with a unicode map: {noto}");
    // A subset is small: a full Noto Sans SC would be over 8 MB.
    assert!(std::fs::metadata(&pdf).unwrap().len() < 400_000);

    let text = tool("pdftotext", &["-f", "1", "-l", "1", "-layout"], &pdf);
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
    let second = tool("pdftotext", &["-f", "2", "-l", "2"], &pdf);
    assert!(second.contains("李四") && second.contains("1552650002"), "{second}");
}
