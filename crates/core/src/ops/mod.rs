//! Operations: one function per thing an operator does. The CLI and the Tauri commands call these and nothing
//! below them. Each write runs in one transaction and records its audit rows in that same transaction.

pub mod accounts;
pub mod applications;
pub mod arrangement;
pub mod audit;
pub mod candidates;
pub mod certificates;
pub mod dashboard;
pub mod database;
pub mod eligibility;
pub mod encryption;
pub mod occupations;
pub mod operators;
pub mod photos;
pub mod plans;
pub mod portal;
pub mod reporting;
pub mod scores;
pub mod self_service;
pub mod settings;
pub mod staffing;
pub mod statistics;
pub mod venues;

use chrono::NaiveDate;

use crate::domain::operator::{self, Permission, Role};
use crate::domain::text::{now_stamp, today_in_shanghai};
use crate::error::{Error, Result};

/// Who is acting, and the date the rules are judged on (Asia/Shanghai).
#[derive(Debug, Clone)]
pub struct Session {
    /// Recorded as the actor of every audit row.
    pub operator: String,
    pub today: NaiveDate,
    pub authority: Authority,
}

/// Where a session's rights come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authority {
    /// SkillCert itself or a program acting for a person who is not an operator: the portal for a candidate, the sync,
    /// the demo, the command line of a database that has no operators yet. Its callers decide what it may reach.
    System,
    /// A signed-in operator (ops::operators::sign_in): the permission table decides.
    Operator { login: String, role: Role },
    /// A candidate signed in on the portal (ops::self_service): their own records only, through the operations of
    /// `self_service`; every operator permission is refused. While the default password is in force
    /// (`default_password`), only the first login's password change is allowed.
    Candidate { candidate_id: i64, default_password: bool },
}

impl Session {
    /// A [`Authority::System`] session.
    pub fn new(operator: impl Into<String>) -> Self {
        Session { operator: operator.into(), today: today_in_shanghai(), authority: Authority::System }
    }

    /// A system session on a fixed date, for tests and the demo database.
    pub fn on(operator: impl Into<String>, today: NaiveDate) -> Self {
        Session { operator: operator.into(), today, authority: Authority::System }
    }

    /// The session of a signed-in operator; the audit trail shows "姓名（登录名）".
    pub fn signed_in(name: &str, login: &str, role: Role) -> Self {
        Session {
            operator: format!("{name}（{login}）"),
            today: today_in_shanghai(),
            authority: Authority::Operator { login: login.to_string(), role },
        }
    }

    /// The session of a candidate signed in on the portal; the audit trail shows "考生:ID".
    pub(crate) fn candidate(candidate_id: i64, default_password: bool) -> Self {
        Session {
            operator: format!("考生:{candidate_id}"),
            today: today_in_shanghai(),
            authority: Authority::Candidate { candidate_id, default_password },
        }
    }

    /// The signed-in operator's role; None for a system or candidate session.
    pub fn role(&self) -> Option<Role> {
        match &self.authority {
            Authority::Operator { role, .. } => Some(*role),
            Authority::System | Authority::Candidate { .. } => None,
        }
    }

    /// The candidate this session acts for; refused for any other session (an operator works through the
    /// operator operations).
    pub(crate) fn own_candidate(&self) -> Result<i64> {
        match self.authority {
            Authority::Candidate { default_password: true, .. } => {
                Err(Error::refused("请先修改默认密码：默认密码由证件号码推算而来，首次登录须设置新密码"))
            }
            _ => self.own_candidate_on_default_password(),
        }
    }

    /// [`Session::own_candidate`], also while the default password is in force (the first login itself).
    pub(crate) fn own_candidate_on_default_password(&self) -> Result<i64> {
        match self.authority {
            Authority::Candidate { candidate_id, .. } => Ok(candidate_id),
            _ => Err(Error::refused("这是考生本人的操作，请以考生身份在门户登录后进行")),
        }
    }

    /// Refuses, naming who may, when this session's role lacks `permission`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        match &self.authority {
            Authority::System => Ok(()),
            Authority::Operator { role, .. } if operator::allows(*role, permission) => Ok(()),
            Authority::Operator { role, .. } => {
                let who: Vec<&str> =
                    Role::ALL.into_iter().filter(|r| operator::allows(*r, permission)).map(Role::label).collect();
                Err(Error::refused(format!(
                    "当前账号是{}，没有“{}”的权限；请由{}操作",
                    role.label(),
                    permission.label(),
                    who.join("或")
                )))
            }
            Authority::Candidate { .. } => {
                Err(Error::refused(format!("“{}”由报考机构办理，考生不能操作", permission.label())))
            }
        }
    }

    /// Refuses a candidate's session: what any operator may read (the agency's statistics, its report deadlines)
    /// is not the candidate's to see.
    pub(crate) fn require_staff(&self) -> Result<()> {
        match self.authority {
            Authority::Candidate { .. } => Err(Error::refused("这是报考机构的资料，考生不能查看")),
            Authority::System | Authority::Operator { .. } => Ok(()),
        }
    }

    pub(crate) fn now(&self) -> String {
        now_stamp()
    }
}

/// A reason an action must be given (a correction, a revocation, a reissue), trimmed; refused empty, naming the
/// `field` with an `example` ("如“…”").
pub(crate) fn required_reason<'a>(reason: &'a str, field: &'static str, example: &str) -> Result<&'a str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(field, format!("请填写{field}，{example}")));
    }
    Ok(reason)
}

/// An audit row about a plan as a whole (publishing, rules, arrangement, the results notice, the report), by the
/// session's operator, with what changed `(from, to)` and a detail.
pub(crate) fn audit_plan(
    conn: &crate::store::sql::Connection,
    session: &Session,
    plan_id: i64,
    action: &str,
    (from_value, to_value): (Option<&str>, Option<&str>),
    detail: Option<&str>,
    now: &str,
) -> Result<()> {
    crate::store::audit::append(
        conn,
        &crate::store::audit::NewAuditEntry {
            actor: &session.operator,
            entity: "plan",
            entity_id: plan_id,
            action,
            from_value,
            to_value,
            detail,
            plan_id: Some(plan_id),
            ..Default::default()
        },
        now,
    )
}

/// "张三（…）、李四（…） 等 25 人": the first ten of a list of people, for refusals that name who is concerned.
pub(crate) fn some_people(people: &[String]) -> String {
    let shown = people.iter().take(10).cloned().collect::<Vec<_>>().join("、");
    if people.len() > 10 { format!("{shown} 等 {} 人", people.len()) } else { shown }
}
