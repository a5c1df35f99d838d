//! 考生: add, edit the profile (refused once locked), list, find by 证件号码.

use serde::Serialize;
use ts_rs::TS;

use super::Session;
use crate::store::sql::Connection;

use crate::domain::candidate::{CandidateDraft, Profile};
use crate::domain::id_number::{IdType, normalize_number};
use crate::domain::operator::Permission;
use crate::domain::status::ApplicationStatus;
use crate::error::{Error, Result};
use crate::store::MAX_PAGE_SIZE;
use crate::store::applications::{ApplicationQuery, ApplicationRow};
use crate::store::audit::AuditEntry;
use crate::store::candidates::{self, Candidate};
use crate::store::certificates::{self, Certificate};
use crate::store::photos::{self, Photo};
use crate::store::{Store, applications, audit};

/// Adds a new candidate; one already stored with the same 证件 is a conflict.
pub fn add_candidate(store: &mut Store, session: &Session, draft: &CandidateDraft) -> Result<Candidate> {
    session.require(Permission::ManageCandidates)?;
    let valid = draft.validate(session.today)?;
    let now = session.now();
    let id = store.write(|tx| insert_new(tx, session, &valid, "添加考生", &now))?;
    candidates::get(store.conn(), id)
}

/// A new candidate inside the caller's transaction, audited as `action`; one already stored with the same 证件 is a
/// conflict.
pub(crate) fn insert_new(tx: &Connection, session: &Session, valid: &Profile, action: &str, now: &str) -> Result<i64> {
    if candidates::find(tx, valid.id_type, &valid.id_number)?.is_some() {
        return Err(Error::Conflict(format!(
            "{} {} 的考生已存在（{}），不能重复添加",
            valid.id_type, valid.id_number, valid.name
        )));
    }
    let id = candidates::insert(tx, valid, now)?;
    audit_candidate(tx, session, (id, &valid.id_number), action, (None, Some(&valid.name)), None, now)?;
    Ok(id)
}

/// Replaces the profile of the candidate with this 证件. Refused once an application is 申请通过 or later: what was
/// approved must stay what was approved.
pub fn update_candidate(store: &mut Store, session: &Session, draft: &CandidateDraft) -> Result<Candidate> {
    update_candidate_seen(store, session, draft, None)
}

/// [`update_candidate`] from a form filled in over the profile as it was at `seen` (its `updated_at`): when someone
/// else (another PC) changed it since, nothing is written and the operator is told who and when, instead of their
/// form silently undoing the other change.
pub fn update_candidate_seen(
    store: &mut Store,
    session: &Session,
    draft: &CandidateDraft,
    seen: Option<&str>,
) -> Result<Candidate> {
    session.require(Permission::ManageCandidates)?;
    let valid = draft.validate(session.today)?;
    let now = session.now();
    let id = store.write(|tx| {
        let existing = candidates::find(tx, valid.id_type, &valid.id_number)?
            .ok_or_else(|| Error::NotFound(format!("没有{} {} 的考生", valid.id_type, valid.id_number)))?;
        if let Some(seen) = seen
            && seen != existing.updated_at
        {
            let by = audit::last_change(tx, "candidate", existing.id, &existing.profile.id_number)?
                .map(|(at, actor, action)| {
                    format!("{actor} 已于 {} {action}", at.get(..16).unwrap_or(&at).replace('T', " "))
                })
                .unwrap_or_else(|| "资料已被修改".into());
            return Err(Error::Conflict(format!(
                "{}（{}）的资料在您打开之后有了改动（{by}）：您的修改未保存，请重新打开后再改",
                existing.profile.name, existing.profile.id_number
            )));
        }
        if let Some(status) = applications::locking_status(tx, existing.id)? {
            return Err(Error::refused(format!(
                "{}（{}）有报名处于“{}”状态，个人资料已锁定，不能修改；如确需修改，请先撤回该报名的审核",
                existing.profile.name, existing.profile.id_number, status
            )));
        }
        replace_profile(tx, session, &existing, &valid, "修改资料", &now)
    })?;
    candidates::get(store.conn(), id)
}

/// Writes a new profile over `existing`'s inside the caller's transaction, audited as `action` with both versions.
/// The caller has checked the lock.
pub(crate) fn replace_profile(
    tx: &Connection,
    session: &Session,
    existing: &Candidate,
    valid: &Profile,
    action: &str,
    now: &str,
) -> Result<i64> {
    candidates::update_profile(tx, valid, now)?;
    let before = serde_json::to_string(&existing.profile).unwrap_or_default();
    let after = serde_json::to_string(valid).unwrap_or_default();
    let who = (existing.id, existing.profile.id_number.as_str());
    audit_candidate(tx, session, who, action, (Some(&before), Some(&after)), None, now)?;
    Ok(existing.id)
}

/// The audit row of something done to a candidate (`who`: their id and 证件号码), with the values before and after.
pub(crate) fn audit_candidate(
    tx: &Connection,
    session: &Session,
    (candidate_id, id_number): (i64, &str),
    action: &str,
    (from, to): (Option<&str>, Option<&str>),
    detail: Option<&str>,
    now: &str,
) -> Result<()> {
    audit::append(
        tx,
        &audit::NewAuditEntry {
            actor: &session.operator,
            entity: "candidate",
            entity_id: candidate_id,
            action,
            from_value: from,
            to_value: to,
            detail,
            id_number: Some(id_number),
            ..Default::default()
        },
        now,
    )
}

