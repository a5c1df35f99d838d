// One typed function per Tauri command; argument and result types come from the Rust types (bindings.ts).
import { Channel } from "@tauri-apps/api/core";
import { call } from "./invoke";
import type {
  AppInfo,
  AssignRequest,
  Application,
  ApplicationQuery,
  ApplicationRow,
  ApplicationStatus,
  ArrangeOutcome,
  ArrangeRequest,
  Arrangement,
  AuditEntry,
  AuditQuery,
  AuthStatus,
  BackupInfo,
  BackupStatus,
  BatchOutcome,
  Candidate,
  CandidateDetail,
  DatabaseInfo,
  ServerCheck,
  ServerChosen,
  ServerSettings,
  CandidateDraft,
  Certificate,
  Decision,
  Evaluation,
  ImportPreview,
  ImportSummary,
  Level,
  Occupation,
  Operator,
  OperatorDraft,
  Page,
  PaymentStatus,
  PhotoImportReport,
  PhotoOutcome,
  Plan,
  PlanDashboard,
  PlanDraft,
  PlanSummary,
  PrintOutcome,
  Pattern,
  OverlayTemplate,
  PrintRequest,
  Progress,
  PublishOutcome,
  NoticeView,
  CorrectionRequest,
  IssueOutcome,
  ReportKind,
  ReportMark,
  ReportStatus,
  YearStatistics,
  ReviewQueue,
  Role,
  RoomDocument,
  RuleSet,
  ScoreRow,
  SecurityStatus,
  SettingView,
  Site,
  SiteDraft,
  RoomDraft,
  Staff,
  Staffing,
  StaffDraft,
  SyncOutcome,
  UiReport,
  VenueImport,
  Verdict,
} from "./bindings";

export const appInfo = () => call<AppInfo>("app_info");
export const dashboard = () => call<PlanDashboard[]>("dashboard");
export const cancelJob = (job: number) => call<void>("cancel_job", { job });
/** Tells the shell the first screen rendered (the end-to-end smoke test reads it). */
export const uiReady = (report: UiReport) => call<void>("ui_ready", { report });

export const listPlans = () => call<PlanSummary[]>("list_plans");
export const createPlan = (draft: PlanDraft) => call<Plan>("create_plan", { draft });
/** `seen`: the plan's updated_at when the form was filled from it (a change by another PC since is refused). */
export const updatePlan = (id: number, draft: PlanDraft, seen: string) =>
  call<Plan>("update_plan", { id, draft, seen });
export const setPlanClosed = (id: number, closed: boolean) => call<Plan>("set_plan_closed", { id, closed });

export const rulePreset = (level: Level, pattern: Pattern) => call<RuleSet | null>("rule_preset", { level, pattern });
/** The notice text the rules give, or the refusal saving them would meet. */
export const previewRules = (rules: RuleSet) => call<string>("preview_rules", { rules });
export const setPlanRules = (planId: number, rules: RuleSet | null) => call<Plan>("set_plan_rules", { planId, rules });
export const readRuleFile = (path: string) => call<RuleSet>("read_rule_file", { path });
export const writeRuleFile = (path: string, rules: RuleSet) => call<void>("write_rule_file", { path, rules });
export const authStatus = () => call<AuthStatus>("auth_status");
export const signIn = (login: string, password: string) => call<AuthStatus>("sign_in", { login, password });
export const signOut = () => call<void>("sign_out");
export const listOperators = () => call<Operator[]>("list_operators");
/** The first operator added (the administrator) is signed in at once. */
export const addOperator = (draft: OperatorDraft) => call<AuthStatus>("add_operator", { draft });
export const setOperator = (login: string, role: Role, active: boolean) =>
  call<Operator>("set_operator", { login, role, active });
export const changePassword = (login: string, current: string | null, next: string) =>
  call<void>("change_password", { login, current, new: next });
export const backupStatus = () => call<BackupStatus>("backup_status");
/** 立即备份 into the backups folder beside the database. */
export const backupNow = () => call<BackupInfo | null>("backup_now");
export const securityStatus = () => call<SecurityStatus>("security_status");
/** 导出恢复码: once per database, administrators only; the file must not exist yet. */
export const exportRecoveryCode = (path: string) => call<SecurityStatus>("export_recovery_code", { path });
/** Opens a database encrypted with a key this computer lacks; returns why the key could not be kept, if so. */
export const unlockDatabase = (code: string) => call<string | null>("unlock_database", { code });
/** 报名 from the candidate drawer: the plan's 报考条件 checked first (null: the plan has no rules), then the application. */
export const checkEligibility = (planId: number, candidateId: number) =>
  call<Evaluation | null>("check_eligibility", { planId, candidateId });
