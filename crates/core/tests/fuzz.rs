//! Bad input at every door, property-tested: whatever bytes or text arrive — a damaged roster or score sheet, an ID
//! typed any way, any profile text, a broken photo — SkillCert answers with a result or a clear error, never a panic.
//!
//! A bounded run is part of `cargo xtask test` (proptest's cases, 48 per file door and 256 per text door by default).
//! A longer run: `PROPTEST_CASES=20000 cargo test --release -p skillcert-core --test fuzz`. Inputs that ever failed
//! are kept by proptest in `tests/fuzz.proptest-regressions` and replayed first on every run; inputs that aborted
//! the process (asking for terabytes, which proptest cannot record) are kept as files in `tests/fuzz-inputs/`.

use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use proptest::prelude::*;
use skillcert_core::Store;
use skillcert_core::domain::candidate::CandidateDraft;
use skillcert_core::domain::id_number::{IdType, validate};
use skillcert_core::domain::photo;
use skillcert_core::domain::plan::PlanDraft;
use skillcert_core::import::{ImportOptions, import_candidates};
use skillcert_core::ops::Session;
use skillcert_core::ops::plans::create_plan;
use skillcert_core::ops::scores::import_scores;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// Cases for the doors that write and read a file each time; `PROPTEST_CASES` raises both kinds.
fn file_cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48)
}

/// A small .xlsx of text cells, as an agency's roster or score sheet looks.
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

const ROSTER: &[&[&str]] = &[
    &["考生报名汇总表"],
    &["姓名", "证件号码", "手机号码", "出生日期", "文化程度", "从事本职业年限", "原证书编号"],
    &["张三", "11010519491231002X", "13812345678", "1949.12.31", "高中", "8年", "S000044000123215000042"],
    &["李四", "110105198001010016", "13812345679", "1980年1月1日", "大专", "3", ""],
];

fn roster() -> Vec<u8> {
    xlsx(ROSTER)
}

