//! 报名: apply, list, review (approve / reject, one or a batch), and the one place a status changes.

use crate::store::sql::Connection;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Session;
use super::candidates::find_candidate;
use super::eligibility;
use crate::domain::eligibility::Verdict;
use crate::domain::id_number::IdType;
use crate::domain::operator::Permission;
use crate::domain::results::{resit_parts, resit_valid_until};
use crate::domain::score::{Marks, Part};
use crate::domain::status::{Action, ApplicationStatus, PaymentStatus, transition};
use crate::error::{Error, Result};
use crate::store::Page;
use crate::store::applications::{self, Application, ApplicationQuery, ApplicationRow};
use crate::store::plans::Plan;
use crate::store::resits::{self, Resit};
use crate::store::{Store, arrangements, audit, candidates, certificates, plans, scores, settings};

/// Applies a stored candidate to a plan (待处理). Applying again after 申请不通过 resubmits that application.
pub fn apply(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    id_number: &str,
    id_type: Option<IdType>,
) -> Result<Application> {
    session.require(Permission::Review)?;
    let now = session.now();
    let id = store.write(|tx| {
        let plan = open_for_applications(tx, plan_id)?;
        let candidate = find_candidate(tx, id_number, id_type)?;
        if let Some(existing) = applications::find(tx, plan_id, candidate.id)? {
            if existing.status == ApplicationStatus::Rejected {
                change_status(tx, session, &existing, Action::Resubmit, None, &now)?;
                return Ok(existing.id);
            }
            return Err(Error::Conflict(format!(
                "{}（{}）已报名此计划，当前状态“{}”，不能重复报名",
                candidate.profile.name, candidate.profile.id_number, existing.status
            )));
        }
        add_application(tx, session, &plan, candidate.id, &candidate.profile.id_number, "报名", &now)
    })?;
    applications::get(store.conn(), id)
}

/// The plan, refused once it is closed to applications.
fn open_for_applications(conn: &Connection, plan_id: i64) -> Result<Plan> {
    let plan = plans::get(conn, plan_id)?;
    if plan.closed {
        return Err(Error::refused(format!("计划“{} {}”已关闭报名，不能再报名", plan.title(), plan.level)));
    }
    Ok(plan)
}

/// [`apply`] (or, with `resit`, [`apply_resit`]) for a candidate known by their record (the app's 报名 in the
/// candidate drawer).
pub fn apply_candidate(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    candidate_id: i64,
    resit: bool,
) -> Result<Application> {
    let candidate = candidates::get(store.conn(), candidate_id)?;
    if resit {
        return apply_resit(store, session, plan_id, &candidate.profile.id_number);
    }
    apply(store, session, plan_id, &candidate.profile.id_number, Some(candidate.profile.id_type))
}

/// 补考: the candidate applies to `plan_id` as a re-sit of their failed result in an earlier plan of the same
/// occupation, 工种 and level, keeping the parts they passed there (their marks copied into the new application) and
/// taking again only those they failed or missed. Refused, with the reason, when there is no such result, when it
/// was re-sat before (one re-sit), when it was itself a re-sit, or when the new plan's exam falls after the passed
/// parts' validity (resit.validity_months from the earlier exam's last day).
pub fn apply_resit(store: &mut Store, session: &Session, plan_id: i64, id_number: &str) -> Result<Application> {
    session.require(Permission::Review)?;
    let now = session.now();
    let id = store.write(|tx| {
        let plan = open_for_applications(tx, plan_id)?;
        let candidate = find_candidate(tx, id_number, None)?;
        let who = format!("{}（{}）", candidate.profile.name, candidate.profile.id_number);
        if let Some(existing) = applications::find(tx, plan_id, candidate.id)? {
            return Err(Error::Conflict(format!("{who}已报名此计划，当前状态“{}”，不能重复报名", existing.status)));
        }
        let basis = resit_basis(tx, &plan, candidate.id, &who)?;
        let application_id =
            add_application(tx, session, &plan, candidate.id, &candidate.profile.id_number, "补考报名", &now)?;
        keep_passed_parts(tx, session, application_id, &basis, &now)?;
        Ok(application_id)
    })?;
    applications::get(store.conn(), id)
}

