//! Candidate import from rosters (.xlsx, .xls, .ods): header detection, normalisation, row- and cell-level
//! errors, duplicates, updates of known people, optional applications to a plan, default accounts.
//!
//! Everything is written in one transaction: valid rows are committed together (or, with `strict`, nothing if any
//! row is rejected; with `dry_run`, nothing at all). A file that cannot be read is one `Error::Unreadable` and the
//! database is not touched.

pub mod columns;
pub mod preview;
pub mod report;
pub mod template;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, SyncSender};
use ts_rs::TS;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::domain::candidate::{CandidateDraft, Profile};
use crate::domain::eligibility::Verdict;
use crate::domain::id_number::IdType;
use crate::domain::level::Level;
use crate::domain::operator::Permission;
use crate::domain::text::{is_none_marker, to_half_width};
use crate::error::{Error, Result};
use crate::ops::Session;
use crate::ops::applications::add_application;
use crate::ops::candidates::audit_candidate;
use crate::ops::eligibility;
use crate::spreadsheet::{Cell, Row, SheetEvent, Workbook};
use crate::store::changes as store_changes;
use crate::store::plans::Plan;
use crate::store::{Store, applications, audit, candidates, plans};
use columns::{Column, ColumnKind, ColumnMap, find_header};

/// What the operator asked for.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Each valid row also becomes an application (待处理) to this plan.
    pub plan_id: Option<i64>,
    /// Check everything, commit nothing.
    pub dry_run: bool,
    /// Commit nothing if any row is rejected.
    pub strict: bool,
}

/// One problem with one cell (or a whole row, when `column` names no single cell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RowError {
    /// The row number Excel shows.
    pub row: u32,
    /// The column's header as in the file.
    pub column: String,
    /// The cell's value as the file holds it.
    pub value: String,
    /// 中文说明, naming the fix.
    pub reason: String,
}

/// An imported row whose application the plan's 报考条件 rules did not find 符合.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EligibilityWarning {
    /// The row number Excel shows.
    pub row: u32,
    pub name: String,
    pub id_number: String,
    pub verdict: Verdict,
    pub summary: String,
}

/// The outcome, as `--json` prints it.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct ImportSummary {
    /// Data rows read (blank rows are not counted).
    pub read: usize,
    /// New candidates.
    pub imported: usize,
    /// Known candidates whose profile changed, or who got a new application.
    pub updated: usize,
    /// Rows that changed nothing.
    pub unchanged: usize,
    pub rejected: usize,
    pub errors: Vec<RowError>,
    /// Rows imported into a plan whose 报考条件 check was not 符合: a warning for the reviewer, not a rejection.
    pub warnings: Vec<EligibilityWarning>,
    /// Imported rows worth a second look (a score sheet's experts far apart): listed, not rejected.
    pub flags: Vec<RowError>,
    /// Whether anything was written (false for a dry run, or a strict import with rejections).
    pub committed: bool,
}

/// Everything a report of rejected rows needs: the outcome plus the rejected rows as the file had them.
pub struct ImportResult<C: ColumnKind = Column> {
    pub summary: ImportSummary,
    pub sheet_name: String,
    pub columns: ColumnMap<C>,
    /// Rejected rows as read, in file order.
    pub rejected_rows: Vec<Row>,
}

pub use crate::progress::Progress;

const PROGRESS_EVERY: usize = 1000;
/// Rows travel from the reading thread in batches of this many.
const BATCH: usize = 512;

/// What the reading thread sends, in order: the roster sheet once found, then its rows checked on their own.
enum Message {
    Roster { sheet: usize, map: ColumnMap, declared_rows: usize },
    Rows(Vec<Checked>),
    Failed(Error),
}

/// A data row after the checks that need nothing but the row itself (and the plan).
struct Checked {
    row: Row,
    /// None when `errors` says why.
    profile: Option<Profile>,
    errors: Vec<RowError>,
}

