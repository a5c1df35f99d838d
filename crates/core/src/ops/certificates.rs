//! 职业技能等级证书: issued as a step of its own once a plan's results notice has ended, dated by the operator;
//! revoked (作废) when its basis falls away; reissued (补发) when lost or damaged, under the same number with a new
//! 印制流水码 or under a new number, as the agency's setting says.

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use std::collections::HashMap;
use std::path::Path;

use super::Session;
use super::applications::audit_change;
use crate::domain::certificate::{Issuer, validate_number};
use crate::domain::id_number::normalize_number;
use crate::domain::level::Level;
use crate::domain::operator::Permission;
use crate::domain::results::check_issue_date;
use crate::domain::settings::Setting;
use crate::domain::status::{ApplicationStatus, PaymentStatus};
use crate::error::{Error, Fix, Result};
use crate::import::columns::{ColumnKind, find_header, recognise_among};
use crate::import::{ImportResult, ImportSummary, RowError};
use crate::progress::Progress;
use crate::spreadsheet::Workbook as Sheets;
use crate::store::applications::Application;
use crate::store::assigned_numbers;
use crate::store::certificates::{self, Certificate, CertificateState, NewCertificate};
use crate::store::sql::Connection;
use crate::store::{Store, applications, arrangements, audit, certificate_serials, notices, plans, scores, settings};

/// What issuing did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IssueOutcome {
    /// The certificates issued now.
    pub issued: Vec<Certificate>,
    /// Candidates who passed and had their certificate already (issued by an earlier run).
    pub already: usize,
    /// Candidates who passed but whose fee is 待支付 or 缓缴: their certificate waits until it is paid.
    pub waiting: Vec<AwaitingPayment>,
}

/// A candidate who passed and gets their certificate once the fee is paid.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AwaitingPayment {
    pub name: String,
    pub id_number: String,
    pub payment: PaymentStatus,
}

impl AwaitingPayment {
    fn of(app: &Application) -> Self {
        AwaitingPayment { name: app.name.clone(), id_number: app.id_number.clone(), payment: app.payment }
    }
}