/// The roster as web systems export it: CSV, an HTML table, XML Spreadsheet 2003.
fn web_roster(kind: &str) -> Vec<u8> {
    let cells = |open: &str, close: &str| -> String {
        ROSTER
            .iter()
            .map(|row| row.iter().map(|v| format!("{open}{v}{close}")).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    };
    match kind {
        "csv" => ROSTER.iter().map(|row| row.join(",")).collect::<Vec<_>>().join("\r\n").into_bytes(),
        "html" => format!(
            "<html><head><meta charset=utf-8><style>td{{mso-number-format:\"\\@\"}}</style></head><body><table>{}</table></body></html>",
            cells("<td rowspan=1 colspan=1>&nbsp;", "</td>").replace('\n', "</tr><tr>")
        )
        .into_bytes(),
        _ => format!(
            "<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" \
             xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet ss:Name=\"a\"><Table><Row>{}</Row></Table></Worksheet></Workbook>",
            cells("<Cell><Data ss:Type=\"String\">", "</Data></Cell>").replace('\n', "</Row><Row>")
        )
        .into_bytes(),
    }
}

fn score_sheet() -> Vec<u8> {
    xlsx(&[
        &["证件号码", "姓名", "理论知识", "操作技能"],
        &["11010519491231002X", "张三", "85", "缺考"],
        &["110105198001010016", "李四", "59.5", "90"],
    ])
}

/// The committed real-world samples (old .xls, LibreOffice .ods) as further seeds.
fn sample(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/samples").join(name)).unwrap()
}

fn jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(60, 80, |x, y| image::Rgb([(x * 4) as u8, (y * 3) as u8, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80))
        .unwrap();
    out
}

fn png() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(60, 80, |x, y| image::Rgb([(x * 4) as u8, 100, (y * 3) as u8]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Damage as files meet it: bytes overwritten, a run of bytes cut out, or the end lost.
#[derive(Debug, Clone)]
enum Damage {
    Overwrite(Vec<(usize, u8)>),
    Cut { at: usize, len: usize },
    Truncate(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        4 => prop::collection::vec((any::<usize>(), any::<u8>()), 1..24).prop_map(Damage::Overwrite),
        1 => (any::<usize>(), 1usize..512).prop_map(|(at, len)| Damage::Cut { at, len }),
        1 => any::<usize>().prop_map(Damage::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, damage: &Damage) -> Vec<u8> {
    let n = bytes.len();
    match damage {
        Damage::Overwrite(changes) => {
            for (at, b) in changes {
                bytes[at % n] = *b;
            }
        }
        Damage::Cut { at, len } => {
            let at = at % n;
            bytes.drain(at..(at + len).min(n));
        }
        Damage::Truncate(at) => bytes.truncate(at % n),
    }
    bytes
}

/// A store with one plan, for imports that attach applications.
fn store_with_plan() -> (Store, Session, i64) {
    let mut store = Store::open_in_memory().unwrap();
    let session = Session::on("模糊测试", today());
    let draft = PlanDraft {
        occupation: "电工".into(),
        level: "四级".into(),
        reg_start: "2026-11-20".into(),
        reg_end: "2026-12-20".into(),
        exam_date: "2026-12-28".into(),
        ..Default::default()
    };
    let plan = create_plan(&mut store, &session, &draft).unwrap().id;
    (store, session, plan)
}

/// Text as people and other programs produce it: any Unicode, and the characters that matter here.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9Xx０-９ＸＡ-Ｚ\\- \u{3000}\u{200b}'.年月日/]{0,24}",
        "[\\p{Han}A-Za-z0-9·• ]{0,12}",
    ]
}

/// Where proptest keeps the inputs that failed, replayed first on every run (committed).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(
            "tests/fuzz.proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// The rosters that once made a reader ask for more memory than exists (the process aborted): each is now refused.
#[test]
fn inputs_that_once_aborted_the_process_are_refused() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-inputs");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let (mut store, session, plan) = store_with_plan();
        let options = ImportOptions { plan_id: Some(plan), ..ImportOptions::default() };
        let imported = import_candidates(&mut store, &session, &path, &options, &mut |_| {}, &AtomicBool::new(false));
        assert!(imported.is_err_and(|e| e.is_unusable_input()), "{}", path.display());
        seen += 1;
    }
    assert!(seen > 0, "the kept inputs are in {}", dir.display());
}

proptest! {
    #![proptest_config(config(file_cases()))]

    #[test]
    fn a_damaged_roster_is_imported_or_refused_never_a_panic(
        seed in prop_oneof![
            Just("roster.xlsx"),
            Just("roster-title-aliases.xls"),
            Just("roster-title-aliases.ods"),
            Just("roster.csv"),
            Just("roster.html"),
            Just("roster.xml"),
        ],
        damage in damage(),
    ) {
        let original = match seed {
            "roster.xlsx" => roster(),
            "roster.csv" => web_roster("csv"),
            "roster.html" => web_roster("html"),
            "roster.xml" => web_roster("xml"),
            other => sample(other),
        };
        let bytes = apply(original, &damage);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(seed);
        std::fs::write(&path, &bytes).unwrap();
        let (mut store, session, plan) = store_with_plan();
        let options = ImportOptions { plan_id: Some(plan), ..ImportOptions::default() };
        if let Ok(result) = import_candidates(&mut store, &session, &path, &options, &mut |_| {}, &AtomicBool::new(false)) {
            let s = result.summary;
            prop_assert_eq!(s.imported + s.updated + s.unchanged + s.rejected, s.read);
        }
    }

    #[test]
    fn a_damaged_score_sheet_is_imported_or_refused_never_a_panic(damage in damage()) {
        let bytes = apply(score_sheet(), &damage);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("成绩.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        let (mut store, session, plan) = store_with_plan();
        let _ = import_scores(&mut store, &session, plan, &path, false);
    }

    #[test]
    fn a_damaged_photo_is_taken_or_refused_never_a_panic(png_seed in any::<bool>(), damage in damage()) {
        let bytes = apply(if png_seed { png() } else { jpeg() }, &damage);
        if let Ok(info) = photo::inspect(&bytes) {
            let _ = photo::upright(&bytes, &info);
            let _ = photo::fix(&bytes);
        }
        let _ = photo::check_document(&bytes);
    }
}

proptest! {
    #![proptest_config(config(ProptestConfig::default().cases))]

    #[test]
    fn any_id_text_is_validated_or_refused_never_a_panic(raw in text(), kind in 0usize..IdType::ALL.len()) {
        let kind = IdType::ALL[kind];
        if let Ok(valid) = validate(kind, &raw, today())
            && kind != IdType::MilitaryOfficer
        {
            // What passes is stored as plain half-width text (officer cards alone carry Chinese characters).
            prop_assert!(valid.number.chars().all(|c| c.is_ascii_alphanumeric()), "{:?}", valid.number);
        }
    }

    #[test]
    fn any_profile_text_is_checked_or_refused_never_a_panic(
        name in text(), id in text(), phone in text(), birth in text(), education in text(),
        years in text(), level in text(), date in text(),
    ) {
        let draft = CandidateDraft {
            name,
            id_number: id,
            phone,
            birth_date: birth,
            education,
            years_in_occupation: years,
            prior_cert_level: level,
            prior_cert_date: date,
            ..CandidateDraft::default()
        };
        let _ = draft.check(today());
    }
}
