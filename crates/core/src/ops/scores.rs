//! 成绩: the score sheet template, score import (by 准考证号 or 证件号码, once a part has been sat), corrections (the
//! mark before kept, with the reason), and publication as a results notice (成绩公示); certificates follow the notice
//! (`ops::certificates`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use ts_rs::TS;

use chrono::NaiveDate;
use rust_xlsxwriter::{Color, DataValidation, Format, FormatBorder, Workbook};
use serde::{Deserialize, Serialize};

use super::Session;
use super::applications::{audit_change, change_status};
use crate::domain::id_number::normalize_number;
use crate::domain::operator::Permission;
use crate::domain::results::{NoticePeriod, check_marks_date, mask_id_number};
use crate::domain::score::{
    ExpertMark, ExpertPart, Mark, Marks, Part, ReviewWeights, SubColumn, practical_from_items, review_from_panel,
};
use crate::domain::settings::Setting;
use crate::domain::status::{Action, ApplicationStatus};
use crate::error::{Error, Fix, Result};
use crate::import::columns::{ColumnKind, ColumnMap, find_header, recognise_among};
use crate::import::{ImportResult, ImportSummary, RowError};
use crate::progress::Progress;
use crate::spreadsheet::{Cell, Row, Workbook as Sheets, write_failed};
use crate::store::applications::{self, Application};
use crate::store::arrangements::Arrangement;
use crate::store::plans::Plan;
use crate::store::scores::Correction;
use crate::store::sql::Connection;
use crate::store::{Store, arrangements, certificates, notices, plans, resits, scores, settings};

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

impl ScoreColumn {
    fn part(self) -> Option<Part> {
        match self {
            ScoreColumn::Theory => Some(Part::Theory),
            ScoreColumn::Practical => Some(Part::Practical),
            ScoreColumn::Review => Some(Part::Review),
            ScoreColumn::Ticket | ScoreColumn::IdNumber | ScoreColumn::Name => None,
        }
    }
}