/// Imports the roster at `path`, in one transaction.
///
/// Two threads share the work (2 cores are the norm on agency PCs): one reads the file and checks each row on its
/// own; this one checks rows against each other (duplicates) and against the database, and writes them. `progress` is
/// called every thousand rows; setting `cancel` stops the import and leaves the database as it was.
pub fn import_candidates(
    store: &mut Store,
    session: &Session,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ImportResult> {
    session.require(Permission::ManageCandidates)?;
    let plan = options.plan_id.map(|id| plans::get(store.conn(), id)).transpose()?;
    if let Some(plan) = &plan
        && plan.closed
    {
        return Err(Error::refused(format!("计划“{} {}”已关闭报名，不能导入报名", plan.title(), plan.level)));
    }
    let mut workbook = Workbook::open(path)?;
    if !options.dry_run {
        crate::backup::before_bulk(store, "导入考生")?;
    }
    let names = workbook.sheet_names().to_vec();

    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Message>(64);
        let reader = Reader { path, names: &names, plan: plan.as_ref(), today: session.today };
        scope.spawn(move || reader.run(&mut workbook, &sender));

        let now = session.now();
        let mut import = Import::new(session, plan.as_ref(), &now);
        let mut roster: Option<(usize, ColumnMap)> = None;
        let committed = store.write_if(|tx| {
            // Logged for the portal sync in one statement at the end rather than by a trigger per row.
            store_changes::pause(tx)?;
            // Each row is checked against the file and the database before it is written: on a server the new
            // rows go many to a statement.
            tx.set_bulk(true);
            let audited_before = crate::store::audit::last_id(tx)?;
            import.database_was_empty = candidates::count(tx)? == 0;
            for message in receiver.iter() {
                match message {
                    Message::Failed(e) => return Err(e),
                    Message::Roster { sheet, map, declared_rows } => {
                        import.total = declared_rows.saturating_sub(map.header_row as usize);
                        // Sized once for every row the sheet declares (within the import limit) instead of growing.
                        let expected = import.total.min(crate::spreadsheet::MAX_ROWS as usize);
                        import.first_seen.reserve(expected);
                        roster = Some((sheet, map));
                    }
                    Message::Rows(rows) => {
                        let Some((_, map)) = &roster else { continue };
                        for checked in rows {
                            import.take(tx, map, checked, progress, cancel)?;
                        }
                    }
                }
            }
            let Some((_, map)) = &roster else {
                return Err(Error::Unreadable(no_header(&names)));
            };
            let commit = import.finish(tx, map, path, !options.dry_run, options.strict)?;
            store_changes::log_audited_after(tx, audited_before)?;
            store_changes::resume(tx)?;
            Ok(commit)
        });
        // Hanging up stops the reading thread if it is still going (a cancelled or failed import).
        drop(receiver);
        let committed = committed?;
        if committed {
            store.refresh_statistics(&["candidates", "applications", "audit_log"]);
        }
        let Some((sheet, columns)) = roster else { return Err(Error::Unreadable(no_header(&names))) };
        import.summary.committed = committed;
        progress(Progress { done: import.summary.read, total: import.summary.read });
        Ok(ImportResult {
            summary: import.summary,
            sheet_name: names[sheet].clone(),
            columns,
            rejected_rows: import.rejected_rows,
        })
    })
}

fn no_header(names: &[String]) -> String {
    format!("在工作表（{}）的前 30 行中找不到表头：表头应包含“姓名”“证件号码”“手机号码”等列", names.join("、"))
}

/// The reading thread: finds the roster sheet (the first visible one whose first rows hold a header with the
/// required columns), then streams its rows, each checked on its own, until the receiver hangs up.
struct Reader<'a> {
    path: &'a Path,
    names: &'a [String],
    plan: Option<&'a Plan>,
    today: NaiveDate,
}

