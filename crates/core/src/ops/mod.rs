//! Operations: one function per thing an operator does. The CLI and the Tauri commands call these and nothing
//! below them. Each write runs in one transaction and records its audit rows in that same transaction.

pub mod accounts;
pub mod applications;
pub mod arrangement;
pub mod audit;
pub mod candidates;
pub mod dashboard;
pub mod eligibility;
pub mod photos;
pub mod plans;
pub mod scores;
pub mod settings;

use chrono::NaiveDate;

use crate::domain::text::{now_stamp, today_in_shanghai};

/// Who is acting, and the date the rules are judged on (Asia/Shanghai).
#[derive(Debug, Clone)]
pub struct Session {
    /// Recorded as the actor of every audit row.
    pub operator: String,
    pub today: NaiveDate,
}

impl Session {
    pub fn new(operator: impl Into<String>) -> Self {
        Session { operator: operator.into(), today: today_in_shanghai() }
    }

    /// A session on a fixed date, for tests and the demo database.
    pub fn on(operator: impl Into<String>, today: NaiveDate) -> Self {
        Session { operator: operator.into(), today }
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
