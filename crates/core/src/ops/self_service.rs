//! What a candidate does for themselves on the portal: register, sign in (the default-account rule), the first
//! login (name check, new password), change the password, edit the profile and photo (the lock rules), apply and
//! resubmit, read their own applications, scores, certificates and documents, and verify a certificate.
//!
//! A signed-in candidate acts through a [`Session`] of [`Authority::Candidate`](super::Authority::Candidate), made
//! only here from a live web session: every operation reads the candidate from it, so there is no way to name
//! another person's record. Each write is one transaction with its audit rows. Password hashing (argon2, tens of
//! milliseconds of CPU) never happens while a database connection is held: a chosen password is hashed by
//! [`ChosenPassword::new`] and a given one checked by [`Credentials::verify`], both before or between operations.

use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;

use super::Session;
use super::applications::{add_application, change_status};
use super::portal::{WebSession, create_web_session, token_hash};
use crate::domain::candidate::CandidateDraft;
use crate::domain::eligibility::Evaluation;
use crate::domain::id_number::normalize_number;
use crate::domain::level::Level;
use crate::domain::plan::Registration;
use crate::domain::results::NoticePeriod;
use crate::domain::score::{Marks, Part};
use crate::domain::status::{Action, ApplicationStatus};
use crate::error::{Error, Result};
use crate::password;
use crate::print::{self, DocumentKind, PrintRequest};
use crate::store::applications::{self, Application};
use crate::store::candidates::{self, Candidate};
use crate::store::certificates::{self, Certificate, CertificateState};
use crate::store::photos::{self, Photo};
use crate::store::plans::{self, Plan};
use crate::store::{Store, accounts, arrangements, notices, portal, resits, scores};

/// A candidate signed in on the portal, as a live web session shows them.
#[derive(Debug, Clone)]
pub struct SignedInCandidate {
    /// Who acts: the candidate's own authority.
    pub session: Session,
    pub candidate_id: i64,
    pub name: String,
    /// The token every form of this session carries.
    pub csrf: String,
    /// Still on the default password: everything but the first login's password change is refused.
    pub must_change_password: bool,
}

/// The signed-in candidate of a web session cookie; None when there is no such live session.
pub fn signed_in(store: &Store, cookie: &str) -> Result<Option<SignedInCandidate>> {
    let now = Utc::now().to_rfc3339();
    let Some((candidate_id, csrf)) = portal::session(store.conn(), &token_hash(cookie), &now)? else {
        return Ok(None);
    };
    let candidate = candidates::get(store.conn(), candidate_id)?;
    let must_change_password = accounts::password_hash(store.conn(), candidate_id)?.is_none();
    Ok(Some(SignedInCandidate {
        session: Session::candidate(candidate_id, must_change_password),
        candidate_id,
        name: candidate.profile.name,
        csrf,
        must_change_password,
    }))
}

/// Ends the web session of this cookie (audited 门户退出); an unknown or expired cookie ends nothing.
pub fn sign_out(store: &mut Store, cookie: &str) -> Result<()> {
    let hash = token_hash(cookie);
    let now = Utc::now().to_rfc3339();
    store.write(|tx| {
        let Some((candidate_id, _)) = portal::session(tx, &hash, &now)? else { return Ok(()) };
        let session = Session::candidate(candidate_id, false);
        portal::end_session(tx, &hash)?;
        let candidate = candidates::get(tx, candidate_id)?;
        audit_candidate(tx, &session, &candidate, "门户退出", None, &session.now())
    })
}

/// A password the candidate chose, checked against the general rule and hashed (outside any database work).
pub struct ChosenPassword {
    plain: String,
    hash: String,
}

impl ChosenPassword {
    /// Refuses a password that breaks the rule or differs from its confirmation; hashes it otherwise.
    pub fn new(password: &str, again: &str) -> Result<ChosenPassword> {
        if password != again {
            return Err(Error::refused("两次输入的密码不一致"));
        }
        password::check_new(password, &[]).map_err(Error::refused)?;
        Ok(ChosenPassword { plain: password.to_string(), hash: password::hash(password) })
    }

    /// The rule's part that depends on the person: no 证件号码 or tail of it.
    fn check_for(&self, id_number: &str) -> Result<()> {
        password::check_new(&self.plain, &[id_number]).map_err(Error::refused)
    }
}

/// What a sign-in (or a password change) checks a given password against. Reading it is quick; the check itself
/// ([`Credentials::verify`]) is the slow part and needs no database.
pub struct Credentials {
    candidate_id: Option<i64>,
    stored: Stored,
    /// The login as normalised and the client's address, which failed sign-ins are counted by.
    account: String,
    address: String,
}