impl Reader<'_> {
    fn run(&self, workbook: &mut Workbook, sender: &SyncSender<Message>) {
        // Why the first sheet with a header could not be used (a required column missing).
        let mut problem: Option<String> = None;
        for (sheet, name) in self.names.iter().enumerate() {
            let mut declared_rows = 0;
            let mut head: Vec<Row> = Vec::new();
            let mut map: Option<ColumnMap> = None;
            let mut batch: Vec<Checked> = Vec::with_capacity(BATCH);
            let mut open = true;
            let mut passed = false;
            let streamed = workbook.stream_sheet(self.path, name, &mut |event| {
                let row = match event {
                    SheetEvent::Size(n) => {
                        declared_rows = n;
                        return true;
                    }
                    SheetEvent::Row(row) => row,
                };
                match &map {
                    Some(map) => {
                        batch.extend(self.check(map, row));
                        if batch.len() >= BATCH {
                            open = sender.send(Message::Rows(std::mem::take(&mut batch))).is_ok();
                        }
                        open
                    }
                    None => {
                        head.push(row);
                        if head.len() < columns::HEADER_SEARCH_ROWS {
                            return true;
                        }
                        match self.decide(sheet, &mut head, declared_rows, &mut problem, sender) {
                            Some((found, rows)) => {
                                batch.extend(rows.into_iter().flat_map(|r| self.check(&found, r)));
                                map = Some(found);
                                true
                            }
                            None => {
                                passed = true;
                                false
                            }
                        }
                    }
                }
            });
            if let Err(e) = streamed {
                let _ = sender.send(Message::Failed(e));
                return;
            }
            if !open {
                return;
            }
            // A sheet shorter than the header search: decide on what it had.
            if map.is_none() && !passed {
                match self.decide(sheet, &mut head, declared_rows, &mut problem, sender) {
                    Some((found, rows)) => {
                        batch.extend(rows.into_iter().flat_map(|r| self.check(&found, r)));
                        map = Some(found);
                    }
                    None => continue,
                }
            }
            if map.is_some() {
                if !batch.is_empty() {
                    let _ = sender.send(Message::Rows(batch));
                }
                return;
            }
        }
        let why = problem.unwrap_or_else(|| no_header(self.names));
        let _ = sender.send(Message::Failed(Error::Unreadable(why)));
    }

    /// Looks for the header in a sheet's first rows. Found: announces the roster and returns its map and the rows.
    fn decide(
        &self,
        sheet: usize,
        head: &mut Vec<Row>,
        declared_rows: usize,
        problem: &mut Option<String>,
        sender: &SyncSender<Message>,
    ) -> Option<(ColumnMap, Vec<Row>)> {
        let rows = std::mem::take(head);
        let map: ColumnMap = find_header(&rows)?;
        let missing = map.missing_required();
        if !missing.is_empty() {
            let labels: Vec<&str> = missing.iter().map(|c| c.label()).collect();
            problem.get_or_insert_with(|| {
                format!(
                    "工作表“{}”第 {} 行是表头，但缺少必填列：{}。请在表头中加上这些列（可参考考生导入模板）",
                    self.names[sheet],
                    map.header_row,
                    labels.join("、")
                )
            });
            return None;
        }
        sender.send(Message::Roster { sheet, map: map.clone(), declared_rows }).ok()?;
        Some((map, rows))
    }

    /// A data row checked on its own; None for the header (or rows above it) and the template's example row.
    fn check(&self, map: &ColumnMap, row: Row) -> Option<Checked> {
        if row.number <= map.header_row || is_example(&row, map) {
            return None;
        }
        let mut errors = Vec::new();
        let profile = check_row(&row, map, self.plan, self.today, &mut errors);
        Some(Checked { row, profile, errors })
    }
}

/// The writing side's running state: the outcome so far and what each row needs.
struct Import<'a> {
    session: &'a Session,
    plan: Option<&'a Plan>,
    now: &'a str,
    summary: ImportSummary,
    /// Where each person was first seen in the file (FNV: this map takes every row of a large roster).
    first_seen: HashMap<(IdType, String), u32, BuildHasherDefault<Fnv>>,
    rejected_rows: Vec<Row>,
    /// Data rows the sheet declares, for progress.
    total: usize,
    /// An empty database (the first import): every row is new, no lookups needed.
    database_was_empty: bool,
}

impl<'a> Import<'a> {
    fn new(session: &'a Session, plan: Option<&'a Plan>, now: &'a str) -> Self {
        Import {
            session,
            plan,
            now,
            summary: ImportSummary::default(),
            first_seen: HashMap::default(),
            rejected_rows: Vec::new(),
            total: 0,
            database_was_empty: false,
        }
    }

