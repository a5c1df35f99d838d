//! The TypeScript types of every command's arguments and results, generated from the Rust types with ts-rs into
//! ui/src/api/bindings.ts. The test fails when the committed file differs from what the Rust types say;
//! `UPDATE_BINDINGS=1 cargo test -p skillcert-app bindings` rewrites it.

use skillcert_core::ErrorCode;
use skillcert_core::Page;
use skillcert_core::backup::{BackupInfo, BackupReason, BackupStatus};
use skillcert_core::domain::arrangement::Sitting;
use skillcert_core::domain::candidate::{CandidateDraft, Profile};
use skillcert_core::domain::eligibility::{
    Condition, ConditionCheck, Evaluation, Outcome, PathCheck, RulePath, RuleSet, Verdict,
};
use skillcert_core::domain::id_number::{IdType, Sex};
use skillcert_core::domain::level::Level;
use skillcert_core::domain::operator::Role;
use skillcert_core::domain::plan::{PlanDraft, Registration};
use skillcert_core::domain::score::Marks;
use skillcert_core::domain::status::{ApplicationStatus, PaymentStatus};
use skillcert_core::encryption::EncryptionStatus;
use skillcert_core::error::Fix;
use skillcert_core::import::preview::{ImportPreview, PreviewColumn, PreviewRow};
use skillcert_core::import::{EligibilityWarning, ImportSummary, Progress, RowError};
use skillcert_core::ops::applications::{BatchOutcome, Decision, SkippedApplication};
use skillcert_core::ops::arrangement::{ArrangeOutcome, ArrangeRequest, SeatView};
use skillcert_core::ops::candidates::CandidateDetail;
use skillcert_core::ops::dashboard::{PaymentCount, PlanDashboard};
use skillcert_core::ops::eligibility::{ReviewQueue, ReviewRow, VerdictCounts};
use skillcert_core::ops::encryption::SecurityStatus;
use skillcert_core::ops::operators::OperatorDraft;
use skillcert_core::ops::photos::{PhotoImportReport, PhotoOutcome, PhotoRejection};
use skillcert_core::ops::plans::{PlanSummary, StatusCount};
use skillcert_core::ops::scores::{PublishOutcome, ScoreRow};
use skillcert_core::ops::settings::SettingView;
use skillcert_core::print::{DocumentKind, PrintOutcome, PrintRequest};
use skillcert_core::rows::Arrangement;
use skillcert_core::rows::Candidate;
use skillcert_core::rows::Certificate;
use skillcert_core::rows::Operator;
use skillcert_core::rows::Plan;
use skillcert_core::rows::{Application, ApplicationQuery, ApplicationRow, SortKey};
use skillcert_core::rows::{AuditEntry, AuditQuery};
use skillcert_core::sync::ApplyReport;
use skillcert_core::sync::client::SyncOutcome;
use ts_rs::{Config, TS};

use crate::commands::app::{AppInfo, UiReport};
use crate::commands::operators::AuthStatus;
use crate::error::CommandError;

/// Every exported declaration, in a fixed order, with the doc comments of the Rust types.
pub fn render() -> String {
    // IDs and counts stay far below 2^53: plain numbers, not BigInt.
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit by hand:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p skillcert-app bindings` after changing a payload type.\n\n",
    );
    macro_rules! declare {
        ($($ty:ty),* $(,)?) => {$(
            if let Some(docs) = <$ty as TS>::docs() {
                out.push_str(&docs);
            }
            out.push_str("export ");
            out.push_str(&<$ty as TS>::decl(&cfg));
            out.push_str("\n\n");
        )*};
    }
    declare!(
        CommandError,
        ErrorCode,
        Fix,
        AppInfo,
        UiReport,
        Level,
        Registration,
        ApplicationStatus,
        PaymentStatus,
        IdType,
        Sex,
        Plan,
        PlanDraft,
        PlanSummary,
        StatusCount,
        PlanDashboard,
        PaymentCount,
        Page<ApplicationRow>,
        Application,
        ApplicationRow,
        ApplicationQuery,
        SortKey,
        Candidate,
        Profile,
        CandidateDraft,
        CandidateDetail,
        Certificate,
        AuditEntry,
        AuditQuery,
        Decision,
        BatchOutcome,
        SkippedApplication,
        RuleSet,
        RulePath,
        Condition,
        Verdict,
        Outcome,
        Evaluation,
        PathCheck,
        ConditionCheck,
        ReviewQueue,
        ReviewRow,
        VerdictCounts,
        EligibilityWarning,
        PhotoOutcome,
        PhotoImportReport,
        PhotoRejection,
        ImportPreview,
        PreviewColumn,
        PreviewRow,
        ImportSummary,
        RowError,
        Progress,
        Arrangement,
        Sitting,
        ArrangeRequest,
        ArrangeOutcome,
        SeatView,
        ScoreRow,
        Marks,
        PublishOutcome,
        PrintRequest,
        DocumentKind,
        PrintOutcome,
        SettingView,
        SyncOutcome,
        ApplyReport,
        BackupStatus,
        SecurityStatus,
        EncryptionStatus,
        AuthStatus,
        Role,
        Operator,
        OperatorDraft,
        BackupInfo,
        BackupReason,
    );
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    #[test]
    fn bindings_match_the_rust_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api/bindings.ts");
        let generated = super::render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/api/bindings.ts is out of date with the Rust types: run \
             `UPDATE_BINDINGS=1 cargo test -p skillcert-app bindings` and commit the result"
        );
    }
}