/// 颁发证书: a certificate dated `issued_on` for each candidate of the plan whose published results passed and who has
/// none yet. Refused whole before the results notice has ended, for a 发证日期 before the exam, within the notice or
/// after today, and while the agency settings certificate numbers are made of are not set. `progress` hears every
/// hundred candidates; a set `cancel` rolls everything back.
pub fn issue_certificates(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    issued_on: NaiveDate,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<IssueOutcome> {
    session.require(Permission::Scores)?;
    let plan = plans::get(store.conn(), plan_id)?;
    if plan.level.digit().is_none() {
        return Err(Error::refused(format!("{}不颁发职业技能等级证书", plan.level)));
    }
    let Some(notice) = notices::get(store.conn(), plan_id)? else {
        return Err(Error::refused("本计划的成绩还没有发布公示：发布公示、公示期满后才能颁发证书"));
    };
    if notice.is_open(session.today) {
        return Err(Error::refused(format!(
            "成绩公示期为 {}，公示期满后才能颁发证书（公示期内成绩还可更正）",
            notice.label()
        )));
    }
    let last_day = arrangements::get(store.conn(), plan_id)?
        .map(|a| a.last_day())
        .ok_or_else(|| Error::refused("本计划还没有编排考试").with_fix(Fix::ArrangeFirst))?;
    check_issue_date(issued_on, last_day, &notice, session.today)?;
    crate::backup::before_bulk(store, "颁发证书")?;
    let now = session.now();
    store.write(|tx| {
        let agency_name = settings::require(tx, Setting::AgencyName)?;
        let published = applications::list_for_plan(tx, plan_id, Some(ApplicationStatus::ScoresPublished))?;
        let marks = scores::for_plan(tx, plan_id)?;
        let passed: Vec<&Application> = published
            .iter()
            .filter(|app| marks.get(&app.id).and_then(|m| m.passed(plan.level)) == Some(true))
            .collect();
        if passed.is_empty() {
            return Err(Error::refused("本计划没有成绩合格的考生，没有可颁发的证书"));
        }
        // Applications that have a certificate (valid or revoked) already: one read, not one per candidate.
        let certified: HashSet<i64> =
            certificates::list(tx, Some(plan_id), None)?.into_iter().map(|c| c.application_id).collect();
        // 缓缴 and 待支付: passed, but no certificate until the fee is paid; everyone else is issued meanwhile.
        let (waiting, passed): (Vec<&Application>, Vec<&Application>) =
            passed.into_iter().partition(|app| app.payment.awaits_payment() && !certified.contains(&app.id));
        if passed.iter().all(|app| certified.contains(&app.id)) && !waiting.is_empty() {
            let names: Vec<String> =
                waiting.iter().map(|a| format!("{}（{}，{}）", a.name, a.id_number, a.payment)).collect();
            return Err(Error::refused(format!(
                "以下成绩合格的考生尚未缴费，缴费后才能颁发证书：{}",
                super::some_people(&names)
            ))
            .with_fix(Fix::RecordPayment));
        }
        let waiting: Vec<AwaitingPayment> = waiting.into_iter().map(AwaitingPayment::of).collect();
        // Where the province assigned the numbers, every certificate takes its own: none is generated beside them.
        let assigned = assigned_numbers::for_plan(tx, plan_id)?;
        if !assigned.is_empty() {
            let mut unassigned = Vec::new();
            for app in &passed {
                if !assigned.contains_key(&app.id) && !certified.contains(&app.id) {
                    unassigned.push(format!("{}（{}）", app.name, app.id_number));
                }
            }
            if !unassigned.is_empty() {
                return Err(Error::refused(format!(
                    "本计划使用省级分配的证书编号，以下考生还没有分配编号：{}；请导入他们的证书编号后再颁发",
                    super::some_people(&unassigned)
                )));
            }
        }
        // Numbers for those who get a generated one, taken in one step; one at a time (each checked) only once
        // the province has assigned numbers somewhere.
        let any_assigned = assigned_numbers::any(tx)?;
        let generated = passed.iter().filter(|a| !certified.contains(&a.id) && !assigned.contains_key(&a.id)).count();
        // The agency's number parts are needed only for numbers it generates itself.
        let issuer = if generated > 0 { Some(settings::issuer(tx)?) } else { None };
        let mut block = match &issuer {
            Some(issuer) if !any_assigned => {
                certificate_serials::allocate_many(tx, issuer, issued_on.year(), plan.level, generated as u32)?
            }
            _ => Vec::new(),
        }
        .into_iter();
        let mut issued = HashSet::new();
        let mut already = 0;
        let total = passed.len();
        for (done, app) in passed.into_iter().enumerate() {
            crate::progress::step(progress, cancel, 100, done, total)?;
            if certified.contains(&app.id) {
                already += 1;
                continue;
            }
            let number = match assigned.get(&app.id) {
                Some(number) => number.clone(),
                None => match (block.next(), &issuer) {
                    (Some(number), _) => number,
                    (None, Some(issuer)) => fresh_number(tx, issuer, issued_on.year(), plan.level, any_assigned)?,
                    // `issuer` is read whenever a number is to be generated.
                    (None, None) => return Err(Error::NoRow),
                },
            };
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
                    replaces_id: None,
                    print_serial: None,
                },
                &now,
            )?;
            let detail = format!("发证日期 {issued_on}");
            audit_certificate(tx, session, (id, &number, &app.id_number, plan_id), "颁发证书", Some(&detail), &now)?;
            issued.insert(id);
        }
        progress(Progress { done: total, total });
        if issued.is_empty() {
            return Err(Error::refused(format!("本计划成绩合格的 {already} 人都已获发证书，没有新的证书可颁发")));
        }
        let issued =
            certificates::list(tx, Some(plan_id), None)?.into_iter().filter(|c| issued.contains(&c.id)).collect();
        Ok(IssueOutcome { issued, already, waiting })
    })
}

/// 作废: the valid certificate of `number` is revoked today, with the reason; it stays in the records, 证书查询 says
/// 已作废, and it is never printed again.
pub fn revoke_certificate(store: &mut Store, session: &Session, number: &str, reason: &str) -> Result<Certificate> {
    session.require(Permission::Scores)?;
    let reason = super::required_reason(reason, "作废原因", "如“经核查不符合报考条件”")?;
    let now = session.now();
    let id = store.write(|tx| {
        let certificate = valid_certificate(tx, number)?;
        certificates::revoke(tx, certificate.id, session.today, reason, &session.operator)?;
        audit_certificate(tx, session, certificate.audited(), "作废证书", Some(reason), &now)?;
        Ok(certificate.id)
    })?;
    certificates::get(store.conn(), id)?.ok_or(Error::NoRow)
}