    /// One data row, already checked on its own: checked against the rows before it, then written.
    fn take(
        &mut self,
        tx: &crate::store::sql::Connection,
        map: &ColumnMap,
        checked: Checked,
        progress: &mut dyn FnMut(Progress),
        cancel: &AtomicBool,
    ) -> Result<()> {
        if self.summary.read.is_multiple_of(PROGRESS_EVERY) {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            progress(Progress { done: self.summary.read, total: self.total.max(self.summary.read) });
        }
        self.summary.read += 1;
        let Checked { row, profile, mut errors } = checked;
        if let Some(p) = &profile {
            match self.first_seen.entry((p.id_type, p.id_number.clone())) {
                Entry::Occupied(first) => {
                    let first = *first.get();
                    errors.push(cell_error(
                        &row,
                        map,
                        Column::IdNumber,
                        format!(
                            "与第 {first} 行是同一人（证件号码重复），本行未导入；如需更正信息，请合并到第 {first} 行"
                        ),
                    ));
                }
                Entry::Vacant(slot) => {
                    slot.insert(row.number);
                }
            }
        }
        let outcome = match &profile {
            Some(profile) if errors.is_empty() => {
                write_row(tx, self.session, profile, self.plan, self.database_was_empty, self.now)
            }
            _ => Err(RowRefusal::Checked),
        };
        if let (Ok(_), Some(plan), Some(profile)) = (&outcome, self.plan, &profile)
            && plan.eligibility.is_some()
        {
            // What is checked is the profile as stored now (a known person's blanks keep their stored data).
            let stored = candidates::find(tx, profile.id_type, &profile.id_number)?
                .ok_or_else(|| Error::NotFound(format!("{} 刚导入却未找到", profile.id_number)))?;
            if let Some(check) = eligibility::evaluate(tx, plan, &stored)?
                && check.verdict != Verdict::Eligible
            {
                self.summary.warnings.push(EligibilityWarning {
                    row: row.number,
                    name: stored.profile.name,
                    id_number: stored.profile.id_number,
                    verdict: check.verdict,
                    summary: check.summary,
                });
            }
        }
        match outcome {
            Ok(RowOutcome::Imported) => self.summary.imported += 1,
            Ok(RowOutcome::Updated) => self.summary.updated += 1,
            Ok(RowOutcome::Unchanged) => self.summary.unchanged += 1,
            Err(RowRefusal::Database(e)) => return Err(e),
            Err(refusal) => {
                if let RowRefusal::Rule { column, reason } = refusal {
                    errors.push(cell_error(&row, map, column, reason));
                }
                self.summary.rejected += 1;
                self.summary.errors.extend(errors);
                self.rejected_rows.push(row);
            }
        }
        Ok(())
    }

    /// Orders the errors and decides: keep (with one audit row for the import) or roll back.
    fn finish(
        &mut self,
        tx: &crate::store::sql::Connection,
        map: &ColumnMap,
        path: &Path,
        commit: bool,
        strict: bool,
    ) -> Result<bool> {
        let summary = &mut self.summary;
        // Row by row, and left to right within a row, as the operator reads the file.
        let position = |e: &RowError| map.header_cells.iter().position(|h| h.trim() == e.column).unwrap_or(usize::MAX);
        summary.errors.sort_by_key(|e| (e.row, position(e)));
        // A dry run and a refused strict import are rolled back: the database stays exactly as it was.
        let keep = commit && !(strict && summary.rejected > 0);
        // Re-importing the same file writes nothing at all, not even a note that it was imported again.
        if keep && summary.imported + summary.updated > 0 {
            let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let detail = format!(
                "文件 {file}：读取 {} 行，新增 {}，更新 {}，未变 {}，拒绝 {}",
                summary.read, summary.imported, summary.updated, summary.unchanged, summary.rejected
            );
            audit::append(
                tx,
                &audit::NewAuditEntry {
                    actor: &self.session.operator,
                    entity: "import",
                    entity_id: 0,
                    action: "导入考生名单",
                    detail: Some(&detail),
                    plan_id: self.plan.map(|p| p.id),
                    ..Default::default()
                },
                self.now,
            )?;
        }
        Ok(keep)
    }
}