/// Everything the detail drawer shows about one candidate.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CandidateDetail {
    pub candidate: Candidate,
    /// The status that locks the profile (申请通过 or later), when one does: edits are refused with it.
    pub locked_by: Option<ApplicationStatus>,
    pub has_photo: bool,
    pub applications: Vec<ApplicationRow>,
    pub certificates: Vec<Certificate>,
    /// The candidate's audit trail, oldest first.
    pub history: Vec<AuditEntry>,
}

pub fn candidate_detail(store: &Store, candidate_id: i64) -> Result<CandidateDetail> {
    let conn = store.conn();
    let candidate = candidates::get(conn, candidate_id)?;
    let query = ApplicationQuery { candidate_id: Some(candidate_id), page_size: MAX_PAGE_SIZE, ..Default::default() };
    Ok(CandidateDetail {
        locked_by: applications::locking_status(conn, candidate_id)?,
        has_photo: photos::get(conn, candidate_id)?.is_some(),
        applications: applications::search(conn, &query)?.rows,
        certificates: certificates::list(conn, None, Some(&candidate.profile.id_number))?,
        history: audit::list(conn, Some(&candidate.profile.id_number))?,
        candidate,
    })
}

/// The printable photo's bytes and format, for the detail drawer.
pub fn candidate_photo(store: &Store, candidate_id: i64) -> Result<Option<Photo>> {
    photos::get(store.conn(), candidate_id)
}

pub fn list_candidates(store: &Store) -> Result<Vec<Candidate>> {
    candidates::list(store.conn())
}

/// The one candidate with this 证件号码 (and type, when given). Several types sharing one number need the type.
pub(crate) fn find_candidate(
    conn: &crate::store::sql::Connection,
    id_number: &str,
    id_type: Option<IdType>,
) -> Result<Candidate> {
    let number = normalize_number(id_number);
    let mut found = match id_type {
        Some(t) => candidates::find(conn, t, &number)?.into_iter().collect(),
        None => candidates::find_by_number(conn, &number)?,
    };
    match found.len() {
        0 => Err(Error::NotFound(format!("没有证件号码为 {number} 的考生，请先添加考生"))),
        1 => Ok(found.remove(0)),
        _ => Err(Error::refused(format!("证件号码 {number} 对应多种证件类型的考生，请同时指定证件类型"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    pub(crate) fn zhang() -> CandidateDraft {
        CandidateDraft {
            name: "张三".into(),
            id_type: "居民身份证".into(),
            id_number: "11010519491231002X".into(),
            phone: "13812345678".into(),
            ..Default::default()
        }
    }

    fn session() -> Session {
        Session::on("测试员", NaiveDate::from_ymd_opt(2026, 12, 5).unwrap())
    }

    #[test]
    fn add_then_duplicate_is_a_conflict() {
        let mut store = crate::testing::scratch();
        let c = add_candidate(&mut store, &session(), &zhang()).unwrap();
        assert_eq!(c.profile.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31));
        let lower_x = CandidateDraft { id_number: "11010519491231002x".into(), ..zhang() };
        let e = add_candidate(&mut store, &session(), &lower_x).unwrap_err();
        assert!(matches!(e, Error::Conflict(_)), "{e}");
        assert_eq!(list_candidates(&store).unwrap().len(), 1);
    }

    #[test]
    fn update_changes_the_profile_and_is_audited() {
        let mut store = crate::testing::scratch();
        add_candidate(&mut store, &session(), &zhang()).unwrap();
        let edited = CandidateDraft { phone: "13900001111".into(), education: "本科".into(), ..zhang() };
        let c = update_candidate(&mut store, &session(), &edited).unwrap();
        assert_eq!(c.profile.phone, "13900001111");
        assert_eq!(c.profile.education.as_deref(), Some("大学本科"));
        let log = audit::list(store.conn(), Some("11010519491231002X")).unwrap();
        assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["添加考生", "修改资料"]);
        assert!(log[1].from_value.as_deref().unwrap().contains("13812345678"));
    }

    /// Two PCs with the same profile open: the second save is refused, naming the first, and nothing is lost.
    #[test]
    fn a_form_over_a_profile_changed_since_is_refused_and_names_who_changed_it() {
        let mut store = crate::testing::scratch();
        let opened = add_candidate(&mut store, &session(), &zhang()).unwrap();
        // Another PC saves a new phone number a second later (a save in the same second as the opening is not
        // told apart: stamps are to the second).
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let other = Session::signed_in("李审核", "li", crate::domain::operator::Role::Admin);
        let phone = CandidateDraft { phone: "13900001111".into(), ..zhang() };
        update_candidate_seen(&mut store, &other, &phone, Some(&opened.updated_at)).unwrap();
        // This PC's form still shows the old profile.
        let address = CandidateDraft { address: "深圳市福田区".into(), ..zhang() };
        let e = update_candidate_seen(&mut store, &session(), &address, Some(&opened.updated_at)).unwrap_err();
        assert!(matches!(e, Error::Conflict(_)), "{e}");
        assert!(e.to_string().contains("李审核") && e.to_string().contains("修改资料"), "{e}");
        let now = list_candidates(&store).unwrap().remove(0);
        assert_eq!((now.profile.phone.as_str(), now.profile.address.as_deref()), ("13900001111", None));
        // Reopened, the form saves.
        let address = CandidateDraft { phone: "13900001111".into(), ..address };
        update_candidate_seen(&mut store, &session(), &address, Some(&now.updated_at)).unwrap();
    }
}
