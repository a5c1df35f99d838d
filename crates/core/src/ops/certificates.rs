//! 职业技能等级证书: issued as a step of its own once a plan's results notice has ended, dated by the operator.

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::Session;
use crate::domain::id_number::normalize_number;
use crate::domain::operator::Permission;
use crate::domain::results::check_issue_date;
use crate::domain::settings::Setting;
use crate::domain::status::ApplicationStatus;
use crate::error::{Error, Fix, Result};
use crate::progress::Progress;
use crate::store::certificates::{self, Certificate, NewCertificate};
use crate::store::{Store, applications, arrangements, audit, certificate_serials, notices, plans, scores, settings};

/// What issuing did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IssueOutcome {
    /// The certificates issued now.
    pub issued: Vec<Certificate>,
    /// Candidates who passed and had their certificate already (issued by an earlier run).
    pub already: usize,
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
        let issuer = settings::issuer(tx)?;
        let agency_name = settings::require(tx, Setting::AgencyName)?;
        let published = applications::list_for_plan(tx, plan_id, Some(ApplicationStatus::ScoresPublished))?;
        let mut passed = Vec::new();
        for app in &published {
            if scores::get(tx, app.id)?.passed(plan.level) == Some(true) {
                passed.push(app);
            }
        }
        if passed.is_empty() {
            return Err(Error::refused("本计划没有成绩合格的考生，没有可颁发的证书"));
        }
        let mut issued = HashSet::new();
        let mut already = 0;
        let total = passed.len();
        for (done, app) in passed.into_iter().enumerate() {
            crate::progress::step(progress, cancel, 100, done, total)?;
            if certificates::for_application(tx, app.id)?.is_some() {
                already += 1;
                continue;
            }
            let number = certificate_serials::allocate(tx, &issuer, issued_on.year(), plan.level)?;
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
                    detail: Some(&format!("发证日期 {issued_on}")),
                    id_number: Some(&app.id_number),
                    plan_id: Some(plan_id),
                    ..Default::default()
                },
                &now,
            )?;
            issued.insert(id);
        }
        progress(Progress { done: total, total });
        if issued.is_empty() {
            return Err(Error::refused(format!("本计划成绩合格的 {already} 人都已获发证书，没有新的证书可颁发")));
        }
        let issued =
            certificates::list(tx, Some(plan_id), None)?.into_iter().filter(|c| issued.contains(&c.id)).collect();
        Ok(IssueOutcome { issued, already })
    })
}

/// Certificates issued, of a plan and/or a person.
pub fn list_certificates(store: &Store, plan_id: Option<i64>, id_number: Option<&str>) -> Result<Vec<Certificate>> {
    let number = id_number.map(normalize_number);
    certificates::list(store.conn(), plan_id, number.as_deref())
}