/// FNV-1a: a fast hash for short keys (no flooding concern: the keys come from the operator's own file).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// The template's example row (姓名 starting with 示例) is not data.
fn is_example(row: &Row, map: &ColumnMap) -> bool {
    map.index(Column::Name).is_some_and(|i| matches!(row.cell(i), Cell::Text(t) if t.trim().starts_with("示例")))
}

fn cell_error(row: &Row, map: &ColumnMap, column: Column, reason: String) -> RowError {
    let value = map.index(column).map(|i| row.cell(i).display()).unwrap_or_default();
    RowError { row: row.number, column: map.header(column), value, reason }
}

/// Validates one row into a profile, recording every problem (one per cell).
fn check_row(
    row: &Row,
    map: &ColumnMap,
    plan: Option<&Plan>,
    today: NaiveDate,
    errors: &mut Vec<RowError>,
) -> Option<Profile> {
    let mut text = |column: Column| -> String {
        let Some(index) = map.index(column) else { return String::new() };
        match cell_text(row.cell(index), column) {
            Ok(t) => t,
            Err(reason) => {
                errors.push(cell_error(row, map, column, reason));
                String::new()
            }
        }
    };
    let draft = CandidateDraft {
        name: text(Column::Name),
        id_type: text(Column::IdType),
        id_number: text(Column::IdNumber),
        sex: text(Column::Sex),
        birth_date: text(Column::BirthDate),
        phone: text(Column::Phone),
        ethnicity: text(Column::Ethnicity),
        education: text(Column::Education),
        employer: text(Column::Employer),
        address: text(Column::Address),
        years_in_occupation: text(Column::Years),
        source: text(Column::Source),
        prior_cert_number: text(Column::PriorCertNumber),
        prior_cert_name: text(Column::PriorCertName),
        prior_cert_level: text(Column::PriorCertLevel),
        prior_cert_date: text(Column::PriorCertDate),
        major: text(Column::Major),
        school: text(Column::School),
        graduated_on: text(Column::GraduatedOn),
        work_started_on: text(Column::WorkStartedOn),
        title: text(Column::Title),
    };
    let (occupation, job, level) = (text(Column::Occupation), text(Column::Job), text(Column::Level));
    let cell_failed: Vec<String> = errors.iter().filter(|e| e.row == row.number).map(|e| e.column.clone()).collect();

    let profile = match draft.check(today) {
        Ok(p) => Some(p),
        Err(problems) => {
            for problem in problems {
                let (field, message) = match &problem {
                    Error::Invalid { field, message } => (*field, message.clone()),
                    other => ("", other.to_string()),
                };
                let column = Column::for_field(field).unwrap_or(Column::Name);
                // A cell already reported (say, an ID stored as a number) is not reported twice.
                if cell_failed.contains(&map.header(column)) {
                    continue;
                }
                let reason = if map.index(column).is_none() && matches!(column, Column::Sex | Column::BirthDate) {
                    format!("{field}：{message}")
                } else {
                    message
                };
                errors.push(cell_error(row, map, column, reason));
            }
            None
        }
    };
    if let Some(plan) = plan {
        check_against_plan(row, map, plan, &occupation, &job, &level, errors);
    }
    profile.filter(|_| errors.iter().all(|e| e.row != row.number))
}

/// A row's own 职业/工种/等级, where given, must be the plan's.
fn check_against_plan(
    row: &Row,
    map: &ColumnMap,
    plan: &Plan,
    occupation: &str,
    job: &str,
    level: &str,
    errors: &mut Vec<RowError>,
) {
    let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect::<String>();
    let target = format!("计划“{} {}”", plan.title(), plan.level);
    if !occupation.trim().is_empty() && squeeze(occupation) != squeeze(&plan.occupation) {
        let reason = format!("本行职业为“{}”，与{target}不符；请核对，或导入到对应的计划", occupation.trim());
        errors.push(cell_error(row, map, Column::Occupation, reason));
    }
    let plan_job = plan.job.clone().unwrap_or_default();
    if !is_none_marker(job) && squeeze(job) != squeeze(&plan_job) {
        let reason = format!("本行工种为“{}”，与{target}不符；请核对，或导入到对应的计划", job.trim());
        errors.push(cell_error(row, map, Column::Job, reason));
    }
    if !level.trim().is_empty() {
        match Level::parse(level) {
            Ok(l) if l == plan.level => {}
            Ok(l) => {
                let reason = format!("本行等级为“{l}”，与{target}不符；请核对，或导入到对应的计划");
                errors.push(cell_error(row, map, Column::Level, reason));
            }
            Err(e) => errors.push(cell_error(row, map, Column::Level, e.to_string())),
        }
    }
}