/// Makes `application_id` the re-sit `basis` allows: the kept parts' marks copied into its scores row, the link to
/// the original, and the audit row that says what was kept. Runs inside the caller's transaction (apply, the
/// portal's application taken by the sync).
pub(crate) fn keep_passed_parts(
    conn: &Connection,
    session: &Session,
    application_id: i64,
    basis: &ResitBasis,
    now: &str,
) -> Result<()> {
    let mut kept = Marks::default();
    for part in &basis.carried {
        kept.set(*part, basis.marks.get(*part));
    }
    scores::save(conn, application_id, &kept, now)?;
    let resit = Resit {
        application_id,
        original_id: basis.original.id,
        carried: basis.carried.clone(),
        valid_until: basis.valid_until,
    };
    resits::insert(conn, &resit, now)?;
    let app = applications::get(conn, application_id)?;
    audit_change(conn, session, &app, "补考沿用成绩", (None, Some("补考")), Some(&basis.describe()), now)
}

/// What a re-sit rests on: the earlier application, its marks, the parts kept and until when they count.
pub(crate) struct ResitBasis {
    original: Application,
    marks: Marks,
    carried: Vec<Part>,
    last_exam_day: NaiveDate,
    valid_until: NaiveDate,
}

impl ResitBasis {
    /// "沿用 2026-10-29 考试的已合格科目：理论知识 80（有效期至 2027-10-29）".
    pub(crate) fn describe(&self) -> String {
        let carried: Vec<String> = self
            .carried
            .iter()
            .map(|p| format!("{} {}", p.label(), self.marks.get(*p).map(|m| m.label()).unwrap_or_default()))
            .collect();
        format!("沿用 {} 考试的已合格科目：{}（有效期至 {}）", self.last_exam_day, carried.join("、"), self.valid_until)
    }
}

/// The candidate's failed result a re-sit of `plan` would keep parts of: the latest published result of the same
/// occupation, 工种 and level in another plan. Refused with the reason when there is none that may be re-sat.
pub(crate) fn resit_basis(conn: &Connection, plan: &Plan, candidate_id: i64, who: &str) -> Result<ResitBasis> {
    let mut earlier = Vec::new();
    for app in applications::list_for_candidate(conn, candidate_id)? {
        let other = plans::get(conn, app.plan_id)?;
        if other.id != plan.id
            && other.occupation == plan.occupation
            && other.job == plan.job
            && other.level == plan.level
            && app.status == ApplicationStatus::ScoresPublished
        {
            let last_day = arrangements::get(conn, other.id)?.map_or(other.exam_date, |a| a.last_day());
            earlier.push((last_day, app));
        }
    }
    earlier.sort_by_key(|(day, _)| *day);
    let Some((last_exam_day, original)) = earlier.pop() else {
        return Err(Error::refused(format!(
            "{who}没有“{} {}”已发布的考核成绩，不能按补考报名：请按新考报名",
            plan.title(),
            plan.level
        )));
    };
    let marks = scores::get(conn, original.id)?;
    let (carried, _) = resit_parts(&marks, plan.level).map_err(|e| Error::refused(format!("{who}：{e}")))?;
    if resits::get(conn, original.id)?.is_some() {
        return Err(Error::refused(format!(
            "{who}的 {last_exam_day} 考试成绩本身是补考成绩，不能再次补考：请按新考报名"
        )));
    }
    if let Some(earlier_resit) = resits::of_original(conn, original.id)? {
        let taken = applications::get(conn, earlier_resit.application_id)?;
        let taken_plan = plans::get(conn, taken.plan_id)?;
        return Err(Error::refused(format!(
            "{who}已就 {last_exam_day} 的考试补考过一次（计划号 {}），只能补考一次：请按新考报名",
            taken_plan.plan_no
        )));
    }
    let valid_until = resit_valid_until(last_exam_day, settings::resit_months(conn, &plan.occupation)?);
    if plan.exam_date > valid_until {
        return Err(Error::refused(format!(
            "{who}在 {last_exam_day} 考试中合格的科目有效期至 {valid_until}，本计划考试日期 {} 已超过有效期：请按新考报名",
            plan.exam_date
        )));
    }
    Ok(ResitBasis { original, marks, carried, last_exam_day, valid_until })
}