enum Stored {
    /// No account with this login: checked against a fixed hash, so the answer takes as long as for a real one.
    Nobody,
    /// The default account: the last six characters of the 证件号码.
    Default(String),
    Chosen(String),
}

/// A password that matched: the one way to finish a sign-in or a password change.
pub struct Verified {
    candidate_id: i64,
    default_password: bool,
    account: String,
}

impl Credentials {
    /// The candidate, when `password` is theirs. Costs one argon2 check whether or not the account exists.
    pub fn verify(&self, password: &str) -> Option<Verified> {
        let matched = match &self.stored {
            Stored::Nobody => {
                password::verify(password, dummy_hash());
                false
            }
            Stored::Default(expected) => {
                password::verify(password, dummy_hash());
                password.to_uppercase() == *expected
            }
            Stored::Chosen(hash) => password::verify(password, hash),
        };
        let default_password = matches!(self.stored, Stored::Default(_));
        matched.then_some(()).and(self.candidate_id).map(|candidate_id| Verified {
            candidate_id,
            default_password,
            account: self.account.clone(),
        })
    }
}

/// A hash of nothing anyone types, checked when there is no real one to check.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| password::hash("SkillCert: no such account"))
}

/// Failed sign-ins within this window count towards the limits below.
const SIGN_IN_WINDOW_MINUTES: i64 = 15;
/// Failures that block an account (wherever the tries come from) until the oldest leaves the window.
const FAILURES_PER_ACCOUNT: i64 = 5;
/// Failures that block an address (whatever account it tries).
const FAILURES_PER_ADDRESS: i64 = 20;

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The credentials of the account whose login (证件号码) is `login`, tried from `address`. A number held by two people
/// (two 证件类型) or by nobody signs in no one. Refused, with the minutes to wait, while the account or the address
/// has failed too often (the count is in the database: it holds across portal processes and restarts).
pub fn credentials(store: &Store, login: &str, address: &str) -> Result<Credentials> {
    credentials_at(store, login, address, Utc::now())
}

fn credentials_at(store: &Store, login: &str, address: &str, now: DateTime<Utc>) -> Result<Credentials> {
    let account = normalize_number(login);
    let window = Duration::minutes(SIGN_IN_WINDOW_MINUTES);
    let failures = portal::failures_since(store.conn(), &account, address, &stamp(now - window))?;
    let wait = [(failures.account, FAILURES_PER_ACCOUNT), (failures.address, FAILURES_PER_ADDRESS)]
        .into_iter()
        .filter(|((count, _), limit)| count >= limit)
        .filter_map(|((_, oldest), _)| DateTime::parse_from_rfc3339(&oldest?).ok())
        .map(|oldest| (oldest.with_timezone(&Utc) + window - now).num_seconds().max(1))
        .max();
    if let Some(seconds) = wait {
        return Err(Error::refused(format!("登录失败次数过多，请 {} 分钟后再试", (seconds + 59) / 60)));
    }
    let found = candidates::find_by_number(store.conn(), &account)?;
    let (candidate_id, stored) = match found.as_slice() {
        [candidate] => (
            Some(candidate.id),
            match accounts::password_hash(store.conn(), candidate.id)? {
                Some(hash) => Stored::Chosen(hash),
                None => Stored::Default(accounts::default_password(&candidate.profile.id_number)),
            },
        ),
        _ => (None, Stored::Nobody),
    };
    Ok(Credentials { candidate_id, stored, account, address: address.to_string() })
}

/// Counts a sign-in whose password did not match, towards the account's and the address's limits.
pub fn sign_in_failed(store: &mut Store, credentials: &Credentials) -> Result<()> {
    sign_in_failed_at(store, credentials, Utc::now())
}

fn sign_in_failed_at(store: &mut Store, credentials: &Credentials, now: DateTime<Utc>) -> Result<()> {
    let forget_before = stamp(now - Duration::minutes(SIGN_IN_WINDOW_MINUTES));
    store.write(|tx| portal::add_failure(tx, &credentials.account, &credentials.address, &stamp(now), &forget_before))
}

/// Starts the web session of a verified sign-in (audited 门户登录). `must_change_password` is true while the
/// default password is in force.
pub fn start_session(store: &mut Store, verified: &Verified) -> Result<(WebSession, bool)> {
    let session = Session::candidate(verified.candidate_id, verified.default_password);
    let now = session.now();
    let web = store.write(|tx| {
        let candidate = candidates::get(tx, verified.candidate_id)?;
        portal::clear_failures(tx, &verified.account)?;
        let web = create_web_session(tx, verified.candidate_id)?;
        audit_candidate(tx, &session, &candidate, "门户登录", None, &now)?;
        Ok(web)
    })?;
    Ok((web, verified.default_password))
}

