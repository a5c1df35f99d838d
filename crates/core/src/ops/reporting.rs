//! 上报: a plan's results and certificate data for the provincial 职业技能等级认定监管系统. The rows are gathered once
//! ([`report_rows`]); each province's file format is one [`ReportLayout`] — a generic .xlsx and an upload CSV ship —
//! so another format is one more implementation and one more [`ReportFormat`].

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::score::Mark;
use crate::domain::status::ApplicationStatus;
use crate::error::{Error, Result};
use crate::spreadsheet::write_failed;
use crate::store::certificates::CertificateState;
use crate::store::{Store, applications, arrangements, candidates, certificates, plans, scores};

/// What is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 成绩上报: every published result, 合格 or 不合格.
    Results,
    /// 证书数据上报: every valid certificate.
    Certificates,
}

/// One candidate as the provincial systems take them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub sex: String,
    pub birth_date: String,
    pub education: String,
    pub ticket_number: String,
    pub occupation: String,
    pub occupation_code: String,
    pub job: String,
    pub level: String,
    pub theory: String,
    pub practical: String,
    pub review: String,
    /// 合格 / 不合格.
    pub result: String,
    pub certificate_number: String,
    pub issued_on: String,
}

/// The columns every layout writes, in order, with their titles.
pub const FIELDS: [&str; 17] = [
    "姓名",
    "证件类型",
    "证件号码",
    "性别",
    "出生日期",
    "文化程度",
    "准考证号",
    "职业",
    "职业编码",
    "工种/职业方向",
    "等级",
    "理论知识成绩",
    "操作技能成绩",
    "综合评审成绩",
    "考核结果",
    "证书编号",
    "发证日期",
];

impl ReportRow {
    fn values(&self) -> [&str; 17] {
        [
            &self.name,
            &self.id_type,
            &self.id_number,
            &self.sex,
            &self.birth_date,
            &self.education,
            &self.ticket_number,
            &self.occupation,
            &self.occupation_code,
            &self.job,
            &self.level,
            &self.theory,
            &self.practical,
            &self.review,
            &self.result,
            &self.certificate_number,
            &self.issued_on,
        ]
    }
}

/// A province's file format for the rows.
pub trait ReportLayout {
    /// What the operator picks: "通用 Excel（.xlsx）".
    fn label(&self) -> &'static str;
    fn extension(&self) -> &'static str;
    fn write(&self, sheet_title: &str, rows: &[ReportRow], path: &Path) -> Result<()>;
}

/// The generic workbook: one sheet, a header row, every value a text cell (证件号码 and 证书编号 stay as written).
pub struct GenericXlsx;

impl ReportLayout for GenericXlsx {
    fn label(&self) -> &'static str {
        "通用 Excel（.xlsx）"
    }

    fn extension(&self) -> &'static str {
        "xlsx"
    }

    fn write(&self, sheet_title: &str, rows: &[ReportRow], path: &Path) -> Result<()> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory().map_err(write_failed)?;
        sheet.set_name(sheet_title).map_err(write_failed)?;
        let header = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border(FormatBorder::Thin);
        let text = Format::new().set_num_format("@");
        for (i, title) in FIELDS.iter().enumerate() {
            let width = match *title {
                "证件号码" | "证书编号" => 24.0,
                "职业" | "工种/职业方向" | "等级" => 14.0,
                _ => 11.0,
            };
            sheet.set_column_format(i as u16, &text).map_err(write_failed)?;
            sheet.set_column_width(i as u16, width).map_err(write_failed)?;
            sheet.write_string_with_format(0, i as u16, *title, &header).map_err(write_failed)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.values().iter().enumerate() {
                if !value.is_empty() {
                    sheet.write_string(r as u32 + 1, c as u16, *value).map_err(write_failed)?;
                }
            }
        }
        workbook.save(path).map_err(write_failed)
    }
}

/// The upload CSV many provincial systems take: UTF-8 with a byte-order mark, commas, every field quoted.
pub struct UploadCsv;

impl ReportLayout for UploadCsv {
    fn label(&self) -> &'static str {
        "上传用 CSV（UTF-8）"
    }

    fn extension(&self) -> &'static str {
        "csv"
    }

    fn write(&self, _sheet_title: &str, rows: &[ReportRow], path: &Path) -> Result<()> {
        let quoted = |v: &str| format!("\"{}\"", v.replace('"', "\"\""));
        let mut text = String::from("\u{FEFF}");
        text.push_str(&FIELDS.iter().map(|f| quoted(f)).collect::<Vec<_>>().join(","));
        text.push_str("\r\n");
        for row in rows {
            text.push_str(&row.values().iter().map(|v| quoted(v)).collect::<Vec<_>>().join(","));
            text.push_str("\r\n");
        }
        let partial = path.with_extension("csv.part");
        std::fs::File::create(&partial)?.write_all(text.as_bytes())?;
        std::fs::rename(&partial, path)?;
        Ok(())
    }
}