/// 补发: a lost or damaged certificate is replaced by a new record pointing to it (the old one revoked, the reason
/// kept). Under the same number with the new paper's 印制流水码 (`print_serial`, required then), or under a new
/// number, as certificate.reissue_number says. What it certifies, and its 发证日期, stay those of the original.
pub fn reissue_certificate(
    store: &mut Store,
    session: &Session,
    number: &str,
    reason: &str,
    print_serial: Option<&str>,
) -> Result<Certificate> {
    session.require(Permission::Scores)?;
    let reason = super::required_reason(reason, "补发原因", "如“证书遗失”“证书损坏”")?;
    let print_serial = print_serial.map(str::trim).filter(|s| !s.is_empty());
    let now = session.now();
    let id = store.write(|tx| {
        let old = valid_certificate(tx, number)?;
        let keeps_number = settings::require(tx, Setting::ReissueNumber)? == "keep";
        let number = if keeps_number {
            let Some(serial) = print_serial else {
                return Err(Error::invalid(
                    "印制流水码",
                    "补发证书沿用原编号时，请填写新证书纸的印制流水码，以区分新旧两张证书",
                ));
            };
            if old.print_serial.as_deref() == Some(serial) {
                return Err(Error::invalid("印制流水码", format!("{serial} 是原证书的印制流水码，请填写新证书纸的")));
            }
            old.number.clone()
        } else {
            let plan = plans::get(tx, old.plan_id)?;
            let any_assigned = assigned_numbers::any(tx)?;
            fresh_number(tx, &settings::issuer(tx)?, session.today.year(), plan.level, any_assigned)?
        };
        certificates::revoke(tx, old.id, session.today, &format!("补发：{reason}"), &session.operator)?;
        let new = NewCertificate {
            number: &number,
            application_id: old.application_id,
            plan_id: old.plan_id,
            name: &old.name,
            id_type: &old.id_type,
            id_number: &old.id_number,
            occupation: &old.occupation,
            job: old.job.as_deref(),
            level: &old.level,
            issued_on: old.issued_on,
            agency_name: &old.agency_name,
            replaces_id: Some(old.id),
            print_serial,
        };
        let id = certificates::insert(tx, &new, &now)?;
        let reissued = certificates::get(tx, id)?.ok_or(Error::NoRow)?;
        let detail = format!(
            "补发（{reason}），原证书 {}{}",
            old.number,
            print_serial.map(|s| format!("，印制流水码 {s}")).unwrap_or_default()
        );
        audit_certificate(tx, session, reissued.audited(), "补发证书", Some(&detail), &now)?;
        Ok(id)
    })?;
    certificates::get(store.conn(), id)?.ok_or(Error::NoRow)
}

/// The next generated number no certificate and no assignment holds yet. The serials never repeat, so only a
/// number the province assigned can sit in the agency's own series: checked only once any was imported.
fn fresh_number(conn: &Connection, issuer: &Issuer, year: i32, level: Level, any_assigned: bool) -> Result<String> {
    loop {
        let number = certificate_serials::allocate(conn, issuer, year, level)?;
        let taken = any_assigned
            && (certificates::find_by_number(conn, &number)?.is_some()
                || assigned_numbers::holder(conn, &number)?.is_some());
        if !taken {
            return Ok(number);
        }
    }
}

/// The columns of a file of assigned certificate numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberColumn {
    IdNumber,
    Name,
    Number,
}

impl NumberColumn {
    const ALL: [NumberColumn; 3] = [NumberColumn::IdNumber, NumberColumn::Name, NumberColumn::Number];

    fn aliases(self) -> &'static [&'static str] {
        match self {
            NumberColumn::IdNumber => &["证件号码", "身份证号", "身份证号码", "证件号", "公民身份号码"],
            NumberColumn::Name => &["姓名", "考生姓名"],
            NumberColumn::Number => &["证书编号", "证书号", "证书编码", "证书号码"],
        }
    }
}

impl ColumnKind for NumberColumn {
    fn recognise(header: &str) -> Option<Self> {
        recognise_among(header, &NumberColumn::ALL, NumberColumn::aliases)
    }

    fn label(self) -> &'static str {
        self.aliases()[0]
    }

    fn is_key(self) -> bool {
        matches!(self, NumberColumn::IdNumber | NumberColumn::Number)
    }

    fn required() -> &'static [Self] {
        &[NumberColumn::IdNumber, NumberColumn::Number]
    }

    fn keeps_digits(self) -> bool {
        matches!(self, NumberColumn::IdNumber | NumberColumn::Number)
    }
}