/// 注册: a new candidate with the password they chose, signed in at once. One transaction: the profile, the account
/// and the audit row, or nothing.
pub fn register(store: &mut Store, draft: &CandidateDraft, password: &ChosenPassword) -> Result<WebSession> {
    let registrar = Session::new("门户注册");
    let valid = draft.validate(registrar.today)?;
    password.check_for(&valid.id_number)?;
    let now = registrar.now();
    store.write(|tx| {
        let id =
            super::candidates::insert_new(tx, &registrar, &valid, "门户注册", &now).map_err(|e| match e.code() {
                crate::ErrorCode::Conflict => Error::Conflict(
                    "该证件号码已注册或已由报考机构导入，请直接登录；机构导入的账号默认密码为证件号码后六位".into(),
                ),
                _ => e,
            })?;
        accounts::set_password_hash(tx, id, &password.hash, &now)?;
        create_web_session(tx, id)
    })
}

/// 首次登录: the name as the agency registered it (the ID alone gives the default password away) and a new
/// password. Only while the default password is in force.
pub fn first_login(store: &mut Store, session: &Session, name: &str, password: &ChosenPassword) -> Result<()> {
    let candidate_id = session.own_candidate_on_default_password()?;
    let now = session.now();
    store.write(|tx| {
        let candidate = candidates::get(tx, candidate_id)?;
        if accounts::password_hash(tx, candidate_id)?.is_some() {
            return Err(Error::refused("已设置过密码，请在“修改密码”中更改"));
        }
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        if squeeze(name) != squeeze(&candidate.profile.name) {
            return Err(Error::refused("姓名与报考机构登记的不一致，请核对；如登记有误请联系报考机构"));
        }
        password.check_for(&candidate.profile.id_number)?;
        accounts::set_password_hash(tx, candidate_id, &password.hash, &now)?;
        audit_candidate(tx, session, &candidate, "首次登录设置密码", None, &now)
    })
}

/// The signed-in candidate's own credentials, to check the current password before a change.
pub fn own_credentials(store: &Store, session: &Session) -> Result<Credentials> {
    let candidate_id = session.own_candidate()?;
    let stored = match accounts::password_hash(store.conn(), candidate_id)? {
        Some(hash) => Stored::Chosen(hash),
        None => return Err(Error::refused("请先在首次登录页面设置新密码")),
    };
    Ok(Credentials { candidate_id: Some(candidate_id), stored, account: String::new(), address: String::new() })
}

/// 修改密码: `current` is the check of the current password ([`Credentials::verify`] of [`own_credentials`]);
/// every other session of the candidate ends (other devices are signed out), the one of `keep_cookie` stays.
pub fn change_password(
    store: &mut Store,
    session: &Session,
    current: Option<&Verified>,
    password: &ChosenPassword,
    keep_cookie: Option<&str>,
) -> Result<usize> {
    let candidate_id = session.own_candidate()?;
    // The check must be of this candidate's chosen password (not a default one, not someone else's).
    if !current.is_some_and(|v| v.candidate_id == candidate_id && !v.default_password) {
        return Err(Error::refused("当前密码不正确"));
    }
    let now = session.now();
    let keep = keep_cookie.map(token_hash);
    store.write(|tx| {
        let candidate = candidates::get(tx, candidate_id)?;
        password.check_for(&candidate.profile.id_number)?;
        accounts::set_password_hash(tx, candidate_id, &password.hash, &now)?;
        let ended = portal::end_other_sessions(tx, candidate_id, keep.as_deref())?;
        audit_candidate(tx, session, &candidate, "修改密码", Some(&format!("其他设备的 {ended} 个登录已退出")), &now)?;
        Ok(ended)
    })
}

/// 个人中心 as the candidate sees it.
#[derive(Debug, Clone, Serialize)]
pub struct OwnProfile {
    pub candidate: Candidate,
    /// The status that locks the profile and photo (申请通过 or later), when one does.
    pub locked_by: Option<ApplicationStatus>,
    pub has_photo: bool,
}

pub fn own_profile(store: &Store, session: &Session) -> Result<OwnProfile> {
    let candidate_id = session.own_candidate()?;
    let conn = store.conn();
    Ok(OwnProfile {
        candidate: candidates::get(conn, candidate_id)?,
        locked_by: applications::locking_status(conn, candidate_id)?,
        has_photo: photos::get(conn, candidate_id)?.is_some(),
    })
}

