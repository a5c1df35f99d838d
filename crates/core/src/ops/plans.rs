//! 认定计划: publish, list, show, close.

use std::hash::{BuildHasher, RandomState};
use ts_rs::TS;

use serde::Serialize;

use super::Session;
use crate::domain::operator::Permission;
use crate::domain::plan::{PlanDraft, Registration};
use crate::domain::status::ApplicationStatus;
use crate::error::{Error, Result};
use crate::store::plans::{self, Plan};
use crate::store::{Store, applications, audit};

/// A plan with what the lists show next to it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanSummary {
    #[serde(flatten)]
    pub plan: Plan,
    /// Where registration stands today.
    pub registration: Registration,
    /// Applications per status, every status present.
    pub counts: Vec<StatusCount>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct StatusCount {
    pub status: ApplicationStatus,
    pub count: i64,
}

/// Publishes a plan. A missing 报名识别码 is generated (6 random digits, unique); a missing 计划号 is the next number.
pub fn create_plan(store: &mut Store, session: &Session, draft: &PlanDraft) -> Result<Plan> {
    session.require(Permission::ManagePlans)?;
    let mut valid = draft.validate(session.today)?;
    let now = session.now();
    let id = store.write(|tx| {
        super::occupations::settle_plan(tx, &mut valid)?;
        let code = match &valid.code {
            Some(code) if plans::code_exists(tx, code)? => {
                return Err(Error::Conflict(format!("报名识别码 {code} 已被其他计划使用，请换一个或留空自动生成")));
            }
            Some(code) => code.clone(),
            None => unused_code(tx)?,
        };
        let plan_no = match &valid.plan_no {
            Some(no) if plans::plan_no_exists(tx, no)? => {
                return Err(Error::Conflict(format!("计划号 {no} 已被其他计划使用，请换一个或留空自动编号")));
            }
            Some(no) => no.clone(),
            None => plans::next_plan_no(tx)?,
        };
        let id = plans::insert(tx, &valid, &code, &plan_no, &now)?;
        let title = format!("{}/{} {}", valid.occupation, valid.job.as_deref().unwrap_or("--"), valid.level);
        super::audit_plan(
            tx,
            session,
            id,
            "发布计划",
            (None, Some(&title)),
            Some(&format!("报名识别码 {code}，计划号 {plan_no}")),
            &now,
        )?;
        Ok(id)
    })?;
    plans::get(store.conn(), id)
}

/// 修改计划. Texts, dates, codes and capacity can change at any time; what an application was made for (职业, 工种,
/// 等级) and the fee its payment status came from cannot once anyone has applied. Audited with the fields changed.
pub fn update_plan(store: &mut Store, session: &Session, id: i64, draft: &PlanDraft) -> Result<Plan> {
    update_plan_seen(store, session, id, draft, None)
}