/// A cell as the text its field is validated from. Numbers and dates are turned into what the operator meant, except
/// where the number has already lost information.
fn cell_text(cell: &Cell, column: Column) -> std::result::Result<String, String> {
    match (cell, column) {
        (Cell::Error(e), _) => Err(format!("单元格是错误值 {e}（可能是公式出错），请填入实际内容")),
        (Cell::Number(n), Column::IdNumber) => {
            // Excel keeps 15 significant digits: an 18-digit ID typed as a number is already damaged.
            if n.fract() == 0.0 && n.abs() < 1e15 {
                let digits = format!("{}", *n as i64);
                if digits.len() < 15 {
                    return Ok(digits);
                }
            }
            Err(format!(
                "证件号码被 Excel 存成了数字（显示为 {}），超过 15 位的数字已丢失末尾几位，无法还原；请把该列设置为“文本”格式，重新录入完整号码",
                cell.display()
            ))
        }
        // A certificate number typed as a number: exact up to 15 digits; a 16-digit 职业资格证书 number has lost its
        // last digit already.
        (Cell::Number(n), Column::PriorCertNumber) => {
            if n.fract() == 0.0 && *n >= 0.0 && *n < 1e15 {
                return Ok(format!("{}", *n as i64));
            }
            Err(format!(
                "原证书编号被 Excel 存成了数字（显示为 {}），超过 15 位的数字已丢失末尾几位；请把该列设置为“文本”格式，重新录入完整编号",
                cell.display()
            ))
        }
        // A month typed into Excel as a number: 2015.07 (July), 2015.1 (what 2015.10 becomes), 201507.
        (Cell::Number(n), Column::GraduatedOn | Column::WorkStartedOn) if (1900.0..2100.0).contains(n) => {
            let month = (n.fract() * 100.0).round() as u32;
            Ok(format!("{}-{month:02}", n.trunc() as i32))
        }
        (Cell::Number(n), Column::GraduatedOn | Column::WorkStartedOn)
            if n.fract() == 0.0 && (190_001.0..210_013.0).contains(n) =>
        {
            Ok(format!("{}", *n as i64))
        }
        (Cell::Number(n), column) if column.holds_dates() => excel_serial_date(*n)
            .map(|d| d.to_string())
            .ok_or_else(|| format!("“{}”不是有效日期，请写成 1990-03-07 的形式", cell.display())),
        (Cell::Date(d), _) => Ok(d.to_string()),
        // A web system's export writes what the cell showed: a date never formatted as one is its 5-digit serial.
        (Cell::Text(t), column)
            if column.holds_dates() && t.trim().len() == 5 && t.trim().bytes().all(|b| b.is_ascii_digit()) =>
        {
            cell_text(&Cell::Number(t.trim().parse().unwrap_or(0.0)), column)
        }
        (Cell::Text(t), _) => Ok(to_half_width(t).into_owned()),
        (other, _) => Ok(other.display()),
    }
}

/// An Excel date serial (1900 date system) as a date; None outside 1900–9999.
fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Serial 60 is Excel's phantom 1900-02-29; serials after it are one day ahead.
    let days = serial.trunc() as u64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 31)?;
    let days = if days >= 60 { days - 1 } else { days };
    base.checked_add_days(Days::new(days))
}

enum RowOutcome {
    Imported,
    Updated,
    Unchanged,
}

/// Why a row was not written.
enum RowRefusal {
    /// It failed its own checks (the errors are already recorded).
    Checked,
    /// A rule against the database refused it (a locked profile, a full plan).
    Rule { column: Column, reason: String },
    /// The database failed: the whole import stops.
    Database(Error),
}