/// Saves the candidate's own profile; refused once an application is 申请通过 or later. The 证件 and what it decides
/// (性别, 出生日期) and the agency's 考生来源 are not the candidate's to change: those of `edit` are ignored.
pub fn update_own_profile(store: &mut Store, session: &Session, edit: &CandidateDraft) -> Result<Candidate> {
    let candidate_id = session.own_candidate()?;
    let current = candidates::get(store.conn(), candidate_id)?.profile;
    let draft = CandidateDraft {
        id_type: current.id_type.label().into(),
        id_number: current.id_number,
        sex: current.sex.map(|sex| sex.label().to_string()).unwrap_or_default(),
        birth_date: current.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        source: current.source.unwrap_or_default(),
        ..edit.clone()
    };
    let valid = draft.validate(session.today)?;
    let now = session.now();
    store.write(|tx| {
        let existing = candidates::get(tx, candidate_id)?;
        refuse_if_locked(tx, candidate_id, "个人资料")?;
        super::candidates::replace_profile(tx, session, &existing, &valid, "门户修改资料", &now)
    })?;
    candidates::get(store.conn(), candidate_id)
}

/// The candidate's own photo, checked by content under the seed's rules (an oversize one is refused, not changed);
/// refused once an application is 申请通过 or later.
pub fn set_own_photo(store: &mut Store, session: &Session, bytes: Vec<u8>) -> Result<()> {
    let candidate_id = session.own_candidate()?;
    if bytes.is_empty() {
        return Err(Error::invalid("照片", "请选择要上传的照片文件"));
    }
    if bytes.len() > crate::domain::photo::MAX_INPUT_BYTES {
        return Err(Error::invalid("照片", "照片文件过大：照片应在 1MB 以内，请压缩后重新上传"));
    }
    let prepared = super::photos::prepare(bytes, false)?;
    let now = session.now();
    store.write(|tx| {
        refuse_if_locked(tx, candidate_id, "照片")?;
        let candidate = candidates::get(tx, candidate_id)?;
        super::photos::save(tx, session, &candidate, &prepared, &now).map(|_| ())
    })
}

pub fn own_photo(store: &Store, session: &Session) -> Result<Option<Photo>> {
    photos::get(store.conn(), session.own_candidate()?)
}

fn refuse_if_locked(conn: &crate::store::sql::Connection, candidate_id: i64, what: &str) -> Result<()> {
    match applications::locking_status(conn, candidate_id)? {
        Some(status) => {
            Err(Error::refused(format!("您有报名处于“{status}”状态，{what}已锁定，不能修改；如需更正请联系报考机构")))
        }
        None => Ok(()),
    }
}

/// What the 报名 steps show: the plan, the candidate's profile, the photo, and the 报考条件 self-check.
#[derive(Debug, Clone)]
pub struct ApplyPreview {
    pub plan: Plan,
    pub registration: Registration,
    pub candidate: Candidate,
    pub has_photo: bool,
    pub check: Option<Evaluation>,
    /// What a 补考 application would keep (“沿用 … 考试的已合格科目：…”), when the candidate may apply as one.
    pub resit: Option<String>,
}

pub fn apply_preview(store: &Store, session: &Session, plan_id: i64) -> Result<ApplyPreview> {
    let candidate_id = session.own_candidate()?;
    let conn = store.conn();
    let plan = plans::get(conn, plan_id)?;
    let candidate = candidates::get(conn, candidate_id)?;
    let resit = super::applications::resit_basis(conn, &plan, candidate_id, "您").ok().map(|basis| basis.describe());
    Ok(ApplyPreview {
        registration: plan.registration(session.today),
        check: super::eligibility::evaluate(conn, &plan, &candidate)?,
        has_photo: photos::get(conn, candidate_id)?.is_some(),
        resit,
        plan,
        candidate,
    })
}