/// [`update_plan`] from a form filled in over the plan as it was at `seen` (its `updated_at`): when another PC
/// changed it since, nothing is written and the operator is told who and when.
pub fn update_plan_seen(
    store: &mut Store,
    session: &Session,
    id: i64,
    draft: &PlanDraft,
    seen: Option<&str>,
) -> Result<Plan> {
    session.require(Permission::ManagePlans)?;
    let mut valid = draft.validate(session.today)?;
    let now = session.now();
    store.write(|tx| {
        let plan = plans::get(tx, id)?;
        if let Some(seen) = seen
            && seen != plan.updated_at
        {
            let by = audit::last_plan_change(tx, id)?
                .map(|(at, actor, action)| {
                    format!("{actor} 已于 {} {action}", at.get(..16).unwrap_or(&at).replace('T', " "))
                })
                .unwrap_or_else(|| "计划已被修改".into());
            return Err(Error::Conflict(format!(
                "计划“{} {}”在您打开之后有了改动（{by}）：您的修改未保存，请重新打开后再改",
                plan.title(),
                plan.level
            )));
        }
        super::occupations::settle_code(tx, &mut valid)?;
        if (&valid.occupation, &valid.job, valid.level) != (&plan.occupation, &plan.job, plan.level) {
            // A plan published before the scope was entered stays editable; what it assesses is checked when it changes.
            super::occupations::check_scope(tx, &valid)?;
        }
        if plan.eligibility.is_some() {
            // The text of a plan with rules is theirs (ops::eligibility::set_plan_rules), not typed.
            valid.conditions = plan.conditions.clone();
        }
        let applied: i64 = applications::count_by_status(tx, id)?.iter().map(|(_, n)| n).sum();
        let code = valid.code.clone().unwrap_or_else(|| plan.code.clone());
        let plan_no = valid.plan_no.clone().unwrap_or_else(|| plan.plan_no.clone());
        let fixed_once_applied = [
            (valid.occupation != plan.occupation, "职业"),
            (valid.job != plan.job, "工种/职业方向"),
            (valid.level != plan.level, "等级"),
            (valid.fee_fen != plan.fee_fen, "报名费"),
        ];
        let free = [
            (valid.reg_start != plan.reg_start || valid.reg_end != plan.reg_end, "报名起止时间"),
            (valid.exam_date != plan.exam_date, "计划考试日期"),
            (valid.conditions != plan.conditions, "报考条件"),
            (valid.notice != plan.notice, "报名须知"),
            (valid.publisher != plan.publisher, "发布机构"),
            (valid.announced_on != plan.announced_on, "公告日期"),
            (valid.capacity != plan.capacity, "计划人数"),
            (valid.occupation_code != plan.occupation_code, "职业编码"),
            (code != plan.code, "报名识别码"),
            (plan_no != plan.plan_no, "计划号"),
        ];
        let labels = |fields: &[(bool, &'static str)]| -> Vec<&'static str> {
            fields.iter().filter(|(differs, _)| *differs).map(|(_, label)| *label).collect()
        };
        let fixed = labels(&fixed_once_applied);
        if applied > 0 && !fixed.is_empty() {
            return Err(Error::refused(format!(
                "已有 {applied} 人报名此计划，不能再修改{}；如需更改请关闭此计划并发布新计划",
                fixed.join("、")
            )));
        }
        let changed = [fixed, labels(&free)].concat();
        if let Some(capacity) = valid.capacity {
            let taking = applications::count_taking_places(tx, id)?;
            if taking > i64::from(capacity) {
                return Err(Error::invalid("计划人数", format!("已有 {taking} 人占用名额，计划人数不能少于 {taking}")));
            }
        }
        if changed.is_empty() {
            return Ok(());
        }
        plans::update(tx, id, &valid, &code, &plan_no, &now)?;
        super::audit_plan(
            tx,
            session,
            id,
            "修改计划",
            (None, None),
            Some(&format!("修改了{}", changed.join("、"))),
            &now,
        )
    })?;
    plans::get(store.conn(), id)
}

/// Six random digits no other plan uses.
fn unused_code(conn: &crate::store::sql::Connection) -> Result<String> {
    let random = RandomState::new();
    for attempt in 0u64..1000 {
        let code = format!("{:06}", random.hash_one(attempt) % 1_000_000);
        if !plans::code_exists(conn, &code)? {
            return Ok(code);
        }
    }
    Err(Error::refused("无法生成未被使用的报名识别码，请手动填写"))
}

pub fn list_plans(store: &Store, session: &Session) -> Result<Vec<PlanSummary>> {
    plans::list(store.conn())?.into_iter().map(|plan| summarize(store, session, plan)).collect()
}

pub fn show_plan(store: &Store, session: &Session, id: i64) -> Result<PlanSummary> {
    summarize(store, session, plans::get(store.conn(), id)?)
}

fn summarize(store: &Store, session: &Session, plan: Plan) -> Result<PlanSummary> {
    let counts = applications::count_by_status(store.conn(), plan.id)?
        .into_iter()
        .map(|(status, count)| StatusCount { status, count })
        .collect();
    Ok(PlanSummary { registration: plan.registration(session.today), plan, counts })
}

/// Stops (or reopens) registration before the window ends.
pub fn set_plan_closed(store: &mut Store, session: &Session, id: i64, closed: bool) -> Result<Plan> {
    session.require(Permission::ManagePlans)?;
    let now = session.now();
    store.write(|tx| {
        let plan = plans::get(tx, id)?;
        if plan.closed == closed {
            return Ok(());
        }
        plans::set_closed(tx, id, closed, &now)?;
        let label = |c: bool| if c { "已关闭" } else { "开放" };
        super::audit_plan(
            tx,
            session,
            id,
            if closed { "关闭报名" } else { "重新开放报名" },
            (Some(label(plan.closed)), Some(label(closed))),
            None,
            &now,
        )
    })?;
    plans::get(store.conn(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    pub(crate) fn draft() -> PlanDraft {
        PlanDraft {
            occupation: "电工".into(),
            occupation_code: "6-31-01-03".into(),
            job: "--".into(),
            level: "四级/中级工".into(),
            reg_start: "2026-12-01".into(),
            reg_end: "2026-12-20".into(),
            exam_date: "2026-12-28".into(),
            ..Default::default()
        }
    }

    fn session() -> Session {
        Session::on("测试员", NaiveDate::from_ymd_opt(2026, 12, 5).unwrap())
    }

    #[test]
    fn create_assigns_code_and_plan_number() {
        let mut store = crate::testing::scratch();
        let a = create_plan(&mut store, &session(), &draft()).unwrap();
        let b = create_plan(&mut store, &session(), &draft()).unwrap();
        assert_eq!((a.plan_no.as_str(), b.plan_no.as_str()), ("1", "2"));
        assert_eq!(a.code.len(), 6);
        assert_ne!(a.code, b.code);
        let listed = list_plans(&store, &session()).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].registration, Registration::Open);
        assert_eq!(listed[0].counts.len(), 5);
        let log = audit::list(store.conn(), None).unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].action, "发布计划");
        assert_eq!(log[0].actor, "测试员");
    }

    #[test]
    fn code_and_plan_number_are_unique() {
        let mut store = crate::testing::scratch();
        let first = PlanDraft { code: "155265".into(), plan_no: "2026-01".into(), ..draft() };
        create_plan(&mut store, &session(), &first).unwrap();
        let same_code = PlanDraft { plan_no: "2026-02".into(), ..first.clone() };
        let e = create_plan(&mut store, &session(), &same_code).unwrap_err();
        assert!(matches!(e, Error::Conflict(_)) && e.to_string().contains("155265"), "{e}");
        let same_no = PlanDraft { code: "155266".into(), ..first };
        assert!(create_plan(&mut store, &session(), &same_no).unwrap_err().to_string().contains("2026-01"));
        assert_eq!(plans::list(store.conn()).unwrap().len(), 1);
        // A non-numeric plan number does not break automatic numbering.
        assert_eq!(create_plan(&mut store, &session(), &draft()).unwrap().plan_no, "1");
    }

    #[test]
    fn closing_is_audited_and_closes_registration() {
        let mut store = crate::testing::scratch();
        let plan = create_plan(&mut store, &session(), &draft()).unwrap();
        let closed = set_plan_closed(&mut store, &session(), plan.id, true).unwrap();
        assert_eq!(closed.registration(session().today), Registration::Closed);
        let log = audit::list(store.conn(), None).unwrap();
        assert_eq!(log.last().unwrap().action, "关闭报名");
    }

    #[test]
    fn update_changes_texts_and_dates_but_not_what_applicants_applied_for() {
        use crate::domain::candidate::CandidateDraft;
        let mut store = crate::testing::scratch();
        let plan = create_plan(&mut store, &session(), &draft()).unwrap();
        let edited = PlanDraft { notice: "携带身份证原件".into(), exam_date: "2026-12-30".into(), ..draft() };
        let updated = update_plan(&mut store, &session(), plan.id, &edited).unwrap();
        assert_eq!((updated.notice.as_str(), updated.code.as_str()), ("携带身份证原件", plan.code.as_str()));
        let log = audit::list(store.conn(), None).unwrap();
        assert_eq!(log.last().unwrap().detail.as_deref(), Some("修改了计划考试日期、报名须知"));
        // Saving the same values again records nothing.
        update_plan(&mut store, &session(), plan.id, &edited).unwrap();
        assert_eq!(audit::list(store.conn(), None).unwrap().len(), log.len());
        // Dates are still checked.
        let bad = PlanDraft { exam_date: "2026-12-20".into(), ..edited.clone() };
        assert!(update_plan(&mut store, &session(), plan.id, &bad).unwrap_err().to_string().contains("应晚于"));

        let zhang = CandidateDraft {
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
            phone: "13812345678".into(),
            ..Default::default()
        };
        crate::ops::candidates::add_candidate(&mut store, &session(), &zhang).unwrap();
        crate::ops::applications::apply(&mut store, &session(), plan.id, "11010519491231002X", None).unwrap();
        let other_level = PlanDraft { level: "三级".into(), fee: "100".into(), ..edited.clone() };
        let e = update_plan(&mut store, &session(), plan.id, &other_level).unwrap_err();
        assert_eq!(e.to_string(), "已有 1 人报名此计划，不能再修改等级、报名费；如需更改请关闭此计划并发布新计划");
        let e = update_plan(&mut store, &session(), plan.id, &PlanDraft { capacity: Some(0), ..edited.clone() });
        assert!(e.is_err());
        let taken = create_plan(&mut store, &session(), &draft()).unwrap();
        let clash = PlanDraft { code: taken.code.clone(), ..edited };
        assert!(
            update_plan(&mut store, &session(), plan.id, &clash).unwrap_err().to_string().contains("已被其他计划使用")
        );
        assert_eq!(plans::get(store.conn(), plan.id).unwrap().level, plan.level);
    }

    #[test]
    fn a_plan_takes_its_code_from_the_catalog_and_stays_inside_the_filed_scope() {
        let mut store = crate::testing::scratch();
        let no_code = PlanDraft { occupation_code: String::new(), ..draft() };
        assert_eq!(
            create_plan(&mut store, &session(), &no_code).unwrap().occupation_code.as_deref(),
            Some("6-31-01-03")
        );
        let wrong = PlanDraft { occupation_code: "6-18-02-04".into(), ..draft() };
        assert!(create_plan(&mut store, &session(), &wrong).unwrap_err().to_string().contains("焊工"));

        crate::ops::settings::set_setting(&mut store, &session(), "agency.scope", "6-31-01-03 电工 五级-四级").unwrap();
        let two = PlanDraft { level: "二级".into(), ..draft() };
        let e = create_plan(&mut store, &session(), &two).unwrap_err();
        assert!(e.to_string().contains("不在本机构备案的评价范围内"), "{e}");
        assert!(matches!(e.fix(), Some(crate::error::Fix::SetSetting { key, .. }) if key == "agency.scope"), "{e:?}");
        assert_eq!(plans::list(store.conn()).unwrap().len(), 1, "nothing written");
        let plan = create_plan(&mut store, &session(), &draft()).unwrap();
        assert!(update_plan(&mut store, &session(), plan.id, &two).is_err());
        // A plan published before the scope was narrowed stays editable while what it assesses stays.
        crate::ops::settings::set_setting(&mut store, &session(), "agency.scope", "焊工 五级").unwrap();
        let edited = PlanDraft { notice: "带身份证".into(), ..draft() };
        assert_eq!(update_plan(&mut store, &session(), plan.id, &edited).unwrap().notice, "带身份证");
    }

    /// Two PCs with the plan's form open: the second save is refused, naming the first; nothing of it is written.
    #[test]
    fn a_plan_form_over_a_plan_changed_since_is_refused_and_names_who_changed_it() {
        let mut store = crate::testing::scratch();
        let opened = create_plan(&mut store, &session(), &draft()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let other = Session::on("李管理", NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
        let notice = PlanDraft { notice: "请携带身份证原件".into(), ..draft() };
        update_plan_seen(&mut store, &other, opened.id, &notice, Some(&opened.updated_at)).unwrap();
        let stale = PlanDraft { exam_date: "2026-12-29".into(), ..draft() };
        let e = update_plan_seen(&mut store, &session(), opened.id, &stale, Some(&opened.updated_at)).unwrap_err();
        assert!(matches!(e, Error::Conflict(_)), "{e}");
        assert!(e.to_string().contains("李管理") && e.to_string().contains("修改计划"), "{e}");
        let now = plans::get(store.conn(), opened.id).unwrap();
        assert_eq!((now.notice.as_str(), now.exam_date.to_string().as_str()), ("请携带身份证原件", "2026-12-28"));
    }
}
