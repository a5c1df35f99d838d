//! The TypeScript types of every command's arguments and results, generated from the Rust types with ts-rs into
//! ui/src/api/bindings.ts. The test fails when the committed file differs from what the Rust types say;
//! `UPDATE_BINDINGS=1 cargo test -p skillcert-app bindings` rewrites it.

use skillcert_core::ErrorCode;
use skillcert_core::Page;
use skillcert_core::backup::{BackupInfo, BackupReason, BackupStatus, TableCount};
use skillcert_core::domain::arrangement::{ArrangedRoom, SeatRule, Sitting};
use skillcert_core::domain::candidate::{CandidateDraft, Profile};
use skillcert_core::domain::eligibility::{
    Condition, ConditionCheck, Evaluation, Outcome, PathCheck, Pattern, RulePath, RuleSet, TitleRank, Verdict,
};
use skillcert_core::domain::id_number::{IdType, Sex};
use skillcert_core::domain::level::Level;
use skillcert_core::domain::occupation::Occupation;
use skillcert_core::domain::operator::Role;
use skillcert_core::domain::overlay::{OverlayField, OverlayTemplate, Placement};
use skillcert_core::domain::plan::{PlanDraft, Registration};
use skillcert_core::domain::results::NoticePeriod;
use skillcert_core::domain::results::ReportState;
use skillcert_core::domain::score::{Marks, Part};
use skillcert_core::domain::staffing::{StaffRule, Violation};
use skillcert_core::domain::status::{ApplicationStatus, PaymentStatus};
use skillcert_core::domain::venue::{ExaminerGrade, RoomDraft, RoomKind, SiteDraft, StaffDraft, StaffRole};
use skillcert_core::encryption::EncryptionStatus;
use skillcert_core::error::Fix;
use skillcert_core::import::preview::{ImportPreview, PreviewColumn, PreviewRow};
use skillcert_core::import::{EligibilityWarning, ImportSummary, Progress, RowError};
use skillcert_core::ops::applications::{BatchOutcome, Decision, SkippedApplication};
use skillcert_core::ops::arrangement::{ArrangeOutcome, ArrangeRequest, SeatView};
use skillcert_core::ops::candidates::CandidateDetail;
use skillcert_core::ops::certificates::{AwaitingPayment, IssueOutcome};
use skillcert_core::ops::dashboard::{PaymentCount, PlanDashboard};
use skillcert_core::ops::database::{ServerCheck, ServerSettings};
use skillcert_core::ops::eligibility::{ReviewQueue, ReviewRow, VerdictCounts};
use skillcert_core::ops::encryption::SecurityStatus;
use skillcert_core::ops::operators::OperatorDraft;
use skillcert_core::ops::photos::{PhotoImportReport, PhotoOutcome, PhotoRejection};
use skillcert_core::ops::plans::{PlanSummary, StatusCount};
use skillcert_core::ops::reporting::{ReportKind, ReportMark, ReportStatus};
use skillcert_core::ops::scores::{CorrectionRequest, NoticeView, PublishOutcome, ScoreRow};
use skillcert_core::ops::settings::SettingView;
use skillcert_core::ops::staffing::{AssignRequest, Place, Serving, Staffing};
use skillcert_core::ops::statistics::{Breakdown, Figures, YearStatistics};
use skillcert_core::ops::venues::{Counts, VenueImport};
use skillcert_core::print::{DocumentKind, LeftOut, PrintOutcome, PrintRequest, RoomDocument};
use skillcert_core::rows::Candidate;
use skillcert_core::rows::Correction;
use skillcert_core::rows::Operator;
use skillcert_core::rows::Plan;
use skillcert_core::rows::ResultReport;
use skillcert_core::rows::{Application, ApplicationQuery, ApplicationRow, SortKey};
use skillcert_core::rows::{Arrangement, PartRooms, RoomSeat};
use skillcert_core::rows::{AuditEntry, AuditQuery};
use skillcert_core::rows::{Certificate, CertificateState};
use skillcert_core::rows::{Room, Site, Staff};
use skillcert_core::sync::ApplyReport;
use skillcert_core::sync::client::SyncOutcome;
use ts_rs::{Config, TS};

use crate::commands::app::{AppInfo, UiReport};
use crate::commands::database::{DatabaseInfo, ServerChosen};
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
        TitleRank,
        Pattern,
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
        SeatRule,
        ArrangedRoom,
        PartRooms,
        RoomSeat,
        ArrangeRequest,
        ArrangeOutcome,
        SeatView,
        ScoreRow,
        Marks,
        PublishOutcome,
        NoticePeriod,
        NoticeView,
        Part,
        Correction,
        CorrectionRequest,
        IssueOutcome,
        AwaitingPayment,
        CertificateState,
        ReportKind,
        Figures,
        Breakdown,
        YearStatistics,
        ReportState,
        ReportStatus,
        ResultReport,
        ReportMark,
        PrintRequest,
        DocumentKind,
        RoomDocument,
        PrintOutcome,
        LeftOut,
        Occupation,
        Site,
        Room,
        RoomKind,
        Staff,
        StaffRole,
        ExaminerGrade,
        VenueImport,
        Counts,
        SiteDraft,
        RoomDraft,
        StaffDraft,
        Staffing,
        Place,
        Serving,
        Violation,
        StaffRule,
        AssignRequest,
        OverlayTemplate,
        Placement,
        OverlayField,
        SettingView,
        SyncOutcome,
        ApplyReport,
        BackupStatus,
        DatabaseInfo,
        ServerSettings,
        ServerCheck,
        ServerChosen,
        TableCount,
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