export const applyCandidate = (planId: number, candidateId: number, resit: boolean) =>
  call<Application>("apply_candidate", { planId, candidateId, resit });
export const reviewQueue = (planId: number, verdict: Verdict | null) =>
  call<ReviewQueue>("review_queue", { planId, verdict });

export const searchApplications = (query: ApplicationQuery) =>
  call<Page<ApplicationRow>>("search_applications", { query });
export const candidateDetail = (candidateId: number) => call<CandidateDetail>("candidate_detail", { candidateId });
/** The printable photo's bytes (empty when the candidate has none): an ArrayBuffer, or a plain array of bytes when
 * the IPC falls back to JSON. */
export const candidatePhoto = (candidateId: number) =>
  call<ArrayBuffer | number[]>("candidate_photo", { candidateId });
export const setPhoto = (idNumber: string, path: string, fix: boolean) =>
  call<PhotoOutcome>("set_photo", { idNumber, path, fix });
export const importPhotos = (path: string, fix: boolean) => call<PhotoImportReport>("import_photos", { path, fix });
/** `seen`: the profile's updated_at when the form was filled from it (a change by another PC since is refused). */
export const updateCandidate = (draft: CandidateDraft, seen: string) =>
  call<Candidate>("update_candidate", { draft, seen });
/** 审核; `onlyEligible` approves only the 符合 ones and reports the rest as skipped. */
export const review = (
  planId: number,
  decision: Decision,
  idNumbers: string[],
  reason: string | null,
  onlyEligible = false,
) => call<BatchOutcome>("review", { planId, decision, idNumbers, reason, onlyEligible });
export const setPayment = (planId: number, idNumber: string, to: PaymentStatus) =>
  call<Application>("set_payment", { planId, idNumber, to });

export const previewImport = (path: string) => call<ImportPreview>("preview_import", { path });
export function importCandidates(
  job: number,
  path: string,
  planId: number | null,
  dryRun: boolean,
  onProgress: (p: Progress) => void,
) {
  return call<ImportSummary>("import_candidates", { job, path, planId, dryRun, onProgress: channel(onProgress) });
}
export const saveImportReport = (path: string) => call<void>("save_import_report", { path });
export const writeCandidateTemplate = (path: string) => call<void>("write_candidate_template", { path });
export function exportApplications(
  job: number,
  planId: number,
  status: ApplicationStatus | null,
  path: string,
  onProgress: (p: Progress) => void,
) {
  return call<number>("export_applications", { job, planId, status, path, onProgress: channel(onProgress) });
}

export const arrangementOf = (planId: number) => call<Arrangement | null>("arrangement_of", { planId });
export const arrange = (planId: number, request: ArrangeRequest) =>
  call<ArrangeOutcome>("arrange", { planId, request });
export const writeScoreTemplate = (planId: number, path: string) =>
  call<number>("write_score_template", { planId, path });
export const importScores = (planId: number, path: string, dryRun: boolean, source: string | null = null) =>
  call<ImportSummary>("import_scores", { planId, path, source, dryRun });
/** The sources of marks set up in 设置 (exam platforms, mark readers). */
export const scoreSources = () => call<string[]>("score_sources");
export const listScores = (planId: number) => call<ScoreRow[]>("list_scores", { planId });
export const publishScores = (job: number, planId: number, onProgress: (p: Progress) => void) =>
  call<PublishOutcome>("publish_scores", { job, planId, onProgress: channel(onProgress) });
export const resultsNotice = (planId: number) => call<NoticeView | null>("results_notice", { planId });
export const writeNoticeList = (planId: number, path: string) => call<number>("write_notice_list", { planId, path });
export const correctScore = (request: CorrectionRequest) => call<ScoreRow>("correct_score", { request });
export const issueCertificates = (job: number, planId: number, issuedOn: string, onProgress: (p: Progress) => void) =>
  call<IssueOutcome>("issue_certificates", { job, planId, issuedOn, onProgress: channel(onProgress) });
export const listCertificates = (planId: number | null) => call<Certificate[]>("list_certificates", { planId });
export const importAssignedNumbers = (planId: number, path: string) =>
  call<ImportSummary>("import_assigned_numbers", { planId, path });
