//! Application (报名) status and 支付状态, and the one table of legal transitions.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// 报名状态, as the candidate portal shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum ApplicationStatus {
    #[serde(rename = "待处理")]
    Pending,
    #[serde(rename = "申请不通过")]
    Rejected,
    #[serde(rename = "申请通过")]
    Approved,
    #[serde(rename = "已提交申报")]
    Filed,
    #[serde(rename = "成绩发布")]
    ScoresPublished,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 5] = [
        ApplicationStatus::Pending,
        ApplicationStatus::Rejected,
        ApplicationStatus::Approved,
        ApplicationStatus::Filed,
        ApplicationStatus::ScoresPublished,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Pending => "待处理",
            ApplicationStatus::Rejected => "申请不通过",
            ApplicationStatus::Approved => "申请通过",
            ApplicationStatus::Filed => "已提交申报",
            ApplicationStatus::ScoresPublished => "成绩发布",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|s| s.label() == text.trim()).ok_or_else(|| {
            let allowed: Vec<&str> = Self::ALL.iter().map(|s| s.label()).collect();
            Error::invalid("状态", format!("“{text}”不是有效的报名状态，可选：{}", allowed.join("、")))
        })
    }

    /// From 申请通过 on, what the application was approved with must not change: the profile is locked.
    pub fn locks_profile(self) -> bool {
        matches!(self, ApplicationStatus::Approved | ApplicationStatus::Filed | ApplicationStatus::ScoresPublished)
    }
}

impl std::fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// What an operator (or the candidate, for `Resubmit`) does to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 审核通过.
    Approve,
    /// 审核不通过; a reason is required.
    Reject,
    /// The candidate edits a refused application and submits it again.
    Resubmit,
    /// 提交申报: filed with the authority once the exam is arranged.
    File,
    /// 成绩发布.
    PublishScores,
    /// An operator's audited roll-back by one step; a reason is required.
    Revert,
}

impl Action {
    pub const ALL: [Action; 6] =
        [Action::Approve, Action::Reject, Action::Resubmit, Action::File, Action::PublishScores, Action::Revert];

    pub fn label(self) -> &'static str {
        match self {
            Action::Approve => "审核通过",
            Action::Reject => "审核不通过",
            Action::Resubmit => "重新提交",
            Action::File => "提交申报",
            Action::PublishScores => "发布成绩",
            Action::Revert => "撤回",
        }
    }

    pub fn needs_reason(self) -> bool {
        matches!(self, Action::Reject | Action::Revert)
    }
}

/// Every legal (from, action, to). Anything not listed is refused.
pub const TRANSITIONS: [(ApplicationStatus, Action, ApplicationStatus); 9] = {
    use Action::*;
    use ApplicationStatus::*;
    [
        (Pending, Approve, Approved),
        (Pending, Reject, Rejected),
        (Rejected, Resubmit, Pending),
        (Approved, File, Filed),
        (Filed, PublishScores, ScoresPublished),
        (Rejected, Revert, Pending),
        (Approved, Revert, Pending),
        (Filed, Revert, Approved),
        (ScoresPublished, Revert, Filed),
    ]
};

/// The status `action` leads to from `from`, or the refusal an operator reads.
pub fn transition(from: ApplicationStatus, action: Action) -> Result<ApplicationStatus> {
    TRANSITIONS.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to).ok_or_else(|| {
        let allowed: Vec<&str> = TRANSITIONS.iter().filter(|(f, _, _)| *f == from).map(|(_, a, _)| a.label()).collect();
        Error::refused(format!(
            "报名状态为“{}”，不能执行“{}”（此状态下可执行：{}）",
            from.label(),
            action.label(),
            allowed.join("、")
        ))
    })
}

/// 支付状态. `NotRequired` shows as "--" to candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum PaymentStatus {
    #[serde(rename = "待支付")]
    Unpaid,
    #[serde(rename = "已支付")]
    Paid,
    /// 缓缴: the agency let the candidate pay later; they may sit the exam but get no certificate until paid.
    #[serde(rename = "缓缴")]
    Deferred,
    #[serde(rename = "无需支付")]
    NotRequired,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 4] =
        [PaymentStatus::Unpaid, PaymentStatus::Paid, PaymentStatus::Deferred, PaymentStatus::NotRequired];

    pub fn label(self) -> &'static str {
        match self {
            PaymentStatus::Unpaid => "待支付",
            PaymentStatus::Paid => "已支付",
            PaymentStatus::Deferred => "缓缴",
            PaymentStatus::NotRequired => "无需支付",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text.trim() {
            "待支付" | "未支付" | "未缴费" => Ok(PaymentStatus::Unpaid),
            "已支付" | "已缴费" => Ok(PaymentStatus::Paid),
            "缓缴" | "缓交" => Ok(PaymentStatus::Deferred),
            "无需支付" | "--" => Ok(PaymentStatus::NotRequired),
            other => Err(Error::invalid(
                "支付状态",
                format!("“{other}”不是有效的支付状态，可选：待支付、已支付、缓缴、无需支付"),
            )),
        }
    }

    /// Whether the fee stands in the way of a certificate: 待支付 and 缓缴 wait for payment.
    pub fn awaits_payment(self) -> bool {
        matches!(self, PaymentStatus::Unpaid | PaymentStatus::Deferred)
    }

    /// What a new application to a plan with this fee (in fen) starts with.
    pub fn initial_for_fee(fee_fen: i64) -> Self {
        if fee_fen > 0 { PaymentStatus::Unpaid } else { PaymentStatus::NotRequired }
    }
}

impl std::fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    /// Every (status, action) pair: the expected outcome is written out, not derived from TRANSITIONS.
    #[test]
    fn every_status_action_pair() {
        let expected: [(ApplicationStatus, [Option<ApplicationStatus>; 6]); 5] = [
            // Approve, Reject, Resubmit, File, PublishScores, Revert
            (Pending, [Some(Approved), Some(Rejected), None, None, None, None]),
            (Rejected, [None, None, Some(Pending), None, None, Some(Pending)]),
            (Approved, [None, None, None, Some(Filed), None, Some(Pending)]),
            (Filed, [None, None, None, None, Some(ScoresPublished), Some(Approved)]),
            (ScoresPublished, [None, None, None, None, None, Some(Filed)]),
        ];
        for (from, outcomes) in expected {
            for (action, want) in Action::ALL.into_iter().zip(outcomes) {
                let got = transition(from, action);
                match want {
                    Some(to) => assert_eq!(got.unwrap(), to, "{from:?} + {action:?}"),
                    None => {
                        let message = got.unwrap_err().to_string();
                        assert!(message.contains(from.label()) && message.contains(action.label()), "{message}");
                    }
                }
            }
        }
    }

    #[test]
    fn locked_from_approval_on() {
        let locked: Vec<_> = ApplicationStatus::ALL.into_iter().filter(|s| s.locks_profile()).collect();
        assert_eq!(locked, [Approved, Filed, ScoresPublished]);
    }

    #[test]
    fn payment_follows_fee() {
        assert_eq!(PaymentStatus::initial_for_fee(0), PaymentStatus::NotRequired);
        assert_eq!(PaymentStatus::initial_for_fee(15000), PaymentStatus::Unpaid);
        assert_eq!(PaymentStatus::parse("--").unwrap(), PaymentStatus::NotRequired);
    }
}