impl From<Error> for RowRefusal {
    fn from(e: Error) -> Self {
        RowRefusal::Database(e)
    }
}

/// Writes one valid row: a new candidate (with a default account), or an update of a known one, and with a plan an
/// application. Database failures end the import; rule refusals reject only this row.
fn write_row(
    tx: &crate::store::sql::Connection,
    session: &Session,
    profile: &Profile,
    plan: Option<&Plan>,
    database_was_empty: bool,
    now: &str,
) -> std::result::Result<RowOutcome, RowRefusal> {
    let existing = if database_was_empty { None } else { candidates::find(tx, profile.id_type, &profile.id_number)? };
    // Every refusal comes before the first write, so a refused row leaves nothing behind.
    let needs_application = match (plan, &existing) {
        (None, _) => None,
        // A candidate new to the database has no application yet.
        (Some(plan), None) => Some(plan),
        (Some(plan), Some(c)) => applications::find(tx, plan.id, c.id)?.is_none().then_some(plan),
    };
    if let Some(plan) = needs_application
        && let Some(capacity) = plan.capacity
        && applications::count_taking_places(tx, plan.id)? >= i64::from(capacity)
    {
        let reason = format!("计划人数已满（{capacity} 人），本行未能报名，也未导入；请扩大计划人数或改报其他计划");
        return Err(RowRefusal::Rule { column: Column::Name, reason });
    }
    let merged = existing.as_ref().map(|c| merge(&c.profile, profile));
    if let (Some(existing), Some(merged)) = (&existing, &merged)
        && merged != &existing.profile
        && let Some(status) = applications::locking_status(tx, existing.id)?
    {
        return Err(RowRefusal::Rule {
            column: Column::Name,
            reason: format!(
                "{}已有报名处于“{status}”状态，个人资料已锁定，本行的修改未导入；如确需修改，请先撤回该报名的审核",
                existing.profile.name
            ),
        });
    }

    let (candidate_id, mut outcome) = match (existing, merged) {
        (Some(existing), Some(merged)) if merged == existing.profile => (existing.id, RowOutcome::Unchanged),
        (Some(existing), Some(merged)) => {
            candidates::update_profile(tx, &merged, now)?;
            let before = serde_json::to_string(&existing.profile).unwrap_or_default();
            let after = serde_json::to_string(&merged).unwrap_or_default();
            let who = (existing.id, profile.id_number.as_str());
            audit_candidate(tx, session, who, "导入更新资料", (Some(&before), Some(&after)), None, now)?;
            (existing.id, RowOutcome::Updated)
        }
        _ => {
            let id = candidates::insert(tx, profile, now)?;
            audit_candidate(tx, session, (id, &profile.id_number), "导入考生", (None, Some(&profile.name)), None, now)?;
            (id, RowOutcome::Imported)
        }
    };
    if let Some(plan) = needs_application {
        add_application(tx, session, plan, candidate_id, &profile.id_number, "导入报名", now)?;
        if matches!(outcome, RowOutcome::Unchanged) {
            outcome = RowOutcome::Updated;
        }
    }
    Ok(outcome)
}

