//! 报考条件 checks on stored data: a plan's rule set, what SkillCert knows of a candidate (profile, the 原证书编号 of an
//! import, the certificates it issued itself), and the review queue with a verdict on every pending application.

use std::collections::HashMap;
use std::path::Path;

use crate::store::sql::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::Session;
use crate::domain::eligibility::{
    self, Evaluation, Facts, HeldCertificate, IssueDate, RuleFile, RuleSet, Target, Verdict, decode_certificate_number,
};
use crate::domain::level::Level;
use crate::domain::operator::Permission;
use crate::domain::status::ApplicationStatus;
use crate::error::{Error, Result};
use crate::store::applications::{self, ApplicationRow};
use crate::store::candidates::Candidate;
use crate::store::plans::{self, Plan};
use crate::store::{MAX_PAGE_SIZE, Store, candidates, certificates};

/// Sets (or with None removes) a plan's rule set; the notice's 报考条件 text becomes the rules' text. Audited.
pub fn set_plan_rules(store: &mut Store, session: &Session, plan_id: i64, rules: Option<&RuleSet>) -> Result<Plan> {
    session.require(Permission::ManagePlans)?;
    let rules = rules.map(RuleSet::validate).transpose()?;
    let now = session.now();
    store.write(|tx| {
        let plan = plans::get(tx, plan_id)?;
        if plan.eligibility == rules {
            return Ok(());
        }
        // Without rules the last generated text stays as free text: the notice does not go blank.
        let conditions = rules.as_ref().map(RuleSet::text).unwrap_or_else(|| plan.conditions.clone());
        plans::set_eligibility(tx, plan_id, rules.as_ref(), &conditions, &now)?;
        super::audit_plan(
            tx,
            session,
            plan_id,
            if rules.is_some() { "设置报考条件规则" } else { "取消报考条件规则" },
            (None, rules.as_ref().map(|_| conditions.as_str())),
            None,
            &now,
        )
    })?;
    plans::get(store.conn(), plan_id)
}

/// A rule file is a few kilobytes; anything far larger is not one.
const MAX_RULE_FILE: u64 = 1024 * 1024;

/// Reads and checks a rule file (written by [`write_rule_file`], here or at another agency).
pub fn read_rule_file(path: &Path) -> Result<RuleSet> {
    let size = std::fs::metadata(path).map_err(|e| Error::io_at(path, e))?.len();
    if size > MAX_RULE_FILE {
        return Err(Error::Unreadable(format!("“{}”有 {size} 字节，不是报考条件规则文件", path.display())));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io_at(path, e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Unreadable(format!("“{}”不是文本文件，不是报考条件规则文件", path.display())))?;
    RuleFile::parse(&text)
}

/// Writes rules (checked first) to a file another plan or agency can read with [`read_rule_file`].
pub fn write_rule_file(path: &Path, rules: &RuleSet) -> Result<()> {
    let rules = rules.validate()?;
    std::fs::write(path, RuleFile::new(rules).to_json()).map_err(|e| Error::io_at(path, e))
}

/// The certificates a candidate holds as far as SkillCert knows: the profile's 现有证书 (or only its number, as an
/// import's 原证书编号 gives it; a certificate number tells level and year), and every certificate issued here.
pub(crate) fn facts_of(conn: &Connection, candidate: &Candidate) -> Result<Facts> {
    let p = &candidate.profile;
    let mut held = Vec::new();
    if p.prior_cert_name.is_some() || p.prior_cert_level.is_some() || p.prior_cert_number.is_some() {
        let (number_level, number_year) =
            p.prior_cert_number.as_deref().map(decode_certificate_number).unwrap_or((None, IssueDate::Unknown));
        let only_number = p.prior_cert_name.is_none() && p.prior_cert_level.is_none() && p.prior_cert_date.is_none();
        held.push(HeldCertificate {
            source: if only_number { "原证书编号" } else { "现有证书" },
            occupation: p.prior_cert_name.clone(),
            level: p.prior_cert_level.as_deref().and_then(|l| Level::parse(l).ok()).or(number_level),
            number: p.prior_cert_number.clone(),
            issued: p.prior_cert_date.map(IssueDate::Day).unwrap_or(number_year),
        });
    }
    for c in certificates::list(conn, None, Some(&p.id_number))? {
        // A revoked certificate is no basis for anything.
        let revoked = c.state == certificates::CertificateState::Revoked;
        if revoked
            || c.id_type != p.id_type.label()
            || held.iter().any(|h| h.number.as_deref() == Some(c.number.as_str()))
        {
            continue;
        }
        held.push(HeldCertificate {
            source: "本机构颁发",
            occupation: Some(c.occupation),
            level: Level::parse(&c.level).ok(),
            number: Some(c.number),
            issued: IssueDate::Day(c.issued_on),
        });
    }
    Ok(Facts {
        birth_date: p.birth_date,
        years_in_occupation: p.years_in_occupation,
        work_started_on: p.work_started_on,
        title: p.title.clone(),
        education: p.education.clone(),
        certificates: held,
    })
}

/// The check of one candidate against a plan; None when the plan has no rules.
pub(crate) fn evaluate(conn: &Connection, plan: &Plan, candidate: &Candidate) -> Result<Option<Evaluation>> {
    let Some(rules) = &plan.eligibility else { return Ok(None) };
    let target = Target { occupation: &plan.occupation, exam_date: plan.exam_date };
    Ok(Some(eligibility::evaluate(rules, target, &facts_of(conn, candidate)?)))
}

/// The check of a stored candidate against a plan before they apply (the app's 报名 in the candidate drawer).
pub fn check_candidate(store: &Store, plan_id: i64, candidate_id: i64) -> Result<Option<Evaluation>> {
    let conn = store.conn();
    evaluate(conn, &plans::get(conn, plan_id)?, &candidates::get(conn, candidate_id)?)
}

/// The check of a stored application (CLI `apply`, the app's 报名, the portal's 报名成功 page).
/// The 报考条件 check of an application against its plan's rules, as of today; None when the plan has none.
pub fn check_application(store: &Store, application_id: i64) -> Result<Option<Evaluation>> {
    evaluate_application(store.conn(), application_id)
}

pub(crate) fn evaluate_application(conn: &Connection, application_id: i64) -> Result<Option<Evaluation>> {
    let application = applications::get(conn, application_id)?;
    let plan = plans::get(conn, application.plan_id)?;
    evaluate(conn, &plan, &candidates::get(conn, application.candidate_id)?)
}

/// A 待处理 application with its check.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReviewRow {
    #[serde(flatten)]
    pub row: ApplicationRow,
    /// None when the plan has no rules.
    pub eligibility: Option<Evaluation>,
}

