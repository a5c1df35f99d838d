//! 工作台: per plan, where its applications stand and what needs the operator's attention.

use serde::Serialize;
use ts_rs::TS;

use super::Session;
use super::plans::{PlanSummary, show_plan};
use super::reporting::{ReportStatus, report_status};
use super::statistics::plan_figures;
use crate::domain::status::{ApplicationStatus, PaymentStatus};
use crate::error::Result;
use crate::store::{Store, applications, figures, plans};

/// One plan's figures.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanDashboard {
    #[serde(flatten)]
    pub summary: PlanSummary,
    /// Applications per 支付状态, every status present.
    pub payments: Vec<PaymentCount>,
    /// Applications still in the running (not 申请不通过) whose candidate has no photo: tickets cannot be printed.
    pub without_photo: i64,
    /// Applications still in the running and 待支付.
    pub unpaid: i64,
    /// Of the published results: how many passed every part the level requires, and how many were absent from a part.
    pub published: i64,
    pub passed: i64,
    pub absent: i64,
    /// Days from today to the end of registration (negative once past) and to the exam.
    pub days_to_reg_end: i64,
    pub days_to_exam: i64,
    /// The results report to the province: its state, deadline and what is due next.
    pub report: ReportStatus,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PaymentCount {
    pub payment: PaymentStatus,
    pub count: i64,
}

/// Every plan's figures, newest exam first (as the plan list).
pub fn dashboard(store: &Store, session: &Session) -> Result<Vec<PlanDashboard>> {
    plans::list(store.conn())?.into_iter().map(|plan| plan_dashboard(store, session, plan.id)).collect()
}

pub fn plan_dashboard(store: &Store, session: &Session, plan_id: i64) -> Result<PlanDashboard> {
    let summary = show_plan(store, session, plan_id)?;
    let conn = store.conn();
    let payments = PaymentStatus::ALL
        .into_iter()
        .map(|payment| Ok(PaymentCount { payment, count: figures::with_payment(conn, plan_id, payment)? }))
        .collect::<Result<Vec<_>>>()?;
    let without_photo = figures::without_photo(conn, plan_id)?;
    let unpaid = figures::unpaid(conn, plan_id)?;
    let published = applications::count_in_plan(conn, plan_id, Some(ApplicationStatus::ScoresPublished))?;
    let passed = plan_figures(store, &summary.plan)?.passed;
    let absent = figures::absent(conn, plan_id)?;
    let report = report_status(store, session, plan_id)?;
    let plan = &summary.plan;
    Ok(PlanDashboard {
        report,
        payments,
        without_photo,
        unpaid,
        published,
        passed,
        absent,
        days_to_reg_end: (plan.reg_end - session.today).num_days(),
        days_to_exam: (plan.exam_date - session.today).num_days(),
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::candidate::CandidateDraft;
    use crate::domain::plan::PlanDraft;
    use crate::ops::applications::{Decision, Selection, apply, review};
    use crate::ops::candidates::add_candidate;
    use crate::ops::plans::create_plan;
    use chrono::NaiveDate;

    #[test]
    fn counts_what_needs_attention() {
        let session = Session::on("测试员", NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
        let mut store = crate::testing::scratch();
        let draft = PlanDraft {
            occupation: "电工".into(),
            level: "四级".into(),
            reg_start: "2026-12-01".into(),
            reg_end: "2026-12-20".into(),
            exam_date: "2026-12-28".into(),
            fee: "150".into(),
            ..Default::default()
        };
        let plan = create_plan(&mut store, &session, &draft).unwrap();
        for (name, id) in [("张三", "11010519491231002X"), ("李四", "110105198001010016")] {
            let c = CandidateDraft {
                name: name.into(),
                id_number: id.into(),
                phone: "13812345678".into(),
                ..Default::default()
            };
            add_candidate(&mut store, &session, &c).unwrap();
            apply(&mut store, &session, plan.id, id, None).unwrap();
        }
        let lee = Selection::IdNumbers(vec!["110105198001010016".into()]);
        review(&mut store, &session, plan.id, Decision::Reject, &lee, Some("照片不清晰"), false).unwrap();
        let d = plan_dashboard(&store, &session, plan.id).unwrap();
        // The rejected application no longer counts as missing a photo or unpaid.
        assert_eq!((d.without_photo, d.unpaid, d.published, d.passed), (1, 1, 0, 0));
        assert_eq!(d.payments.iter().map(|p| p.count).collect::<Vec<_>>(), [2, 0, 0, 0]);
        assert_eq!((d.days_to_reg_end, d.days_to_exam), (15, 23));
        assert_eq!(dashboard(&store, &session).unwrap().len(), 1);
    }
}