impl ColumnKind for ScoreColumn {
    fn recognise(header: &str) -> Option<Self> {
        recognise_among(header, &ScoreColumn::ALL, ScoreColumn::aliases)
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
pub(super) fn filed_with_tickets(conn: &Connection, plan_id: i64) -> Result<Vec<(String, Application)>> {
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
    let resits = resits::for_plan(store.conn(), plan_id)?;
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
        let carried = resits.get(&app.id).map(|r| r.carried.as_slice()).unwrap_or(&[]);
        for (col, part) in [(3, Part::Theory), (4, Part::Practical), (5, Part::Review)] {
            if let Some(mark) = marks.get(part)
                && (col as usize) < columns.len()
            {
                // A 补考's kept part: not marked again.
                let text = if carried.contains(&part) { format!("沿用 {}", mark.label()) } else { mark.label() };
                sheet.write_string(row, col, &text).map_err(write_failed)?;
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
    import_scores_from(store, session, plan_id, path, None, dry_run)
}

/// The names of the sources of marks the agency set up (scores.sources), for choosing one at import.
pub fn score_sources(store: &Store) -> Result<Vec<String>> {
    Ok(settings::score_sources(store.conn())?.names())
}

/// [`import_scores`] from a file of a known `source` (an exam platform, a mark reader): its headers are read as the
/// setting scores.sources maps them, and errors name them as the file writes them.
pub fn import_scores_from(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    path: &Path,
    source: Option<&str>,
    dry_run: bool,
) -> Result<ImportResult<ScoreColumn>> {
    session.require(Permission::Scores)?;
    let sources = settings::score_sources(store.conn())?;
    let mapping = source.map(|name| sources.mapping(name)).transpose()?.unwrap_or(&[]);
    let plan = plans::get(store.conn(), plan_id)?;
    let arrangement = arranged(store.conn(), plan_id)?;
    let first_day = Part::ALL.into_iter().filter_map(|p| arrangement.sitting(p)).map(|s| s.date()).min();
    if let Some(first_day) = first_day.filter(|day| *day > session.today) {
        return Err(Error::refused(format!("本计划的考试在 {first_day}，考试之后才能登记成绩")));
    }
    if !dry_run {
        crate::backup::before_bulk(store, "导入成绩")?;
    }
    let mut workbook = Sheets::open(path)?;
    let mut sheet_rows = None;
    for name in workbook.sheet_names().to_vec() {
        let sheet = workbook.read_sheet(path, &name)?;
        // The header is looked for in the first rows as the source's mapping names them; the rows stay as read.
        if let Some(mut map) = find_header::<ScoreColumn>(&renamed_headers(&sheet.rows, mapping)) {
            let renamed = map.header_cells.clone();
            // Errors and reports name the columns as the file does.
            if let Some(row) = sheet.rows.iter().find(|r| r.number == map.header_row) {
                map.header_cells = row.cells.iter().map(Cell::display).collect();
                for (_, index, header) in &mut map.columns {
                    *header = row.cell(*index).display().trim().to_string();
                }
            }
            sheet_rows = Some((name, map, renamed, sheet.rows));
            break;
        }
    }
    let Some((sheet_name, map, renamed, rows)) = sheet_rows else {
        return Err(Error::Unreadable(
            "找不到成绩表的表头：表头应包含“准考证号”或“证件号码”，以及“理论知识”“操作技能”等成绩列".into(),
        ));
    };
    let parts = SubColumns::of(&renamed, &map.header_cells)?;
    if map.index(ScoreColumn::Theory).is_none()
        && map.index(ScoreColumn::Practical).is_none()
        && parts.items.is_empty()
        && parts.experts.is_empty()
    {
        return Err(Error::Unreadable(
            "成绩表缺少成绩列：请包含“理论知识”“操作技能”（二级/一级还有“综合评审”）".into(),
        ));
    }
    let (weights, spread_alert) = settings::review_panel(store.conn())?;
    let now = session.now();
    let mut summary = ImportSummary::default();
    let mut rejected_rows = Vec::new();
    summary.committed = store.write_if(|tx| {
        let tickets: HashMap<String, Application> = filed_with_tickets(tx, plan_id)?.into_iter().collect();
        let resits = resits::for_plan(tx, plan_id)?;
        let by_id_number: HashMap<String, &Application> = tickets.values().map(|a| (a.id_number.clone(), a)).collect();
        let mut seen: HashMap<i64, u32> = HashMap::new();
        for row in rows.iter().filter(|r| r.number > map.header_row) {
            summary.read += 1;
            let mut errors = Vec::new();
            let app = find_row_application(row, &map, &plan, &tickets, &by_id_number, &mut errors);
            let carried = app.as_ref().and_then(|a| resits.get(&a.id)).map(|r| r.carried.as_slice()).unwrap_or(&[]);
            let kept = match app.as_ref() {
                Some(a) if !carried.is_empty() => scores::get(tx, a.id)?,
                _ => Marks::default(),
            };
            let marks = app.as_ref().and_then(|_| {
                read_marks(row, &map, (&plan, &arrangement), (carried, &kept), session.today, &mut errors)
            });
            let marks = marks.and_then(|marks| {
                let needs_review = plan.level.needs_review_panel();
                let sheet = SheetRow { row, arrangement: &arrangement, today: session.today, needs_review };
                parts.apply(&sheet, marks, carried, weights, &mut errors)
            });
            if let (Some((_, Some(spread))), Some(app)) = (&marks, &app)
                && *spread > spread_alert
            {
                summary.flags.push(RowError {
                    row: row.number,
                    column: "综合评审".into(),
                    value: Mark::Score(*spread).label(),
                    reason: format!(
                        "{}的专家评分最高与最低相差 {} 分，超过 {} 分：请组织复核",
                        app.name,
                        Mark::Score(*spread).label(),
                        spread_alert / 10
                    ),
                });
            }
            let marks = marks.map(|(marks, _)| marks);
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
        let reason = if app.status == ApplicationStatus::ScoresPublished {
            format!("{}的成绩已发布公示，不能再导入；公示期内可逐项“更正成绩”并注明原因", app.name)
        } else {
            format!("{}的报名状态为“{}”，不能登记成绩", app.name, app.status)
        };
        errors.push(error(row, map, column, reason));
        return None;
    }
    Some(app)
}

/// The marks of a row; None (with errors recorded) when a cell is not a valid mark. The parts a 补考 keeps
/// (`carried`, with the `kept` marks) are not marked again: their cell may be empty, say “沿用”, or repeat the kept
/// mark.
fn read_marks(
    row: &Row,
    map: &ColumnMap<ScoreColumn>,
    (plan, arrangement): (&Plan, &Arrangement),
    (carried, kept): (&[Part], &Marks),
    today: NaiveDate,
    errors: &mut Vec<RowError>,
) -> Option<Marks> {
    let before = errors.len();
    let mut read = |column: ScoreColumn| -> Option<Mark> {
        let index = map.index(column)?;
        let cell = row.cell(index);
        let parsed = mark_in(cell, column.label());
        if let Some(part) = column.part().filter(|p| carried.contains(p)) {
            let kept_mark = kept.get(part);
            let keeps = matches!(&parsed, Ok(mark) if mark.is_none() || *mark == kept_mark)
                || cell.display().trim().starts_with("沿用");
            if !keeps {
                let mark = kept_mark.map(|m| m.label()).unwrap_or_default();
                let reason = format!("本次为补考，{}沿用上次合格成绩 {mark}，不再登记：请清空该单元格", column.label());
                errors.push(error(row, map, column, reason));
            }
            return None;
        }
        // A mark for a part not sat yet (a later day of the exam) is refused; the parts sat already are kept.
        let parsed = parsed.and_then(|mark| {
            if let (Some(_), Some(sitting)) = (mark, column.part().and_then(|p| arrangement.sitting(p))) {
                check_marks_date(column.label(), sitting.date(), today)?;
            }
            Ok(mark)
        });
        match parsed {
            Ok(mark) => mark,
            Err(e) => {
                errors.push(error(row, map, column, e.reason()));
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

/// The rows a header may be in, with the cells a source's mapping names renamed to our columns.
fn renamed_headers(rows: &[Row], mapping: &[(String, String)]) -> Vec<Row> {
    let mut renamed = rows[..rows.len().min(crate::import::columns::HEADER_SEARCH_ROWS)].to_vec();
    let key = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for cell in renamed.iter_mut().flat_map(|row| row.cells.iter_mut()) {
        if let Cell::Text(text) = cell
            && let Some((_, ours)) = mapping.iter().find(|(theirs, _)| key(theirs) == key(text))
        {
            *text = ours.clone();
        }
    }
    renamed
}

/// A mark as a score sheet's cell holds it: a number, text such as "85.5" or "缺考", or nothing (not entered).
fn mark_in(cell: &Cell, field: &'static str) -> Result<Option<Mark>> {
    match cell {
        Cell::Number(n) => Mark::from_number(field, *n).map(Some),
        Cell::Empty => Ok(None),
        other => Mark::parse(field, &other.display()),
    }
}

/// One row of a score sheet with what checking its cells needs.
struct SheetRow<'a> {
    row: &'a Row,
    arrangement: &'a Arrangement,
    today: NaiveDate,
    /// Whether the plan's level has a 综合评审.
    needs_review: bool,
}

/// A column of the sheet: its index and its header as the file writes it.
type SheetColumn = (usize, String);

/// The columns that hold part of a mark: 操作技能 items (summed) and the 综合评审 experts (averaged), by column index.
#[derive(Default)]
struct SubColumns {
    items: Vec<SheetColumn>,
    /// Per expert, in order: their whole, paper and defence columns.
    experts: Vec<(u8, [Option<SheetColumn>; 3])>,
}

impl SubColumns {
    /// From the header row as read (a source's names mapped to ours) and as the file writes it (for messages).
    fn of(recognised: &[String], shown: &[String]) -> Result<SubColumns> {
        let mut found = SubColumns::default();
        for (index, header) in recognised.iter().enumerate() {
            let shown = shown.get(index).unwrap_or(header).trim().to_string();
            match SubColumn::recognise(header) {
                Some(SubColumn::PracticalItem(_)) => found.items.push((index, shown)),
                Some(SubColumn::Expert { expert, part }) => {
                    let slot = match part {
                        ExpertPart::Whole => 0,
                        ExpertPart::Paper => 1,
                        ExpertPart::Defence => 2,
                    };
                    let at = match found.experts.iter().position(|(e, _)| *e == expert) {
                        Some(at) => at,
                        None => {
                            found.experts.push((expert, [None, None, None]));
                            found.experts.len() - 1
                        }
                    };
                    found.experts[at].1[slot] = Some((index, shown));
                }
                None => {}
            }
        }
        for (expert, [whole, paper, defence]) in &found.experts {
            let shaped = matches!((whole, paper, defence), (Some(_), None, None) | (None, Some(_), Some(_)));
            if !shaped {
                return Err(Error::Unreadable(format!(
                    "成绩表中专家{expert}的列不完整：每位专家要么一列总分，要么“论文”“答辩”两列"
                )));
            }
        }
        if !found.experts.is_empty() && found.experts.len() < 3 {
            return Err(Error::Unreadable(format!(
                "成绩表只有 {} 位专家的综合评审分：评审组至少 3 名考评员，请列出每位专家的评分",
                found.experts.len()
            )));
        }
        Ok(found)
    }

    /// The row's marks with its items summed into 操作技能 and its experts averaged into 综合评审 (and their spread);
    /// None with errors recorded when a cell is wrong or contradicts a total the sheet also gives.
    fn apply(
        &self,
        sheet: &SheetRow,
        mut marks: Marks,
        carried: &[Part],
        weights: ReviewWeights,
        errors: &mut Vec<RowError>,
    ) -> Option<(Marks, Option<u16>)> {
        let before = errors.len();
        let cell_error = |errors: &mut Vec<RowError>, (index, header): &SheetColumn, reason: String| {
            errors.push(RowError {
                row: sheet.row.number,
                column: header.clone(),
                value: sheet.row.cell(*index).display(),
                reason,
            });
        };
        let read = |errors: &mut Vec<RowError>, column: &SheetColumn| -> Option<Mark> {
            mark_in(sheet.row.cell(column.0), "分数").unwrap_or_else(|e| {
                cell_error(errors, column, e.reason());
                None
            })
        };
        // Each group: every cell filled, or none (then the part is not entered here).
        let group = |errors: &mut Vec<RowError>, columns: &[&SheetColumn], part: Part| -> Option<Vec<Mark>> {
            let marks: Vec<Option<Mark>> = columns.iter().map(|c| read(errors, c)).collect();
            if marks.iter().all(Option::is_none) {
                return None;
            }
            if carried.contains(&part) {
                cell_error(
                    errors,
                    columns[0],
                    format!("本次为补考，{}沿用上次合格成绩，不再登记：请清空这些单元格", part.label()),
                );
                return None;
            }
            if let Some(sitting) = sheet.arrangement.sitting(part)
                && let Err(e) = check_marks_date(part.label(), sitting.date(), sheet.today)
            {
                cell_error(errors, columns[0], e.reason());
                return None;
            }
            for (mark, column) in marks.iter().zip(columns) {
                if mark.is_none() {
                    cell_error(errors, column, "为空：同一考生的各项都要填写（缺考填“缺考”）".into());
                }
            }
            marks.into_iter().collect()
        };
        if !self.items.is_empty() {
            let columns: Vec<&SheetColumn> = self.items.iter().collect();
            if let Some(items) = group(errors, &columns, Part::Practical) {
                match practical_from_items(&items) {
                    Err(reason) => cell_error(errors, &self.items[0], reason),
                    Ok(sum) if marks.practical.is_some_and(|total| total != sum) => {
                        let total = marks.practical.map(Mark::label).unwrap_or_default();
                        let reason = format!("操作技能填了 {total}，而各项合计 {}：请核对", sum.label());
                        cell_error(errors, &self.items[0], reason);
                    }
                    Ok(sum) => marks.practical = Some(sum),
                }
            }
        }
        let mut spread = None;
        if !self.experts.is_empty() {
            let columns: Vec<&SheetColumn> =
                self.experts.iter().flat_map(|(_, slots)| slots.iter().flatten()).collect();
            if let Some(cells) = group(errors, &columns, Part::Review) {
                let mut at = cells.into_iter();
                let mut panel = Vec::new();
                let mut absent = 0;
                for (_, [whole, ..]) in &self.experts {
                    let next = |at: &mut std::vec::IntoIter<Mark>| at.next().unwrap_or(Mark::Absent);
                    let expert = if whole.is_some() {
                        match next(&mut at) {
                            Mark::Score(t) => Some(ExpertMark::Whole(t)),
                            Mark::Absent => None,
                        }
                    } else {
                        match (next(&mut at), next(&mut at)) {
                            (Mark::Score(paper), Mark::Score(defence)) => Some(ExpertMark::Split { paper, defence }),
                            _ => None,
                        }
                    };
                    match expert {
                        Some(e) => panel.push(e),
                        None => absent += 1,
                    }
                }
                let total = marks.review;
                match (absent, panel.is_empty()) {
                    (_, true) => marks.review = Some(Mark::Absent),
                    (0, false) => {
                        let (mean, apart) = review_from_panel(&panel, weights);
                        if total.is_some_and(|t| t != mean) {
                            let reason = format!(
                                "综合评审填了 {}，而专家评分的平均为 {}：请核对",
                                total.map(Mark::label).unwrap_or_default(),
                                mean.label()
                            );
                            cell_error(errors, columns[0], reason);
                        }
                        marks.review = Some(mean);
                        spread = Some(apart);
                    }
                    _ => cell_error(
                        errors,
                        columns[0],
                        "有的专家填了“缺考”、有的填了分数：缺考的考生各位专家都填“缺考”".into(),
                    ),
                }
            }
        }
        if let Some(first) = self.experts.first().and_then(|(_, slots)| slots.iter().flatten().next())
            && spread.is_some()
            && !sheet.needs_review
        {
            cell_error(errors, first, "本计划的等级没有综合评审，请删去专家评分列".into());
        }
        (errors.len() == before).then_some((marks, spread))
    }
}

/// The plan's arrangement, without which there is no one to mark.
fn arranged(conn: &Connection, plan_id: i64) -> Result<Arrangement> {
    arrangements::get(conn, plan_id)?
        .ok_or_else(|| Error::refused("本计划还没有编排考试，没有可登记成绩的考生").with_fix(Fix::ArrangeFirst))
}

/// What publishing did: the results are on notice for `notice`'s days.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PublishOutcome {
    pub published: usize,
    pub passed: usize,
    pub notice: NoticePeriod,
}

/// 发布成绩公示: every filed application of the plan moves to 成绩发布 and the results go on notice for the agency's
/// notice days (results.notice_days) from today: the candidates see them on the portal, the agency may still
/// correct them, and certificates are issued once the notice has ended (`ops::certificates::issue_certificates`).
/// Refused whole (nothing changes) before the exam's last day or while any mark is missing. `progress` hears every
/// hundred applications; a set `cancel` rolls everything back.
pub fn publish_scores(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<PublishOutcome> {
    session.require(Permission::Scores)?;
    let last_day = arranged(store.conn(), plan_id)?.last_day();
    if last_day > session.today {
        return Err(Error::refused(format!("本计划的考试到 {last_day} 才结束，考试之后才能发布成绩")));
    }
    crate::backup::before_bulk(store, "发布成绩")?;
    let now = session.now();
    store.write(|tx| {
        let plan = plans::get(tx, plan_id)?;
        let filed = applications::list_for_plan(tx, plan_id, Some(ApplicationStatus::Filed))?;
        if filed.is_empty() {
            return Err(Error::refused("本计划没有待发布成绩的报名（已提交申报）"));
        }
        let mut passed = 0;
        let mut missing = Vec::new();
        let all_marks = scores::for_plan(tx, plan_id)?;
        for app in &filed {
            let marks = all_marks.get(&app.id).copied().unwrap_or_default();
            match marks.passed(plan.level) {
                Some(true) => passed += 1,
                Some(false) => {}
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
        let total = filed.len();
        for (done, app) in filed.iter().enumerate() {
            crate::progress::step(progress, cancel, 100, done, total)?;
            change_status(tx, session, app, Action::PublishScores, None, &now)?;
        }
        let notice = NoticePeriod::starting(session.today, settings::notice_days(tx)?);
        notices::open(tx, plan_id, &notice, &session.operator, &now)?;
        super::audit_plan(
            tx,
            session,
            plan_id,
            "发布成绩公示",
            (None, Some(&notice.label())),
            Some(&format!("{total} 人，合格 {passed} 人")),
            &now,
        )?;
        progress(Progress { done: total, total });
        Ok(PublishOutcome { published: total, passed, notice })
    })
}

/// A plan's results notice as the desk shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NoticeView {
    pub period: NoticePeriod,
    /// Still on notice today (corrections allowed); false: the results are final and certificates may be issued.
    pub open: bool,
}

/// The plan's results notice, None before the results are published.
pub fn results_notice(store: &Store, session: &Session, plan_id: i64) -> Result<Option<NoticeView>> {
    plans::get(store.conn(), plan_id)?;
    Ok(notices::get(store.conn(), plan_id)?.map(|period| NoticeView { open: period.is_open(session.today), period }))
}

/// 成绩公示名单: what the public notice of a plan's results lists.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NoticeList {
    /// "电工 四级/中级工 职业技能等级认定成绩公示".
    pub title: String,
    pub agency_name: String,
    pub period: NoticePeriod,
    pub lines: Vec<NoticeLine>,
}

impl NoticeList {
    /// The columns the list prints and exports, in order (综合评审 only where a line has that mark).
    pub fn titles(&self) -> Vec<&'static str> {
        let mut titles = vec!["序号", "准考证号", "姓名", "证件号码", "理论知识", "操作技能"];
        if self.with_review() {
            titles.push("综合评审");
        }
        titles.push("结果");
        titles
    }

    /// The cells of the `index`-th line, in the order of [`NoticeList::titles`].
    pub fn cells(&self, index: usize) -> Vec<String> {
        let line = &self.lines[index];
        let mark = |m: Option<Mark>| m.map(|m| m.label()).unwrap_or_default();
        let mut cells =
            vec![(index + 1).to_string(), line.ticket_number.clone(), line.name.clone(), line.id_number_masked.clone()];
        cells.extend([mark(line.marks.theory), mark(line.marks.practical)]);
        if self.with_review() {
            cells.push(mark(line.marks.review));
        }
        cells.push(if line.passed { "合格" } else { "不合格" }.into());
        cells
    }

    fn with_review(&self) -> bool {
        self.lines.iter().any(|l| l.marks.review.is_some())
    }
}

/// One published result as the public sees it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NoticeLine {
    pub ticket_number: String,
    pub name: String,
    /// 440305********123X (domain::results::mask_id_number).
    pub id_number_masked: String,
    pub marks: Marks,
    pub passed: bool,
}

/// The plan's 成绩公示名单, in 准考证号 order; refused before the results are published.
pub fn notice_list(store: &Store, plan_id: i64) -> Result<NoticeList> {
    let conn = store.conn();
    let plan = plans::get(conn, plan_id)?;
    let Some(period) = notices::get(conn, plan_id)? else {
        return Err(Error::refused("本计划的成绩还没有发布公示，没有公示名单"));
    };
    let agency_name = settings::get(conn, Setting::AgencyName)?.unwrap_or_else(|| plan.publisher.clone());
    let mut lines = Vec::new();
    for row in list_scores(store, plan_id)? {
        if row.status != ApplicationStatus::ScoresPublished {
            continue;
        }
        lines.push(NoticeLine {
            id_number_masked: mask_id_number(&row.id_number),
            passed: row.passed == Some(true),
            ticket_number: row.ticket_number,
            name: row.name,
            marks: row.marks,
        });
    }
    Ok(NoticeList {
        title: format!("{} {} 职业技能等级认定成绩公示", plan.occupation_printed(), plan.level),
        agency_name,
        period,
        lines,
    })
}

/// Writes the plan's 成绩公示名单 as .xlsx (the same lines as the printed list); returns how many.
pub fn export_notice_list(store: &Store, plan_id: i64, path: &Path) -> Result<usize> {
    let list = notice_list(store, plan_id)?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("成绩公示").map_err(write_failed)?;
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border(FormatBorder::Thin);
    sheet.write_string_with_format(0, 0, &list.title, &title).map_err(write_failed)?;
    sheet
        .write_string(1, 0, format!("公示期：{}    发布机构：{}", list.period.label(), list.agency_name))
        .map_err(write_failed)?;
    for (i, name) in list.titles().into_iter().enumerate() {
        let width = match name {
            "证件号码" => 21.0,
            "准考证号" => 14.0,
            "序号" => 6.0,
            "结果" => 8.0,
            _ => 10.0,
        };
        sheet.write_string_with_format(3, i as u16, name, &header).map_err(write_failed)?;
        sheet.set_column_width(i as u16, width).map_err(write_failed)?;
    }
    for index in 0..list.lines.len() {
        for (col, value) in list.cells(index).iter().enumerate() {
            sheet.write_string(index as u32 + 4, col as u16, value).map_err(write_failed)?;
        }
    }
    sheet.set_freeze_panes(4, 0).map_err(write_failed)?;
    workbook.save(path).map_err(write_failed)?;
    Ok(list.lines.len())
}

/// A correction of one mark (a 查分 request found it wrong).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct CorrectionRequest {
    pub plan_id: i64,
    /// The candidate's 准考证号 or 证件号码.
    pub candidate: String,
    pub part: Part,
    /// The corrected mark as typed: "85.5", "缺考".
    pub mark: String,
    pub reason: String,
}

/// 更正成绩: one mark changed, the mark before it kept with the reason, who and when (`score_corrections`, and the
/// audit trail). Before publication any entered mark; after it only while the results are on notice. The pass or
/// fail that follows is what the certificates later go by.
pub fn correct_score(store: &mut Store, session: &Session, request: &CorrectionRequest) -> Result<ScoreRow> {
    session.require(Permission::Scores)?;
    let reason = super::required_reason(&request.reason, "更正原因", "如“查分复核：第 3 题漏计 5 分”")?;
    let Some(mark) = Mark::parse(request.part.label(), &request.mark)? else {
        return Err(Error::invalid(request.part.label(), "请填写更正后的成绩（0 到 100，缺考填“缺考”）"));
    };
    let now = session.now();
    let application_id = store.write(|tx| {
        let plan = plans::get(tx, request.plan_id)?;
        if request.part == Part::Review && !plan.level.needs_review_panel() {
            return Err(Error::invalid("科目", format!("{}没有综合评审", plan.level)));
        }
        let wanted = normalize_number(&request.candidate);
        let Some(app) = filed_with_tickets(tx, plan.id)?
            .into_iter()
            .find(|(ticket, app)| *ticket == wanted || app.id_number == wanted)
            .map(|(_, app)| app)
        else {
            return Err(Error::NotFound(format!(
                "计划“{} {}”中没有准考证号或证件号码为“{}”的已编排考生",
                plan.title(),
                plan.level,
                request.candidate.trim()
            )));
        };
        let sitting = arranged(tx, plan.id)?.sitting(request.part);
        if let Some(sitting) = sitting {
            check_marks_date(request.part.label(), sitting.date(), session.today)?;
        }
        if resits::get(tx, app.id)?.is_some_and(|r| r.carried.contains(&request.part)) {
            return Err(Error::refused(format!(
                "{}本次为补考，{}沿用上次考试的合格成绩，不在本计划更正",
                app.name,
                request.part.label()
            )));
        }
        match app.status {
            ApplicationStatus::Filed => {}
            ApplicationStatus::ScoresPublished => {
                if let Some(notice) = notices::get(tx, plan.id)?.filter(|n| !n.is_open(session.today)) {
                    return Err(Error::refused(format!(
                        "成绩公示期（{}）已结束，{}的成绩已确定，不能再更正",
                        notice.label(),
                        app.name
                    )));
                }
                if let Some(certificate) = certificates::for_application(tx, app.id)? {
                    return Err(Error::refused(format!(
                        "{}已获发证书 {}，成绩不能再更正",
                        app.name, certificate.number
                    )));
                }
            }
            other => {
                return Err(Error::refused(format!("{}的报名状态为“{other}”，没有可更正的成绩", app.name)));
            }
        }
        let mut marks = scores::get(tx, app.id)?;
        let old = marks.get(request.part);
        if old.is_none() {
            return Err(Error::refused(format!(
                "{}的{}还没有登记成绩：请先登记，登记过的成绩才能更正",
                app.name,
                request.part.label()
            )));
        }
        if old == Some(mark) {
            return Err(Error::invalid(request.part.label(), format!("更正后的成绩与原成绩（{}）相同", mark.label())));
        }
        marks.set(request.part, Some(mark));
        scores::save(tx, app.id, &marks, &now)?;
        let correction = Correction {
            part: request.part,
            old,
            new: Some(mark),
            reason: reason.to_string(),
            actor: session.operator.clone(),
            at: now.clone(),
        };
        scores::add_correction(tx, app.id, &correction)?;
        let (from, to) = (
            old.map(|m| format!("{}：{}", request.part.label(), m.label())),
            format!("{}：{}", request.part.label(), mark.label()),
        );
        audit_change(tx, session, &app, "更正成绩", (from.as_deref(), Some(&to)), Some(reason), &now)?;
        Ok(app.id)
    })?;
    list_scores(store, request.plan_id)?
        .into_iter()
        .find(|row| row.application_id == application_id)
        .ok_or(Error::NoRow)
}

/// One arranged candidate's marks, as `scores list` shows them, with every correction made to them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScoreRow {
    pub application_id: i64,
    pub ticket_number: String,
    pub name: String,
    pub id_number: String,
    pub status: ApplicationStatus,
    pub marks: Marks,
    /// None while a required mark is missing.
    pub passed: Option<bool>,
    /// Oldest first; the first of a part holds its original mark.
    pub corrections: Vec<Correction>,
    /// A 补考's parts kept from the earlier exam (not marked in this plan); empty for a 新考.
    pub carried: Vec<Part>,
}

pub fn list_scores(store: &Store, plan_id: i64) -> Result<Vec<ScoreRow>> {
    let plan = plans::get(store.conn(), plan_id)?;
    let mut corrections = scores::corrections_for_plan(store.conn(), plan_id)?;
    let mut resits = resits::for_plan(store.conn(), plan_id)?;
    filed_with_tickets(store.conn(), plan_id)?
        .into_iter()
        .map(|(ticket_number, app)| {
            let marks = scores::get(store.conn(), app.id)?;
            Ok(ScoreRow {
                application_id: app.id,
                corrections: corrections.remove(&app.id).unwrap_or_default(),
                carried: resits.remove(&app.id).map(|r| r.carried).unwrap_or_default(),
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
