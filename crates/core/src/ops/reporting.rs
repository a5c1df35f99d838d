//! 上报: a plan's results and certificate data for the provincial 职业技能等级认定监管系统. The rows are gathered once
//! ([`report_rows`]); each province's file format is one [`ReportLayout`] — a generic .xlsx and an upload CSV ship —
//! so another format is one more implementation and one more [`ReportFormat`]. Each plan's report has a deadline in
//! working days (the holiday list is a setting) and a state the operator records: 未上报 → 已上报 → 退回 / 已通过.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Session;
use crate::domain::calendar::WorkCalendar;
use crate::domain::operator::Permission;
use crate::domain::results::{RESUBMIT_WORKING_DAYS, ReportState, report_working_days};
use crate::domain::score::Mark;
use crate::domain::status::ApplicationStatus;
use crate::error::{Error, Result};
use crate::spreadsheet::write_failed;
use crate::store::certificates::CertificateState;
use crate::store::reports::{self, ResultReport};
use crate::store::{Store, applications, arrangements, candidates, certificates, notices, plans, scores, settings};

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

/// A plan's results report: where it stands, its deadline in working days and what is due next.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportStatus {
    pub plan_id: i64,
    pub state: ReportState,
    /// As last recorded (None: 未上报).
    pub record: Option<ResultReport>,
    /// The last day to send it: the agency's working days after the exam, or after a return the days to fix it;
    /// None once it is sent.
    pub due_on: Option<NaiveDate>,
    /// Working days from today to `due_on`; negative once overdue.
    pub working_days_left: Option<i64>,
    /// The year of `due_on` when the holiday list has nothing for it (weekends alone were counted).
    pub unlisted_year: Option<i32>,
    /// What is due next, as a sentence for the 工作台.
    pub next: String,
}

/// Where the plan's results report stands, and what is due next.
pub fn report_status(store: &Store, session: &Session, plan_id: i64) -> Result<ReportStatus> {
    session.require_staff()?;
    let conn = store.conn();
    let plan = plans::get(conn, plan_id)?;
    let last_exam_day = arrangements::get(conn, plan_id)?.map_or(plan.exam_date, |a| a.last_day());
    let calendar = settings::calendar(conn)?;
    let working_days = report_working_days(settings::agency_type(conn)?);
    let record = reports::get(conn, plan_id)?;
    Ok(status_of(plan_id, record, last_exam_day, (&calendar, working_days), session.today))
}

fn status_of(
    plan_id: i64,
    record: Option<ResultReport>,
    last_exam_day: NaiveDate,
    (calendar, working_days): (&WorkCalendar, u32),
    today: NaiveDate,
) -> ReportStatus {
    let state = record.as_ref().map_or(ReportState::NotReported, |r| r.state);
    let due_on = match (&record, state) {
        (None, _) => Some(calendar.working_days_after(last_exam_day, working_days)),
        (Some(r), ReportState::Returned) => {
            r.returned_on.map(|on| calendar.working_days_after(on, RESUBMIT_WORKING_DAYS))
        }
        _ => None,
    };
    let working_days_left = due_on.map(|due| {
        if today <= due {
            calendar.working_days_between(today, due)
        } else {
            -calendar.working_days_between(due, today)
        }
    });
    let unlisted_year = due_on.map(|d| d.year()).filter(|year| !calendar.knows_year(*year));
    let left = match working_days_left {
        Some(0) => "今天截止".to_string(),
        Some(n) if n > 0 => format!("还剩 {n} 个工作日"),
        Some(n) => format!("已逾期 {} 个工作日", -n),
        None => String::new(),
    };
    let next = match (state, &record, due_on) {
        (ReportState::NotReported, _, Some(due)) if today < last_exam_day => {
            format!("考试后 {working_days} 个工作日内上报成绩（{due} 前）")
        }
        (ReportState::NotReported, _, Some(due)) => format!("{due} 前上报成绩（{left}）"),
        (ReportState::Returned, Some(r), Some(due)) => format!(
            "成绩上报被退回（{}），{due} 前改正后重新上报（{left}）",
            r.returned_reason.as_deref().unwrap_or("未注明原因")
        ),
        (ReportState::Reported, Some(r), _) => format!("成绩已于 {} 上报，等待审核", r.reported_on),
        (ReportState::Accepted, Some(r), _) => {
            format!("成绩上报已于 {} 通过", r.accepted_on.unwrap_or(r.reported_on))
        }
        _ => String::new(),
    };
    ReportStatus { plan_id, state, record, due_on, working_days_left, unlisted_year, next }
}

/// What the operator records of the report: sent on a date (again after a return), sent back with the city's reason,
/// or accepted.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ReportMark {
    pub state: ReportState,
    pub on: NaiveDate,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Records the report's new state (one audit row). Refused: a state that does not follow the current one, a report
/// before the results were published, a date ahead of today or before the one recorded last, a return without the
/// reason.
pub fn mark_report(store: &mut Store, session: &Session, plan_id: i64, mark: &ReportMark) -> Result<ReportStatus> {
    session.require(Permission::Scores)?;
    if mark.on > session.today {
        return Err(Error::invalid("日期", format!("{} 晚于今天，请填写实际上报或收到审核结果的日期", mark.on)));
    }
    let reason = match mark.state {
        ReportState::Returned => Some(super::required_reason(
            mark.reason.as_deref().unwrap_or_default(),
            "退回原因",
            "如“照片不符合要求”“考评员信息缺失”",
        )?),
        _ => None,
    };
    let now = session.now();
    store.write(|tx| {
        if notices::get(tx, plan_id)?.is_none() {
            return Err(Error::refused("本计划的成绩还没有发布公示，发布后才能上报成绩"));
        }
        if let Some(last_exam_day) = arrangements::get(tx, plan_id)?.map(|a| a.last_day())
            && mark.on < last_exam_day
        {
            return Err(Error::invalid("日期", format!("{} 早于考试日期 {last_exam_day}", mark.on)));
        }
        let before = reports::get(tx, plan_id)?;
        let from = before.as_ref().map_or(ReportState::NotReported, |r| r.state);
        if !from.may_become(mark.state) {
            return Err(Error::refused(format!("成绩上报状态为“{from}”，不能改为“{}”", mark.state)));
        }
        let last = before.as_ref().map(|r| r.returned_on.map_or(r.reported_on, |on| on.max(r.reported_on)));
        if let Some(last) = last
            && mark.on < last
        {
            return Err(Error::invalid("日期", format!("{} 早于上次记录的日期 {last}", mark.on)));
        }
        let mut report = before.clone().unwrap_or(ResultReport {
            plan_id,
            state: mark.state,
            reported_on: mark.on,
            returned_on: None,
            returned_reason: None,
            accepted_on: None,
            updated_by: String::new(),
            updated_at: String::new(),
        });
        report.state = mark.state;
        match mark.state {
            ReportState::Reported => report.reported_on = mark.on,
            ReportState::Returned => {
                report.returned_on = Some(mark.on);
                report.returned_reason = reason.map(str::to_string);
            }
            ReportState::Accepted => report.accepted_on = Some(mark.on),
            ReportState::NotReported => {}
        }
        report.updated_by = session.operator.clone();
        report.updated_at = now.clone();
        reports::put(tx, &report)?;
        super::audit_plan(
            tx,
            session,
            plan_id,
            "成绩上报",
            (Some(from.label()), Some(mark.state.label())),
            Some(&match reason {
                Some(reason) => format!("{}：{reason}", mark.on),
                None => mark.on.to_string(),
            }),
            &now,
        )
    })?;
    report_status(store, session, plan_id)
}