/// 导入证书编号: the numbers the province assigned to a plan's passed candidates (证件号码 → 证书编号), each checked
/// (the national format, the plan's level in its 16th place, not held by another certificate or candidate, once in
/// the file); rows with problems are reported like an import's and the rest saved in one transaction (`dry_run`:
/// nothing saved). The issue step then takes them.
pub fn import_assigned_numbers(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    path: &Path,
    dry_run: bool,
) -> Result<ImportResult<NumberColumn>> {
    session.require(Permission::Scores)?;
    let plan = plans::get(store.conn(), plan_id)?;
    let Some(digit) = plan.level.digit() else {
        return Err(Error::refused(format!("{}不颁发职业技能等级证书", plan.level)));
    };
    let mut workbook = Sheets::open(path)?;
    let mut found = None;
    for name in workbook.sheet_names().to_vec() {
        let sheet = workbook.read_sheet(path, &name)?;
        if let Some(map) = find_header::<NumberColumn>(&sheet.rows)
            && map.index(NumberColumn::IdNumber).is_some()
            && map.index(NumberColumn::Number).is_some()
        {
            found = Some((name, map, sheet.rows));
            break;
        }
    }
    let Some((sheet_name, map, rows)) = found else {
        return Err(Error::Unreadable("找不到证书编号表的表头：表头应包含“证件号码”和“证书编号”两列".into()));
    };
    let now = session.now();
    let mut summary = ImportSummary::default();
    let mut rejected_rows = Vec::new();
    summary.committed = store.write_if(|tx| {
        let published = applications::list_for_plan(tx, plan_id, Some(ApplicationStatus::ScoresPublished))?;
        let mut by_id_number: HashMap<String, &Application> = HashMap::new();
        for app in &published {
            if scores::get(tx, app.id)?.passed(plan.level) == Some(true) {
                by_id_number.insert(app.id_number.clone(), app);
            }
        }
        let mut seen: HashMap<String, u32> = HashMap::new();
        for row in rows.iter().filter(|r| r.number > map.header_row) {
            summary.read += 1;
            let cell = |column| map.index(column).map(|i| row.cell(i).display()).unwrap_or_default();
            let error = |column: NumberColumn, reason: String| RowError {
                row: row.number,
                column: map.header(column),
                value: cell(column),
                reason,
            };
            let mut errors = Vec::new();
            let id_number = normalize_number(&cell(NumberColumn::IdNumber));
            let app = by_id_number.get(&id_number).copied();
            if app.is_none() {
                errors.push(error(
                    NumberColumn::IdNumber,
                    format!("不是计划“{} {}”成绩合格（已发布）的考生，不能分配证书编号", plan.title(), plan.level),
                ));
            }
            let number = match validate_number(&cell(NumberColumn::Number)) {
                Ok(number) => Some(number),
                Err(e) => {
                    errors.push(error(NumberColumn::Number, e.reason()));
                    None
                }
            };
            if let (Some(app), Some(number)) = (app, &number) {
                if number.as_bytes()[15] != b'0' + digit {
                    let why = format!("第16位等级为 {}，与本计划的{}（{digit}）不符", &number[15..16], plan.level);
                    errors.push(error(NumberColumn::Number, why));
                } else if let Some(first) = seen.insert(number.clone(), row.number) {
                    errors.push(error(NumberColumn::Number, format!("与第 {first} 行的证书编号重复")));
                } else if let Some(holder) = certificates::find_by_number(tx, number)? {
                    errors.push(error(NumberColumn::Number, format!("已是 {} 的证书编号", holder.name)));
                } else if assigned_numbers::holder(tx, number)?.is_some_and(|holder| holder != app.id) {
                    errors.push(error(NumberColumn::Number, "已分配给另一位考生".into()));
                }
                if let Some(issued) = certificates::for_application(tx, app.id)? {
                    errors.push(error(NumberColumn::IdNumber, format!("{}已获发证书 {}", app.name, issued.number)));
                }
            }
            match (app, number) {
                (Some(app), Some(number)) if errors.is_empty() => {
                    assigned_numbers::assign(tx, app.id, &number, &session.operator, &now)?;
                    audit_change(tx, session, app, "分配证书编号", (None, Some(&number)), None, &now)?;
                    summary.imported += 1;
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

/// The valid certificate of a number, or why there is none.
fn valid_certificate(conn: &Connection, number: &str) -> Result<Certificate> {
    let number = number.trim().to_uppercase();
    match certificates::find_by_number(conn, &number)? {
        Some(c) if c.state == CertificateState::Valid => Ok(c),
        Some(c) => Err(Error::refused(format!(
            "证书 {number}（{}）已于 {} 作废：{}",
            c.name,
            c.revoked_on.map(|d| d.to_string()).unwrap_or_default(),
            c.revoked_reason.unwrap_or_default()
        ))),
        None => Err(Error::NotFound(format!("没有编号为 {number} 的证书"))),
    }
}

/// The audit row of something done to a certificate, given as (id, 证书编号, 证件号码, plan id).
fn audit_certificate(
    conn: &Connection,
    session: &Session,
    (id, number, id_number, plan_id): (i64, &str, &str, i64),
    action: &str,
    detail: Option<&str>,
    now: &str,
) -> Result<()> {
    audit::append(
        conn,
        &audit::NewAuditEntry {
            actor: &session.operator,
            entity: "certificate",
            entity_id: id,
            action,
            to_value: Some(number),
            detail,
            id_number: Some(id_number),
            plan_id: Some(plan_id),
            ..Default::default()
        },
        now,
    )
}

/// Certificates issued, of a plan and/or a person.
pub fn list_certificates(store: &Store, plan_id: Option<i64>, id_number: Option<&str>) -> Result<Vec<Certificate>> {
    let number = id_number.map(normalize_number);
    certificates::list(store.conn(), plan_id, number.as_deref())
}
