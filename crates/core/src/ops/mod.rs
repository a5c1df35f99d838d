//! Operations: one function per thing an operator does. The CLI and the Tauri commands call these and nothing
//! below them. Each write runs in one transaction and records its audit rows in that same transaction.

pub mod accounts;
pub mod applications;
pub mod arrangement;
pub mod audit;
pub mod candidates;
pub mod dashboard;
pub mod eligibility;
pub mod encryption;
pub mod operators;
pub mod photos;
pub mod plans;
pub mod scores;
pub mod settings;

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

    /// The signed-in operator's role; None for a system session.
    pub fn role(&self) -> Option<Role> {
        match &self.authority {
            Authority::Operator { role, .. } => Some(*role),
            Authority::System => None,
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
        }
    }

    pub(crate) fn now(&self) -> String {
        now_stamp()
    }
}

/// "张三（…）、李四（…） 等 25 人": the first ten of a list of people, for refusals that name who is concerned.
pub(crate) fn some_people(people: &[String]) -> String {
    let shown = people.iter().take(10).cloned().collect::<Vec<_>>().join("、");
    if people.len() > 10 { format!("{shown} 等 {} 人", people.len()) } else { shown }
}