/// A new 待处理 application of a candidate who has none in this plan: capacity checked, payment from the fee, audited
/// as `action`. Runs inside the caller's transaction (apply, import).
pub(crate) fn add_application(
    conn: &Connection,
    session: &Session,
    plan: &Plan,
    candidate_id: i64,
    id_number: &str,
    action: &str,
    now: &str,
) -> Result<i64> {
    if let Some(capacity) = plan.capacity
        && applications::count_taking_places(conn, plan.id)? >= i64::from(capacity)
    {
        return Err(Error::refused(format!("计划人数已满（{capacity} 人），不能再报名")));
    }
    let id = applications::insert(conn, plan.id, candidate_id, PaymentStatus::initial_for_fee(plan.fee_fen), now)?;
    audit::append(
        conn,
        &audit::NewAuditEntry {
            actor: &session.operator,
            entity: "application",
            entity_id: id,
            action,
            to_value: Some(ApplicationStatus::Pending.label()),
            detail: Some(&format!("{} {}", plan.title(), plan.level)),
            id_number: Some(id_number),
            plan_id: Some(plan.id),
            ..Default::default()
        },
        now,
    )?;
    Ok(id)
}

pub fn list_applications(store: &Store, plan_id: i64, status: Option<ApplicationStatus>) -> Result<Vec<Application>> {
    plans::get(store.conn(), plan_id)?;
    applications::list_for_plan(store.conn(), plan_id, status)
}

/// One page of the application table (考生 / 报名): filtered, sorted and paged in SQL.
pub fn search_applications(store: &Store, query: &ApplicationQuery) -> Result<Page<ApplicationRow>> {
    if let Some(plan_id) = query.plan_id {
        plans::get(store.conn(), plan_id)?;
    }
    applications::search(store.conn(), query)
}