/// 确认报名: a 待处理 application of the signed-in candidate, only while the plan's registration is open and with a
/// photo on file; applying again after 申请不通过 resubmits. Returns the application and the 报考条件 self-check
/// (advice: the agency's review decides).
pub fn apply(
    store: &mut Store,
    session: &Session,
    plan_id: i64,
    kind: ApplyKind,
) -> Result<(Application, Option<Evaluation>)> {
    let candidate_id = session.own_candidate()?;
    let now = session.now();
    let id = store.write(|tx| {
        let plan = plans::get(tx, plan_id)?;
        let registration = plan.registration(session.today);
        if registration != Registration::Open {
            return Err(Error::refused(format!("该计划当前{}，不接受报名", registration.label())));
        }
        if photos::get(tx, candidate_id)?.is_none() {
            return Err(Error::refused("请先上传照片再确认报名"));
        }
        let candidate = candidates::get(tx, candidate_id)?;
        match applications::find(tx, plan_id, candidate_id)? {
            Some(existing) if existing.status == ApplicationStatus::Rejected => {
                change_status(tx, session, &existing, Action::Resubmit, Some("考生在门户修改后重新提交"), &now)?;
                Ok(existing.id)
            }
            Some(existing) => {
                Err(Error::Conflict(format!("您已报名此计划，当前状态“{}”，不能重复报名", existing.status)))
            }
            None if kind == ApplyKind::Resit => {
                let basis = super::applications::resit_basis(tx, &plan, candidate_id, "您")?;
                let id = add_application(
                    tx,
                    session,
                    &plan,
                    candidate_id,
                    &candidate.profile.id_number,
                    "门户补考报名",
                    &now,
                )?;
                super::applications::keep_passed_parts(tx, session, id, &basis, &now)?;
                Ok(id)
            }
            None => add_application(tx, session, &plan, candidate_id, &candidate.profile.id_number, "门户报名", &now),
        }
    })?;
    let check = super::eligibility::evaluate_application(store.conn(), id)?;
    Ok((applications::get(store.conn(), id)?, check))
}

/// 新考, or 补考: a re-sit of an earlier failed result that keeps its passed parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyKind {
    New,
    Resit,
}

/// 重新提交 a refused application of the candidate's.
pub fn resubmit(store: &mut Store, session: &Session, application_id: i64) -> Result<Application> {
    let application = own_application(store, session, application_id)?;
    let now = session.now();
    store.write(|tx| {
        change_status(tx, session, &application, Action::Resubmit, Some("考生在门户修改后重新提交"), &now).map(|_| ())
    })?;
    applications::get(store.conn(), application_id)
}

/// One row of 我的报名.
#[derive(Debug, Clone, Serialize)]
pub struct OwnApplication {
    pub application: Application,
    pub occupation: String,
    pub job: Option<String>,
    pub level: Level,
    /// A 补考: the parts kept from the earlier exam.
    pub resit: Option<Vec<Part>>,
    /// Where and when the candidate sits, once arranged.
    pub exam: Option<OwnExam>,
}