/// The stored profile with what the file gives: a blank cell keeps what is stored (rosters often carry fewer columns
/// than the profile has).
fn merge(stored: &Profile, file: &Profile) -> Profile {
    fn or<T: Clone>(new: &Option<T>, old: &Option<T>) -> Option<T> {
        new.clone().or_else(|| old.clone())
    }
    Profile {
        name: file.name.clone(),
        id_type: stored.id_type,
        id_number: stored.id_number.clone(),
        sex: or(&file.sex, &stored.sex),
        birth_date: or(&file.birth_date, &stored.birth_date),
        phone: file.phone.clone(),
        ethnicity: or(&file.ethnicity, &stored.ethnicity),
        education: or(&file.education, &stored.education),
        employer: or(&file.employer, &stored.employer),
        address: or(&file.address, &stored.address),
        years_in_occupation: or(&file.years_in_occupation, &stored.years_in_occupation),
        source: or(&file.source, &stored.source),
        prior_cert_name: or(&file.prior_cert_name, &stored.prior_cert_name),
        prior_cert_level: or(&file.prior_cert_level, &stored.prior_cert_level),
        prior_cert_number: or(&file.prior_cert_number, &stored.prior_cert_number),
        prior_cert_date: or(&file.prior_cert_date, &stored.prior_cert_date),
        major: or(&file.major, &stored.major),
        school: or(&file.school, &stored.school),
        graduated_on: or(&file.graduated_on, &stored.graduated_on),
        work_started_on: or(&file.work_started_on, &stored.work_started_on),
        title: or(&file.title, &stored.title),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::audit;

    /// A roster of `n` valid rows (synthetic IDs from one region, valid check characters).
    fn roster(dir: &Path, n: usize) -> std::path::PathBuf {
        let path = dir.join("roster.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let sheet = wb.add_worksheet();
        for (c, h) in ["姓名", "证件号码", "手机号码"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for i in 0..n {
            let first17 = format!("110105199001{:02}{:03}", 1 + i % 28, i / 28);
            let id = format!("{first17}{}", crate::domain::id_number::check_char(&first17).unwrap());
            let row = i as u32 + 1;
            let name: String = format!("{i:04}")
                .chars()
                .map(|d| "甲乙丙丁戊己庚辛壬癸".chars().nth(d as usize - 48).unwrap())
                .collect();
            sheet.write_string(row, 0, format!("考生{name}")).unwrap();
            sheet.write_string(row, 1, id).unwrap();
            sheet.write_string(row, 2, "13812345678").unwrap();
        }
        wb.save(&path).unwrap();
        path
    }

    #[test]
    fn progress_is_reported_and_cancel_leaves_the_database_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let file = roster(dir.path(), 2500);
        let mut store = crate::testing::scratch();
        let session = Session::on("测试", NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
        let cancel = AtomicBool::new(false);

        // Cancel as soon as writing has started.
        let mut seen = Vec::new();
        let result = import_candidates(
            &mut store,
            &session,
            &file,
            &ImportOptions::default(),
            &mut |p| {
                seen.push(p);
                if p.done >= 1000 {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        );
        assert!(matches!(result, Err(Error::Cancelled)));
        assert!(seen.iter().all(|p| p.total == 2500), "the sheet's declared data rows are the total: {seen:?}");
        assert_eq!(candidates::list(store.conn()).unwrap().len(), 0);
        assert_eq!(audit::list(store.conn(), None).unwrap().len(), 0);

        cancel.store(false, Ordering::Relaxed);
        let mut last = None;
        let done =
            import_candidates(&mut store, &session, &file, &ImportOptions::default(), &mut |p| last = Some(p), &cancel)
                .unwrap();
        assert_eq!(done.summary.imported, 2500, "{:?}", &done.summary.errors[..3.min(done.summary.errors.len())]);
        assert_eq!(last, Some(Progress { done: 2500, total: 2500 }));
        assert_eq!(crate::store::accounts::list(store.conn()).unwrap().len(), 2500);
    }

    #[test]
    fn excel_serials_become_dates() {
        assert_eq!(excel_serial_date(32939.0), NaiveDate::from_ymd_opt(1990, 3, 7));
        assert_eq!(excel_serial_date(1.0), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(excel_serial_date(61.0), NaiveDate::from_ymd_opt(1900, 3, 1));
        assert_eq!(excel_serial_date(0.0), None);
    }

    #[test]
    fn numbers_that_lost_digits_are_refused() {
        let damaged = cell_text(&Cell::Number(110105194912310000.0), Column::IdNumber).unwrap_err();
        assert!(damaged.contains("丢失") && damaged.contains("文本"), "{damaged}");
        // A short all-digit passport number survives being a number.
        assert_eq!(cell_text(&Cell::Number(123456789.0), Column::IdNumber).unwrap(), "123456789");
        assert_eq!(cell_text(&Cell::Number(13812345678.0), Column::Phone).unwrap(), "13812345678");
        assert_eq!(cell_text(&Cell::Number(32939.0), Column::BirthDate).unwrap(), "1990-03-07");
        assert_eq!(cell_text(&Cell::Text("32939".into()), Column::BirthDate).unwrap(), "1990-03-07");
    }
}