/// Which applications of a plan a batch action applies to.
#[derive(Debug, Clone)]
pub enum Selection {
    /// These candidates' applications (证件号码 as typed).
    IdNumbers(Vec<String>),
    /// Every application of the plan whose status the action applies to (for a review: every 待处理 one).
    AllApplicable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchOutcome {
    pub changed: Vec<Application>,
    /// Left pending because approval was limited to 符合 ones: who, and the check's summary.
    pub skipped: Vec<SkippedApplication>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SkippedApplication {
    pub name: String,
    pub id_number: String,
    pub summary: String,
}

/// 审核: approves or rejects applications of one plan. All of them change, or none: a batch with one illegal
/// transition (or an unknown candidate) is refused whole, with every problem listed. When the plan has 报考条件
/// rules, each decision's audit row keeps the check's verdict at that moment; `only_eligible` leaves every
/// application that is not 符合 pending (the check advises, the reviewer decides the rest one by one).
pub fn review(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    decision: Decision,
    selection: &Selection,
    reason: Option<&str>,
    only_eligible: bool,
) -> Result<BatchOutcome> {
    let action = match decision {
        Decision::Approve => Action::Approve,
        Decision::Reject => Action::Reject,
    };
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if action == Action::Reject && reason.is_none() {
        return Err(Error::invalid("不通过原因", "审核不通过必须填写原因，考生会看到它并据此修改后重新提交"));
    }
    if only_eligible && action != Action::Approve {
        return Err(Error::refused("“只处理符合条件的”只用于批准；不通过须逐一填写原因"));
    }
    batch(store, session, plan_id, action, selection, reason, only_eligible)
}

/// Applies one action to a batch of a plan's applications, all or nothing. Filing and publishing normally come
/// through the exam arrangement and score publication; this is the status step they share (the demo uses it).
pub fn act(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    action: Action,
    selection: &Selection,
    reason: Option<&str>,
) -> Result<BatchOutcome> {
    batch(store, session, plan_id, action, selection, reason, false)
}

fn batch(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    action: Action,
    selection: &Selection,
    reason: Option<&str>,
    only_eligible: bool,
) -> Result<BatchOutcome> {
    session.require(match action {
        Action::File => Permission::Arrange,
        Action::PublishScores => Permission::Scores,
        Action::Approve | Action::Reject | Action::Resubmit | Action::Revert => Permission::Review,
    })?;
    // A reviewer's decision keeps the check's verdict of that moment in the audit trail.
    let is_review = matches!(action, Action::Approve | Action::Reject);
    let now = session.now();
    let (ids, skipped) = store.write(|tx| {
        let plan = plans::get(tx, plan_id)?;
        if only_eligible && plan.eligibility.is_none() {
            return Err(Error::refused(format!(
                "计划“{} {}”没有设置报考条件规则，无法只批准“符合”的；请先在计划中设置规则，或逐一审核",
                plan.title(),
                plan.level
            )));
        }
        let targets = targets(tx, &plan, action, selection)?;
        let mut problems = Vec::new();
        let mut skipped = Vec::new();
        let mut changed = Vec::new();
        for app in &targets {
            let check = if is_review {
                eligibility::evaluate(tx, &plan, &candidates::get(tx, app.candidate_id)?)?
            } else {
                None
            };
            if only_eligible && check.as_ref().is_none_or(|c| c.verdict != Verdict::Eligible) {
                let summary = check.map(|c| c.summary).unwrap_or_default();
                skipped.push(SkippedApplication { name: app.name.clone(), id_number: app.id_number.clone(), summary });
                continue;
            }
            let note = check.map(|c| format!("资格核验：{}", c.summary));
            match change_status_noting(tx, session, app, action, reason, note.as_deref(), &now) {
                Ok(_) => changed.push(app.id),
                Err(e) => problems.push(format!("{}（{}）：{e}", app.name, app.id_number)),
            }
        }
        if !problems.is_empty() {
            // Returning an error rolls the whole transaction back.
            return Err(Error::refused(format!("{}未执行，无任何改动：{}", action.label(), problems.join("；"))));
        }
        Ok((changed, skipped))
    })?;
    let changed = ids.into_iter().map(|id| applications::get(store.conn(), id)).collect::<Result<_>>()?;
    Ok(BatchOutcome { changed, skipped })
}

/// The applications a batch names; an unknown candidate or one who did not apply refuses the whole batch.
fn targets(conn: &Connection, plan: &Plan, action: Action, selection: &Selection) -> Result<Vec<Application>> {
    Ok(match selection {
        Selection::AllApplicable => applications::list_for_plan(conn, plan.id, None)?
            .into_iter()
            .filter(|a| transition(a.status, action).is_ok())
            .collect(),
        Selection::IdNumbers(numbers) => {
            let mut found = Vec::with_capacity(numbers.len());
            let mut problems = Vec::new();
            for number in numbers {
                match find_candidate(conn, number, None).and_then(|c| {
                    applications::find(conn, plan.id, c.id)?.ok_or_else(|| {
                        Error::NotFound(format!("{}（{}）没有报名此计划", c.profile.name, c.profile.id_number))
                    })
                }) {
                    Ok(app) if found.iter().any(|a: &Application| a.id == app.id) => {}
                    Ok(app) => found.push(app),
                    Err(e) => problems.push(e.to_string()),
                }
            }
            if !problems.is_empty() {
                return Err(Error::refused(format!("{}未执行，无任何改动：{}", action.label(), problems.join("；"))));
            }
            found
        }
    })
}

/// Appends the audit row of a change to one application: `change` is (from, to).
pub(crate) fn audit_change(
    conn: &Connection,
    session: &Session,
    app: &Application,
    action: &str,
    (from, to): (Option<&str>, Option<&str>),
    detail: Option<&str>,
    now: &str,
) -> Result<()> {
    audit::append(
        conn,
        &audit::NewAuditEntry {
            actor: &session.operator,
            entity: "application",
            entity_id: app.id,
            action,
            from_value: from,
            to_value: to,
            detail,
            id_number: Some(&app.id_number),
            plan_id: Some(app.plan_id),
        },
        now,
    )
}

/// The one place an operator's or a candidate's action changes a status: checks the transition table, writes the new
/// status and its audit row ([`write_status`]). Runs inside the caller's transaction.
pub(crate) fn change_status(
    conn: &Connection,
    session: &Session,
    app: &Application,
    action: Action,
    reason: Option<&str>,
    now: &str,
) -> Result<ApplicationStatus> {
    change_status_noting(conn, session, app, action, reason, None, now)
}

/// The portal's copy of an application takes the status and payment its agency decided: the agency's desktop ran
/// the transition through [`change_status`], and the sync brings its outcome with the agency's time. Audited here as
/// what the sync changed. Runs inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn adopt_agency_status(
    conn: &Connection,
    session: &Session,
    app: &Application,
    status: ApplicationStatus,
    payment: PaymentStatus,
    reject_reason: Option<&str>,
    updated_at: &str,
    now: &str,
) -> Result<()> {
    applications::set_payment(conn, app.id, payment, updated_at)?;
    let detail = (payment != app.payment).then(|| format!("支付状态：{} → {}", app.payment, payment));
    write_status(conn, session, app, (status, reject_reason), "机构同步", detail.as_deref(), (updated_at, now))
}

/// The one place an application's status is written, with its audit row: a transition here ([`change_status`]) or
/// the agency's decision arriving on the portal ([`adopt_agency_status`]). `stamps` is (the row's updated_at, the
/// audit row's time).
fn write_status(
    conn: &Connection,
    session: &Session,
    app: &Application,
    (to, reject_reason): (ApplicationStatus, Option<&str>),
    action: &str,
    detail: Option<&str>,
    (updated_at, now): (&str, &str),
) -> Result<()> {
    applications::set_status(conn, app.id, to, reject_reason, updated_at)?;
    audit_change(conn, session, app, action, (Some(app.status.label()), Some(to.label())), detail, now)
}

/// A refused transition with who made the status what it is: two operators (on two PCs) deciding the same
/// application at once, the second is told who was first.
fn decided_by(conn: &Connection, app: &Application, refused: Error) -> Error {
    match audit::last_status_change(conn, app.id, &app.id_number) {
        Ok(Some((at, actor, action))) => {
            let when = at.get(..16).unwrap_or(&at).replace('T', " ");
            Error::refused(format!("{refused}：{actor} 已于 {when} {action}"))
        }
        _ => refused,
    }
}

/// [`change_status`] with a note for the audit row beside the reason (a review keeps the eligibility verdict).
fn change_status_noting(
    conn: &Connection,
    session: &Session,
    app: &Application,
    action: Action,
    reason: Option<&str>,
    note: Option<&str>,
    now: &str,
) -> Result<ApplicationStatus> {
    let to = transition(app.status, action).map_err(|refused| decided_by(conn, app, refused))?;
    if action.needs_reason() && reason.is_none() {
        return Err(Error::invalid("原因", format!("“{}”必须填写原因", action.label())));
    }
    let reject_reason = if to == ApplicationStatus::Rejected { reason } else { None };
    let detail = match (reason, note) {
        (Some(reason), Some(note)) => Some(format!("{reason}；{note}")),
        (reason, note) => reason.or(note).map(str::to_string),
    };
    write_status(conn, session, app, (to, reject_reason), action.label(), detail.as_deref(), (now, now))?;
    Ok(to)
}
/// 登记缴费 (`to` 已支付), 准予缓缴 (缓缴: may sit the exam, no certificate until paid), or back to 待支付 to correct a
/// mistake. A plan without a fee has nothing to record; a candidate who holds a certificate of the plan keeps 已支付.
pub fn set_payment(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    id_number: &str,
    to: PaymentStatus,
) -> Result<Application> {
    session.require(Permission::RecordPayment)?;
    let now = session.now();
    let id = store.write(|tx| {
        plans::get(tx, plan_id)?;
        let candidate = find_candidate(tx, id_number, None)?;
        let app = applications::find(tx, plan_id, candidate.id)?.ok_or_else(|| {
            Error::NotFound(format!("{}（{}）没有报名此计划", candidate.profile.name, candidate.profile.id_number))
        })?;
        if app.payment == PaymentStatus::NotRequired || to == PaymentStatus::NotRequired {
            return Err(Error::refused("此计划无需缴费，不能登记缴费"));
        }
        if app.status == ApplicationStatus::Rejected {
            return Err(Error::refused(format!("{}的报名审核未通过，不能登记缴费", app.name)));
        }
        if app.payment == to {
            return Ok(app.id);
        }
        if app.payment == PaymentStatus::Paid
            && let Some(certificate) = certificates::for_application(tx, app.id)?
        {
            return Err(Error::refused(format!(
                "{}已获发证书 {}，缴费记录不能再改为“{}”",
                app.name,
                certificate.number,
                to.label()
            )));
        }
        applications::set_payment(tx, app.id, to, &now)?;
        let action = match to {
            PaymentStatus::Paid => "登记缴费",
            PaymentStatus::Deferred => "准予缓缴",
            _ => "撤销缴费",
        };
        audit_change(tx, session, &app, action, (Some(app.payment.label()), Some(to.label())), None, &now)?;
        Ok(app.id)
    })?;
    applications::get(store.conn(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::candidate::CandidateDraft;
    use crate::domain::plan::PlanDraft;
    use crate::ops::candidates::{add_candidate, update_candidate};
    use crate::ops::plans::create_plan;
    use crate::store::applications::SortKey;
    use chrono::NaiveDate;

    const ZHANG: &str = "11010519491231002X";
    const LI: &str = "110105198001010016";

    fn session() -> Session {
        Session::on("审核员甲", NaiveDate::from_ymd_opt(2026, 12, 5).unwrap())
    }

    fn candidate(name: &str, id: &str) -> CandidateDraft {
        CandidateDraft { name: name.into(), id_number: id.into(), phone: "13812345678".into(), ..Default::default() }
    }

    fn setup(fee: &str) -> (Store, i64) {
        let mut store = crate::testing::scratch();
        let plan = PlanDraft {
            occupation: "电工".into(),
            level: "四级".into(),
            reg_start: "2026-12-01".into(),
            reg_end: "2026-12-20".into(),
            exam_date: "2026-12-28".into(),
            fee: fee.into(),
            ..Default::default()
        };
        let plan = create_plan(&mut store, &session(), &plan).unwrap();
        add_candidate(&mut store, &session(), &candidate("张三", ZHANG)).unwrap();
        add_candidate(&mut store, &session(), &candidate("李四", LI)).unwrap();
        (store, plan.id)
    }

    fn ids(numbers: &[&str]) -> Selection {
        Selection::IdNumbers(numbers.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn apply_starts_pending_with_payment_from_the_fee() {
        let (mut store, plan) = setup("150");
        let app = apply(&mut store, &session(), plan, ZHANG, None).unwrap();
        assert_eq!((app.status, app.payment), (ApplicationStatus::Pending, PaymentStatus::Unpaid));
        let e = apply(&mut store, &session(), plan, ZHANG, None).unwrap_err();
        assert!(matches!(e, Error::Conflict(_)), "{e}");
        let (mut store, plan) = setup("0");
        let app = apply(&mut store, &session(), plan, LI, None).unwrap();
        assert_eq!(app.payment, PaymentStatus::NotRequired);
        assert!(matches!(apply(&mut store, &session(), plan, "110105198001010024", None), Err(Error::NotFound(_))));
    }

    #[test]
    fn approve_locks_the_profile() {
        let (mut store, plan) = setup("");
        apply(&mut store, &session(), plan, ZHANG, None).unwrap();
        let edit = CandidateDraft { phone: "13900000000".into(), ..candidate("张三", ZHANG) };
        update_candidate(&mut store, &session(), &edit).unwrap();
        let out = review(&mut store, &session(), plan, Decision::Approve, &ids(&[ZHANG]), None, false).unwrap();
        assert_eq!(out.changed[0].status, ApplicationStatus::Approved);
        let e = update_candidate(&mut store, &session(), &edit).unwrap_err();
        assert!(matches!(e, Error::Refused(_)) && e.to_string().contains("申请通过"), "{e}");
    }

    #[test]
    fn reject_needs_a_reason_and_can_be_resubmitted() {
        let (mut store, plan) = setup("");
        apply(&mut store, &session(), plan, ZHANG, None).unwrap();
        let e = review(&mut store, &session(), plan, Decision::Reject, &ids(&[ZHANG]), Some("  "), false).unwrap_err();
        assert!(e.to_string().contains("原因"), "{e}");
        let out =
            review(&mut store, &session(), plan, Decision::Reject, &ids(&[ZHANG]), Some("照片不清晰"), false).unwrap();
        assert_eq!(out.changed[0].reject_reason.as_deref(), Some("照片不清晰"));
        let again = apply(&mut store, &session(), plan, ZHANG, None).unwrap();
        assert_eq!(again.status, ApplicationStatus::Pending);
        assert_eq!(again.reject_reason, None);
        let log = audit::list(store.conn(), Some(ZHANG)).unwrap();
        let trail: Vec<_> =
            log.iter().map(|e| (e.action.as_str(), e.from_value.as_deref(), e.to_value.as_deref())).collect();
        assert_eq!(
            trail[1..],
            [
                ("报名", None, Some("待处理")),
                ("审核不通过", Some("待处理"), Some("申请不通过")),
                ("重新提交", Some("申请不通过"), Some("待处理")),
            ]
        );
        assert!(log.iter().all(|e| e.actor == "审核员甲" && !e.at.is_empty()));
    }

    #[test]
    fn a_batch_with_one_illegal_transition_changes_nothing() {
        let (mut store, plan) = setup("");
        apply(&mut store, &session(), plan, ZHANG, None).unwrap();
        apply(&mut store, &session(), plan, LI, None).unwrap();
        review(&mut store, &session(), plan, Decision::Approve, &ids(&[ZHANG]), None, false).unwrap();
        let before = audit::list(store.conn(), None).unwrap().len();
        let e = review(&mut store, &session(), plan, Decision::Approve, &ids(&[LI, ZHANG]), None, false).unwrap_err();
        assert!(e.to_string().contains("张三") && e.to_string().contains("申请通过"), "{e}");
        let li = list_applications(&store, plan, Some(ApplicationStatus::Pending)).unwrap();
        assert_eq!(li.len(), 1, "李四 is still pending");
        assert_eq!(audit::list(store.conn(), None).unwrap().len(), before);
    }

    #[test]
    fn all_pending_takes_only_pending_ones() {
        let (mut store, plan) = setup("");
        apply(&mut store, &session(), plan, ZHANG, None).unwrap();
        apply(&mut store, &session(), plan, LI, None).unwrap();
        review(&mut store, &session(), plan, Decision::Reject, &ids(&[ZHANG]), Some("材料不全"), false).unwrap();
        let out =
            review(&mut store, &session(), plan, Decision::Approve, &Selection::AllApplicable, None, false).unwrap();
        assert_eq!(out.changed.len(), 1);
        assert_eq!(out.changed[0].id_number, LI);
    }

    #[test]
    fn closed_and_full_plans_refuse_applications() {
        let (mut store, plan) = setup("");
        crate::ops::plans::set_plan_closed(&mut store, &session(), plan, true).unwrap();
        assert!(apply(&mut store, &session(), plan, ZHANG, None).unwrap_err().to_string().contains("已关闭"));
        let mut store2 = crate::testing::scratch();
        let small = PlanDraft {
            occupation: "电工".into(),
            level: "五级".into(),
            reg_start: "2026-12-01".into(),
            reg_end: "2026-12-20".into(),
            exam_date: "2026-12-28".into(),
            capacity: Some(1),
            ..Default::default()
        };
        let p = create_plan(&mut store2, &session(), &small).unwrap().id;
        add_candidate(&mut store2, &session(), &candidate("张三", ZHANG)).unwrap();
        add_candidate(&mut store2, &session(), &candidate("李四", LI)).unwrap();
        apply(&mut store2, &session(), p, ZHANG, None).unwrap();
        assert!(apply(&mut store2, &session(), p, LI, None).unwrap_err().to_string().contains("已满"));
    }

    fn query(plan: i64) -> ApplicationQuery {
        ApplicationQuery { plan_id: Some(plan), ..Default::default() }
    }

    fn names(page: &Page<ApplicationRow>) -> Vec<&str> {
        page.rows.iter().map(|r| r.application.name.as_str()).collect()
    }

    #[test]
    fn search_filters_by_name_or_id_as_typed() {
        let (mut store, plan) = setup("150");
        add_candidate(&mut store, &session(), &candidate("王_五", "110105199003070017")).unwrap();
        for id in [ZHANG, LI, "110105199003070017"] {
            apply(&mut store, &session(), plan, id, None).unwrap();
        }
        let find = |text: &str| {
            let page = search_applications(&store, &ApplicationQuery { search: Some(text.into()), ..query(plan) });
            names(&page.unwrap()).into_iter().map(str::to_string).collect::<Vec<_>>()
        };
        assert_eq!(find("张"), ["张三"]);
        // Part of an ID, full-width digits, a lower-case x.
        assert_eq!(find("19800101"), ["李四"]);
        assert_eq!(find("１２３１００２x"), ["张三"]);
        // LIKE wildcards typed in the box are plain characters.
        assert_eq!(find("_"), ["王_五"]);
        assert_eq!(find("%"), Vec::<String>::new());
        assert_eq!(find("  "), ["张三", "李四", "王_五"]);
    }

    #[test]
    fn search_finds_a_phone_number_however_it_is_spaced() {
        let (mut store, plan) = setup("150");
        let hk = CandidateDraft { phone: "+852 9123 4567".into(), ..candidate("陈港生", "110105199003070017") };
        add_candidate(&mut store, &session(), &hk).unwrap();
        for id in [ZHANG, LI, "110105199003070017"] {
            apply(&mut store, &session(), plan, id, None).unwrap();
        }
        let find = |text: &str| {
            let page = search_applications(&store, &ApplicationQuery { search: Some(text.into()), ..query(plan) });
            names(&page.unwrap()).into_iter().map(str::to_string).collect::<Vec<_>>()
        };
        assert_eq!(find("+852 9123-4567"), ["陈港生"]);
        assert_eq!(find("91234567"), ["陈港生"]);
        assert_eq!(find("138 1234 5678"), ["张三", "李四"]);
        assert_eq!(find("19800101"), ["李四"], "digits of an ID still find it");
    }

    #[test]
    fn search_sorts_pages_and_filters_status_and_payment() {
        let (mut store, plan) = setup("150");
        for (i, name) in ["丙", "甲", "乙", "丁", "戊"].iter().enumerate() {
            let first17 = format!("1101051990030700{i}");
            let id = format!("{first17}{}", crate::domain::id_number::check_char(&first17).unwrap());
            add_candidate(&mut store, &session(), &candidate(name, &id)).unwrap();
            apply(&mut store, &session(), plan, &id, None).unwrap();
        }
        let first = search_applications(&store, &ApplicationQuery { page_size: 2, ..query(plan) }).unwrap();
        assert_eq!((first.total, names(&first)), (5, vec!["丙", "甲"]));
        let last = search_applications(&store, &ApplicationQuery { page: 3, page_size: 2, ..query(plan) }).unwrap();
        assert_eq!(names(&last), ["戊"]);
        let by_name = ApplicationQuery { sort: SortKey::Name, descending: true, ..query(plan) };
        let sorted = search_applications(&store, &by_name).unwrap();
        let mut expected = names(&sorted).clone();
        expected.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(names(&sorted), expected);

        let gamma: String =
            store.conn().query_row("SELECT id_number FROM candidates WHERE name = '丙'", (), |r| r.get(0)).unwrap();
        review(&mut store, &session(), plan, Decision::Approve, &ids(&[&gamma]), None, false).unwrap();
        let approved = ApplicationQuery { status: Some(ApplicationStatus::Approved), ..query(plan) };
        assert_eq!(names(&search_applications(&store, &approved).unwrap()), ["丙"]);
        let unpaid = ApplicationQuery { payment: Some(PaymentStatus::Unpaid), without_photo: true, ..query(plan) };
        assert_eq!(search_applications(&store, &unpaid).unwrap().total, 5);
        let missing = ApplicationQuery { plan_id: Some(999), ..Default::default() };
        assert!(matches!(search_applications(&store, &missing), Err(Error::NotFound(_))));
    }
}