/// The layouts SkillCert ships; a province's own format is one more arm and one more [`ReportLayout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Xlsx,
    Csv,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 2] = [ReportFormat::Xlsx, ReportFormat::Csv];

    pub fn layout(self) -> &'static dyn ReportLayout {
        match self {
            ReportFormat::Xlsx => &GenericXlsx,
            ReportFormat::Csv => &UploadCsv,
        }
    }

    /// The layout a file name asks for (.xlsx or .csv).
    pub fn for_path(path: &Path) -> Result<ReportFormat> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        ReportFormat::ALL.into_iter().find(|f| f.layout().extension() == extension).ok_or_else(|| {
            let known: Vec<String> = ReportFormat::ALL.iter().map(|f| format!(".{}", f.layout().extension())).collect();
            Error::invalid("文件名", format!("上报文件应以 {} 结尾", known.join(" 或 ")))
        })
    }
}

/// A plan's rows to report: every published result, or every valid certificate, in 准考证号 order.
pub fn report_rows(store: &Store, plan_id: i64, kind: ReportKind) -> Result<Vec<ReportRow>> {
    let conn = store.conn();
    let plan = plans::get(conn, plan_id)?;
    let tickets: HashMap<i64, String> =
        arrangements::seats_for_plan(conn, plan_id)?.into_iter().map(|s| (s.application_id, s.ticket_number)).collect();
    let issued: HashMap<i64, certificates::Certificate> = certificates::list(conn, Some(plan_id), None)?
        .into_iter()
        .filter(|c| c.state == CertificateState::Valid)
        .map(|c| (c.application_id, c))
        .collect();
    let all_marks = scores::for_plan(conn, plan_id)?;
    let mut rows = Vec::new();
    for app in applications::list_for_plan(conn, plan_id, Some(ApplicationStatus::ScoresPublished))? {
        let certificate = issued.get(&app.id);
        if kind == ReportKind::Certificates && certificate.is_none() {
            continue;
        }
        let profile = candidates::get(conn, app.candidate_id)?.profile;
        let marks = all_marks.get(&app.id).copied().unwrap_or_default();
        let mark = |m: Option<Mark>| m.map(|m| m.label()).unwrap_or_default();
        rows.push(ReportRow {
            name: app.name,
            id_type: app.id_type.label().into(),
            id_number: app.id_number,
            sex: profile.sex.map(|s| s.label().to_string()).unwrap_or_default(),
            birth_date: profile.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            education: profile.education.unwrap_or_default(),
            ticket_number: tickets.get(&app.id).cloned().unwrap_or_default(),
            occupation: plan.occupation.clone(),
            occupation_code: plan.occupation_code.clone().unwrap_or_default(),
            job: plan.job.clone().unwrap_or_default(),
            level: plan.level.label().into(),
            theory: mark(marks.theory),
            practical: mark(marks.practical),
            review: mark(marks.review),
            result: if marks.passed(plan.level) == Some(true) { "合格" } else { "不合格" }.into(),
            certificate_number: certificate.map(|c| c.number.clone()).unwrap_or_default(),
            issued_on: certificate.map(|c| c.issued_on.to_string()).unwrap_or_default(),
        });
    }
    rows.sort_by(|a, b| a.ticket_number.cmp(&b.ticket_number));
    if rows.is_empty() {
        return Err(Error::refused(match kind {
            ReportKind::Results => "本计划还没有发布的成绩，没有可上报的数据",
            ReportKind::Certificates => "本计划还没有有效的证书，没有可上报的证书数据",
        }));
    }
    Ok(rows)
}

/// Writes the plan's report in the layout the file name asks for; returns how many rows.
pub fn export_report(store: &Store, plan_id: i64, kind: ReportKind, path: &Path) -> Result<usize> {
    let layout = ReportFormat::for_path(path)?.layout();
    let rows = report_rows(store, plan_id, kind)?;
    let title = match kind {
        ReportKind::Results => "成绩上报",
        ReportKind::Certificates => "证书数据上报",
    };
    layout.write(title, &rows, path)?;
    Ok(rows.len())
}
