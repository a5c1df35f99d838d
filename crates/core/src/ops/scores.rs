//! 成绩: the score sheet template, score import (by 准考证号 or 证件号码), and publication, which issues a
//! certificate to every candidate who passed.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use ts_rs::TS;

use rust_xlsxwriter::{Color, DataValidation, Format, FormatBorder, Workbook};
use serde::Serialize;

use super::Session;
use super::applications::{audit_change, change_status};
use crate::domain::id_number::normalize_number;
use crate::domain::operator::Permission;
use crate::domain::score::{Mark, Marks};
use crate::domain::settings::Setting;
use crate::domain::status::{Action, ApplicationStatus};
use crate::error::{Error, Fix, Result};
use crate::import::columns::{ColumnKind, ColumnMap, find_header, normalize_header};
use crate::import::{ImportResult, ImportSummary, RowError};
use crate::progress::Progress;
use crate::spreadsheet::{Cell, Row, Workbook as Sheets, write_failed};
use crate::store::applications::{self, Application};
use crate::store::certificates::{self, Certificate, NewCertificate};
use crate::store::plans::Plan;
use crate::store::{Store, arrangements, audit, certificate_serials, plans, scores, settings};

/// The columns of a score sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreColumn {
    Ticket,
    IdNumber,
    Name,
    Theory,
    Practical,
    Review,
}

impl ScoreColumn {
    const ALL: [ScoreColumn; 6] = [
        ScoreColumn::Ticket,
        ScoreColumn::IdNumber,
        ScoreColumn::Name,
        ScoreColumn::Theory,
        ScoreColumn::Practical,
        ScoreColumn::Review,
    ];

    fn aliases(self) -> &'static [&'static str] {
        match self {
            ScoreColumn::Ticket => &["准考证号", "准考证", "准考证编号", "考号"],
            ScoreColumn::IdNumber => &["证件号码", "身份证号", "身份证号码", "证件号"],
            ScoreColumn::Name => &["姓名", "考生姓名"],
            ScoreColumn::Theory => &["理论知识", "理论", "理论成绩", "理论知识成绩", "理论知识考试"],
            ScoreColumn::Practical => {
                &["操作技能", "技能", "实操", "操作技能成绩", "技能成绩", "操作技能考核", "实操成绩"]
            }
            ScoreColumn::Review => &["综合评审", "综合评审成绩", "评审", "综合"],
        }
    }
}

impl ColumnKind for ScoreColumn {
    fn recognise(header: &str) -> Option<Self> {
        let h = normalize_header(header);
        ScoreColumn::ALL.into_iter().find(|c| c.aliases().iter().any(|a| normalize_header(a) == h))
    }

    fn label(self) -> &'static str {
        self.aliases()[0]
    }

    fn is_key(self) -> bool {
        matches!(self, ScoreColumn::Ticket | ScoreColumn::IdNumber)
    }

    fn required() -> &'static [Self] {
        &[]
    }

    fn keeps_digits(self) -> bool {
        matches!(self, ScoreColumn::Ticket | ScoreColumn::IdNumber)
    }
}

/// A plan's arranged applications (filed, or published since) with their 准考证号, in ticket order.
fn filed_with_tickets(conn: &crate::store::sql::Connection, plan_id: i64) -> Result<Vec<(String, Application)>> {
    let mut by_id: HashMap<i64, Application> =
        applications::list_for_plan(conn, plan_id, None)?.into_iter().map(|a| (a.id, a)).collect();
    Ok(arrangements::seats_for_plan(conn, plan_id)?
        .into_iter()
        .filter_map(|seat| by_id.remove(&seat.application_id).map(|a| (seat.ticket_number, a)))
        .collect())
}