/// How many pending applications got each verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct VerdictCounts {
    pub eligible: u32,
    pub not_eligible: u32,
    pub needs_review: u32,
}

/// The 审核 queue of a plan: its 待处理 applications in the order they came, each checked now.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReviewQueue {
    pub has_rules: bool,
    /// Over every pending application of the plan.
    pub counts: VerdictCounts,
    /// Pending applications with `verdict` (all when none asked), at most [`MAX_PAGE_SIZE`].
    pub rows: Vec<ReviewRow>,
    /// How many match `verdict` in all.
    pub matching: u32,
}

pub fn review_queue(store: &Store, plan_id: i64, verdict: Option<Verdict>) -> Result<ReviewQueue> {
    let conn = store.conn();
    let plan = plans::get(conn, plan_id)?;
    let mut counts = VerdictCounts::default();
    let mut matching = Vec::new();
    let mut checks = HashMap::new();
    for application in applications::list_for_plan(conn, plan_id, Some(ApplicationStatus::Pending))? {
        let check = evaluate(conn, &plan, &candidates::get(conn, application.candidate_id)?)?;
        if let Some(c) = &check {
            match c.verdict {
                Verdict::Eligible => counts.eligible += 1,
                Verdict::NotEligible => counts.not_eligible += 1,
                Verdict::NeedsReview => counts.needs_review += 1,
            }
        }
        if verdict.is_none() || check.as_ref().is_some_and(|c| Some(c.verdict) == verdict) {
            matching.push(application.id);
            if checks.len() < MAX_PAGE_SIZE as usize {
                checks.insert(application.id, check);
            }
        }
    }
    let shown: Vec<i64> = matching.iter().take(MAX_PAGE_SIZE as usize).copied().collect();
    let rows = applications::rows_by_ids(conn, &shown)?
        .into_iter()
        .map(|row| {
            let eligibility = checks.remove(&row.application.id).flatten();
            ReviewRow { row, eligibility }
        })
        .collect();
    Ok(ReviewQueue { has_rules: plan.eligibility.is_some(), counts, rows, matching: matching.len() as u32 })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::candidate::CandidateDraft;
    use crate::domain::eligibility::Pattern;
    use crate::domain::plan::PlanDraft;
    use crate::ops::applications::{Decision, Selection, apply, review};
    use crate::ops::candidates::add_candidate;
    use crate::ops::plans::{create_plan, update_plan};
    use crate::store::audit;

    /// 16 on 2010-06-15; the exam is on 2026-12-28.
    const YOUNG: &str = "110105201006150012";
    const OLD_HAND: &str = "110105198001010016";
    const SCHOOLED: &str = "11010519491231002X";

    fn session() -> Session {
        Session::on("审核员甲", NaiveDate::from_ymd_opt(2026, 12, 5).unwrap())
    }

    fn person(name: &str, id: &str, years: &str, education: &str) -> CandidateDraft {
        CandidateDraft {
            name: name.into(),
            id_number: id.into(),
            phone: "13812345678".into(),
            years_in_occupation: years.into(),
            education: education.into(),
            ..Default::default()
        }
    }

    /// A 四级 plan with the national rules and three applicants: 符合 by years of work, 不符合, 需人工核对 (school).
    fn setup() -> (Store, Plan) {
        let mut store = crate::testing::scratch();
        let draft = PlanDraft {
            occupation: "电工".into(),
            level: "四级".into(),
            reg_start: "2026-12-01".into(),
            reg_end: "2026-12-20".into(),
            exam_date: "2026-12-28".into(),
            ..Default::default()
        };
        let plan = create_plan(&mut store, &session(), &draft).unwrap();
        let plan = set_plan_rules(
            &mut store,
            &session(),
            plan.id,
            RuleSet::preset(plan.level, Pattern::Standard2019).as_ref(),
        )
        .unwrap();
        for (name, id, years, education) in
            [("老手", OLD_HAND, "6", "初中"), ("少年", YOUNG, "0", "初中"), ("学生", SCHOOLED, "0", "技校")]
        {
            add_candidate(&mut store, &session(), &person(name, id, years, education)).unwrap();
            apply(&mut store, &session(), plan.id, id, None).unwrap();
        }
        (store, plan)
    }

    fn verdicts(queue: &ReviewQueue) -> Vec<(&str, Verdict)> {
        queue.rows.iter().map(|r| (r.row.application.name.as_str(), r.eligibility.as_ref().unwrap().verdict)).collect()
    }

    #[test]
    fn a_candidate_is_checked_before_applying_and_the_application_after() {
        let (mut store, plan) = setup();
        let newcomer =
            add_candidate(&mut store, &session(), &person("新人", "110105199001010010", "2", "初中")).unwrap();
        let before = check_candidate(&store, plan.id, newcomer.id).unwrap().unwrap();
        assert_eq!(before.verdict, Verdict::NotEligible, "{}", before.summary);
        let applied =
            crate::ops::applications::apply_candidate(&mut store, &session(), plan.id, newcomer.id, false).unwrap();
        let after = evaluate_application(store.conn(), applied.id).unwrap().unwrap();
        assert_eq!(after.summary, before.summary, "the check never decides: the application is 待处理 all the same");
        assert_eq!(applied.status, crate::domain::status::ApplicationStatus::Pending);
    }

    #[test]
    fn the_review_queue_shows_a_verdict_for_each_pending_application() {
        let (store, plan) = setup();
        assert!(plan.conditions.starts_with("具备以下条件之一者："), "{}", plan.conditions);
        let queue = review_queue(&store, plan.id, None).unwrap();
        assert!(queue.has_rules);
        assert_eq!(
            verdicts(&queue),
            [("老手", Verdict::Eligible), ("少年", Verdict::NotEligible), ("学生", Verdict::NeedsReview)]
        );
        assert_eq!(queue.counts, VerdictCounts { eligible: 1, not_eligible: 1, needs_review: 1 });
        let only_refused = review_queue(&store, plan.id, Some(Verdict::NotEligible)).unwrap();
        assert_eq!(verdicts(&only_refused), [("少年", Verdict::NotEligible)]);
        assert_eq!(only_refused.matching, 1);
        assert_eq!(only_refused.counts, queue.counts);
    }

    #[test]
    fn batch_approval_limited_to_eligible_leaves_the_rest_pending_and_audits_the_verdict() {
        let (mut store, plan) = setup();
        let everyone = Selection::IdNumbers(vec![OLD_HAND.into(), YOUNG.into(), SCHOOLED.into()]);
        let outcome = review(&mut store, &session(), plan.id, Decision::Approve, &everyone, None, true).unwrap();
        assert_eq!(outcome.changed.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["老手"]);
        let skipped: Vec<&str> = outcome.skipped.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(skipped, ["少年", "学生"]);
        assert!(outcome.skipped[0].summary.starts_with("不符合"), "{}", outcome.skipped[0].summary);
        let queue = review_queue(&store, plan.id, None).unwrap();
        assert_eq!(queue.matching, 2);

        // The reviewer still decides: the young one approved by hand, with the verdict of that moment kept.
        let young = Selection::IdNumbers(vec![YOUNG.into()]);
        review(&mut store, &session(), plan.id, Decision::Approve, &young, None, false).unwrap();
        let log = audit::list(store.conn(), Some(YOUNG)).unwrap();
        let approval = log.iter().find(|e| e.action == "审核通过").unwrap();
        assert!(approval.detail.as_deref().unwrap().starts_with("资格核验：不符合：条件一"), "{approval:?}");
        let first = audit::list(store.conn(), Some(OLD_HAND)).unwrap();
        let approval = first.iter().find(|e| e.action == "审核通过").unwrap();
        assert_eq!(approval.detail.as_deref(), Some("资格核验：符合条件二"));
    }

    #[test]
    fn only_eligible_needs_rules_and_is_for_approval_only() {
        let (mut store, plan) = setup();
        let all = Selection::AllApplicable;
        let e = review(&mut store, &session(), plan.id, Decision::Reject, &all, Some("材料不全"), true).unwrap_err();
        assert!(e.to_string().contains("只用于批准"), "{e}");
        set_plan_rules(&mut store, &session(), plan.id, None).unwrap();
        let e = review(&mut store, &session(), plan.id, Decision::Approve, &all, None, true).unwrap_err();
        assert!(e.to_string().contains("没有设置报考条件规则"), "{e}");
        assert_eq!(review_queue(&store, plan.id, None).unwrap().matching, 3, "nothing changed");
    }

    #[test]
    fn the_notice_text_follows_the_rules_and_survives_their_removal() {
        let (mut store, plan) = setup();
        // A typed 报考条件 does not replace the generated one while rules are set.
        let draft = PlanDraft {
            occupation: plan.occupation.clone(),
            level: plan.level.label().into(),
            reg_start: plan.reg_start.to_string(),
            reg_end: plan.reg_end.to_string(),
            exam_date: plan.exam_date.to_string(),
            conditions: "随便写的".into(),
            notice: "带身份证".into(),
            ..Default::default()
        };
        let edited = update_plan(&mut store, &session(), plan.id, &draft).unwrap();
        assert_eq!(edited.conditions, plan.conditions);
        assert_eq!(edited.notice, "带身份证");
        let cleared = set_plan_rules(&mut store, &session(), plan.id, None).unwrap();
        assert_eq!(cleared.eligibility, None);
        assert_eq!(cleared.conditions, plan.conditions);
        assert!(review_queue(&store, plan.id, None).unwrap().rows.iter().all(|r| r.eligibility.is_none()));
        let actions: Vec<String> = crate::store::audit::actions(store.conn()).unwrap();
        assert!(actions.contains(&"设置报考条件规则".to_string()) && actions.contains(&"取消报考条件规则".to_string()));
    }

    #[test]
    fn certificates_come_from_the_profile_the_import_number_and_this_agency() {
        let (store, plan) = setup();
        let conn = store.conn();
        let mut young = candidates::find_by_number(conn, YOUNG).unwrap().remove(0);
        // Only a 原证书编号, as an import gives it: level 5, issued in 2021.
        young.profile.prior_cert_number = Some("S000044000123215000042".into());
        young.profile.work_started_on = NaiveDate::from_ymd_opt(2019, 9, 1);
        let facts = facts_of(conn, &young).unwrap();
        assert_eq!(facts.certificates[0].source, "原证书编号");
        assert_eq!(facts.certificates[0].level, Some(Level::Five));
        assert_eq!(facts.certificates[0].issued, IssueDate::Year(2021));
        // 2021 + 4 < 2026, but the number does not say the occupation: a person checks it.
        let check = evaluate(conn, &plan, &young).unwrap().unwrap();
        assert_eq!(check.paths[0].checks[0].outcome, eligibility::Outcome::Unknown, "{check:?}");

        certificates::insert(
            conn,
            &certificates::NewCertificate {
                number: "S000044000123205000001",
                application_id: 1,
                plan_id: plan.id,
                name: "少年",
                id_type: "居民身份证",
                id_number: YOUNG,
                occupation: "电工",
                job: None,
                level: "五级/初级工",
                issued_on: NaiveDate::from_ymd_opt(2020, 5, 1).unwrap(),
                agency_name: "本机构",
                replaces_id: None,
                print_serial: None,
            },
            "2020-05-01T00:00:00+08:00",
        )
        .unwrap();
        let facts = facts_of(conn, &young).unwrap();
        assert_eq!(facts.certificates.len(), 2);
        assert_eq!(facts.certificates[1].source, "本机构颁发");
        let check = evaluate(conn, &plan, &young).unwrap().unwrap();
        assert_eq!(check.paths[0].checks[0].outcome, eligibility::Outcome::Met, "{check:?}");
    }

    #[test]
    fn rule_files_are_read_back_and_strangers_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("电工四级.json");
        let rules = RuleSet::preset(Level::Four, Pattern::Standard2019).unwrap();
        write_rule_file(&path, &rules).unwrap();
        assert_eq!(read_rule_file(&path).unwrap(), rules);
        std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        assert!(read_rule_file(&path).unwrap_err().to_string().contains("不是文本文件"));
        let missing = read_rule_file(&dir.path().join("无.json")).unwrap_err();
        assert!(missing.to_string().contains("无.json"), "{missing}");
    }
}