/// A candidate's place in an arranged exam: the number, the 考点, and each session they sit with its room and seat
/// (a 补考's kept parts left out).
#[derive(Debug, Clone, Serialize)]
pub struct OwnExam {
    pub ticket_number: String,
    pub venue: String,
    pub sessions: Vec<OwnSession>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnSession {
    pub part: Part,
    pub sitting: crate::domain::arrangement::Sitting,
    /// "机房一 05号".
    pub place: String,
}

fn own_exam(
    conn: &crate::store::sql::Connection,
    application: &Application,
    carried: &[Part],
) -> Result<Option<OwnExam>> {
    let Some(seat) = arrangements::seat_of(conn, application.id)? else { return Ok(None) };
    let Some(arrangement) = arrangements::get(conn, application.plan_id)? else { return Ok(None) };
    let sessions = Part::ALL
        .into_iter()
        .filter(|part| !carried.contains(part))
        .filter_map(|part| {
            let place = arrangement.place_of(&seat, part)?;
            let sitting = arrangement.sitting(part)?;
            Some(OwnSession { part, sitting, place: arrangement.place_label(part, place) })
        })
        .collect();
    Ok(Some(OwnExam { ticket_number: seat.ticket_number, venue: arrangement.venue, sessions }))
}

/// 我的报名, newest first, across every agency the candidate applied to.
pub fn own_applications(store: &Store, session: &Session) -> Result<Vec<OwnApplication>> {
    let candidate_id = session.own_candidate()?;
    let conn = store.conn();
    let mut rows = Vec::new();
    for application in applications::list_for_candidate(conn, candidate_id)? {
        let plan = plans::get(conn, application.plan_id)?;
        let resit = resits::get(conn, application.id)?.map(|r| r.carried);
        let exam = own_exam(conn, &application, resit.as_deref().unwrap_or(&[]))?;
        rows.push(OwnApplication {
            application,
            occupation: plan.occupation,
            job: plan.job,
            level: plan.level,
            resit,
            exam,
        });
    }
    Ok(rows)
}

/// The candidate's application of this id; anyone else's is not found (as if it did not exist).
fn own_application(store: &Store, session: &Session, application_id: i64) -> Result<Application> {
    let candidate_id = session.own_candidate()?;
    match applications::get(store.conn(), application_id) {
        Ok(a) if a.candidate_id == candidate_id => Ok(a),
        _ => Err(Error::NotFound("没有这条报名记录".into())),
    }
}

/// 成绩 of one of the candidate's applications, once published.
#[derive(Debug, Clone)]
pub struct OwnScores {
    pub plan: Plan,
    pub marks: Marks,
    /// None while a required mark is missing.
    pub passed: Option<bool>,
    /// The results notice (成绩公示): while it is open the candidate may ask for a 复核; after it the results are final.
    pub notice: Option<NoticePeriod>,
    /// Whether the notice is open today.
    pub notice_open: bool,
}

pub fn own_scores(store: &Store, session: &Session, application_id: i64) -> Result<OwnScores> {
    let application = own_application(store, session, application_id)?;
    if application.status != ApplicationStatus::ScoresPublished {
        return Err(Error::NotFound("成绩尚未发布".into()));
    }
    let plan = plans::get(store.conn(), application.plan_id)?;
    let marks = scores::get(store.conn(), application.id)?;
    let notice = notices::get(store.conn(), plan.id)?;
    let notice_open = notice.is_some_and(|n| n.is_open(session.today));
    Ok(OwnScores { passed: marks.passed(plan.level), plan, marks, notice, notice_open })
}

/// 我的证书: the certificates issued to the candidate's 证件.
pub fn own_certificates(store: &Store, session: &Session) -> Result<Vec<Certificate>> {
    let candidate = candidates::get(store.conn(), session.own_candidate()?)?;
    Ok(certificates::list(store.conn(), None, Some(&candidate.profile.id_number))?
        .into_iter()
        .filter(|c| c.id_type == candidate.profile.id_type.label())
        .collect())
}

/// A document of one of the candidate's applications as PDF bytes (the same PDF the desktop prints): 个人申请表 from
/// 申请通过, 准考证 from 已提交申报; refused, saying what the candidate can do, without a photo.
pub fn own_document(store: &Store, session: &Session, application_id: i64, kind: DocumentKind) -> Result<Vec<u8>> {
    let application = own_application(store, session, application_id)?;
    if photos::get(store.conn(), application.candidate_id)?.is_none() {
        return Err(Error::refused(format!(
            "{}需要您的证件照，但您还没有照片；报名已审核通过后照片不能再自行更换，请联系报考机构补充照片",
            kind.label()
        )));
    }
    let request = PrintRequest {
        kind,
        plan_id: application.plan_id,
        id_numbers: vec![application.id_number],
        overlay_only: false,
    };
    Ok(print::render(store, &request, &mut |_| {}, &AtomicBool::new(false))?.1)
}

/// The certificate of this number as PDF bytes, when it is the candidate's.
pub fn own_certificate_document(store: &Store, session: &Session, number: &str) -> Result<Vec<u8>> {
    let Some(certificate) = own_certificates(store, session)?.into_iter().find(|c| c.number == number) else {
        return Err(Error::NotFound("没有这本证书".into()));
    };
    let request = PrintRequest {
        kind: DocumentKind::Certificate,
        plan_id: certificate.plan_id,
        id_numbers: vec![certificate.id_number],
        overlay_only: false,
    };
    Ok(print::render(store, &request, &mut |_| {}, &AtomicBool::new(false))?.1)
}

/// 证书查询 (public: the address a certificate's QR code opens): the certificate of this number when the name is the
/// one printed on it. Only what the certificate itself shows, the 证件号码 partly hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedCertificate {
    pub name: String,
    pub id_type: String,
    /// 110105********002X: enough to tell two people apart, not enough to use.
    pub id_number_masked: String,
    pub occupation: String,
    pub job: Option<String>,
    pub level: String,
    pub number: String,
    pub issued_on: chrono::NaiveDate,
    pub agency_name: String,
    /// 有效, or 已作废 (with the day) for a revoked one.
    pub state: CertificateState,
    pub revoked_on: Option<chrono::NaiveDate>,
}

pub fn verify_certificate(store: &Store, number: &str, name: &str) -> Result<Option<VerifiedCertificate>> {
    let number = number.trim().to_uppercase();
    let name = name.trim();
    if number.is_empty() || name.is_empty() {
        return Ok(None);
    }
    Ok(certificates::find_by_number(store.conn(), &number)?.filter(|c| c.name == name).map(|c| VerifiedCertificate {
        id_number_masked: crate::domain::results::mask_id_number(&c.id_number),
        name: c.name,
        id_type: c.id_type,
        occupation: c.occupation,
        job: c.job,
        level: c.level,
        number: c.number,
        issued_on: c.issued_on,
        agency_name: c.agency_name,
        state: c.state,
        revoked_on: c.revoked_on,
    }))
}