/// Writes the score sheet of a plan: one row per arranged candidate, marks already entered filled in.
pub fn write_score_template(store: &Store, plan_id: i64, path: &Path) -> Result<usize> {
    let plan = plans::get(store.conn(), plan_id)?;
    let rows = filed_with_tickets(store.conn(), plan_id)?;
    if rows.is_empty() {
        return Err(Error::refused("本计划还没有编排考试，没有可登记成绩的考生").with_fix(Fix::ArrangeFirst));
    }
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("成绩登记").map_err(write_failed)?;
    let header = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let mut columns =
        vec![("准考证号", 14.0), ("姓名", 10.0), ("证件号码", 22.0), ("理论知识", 10.0), ("操作技能", 10.0)];
    if plan.level.needs_review_panel() {
        columns.push(("综合评审", 10.0));
    }
    for (i, (title, width)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *title, &header).map_err(write_failed)?;
        sheet.set_column_width(i as u16, *width).map_err(write_failed)?;
        sheet.set_column_format(i as u16, &text).map_err(write_failed)?;
    }
    let last_row = rows.len() as u32;
    let message = DataValidation::new()
        .allow_any_value()
        .set_input_title("成绩")
        .and_then(|v| v.set_input_message("0 到 100，最多一位小数；缺考请填“缺考”，不要填 0"))
        .map_err(write_failed)?;
    sheet.add_data_validation(1, 3, last_row, columns.len() as u16 - 1, &message).map_err(write_failed)?;
    for (i, (ticket, app)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, ticket).map_err(write_failed)?;
        sheet.write_string(row, 1, &app.name).map_err(write_failed)?;
        sheet.write_string(row, 2, &app.id_number).map_err(write_failed)?;
        let marks = scores::get(store.conn(), app.id)?;
        for (col, mark) in [(3, marks.theory), (4, marks.practical), (5, marks.review)] {
            if let Some(mark) = mark
                && (col as usize) < columns.len()
            {
                sheet.write_string(row, col, mark.label()).map_err(write_failed)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(write_failed)?;
    workbook.save(path).map_err(write_failed)?;
    Ok(rows.len())
}

/// Imports marks from a score sheet. Each row is found by 准考证号 (or 证件号码); rows with problems are reported
/// like the candidate import's (and can go to the same kind of report) and the rest are saved, in one transaction
/// (`dry_run`: nothing saved).
pub fn import_scores(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    path: &Path,
    dry_run: bool,
) -> Result<ImportResult<ScoreColumn>> {
    session.require(Permission::Scores)?;
    let plan = plans::get(store.conn(), plan_id)?;
    if !dry_run {
        crate::backup::before_bulk(store, "导入成绩")?;
    }
    let mut workbook = Sheets::open(path)?;
    let mut sheet_rows = None;
    for name in workbook.sheet_names().to_vec() {
        let sheet = workbook.read_sheet(path, &name)?;
        if let Some(map) = find_header::<ScoreColumn>(&sheet.rows) {
            sheet_rows = Some((name, map, sheet.rows));
            break;
        }
    }
    let Some((sheet_name, map, rows)) = sheet_rows else {
        return Err(Error::Unreadable(
            "找不到成绩表的表头：表头应包含“准考证号”或“证件号码”，以及“理论知识”“操作技能”等成绩列".into(),
        ));
    };
    if map.index(ScoreColumn::Theory).is_none() && map.index(ScoreColumn::Practical).is_none() {
        return Err(Error::Unreadable(
            "成绩表缺少成绩列：请包含“理论知识”“操作技能”（二级/一级还有“综合评审”）".into(),
        ));
    }
    let now = session.now();
    let mut summary = ImportSummary::default();
    let mut rejected_rows = Vec::new();
    summary.committed = store.write_if(|tx| {
        let tickets: HashMap<String, Application> = filed_with_tickets(tx, plan_id)?.into_iter().collect();
        let by_id_number: HashMap<String, &Application> = tickets.values().map(|a| (a.id_number.clone(), a)).collect();
        let mut seen: HashMap<i64, u32> = HashMap::new();
        for row in rows.iter().filter(|r| r.number > map.header_row) {
            summary.read += 1;
            let mut errors = Vec::new();
            let app = find_row_application(row, &map, &plan, &tickets, &by_id_number, &mut errors);
            let marks = app.as_ref().and_then(|_| read_marks(row, &map, &plan, &mut errors));
            if let Some(app) = &app
                && let Some(first) = seen.insert(app.id, row.number)
            {
                let column =
                    if map.index(ScoreColumn::Ticket).is_some() { ScoreColumn::Ticket } else { ScoreColumn::IdNumber };
                errors.push(error(row, &map, column, format!("与第 {first} 行是同一考生，本行未导入")));
            }
            match (app, marks) {
                (Some(app), Some(new)) if errors.is_empty() => {
                    let old = scores::get(tx, app.id)?;
                    // A blank cell keeps what was entered before.
                    let merged = Marks {
                        theory: new.theory.or(old.theory),
                        practical: new.practical.or(old.practical),
                        review: new.review.or(old.review),
                    };
                    if merged == old {
                        summary.unchanged += 1;
                        continue;
                    }
                    scores::save(tx, app.id, &merged, &now)?;
                    let text = |m: &Marks| serde_json::to_string(m).unwrap_or_default();
                    let change = (Some(text(&old)), Some(text(&merged)));
                    let change = (change.0.as_deref(), change.1.as_deref());
                    audit_change(tx, session, &app, "登记成绩", change, None, &now)?;
                    if old == Marks::default() { summary.imported += 1 } else { summary.updated += 1 }
                }
                _ => {
                    summary.rejected += 1;
                    summary.errors.extend(errors);
                    rejected_rows.push(row.clone());
                }
            }
        }
        Ok(!dry_run)
    })?;
    Ok(ImportResult { summary, sheet_name, columns: map, rejected_rows })
}

fn error(row: &Row, map: &ColumnMap<ScoreColumn>, column: ScoreColumn, reason: String) -> RowError {
    let value = map.index(column).map(|i| row.cell(i).display()).unwrap_or_default();
    RowError { row: row.number, column: map.header(column), value, reason }
}

/// The filed application a score row is for, by 准考证号 when the sheet has it, else by 证件号码.
fn find_row_application(
    row: &Row,
    map: &ColumnMap<ScoreColumn>,
    plan: &Plan,
    tickets: &HashMap<String, Application>,
    by_id_number: &HashMap<String, &Application>,
    errors: &mut Vec<RowError>,
) -> Option<Application> {
    let text = |column| map.index(column).map(|i| normalize_number(&row.cell(i).display())).unwrap_or_default();
    let (column, found) = match (text(ScoreColumn::Ticket), text(ScoreColumn::IdNumber)) {
        (ticket, _) if !ticket.is_empty() => (ScoreColumn::Ticket, tickets.get(&ticket).cloned()),
        (_, id) if !id.is_empty() => (ScoreColumn::IdNumber, by_id_number.get(&id).map(|a| (*a).clone())),
        _ => {
            errors.push(error(row, map, ScoreColumn::Ticket, "准考证号和证件号码都为空，无法确定是哪位考生".into()));
            return None;
        }
    };
    let Some(app) = found else {
        errors.push(error(
            row,
            map,
            column,
            format!("计划“{} {}”中没有这位已编排的考生，请核对{}", plan.title(), plan.level, column.label()),
        ));
        return None;
    };
    if app.status != ApplicationStatus::Filed {
        errors.push(error(
            row,
            map,
            column,
            format!("{}的报名状态为“{}”，成绩已发布的不能再修改", app.name, app.status),
        ));
        return None;
    }
    Some(app)
}

/// The marks of a row; None (with errors recorded) when a cell is not a valid mark.
fn read_marks(row: &Row, map: &ColumnMap<ScoreColumn>, plan: &Plan, errors: &mut Vec<RowError>) -> Option<Marks> {
    let before = errors.len();
    let mut read = |column: ScoreColumn| -> Option<Mark> {
        let index = map.index(column)?;
        let parsed = match row.cell(index) {
            Cell::Number(n) => Mark::from_number(column.label(), *n).map(Some),
            Cell::Empty => Ok(None),
            other => Mark::parse(column.label(), &other.display()),
        };
        match parsed {
            Ok(mark) => mark,
            Err(e) => {
                let reason = match e {
                    Error::Invalid { message, .. } => message,
                    other => other.to_string(),
                };
                errors.push(error(row, map, column, reason));
                None
            }
        }
    };
    let marks = Marks {
        theory: read(ScoreColumn::Theory),
        practical: read(ScoreColumn::Practical),
        review: read(ScoreColumn::Review),
    };
    if marks.review.is_some() && !plan.level.needs_review_panel() {
        errors.push(error(row, map, ScoreColumn::Review, format!("{}没有综合评审，请清空该单元格", plan.level)));
    }
    (errors.len() == before).then_some(marks)
}

/// What publishing did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PublishOutcome {
    pub published: usize,
    pub passed: usize,
    pub certificates: Vec<Certificate>,
}