export const exportReport = (planId: number, kind: ReportKind, path: string) =>
  call<number>("export_report", { planId, kind, path });
export const yearStatistics = (year: number) => call<YearStatistics>("year_statistics", { year });
export const exportStatistics = (year: number, path: string) => call<YearStatistics>("export_statistics", { year, path });
export const reportStatus = (planId: number) => call<ReportStatus>("report_status", { planId });
export const markReport = (planId: number, mark: ReportMark) => call<ReportStatus>("mark_report", { planId, mark });
export const revokeCertificate = (number: string, reason: string) =>
  call<Certificate>("revoke_certificate", { number, reason });
export const reissueCertificate = (number: string, reason: string, printSerial: string | null) =>
  call<Certificate>("reissue_certificate", { number, reason, printSerial });

export function printDocuments(
  job: number,
  request: PrintRequest,
  path: string,
  onProgress: (p: Progress) => void,
) {
  return call<PrintOutcome>("print_documents", { job, request, path, onProgress: channel(onProgress) });
}

export function printRoomDocuments(
  job: number,
  planId: number,
  kind: RoomDocument,
  path: string,
  onProgress: (p: Progress) => void,
) {
  return call<PrintOutcome>("print_room_documents", { job, planId, kind, path, onProgress: channel(onProgress) });
}

/** The glyphs of `text`'s rare characters (Extension B onwards) as a font, raw bytes. */
export const screenFont = (text: string) => call<ArrayBuffer | number[]>("screen_font", { text });

export const printCalibration = (path: string) => call<PrintOutcome>("print_calibration", { path });
/** The installed 仿宋 file certificates print in; null when the bundled serif stands in. */
export const certificateFont = () => call<string | null>("certificate_font");
export const overlayPreview = (template: string) => call<OverlayTemplate>("overlay_preview", { template });

export const listSites = () => call<Site[]>("list_sites");
export const listStaff = () => call<Staff[]>("list_staff");
export const staffingOf = (planId: number) => call<Staffing>("staffing", { planId });
export const assignStaff = (request: AssignRequest) => call<Staffing>("assign_staff", { request });
export const declareConflicts = (planId: number, person: string, declared: string[]) =>
  call<Staffing>("declare_conflicts", { planId, person, declared });
export const importVenueData = (path: string) => call<VenueImport>("import_venue_data", { path });
export const exportVenueData = (path: string) => call<void>("export_venue_data", { path });
export const saveSite = (draft: SiteDraft) => call<Site>("save_site", { draft });
export const saveRoom = (draft: RoomDraft) => call<Site>("save_room", { draft });
export const saveStaff = (draft: StaffDraft) => call<Staff>("save_staff", { draft });
export const removeSite = (name: string) => call<void>("remove_site", { name });
export const removeRoom = (site: string, room: string) => call<Site>("remove_room", { site, room });
export const removeStaff = (person: string) => call<void>("remove_staff", { person });

export const searchOccupations = (query: string) => call<Occupation[]>("search_occupations", { query });
export const importOccupations = (path: string) => call<ImportSummary>("import_occupations", { path });

export const showSettings = () => call<SettingView[]>("show_settings");
export const setSetting = (key: string, value: string) => call<SettingView>("set_setting", { key, value });
export const portalConnect = (url: string, token: string, sessionOnly: boolean) =>
  call<void>("portal_connect", { url, token, sessionOnly });
export const syncNow = (job: number, onProgress: (p: Progress) => void) =>
  call<SyncOutcome>("sync_now", { job, onProgress: channel(onProgress) });
export const databaseInfo = () => call<DatabaseInfo>("database_info");
export const checkServer = (settings: ServerSettings, password: string) =>
  call<ServerCheck>("check_server", { settings, password });
export const switchToServer = (settings: ServerSettings, password: string, copyLocal: boolean) =>
  call<ServerChosen>("use_server", { settings, password, copyLocal });
export const switchToLocal = () => call<DatabaseInfo>("use_local");
export const searchAudit = (query: AuditQuery) => call<Page<AuditEntry>>("search_audit", { query });
export const auditActions = () => call<string[]>("audit_actions");

/** A channel the Rust side streams a long job's progress over. */
function channel(onProgress: (p: Progress) => void): Channel<Progress> {
  const c = new Channel<Progress>();
  c.onmessage = onProgress;
  return c;
}

let nextJob = 1;
/** A fresh id for a cancellable job. */
export const newJobId = () => nextJob++;