/// The lists and rules the screens show, as skillcert-core has them, into ui/src/api/catalog.ts: the UI keeps no
/// copy of its own (levels, statuses, payment states, 文化程度, 民族, 考生来源, 证件类型, roles, settings).
pub fn render_catalog() -> String {
    use skillcert_core::domain::candidate::{EDUCATION, ETHNICITIES, SOURCES};
    use skillcert_core::domain::settings::Setting;
    use skillcert_core::print::DocumentKind;
    let list = |items: Vec<&str>| serde_json::to_string(&items).expect("strings");
    let mut out = String::from(
        "// Generated from skillcert-core by src-tauri/src/bindings.rs. Do not edit by hand: run\n\
         // `UPDATE_BINDINGS=1 cargo test -p skillcert-app bindings` after changing a list in core.\n\n\
         import type { ApplicationStatus, DocumentKind, Level, OverlayField, PaymentStatus, Role } from \"./bindings\";\n\n",
    );
    let mut constant = |docs: &str, name: &str, ty: &str, value: String| {
        out.push_str(&format!("/** {docs} */\nexport const {name}: {ty} = {value};\n\n"));
    };
    constant(
        "The levels, lowest first.",
        "LEVELS",
        "Level[]",
        list(Level::ALL.into_iter().map(Level::label).collect()),
    );
    constant(
        "The levels a certificate is issued at (专项能力 has none).",
        "CERTIFICATE_LEVELS",
        "Level[]",
        list(Level::ALL.into_iter().filter(|l| *l != Level::Special).map(Level::label).collect()),
    );
    constant(
        "Application statuses in the order an application moves through them.",
        "STATUSES",
        "ApplicationStatus[]",
        list(ApplicationStatus::ALL.into_iter().map(ApplicationStatus::label).collect()),
    );
    constant(
        "Statuses that lock the candidate's profile and photo (申请通过 or later).",
        "LOCKING_STATUSES",
        "ApplicationStatus[]",
        list(ApplicationStatus::ALL.into_iter().filter(|s| s.locks_profile()).map(ApplicationStatus::label).collect()),
    );
    constant(
        "Payment states.",
        "PAYMENTS",
        "PaymentStatus[]",
        list(PaymentStatus::ALL.into_iter().map(PaymentStatus::label).collect()),
    );
    let documents: Vec<String> = ApplicationStatus::ALL
        .into_iter()
        .map(|status| {
            let kinds: Vec<&str> = [DocumentKind::ApplicationForm, DocumentKind::Ticket, DocumentKind::Certificate]
                .into_iter()
                .filter(|k| k.allowed_for(status))
                .map(|k| match k {
                    DocumentKind::ApplicationForm => "ApplicationForm",
                    DocumentKind::Ticket => "Ticket",
                    DocumentKind::Certificate => "Certificate",
                })
                .collect();
            format!("{}: {}", serde_json::to_string(status.label()).expect("text"), list(kinds))
        })
        .collect();
    constant(
        "The documents an application of each status may print.",
        "DOCUMENTS_BY_STATUS",
        "Record<ApplicationStatus, DocumentKind[]>",
        format!("{{ {} }}", documents.join(", ")),
    );
    constant(
        "文化程度 (GB/T 4658 names), highest first: the order core ranks them in.",
        "EDUCATION",
        "string[]",
        list(EDUCATION.iter().map(|(name, _)| *name).collect()),
    );
    constant("民族.", "ETHNICITIES", "string[]", list(ETHNICITIES.to_vec()));
    constant("考生来源.", "SOURCES", "string[]", list(SOURCES.to_vec()));
    constant("证件类型.", "ID_TYPES", "string[]", list(IdType::ALL.into_iter().map(IdType::label).collect()));
    constant("Operator roles.", "ROLES", "Role[]", list(Role::ALL.into_iter().map(Role::label).collect()));
    let fields: Vec<String> = skillcert_core::domain::overlay::OverlayField::ALL
        .into_iter()
        .map(|f| {
            format!(
                "{}: {}",
                serde_json::to_string(&f).expect("field"),
                serde_json::to_string(f.label()).expect("label")
            )
        })
        .collect();
    constant(
        "What each 套打 field is called (the word a template line starts with).",
        "OVERLAY_FIELDS",
        "Record<OverlayField, string>",
        format!("{{ {} }}", fields.join(", ")),
    );
    let settings: Vec<serde_json::Value> = Setting::ALL
        .into_iter()
        .map(|s| serde_json::json!({ "key": s.key(), "label": s.label(), "default": s.default_value() }))
        .collect();
    constant(
        "Agency settings: key, label and default.",
        "SETTINGS",
        "{ key: string; label: string; default: string | null }[]",
        serde_json::to_string(&settings).expect("settings"),
    );
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    /// The generated file at `relative` (from src-tauri) is as committed, or is rewritten with UPDATE_BINDINGS.
    fn committed_as_generated(relative: &str, generated: String) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{relative} is out of date with the Rust side: run `UPDATE_BINDINGS=1 cargo test -p skillcert-app \
             bindings` and commit the result"
        );
    }

    #[test]
    fn the_catalog_matches_core() {
        committed_as_generated("../ui/src/api/catalog.ts", super::render_catalog());
    }

    #[test]
    fn bindings_match_the_rust_types() {
        committed_as_generated("../ui/src/api/bindings.ts", super::render());
    }
}