/// 成绩发布: every filed application of the plan moves to 成绩发布; each one that passed gets a certificate. Refused
/// whole (nothing changes) while any mark is missing or the agency settings for certificate numbers are not set.
/// `progress` hears every hundred applications; a set `cancel` rolls everything back.
pub fn publish_scores(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<PublishOutcome> {
    session.require(Permission::Scores)?;
    crate::backup::before_bulk(store, "发布成绩")?;
    let now = session.now();
    let issued_on = session.today;
    store.write(|tx| {
        let plan = plans::get(tx, plan_id)?;
        let filed = applications::list_for_plan(tx, plan_id, Some(ApplicationStatus::Filed))?;
        if filed.is_empty() {
            return Err(Error::refused("本计划没有待发布成绩的报名（已提交申报）"));
        }
        let mut results = Vec::with_capacity(filed.len());
        let mut missing = Vec::new();
        for app in &filed {
            let marks = scores::get(tx, app.id)?;
            match marks.passed(plan.level) {
                Some(passed) => results.push((app, passed)),
                None => {
                    let parts: Vec<&str> =
                        marks.required(plan.level).into_iter().filter(|(_, m)| m.is_none()).map(|(n, _)| n).collect();
                    missing.push(format!("{}（缺{}）", app.name, parts.join("、")));
                }
            }
        }
        if !missing.is_empty() {
            return Err(Error::refused(format!(
                "以下考生还有成绩未登记，不能发布：{}。缺考请登记为“缺考”",
                super::some_people(&missing)
            )));
        }
        let passed = results.iter().filter(|(_, p)| *p).count();
        let gives_certificates = plan.level.digit().is_some() && passed > 0;
        let (issuer, agency_name) = if gives_certificates {
            (Some(settings::issuer(tx)?), settings::require(tx, Setting::AgencyName)?)
        } else {
            (None, String::new())
        };
        let mut issued = HashSet::new();
        let total = results.len();
        for (done, (app, has_passed)) in results.into_iter().enumerate() {
            crate::progress::step(progress, cancel, 100, done, total)?;
            change_status(tx, session, app, Action::PublishScores, None, &now)?;
            let Some(issuer) = issuer.as_ref().filter(|_| has_passed) else { continue };
            let number = certificate_serials::allocate(tx, issuer, chrono::Datelike::year(&issued_on), plan.level)?;
            let id = certificates::insert(
                tx,
                &NewCertificate {
                    number: &number,
                    application_id: app.id,
                    plan_id,
                    name: &app.name,
                    id_type: app.id_type.label(),
                    id_number: &app.id_number,
                    occupation: &plan.occupation,
                    job: plan.job.as_deref(),
                    level: plan.level.label(),
                    issued_on,
                    agency_name: &agency_name,
                },
                &now,
            )?;
            audit::append(
                tx,
                &audit::NewAuditEntry {
                    actor: &session.operator,
                    entity: "certificate",
                    entity_id: id,
                    action: "颁发证书",
                    to_value: Some(&number),
                    id_number: Some(&app.id_number),
                    plan_id: Some(plan_id),
                    ..Default::default()
                },
                &now,
            )?;
            issued.insert(id);
        }
        progress(Progress { done: total, total });
        let certificates =
            certificates::list(tx, Some(plan_id), None)?.into_iter().filter(|c| issued.contains(&c.id)).collect();
        Ok(PublishOutcome { published: filed.len(), passed, certificates })
    })
}

/// One arranged candidate's marks, as `scores list` shows them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScoreRow {
    pub ticket_number: String,
    pub name: String,
    pub id_number: String,
    pub status: ApplicationStatus,
    pub marks: Marks,
    /// None while a required mark is missing.
    pub passed: Option<bool>,
}

pub fn list_scores(store: &Store, plan_id: i64) -> Result<Vec<ScoreRow>> {
    let plan = plans::get(store.conn(), plan_id)?;
    filed_with_tickets(store.conn(), plan_id)?
        .into_iter()
        .map(|(ticket_number, app)| {
            let marks = scores::get(store.conn(), app.id)?;
            Ok(ScoreRow {
                ticket_number,
                name: app.name,
                id_number: app.id_number,
                status: app.status,
                passed: marks.passed(plan.level),
                marks,
            })
        })
        .collect()
}

/// Certificates issued, of a plan and/or a person.
pub fn list_certificates(store: &Store, plan_id: Option<i64>, id_number: Option<&str>) -> Result<Vec<Certificate>> {
    let number = id_number.map(normalize_number);
    certificates::list(store.conn(), plan_id, number.as_deref())
}