/// The audit row of something a candidate did on the portal.
fn audit_candidate(
    tx: &crate::store::sql::Connection,
    session: &Session,
    candidate: &Candidate,
    action: &str,
    detail: Option<&str>,
    now: &str,
) -> Result<()> {
    let who = (candidate.id, candidate.profile.id_number.as_str());
    super::candidates::audit_candidate(tx, session, who, action, (None, None), detail, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::operator::Permission;

    const ZHANG: &str = "11010519491231002X";

    fn zhang() -> CandidateDraft {
        CandidateDraft {
            name: "张三".into(),
            id_number: ZHANG.into(),
            phone: "13812345678".into(),
            ..Default::default()
        }
    }

    fn audit_actions(store: &Store) -> Vec<String> {
        crate::store::audit::list(store.conn(), Some(ZHANG)).unwrap().into_iter().map(|e| e.action).collect()
    }

    #[test]
    fn a_candidate_registers_signs_in_and_a_password_change_ends_their_other_sessions() {
        let mut store = crate::testing::scratch();
        let chosen = ChosenPassword::new("abc12345", "abc12345").unwrap();
        let first = register(&mut store, &zhang(), &chosen).unwrap();
        // The profile, the account and its session in one go; registering again is refused.
        assert!(register(&mut store, &zhang(), &chosen).is_err());
        let me = signed_in(&store, &first.cookie).unwrap().expect("the registration's session");
        assert!(!me.must_change_password);
        // A wrong password, and a login nobody has, both sign in no one.
        assert!(credentials(&store, ZHANG, "127.0.0.1").unwrap().verify("wrong123").is_none());
        assert!(credentials(&store, "110105198001010016", "127.0.0.1").unwrap().verify("abc12345").is_none());
        let verified = credentials(&store, &ZHANG.to_lowercase(), "127.0.0.1")
            .unwrap()
            .verify("abc12345")
            .expect("right password");
        let (second, must_change) = start_session(&mut store, &verified).unwrap();
        assert!(!must_change);
        // Changing the password from the second device ends the first one's session only.
        let current = own_credentials(&store, &me.session).unwrap().verify("abc12345");
        let next = ChosenPassword::new("xyz98765", "xyz98765").unwrap();
        let ended = change_password(&mut store, &me.session, current.as_ref(), &next, Some(&second.cookie)).unwrap();
        assert_eq!(ended, 1);
        assert!(signed_in(&store, &first.cookie).unwrap().is_none());
        assert!(signed_in(&store, &second.cookie).unwrap().is_some());
        assert!(credentials(&store, ZHANG, "127.0.0.1").unwrap().verify("xyz98765").is_some());
        // Without the current password, nothing changes.
        let wrong = own_credentials(&store, &me.session).unwrap().verify("abc12345");
        assert!(change_password(&mut store, &me.session, wrong.as_ref(), &chosen, None).is_err());
        sign_out(&mut store, &second.cookie).unwrap();
        assert!(signed_in(&store, &second.cookie).unwrap().is_none());
        assert_eq!(audit_actions(&store), ["门户注册", "门户登录", "修改密码", "门户退出"]);
    }

    #[test]
    fn a_candidate_session_reaches_only_its_own_records_and_no_operator_work() {
        let mut store = crate::testing::scratch();
        let web = register(&mut store, &zhang(), &ChosenPassword::new("abc12345", "abc12345").unwrap()).unwrap();
        let me = signed_in(&store, &web.cookie).unwrap().unwrap();
        let refused = me.session.require(Permission::ManageCandidates).unwrap_err();
        assert_eq!(refused.code(), crate::ErrorCode::Refused);
        let li = CandidateDraft { name: "李四".into(), id_number: "110105198001010016".into(), ..zhang() };
        assert!(crate::ops::candidates::add_candidate(&mut store, &me.session, &li).is_err());
        // Someone else's application is not found; an operator's session is not a candidate's.
        assert_eq!(resubmit(&mut store, &me.session, 1).unwrap_err().code(), crate::ErrorCode::NotFound);
        assert!(own_profile(&store, &Session::new("系统")).is_err());
        // A first login belongs to default accounts only.
        let other = ChosenPassword::new("xyz98765", "xyz98765").unwrap();
        assert!(first_login(&mut store, &me.session, "张三", &other).is_err());
        // A password that is the ID's tail is refused for this person.
        let tail = ChosenPassword::new("1231002X", "1231002X").unwrap();
        assert!(register(&mut store, &CandidateDraft { id_number: ZHANG.into(), ..zhang() }, &tail).is_err());
    }

    #[test]
    fn failed_sign_ins_block_the_account_and_the_address_for_the_window() {
        let mut store = crate::testing::scratch();
        register(&mut store, &zhang(), &ChosenPassword::new("abc12345", "abc12345").unwrap()).unwrap();
        let t0 = Utc::now();
        let (here, there) = ("127.0.0.1", "10.0.0.2");
        for i in 0..FAILURES_PER_ACCOUNT {
            let tried = credentials_at(&store, ZHANG, here, t0 + Duration::seconds(i)).unwrap();
            assert!(tried.verify("wrong123").is_none());
            sign_in_failed_at(&mut store, &tried, t0 + Duration::seconds(i)).unwrap();
        }
        // Blocked, with the right password too, and from another address; another account from here is not.
        let later = t0 + Duration::minutes(1);
        let blocked = credentials_at(&store, ZHANG, there, later).map(|_| ()).unwrap_err();
        assert!(blocked.to_string().contains("14 分钟后再试"), "{blocked}");
        assert!(credentials_at(&store, "110105198001010016", here, later).is_ok());
        // Twenty failures from one address block it for every account.
        for i in 0..FAILURES_PER_ADDRESS - FAILURES_PER_ACCOUNT {
            let tried = credentials_at(&store, &format!("11010519800101{i:04}"), here, later).unwrap();
            sign_in_failed_at(&mut store, &tried, later).unwrap();
        }
        assert!(credentials_at(&store, "110105198001010016", here, later).is_err());
        assert!(credentials_at(&store, "110105198001010016", there, later).is_ok());
        // Once the oldest failures leave the window the account may try again, and a success forgets its failures.
        let after = t0 + Duration::minutes(SIGN_IN_WINDOW_MINUTES) + Duration::seconds(FAILURES_PER_ACCOUNT);
        let again = credentials_at(&store, ZHANG, there, after).unwrap();
        start_session(&mut store, &again.verify("abc12345").unwrap()).unwrap();
        let count = portal::failures_since(store.conn(), ZHANG, there, &stamp(t0)).unwrap().account.0;
        assert_eq!(count, 0);
    }

    #[test]
    fn a_default_account_may_only_set_its_password_first() {
        let mut store = crate::testing::scratch();
        crate::ops::candidates::add_candidate(&mut store, &Session::new("审核员"), &zhang()).unwrap();
        // The default password is the ID's last six characters (a lower-case x too).
        let verified = credentials(&store, ZHANG, "127.0.0.1").unwrap().verify("31002x").expect("default password");
        let (web, must_change) = start_session(&mut store, &verified).unwrap();
        assert!(must_change);
        let me = signed_in(&store, &web.cookie).unwrap().unwrap();
        assert!(me.must_change_password);
        assert!(own_profile(&store, &me.session).unwrap_err().to_string().contains("默认密码"));
        assert!(apply(&mut store, &me.session, 1, ApplyKind::New).is_err());
        let chosen = ChosenPassword::new("xyz98765", "xyz98765").unwrap();
        assert!(first_login(&mut store, &me.session, "李四", &chosen).is_err(), "the name is checked");
        first_login(&mut store, &me.session, "张 三", &chosen).unwrap();
        let me = signed_in(&store, &web.cookie).unwrap().unwrap();
        assert!(!me.must_change_password);
        assert_eq!(own_profile(&store, &me.session).unwrap().candidate.profile.name, "张三");
        assert!(credentials(&store, ZHANG, "127.0.0.1").unwrap().verify("31002X").is_none(), "the default is gone");
    }

    #[test]
    fn editing_ones_profile_keeps_what_the_document_says() {
        let mut store = crate::testing::scratch();
        let passport = CandidateDraft {
            id_type: "护照".into(),
            id_number: "E12345678".into(),
            sex: "女".into(),
            birth_date: "1990-05-06".into(),
            ..zhang()
        };
        let web = register(&mut store, &passport, &ChosenPassword::new("abc12345", "abc12345").unwrap()).unwrap();
        let me = signed_in(&store, &web.cookie).unwrap().unwrap();
        // The form carries no 证件, 性别 or 出生日期; a forged one is ignored.
        let edit = CandidateDraft {
            name: "张三".into(),
            phone: "13900000000".into(),
            id_number: "X1".into(),
            ..Default::default()
        };
        let saved = update_own_profile(&mut store, &me.session, &edit).unwrap().profile;
        assert_eq!((saved.id_number.as_str(), saved.phone.as_str()), ("E12345678", "13900000000"));
        assert_eq!(saved.sex.map(|s| s.label()), Some("女"));
        assert_eq!(saved.birth_date.map(|d| d.to_string()).as_deref(), Some("1990-05-06"));
    }
}
