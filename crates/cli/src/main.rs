//! `skillcert`: the command line over skillcert-core, for batch work and automation.
//!
//! Exit codes: 0 done; 1 refused by a rule (the reason on stderr); 2 unusable input (bad file, bad database, bad
//! arguments). With `--json`, one JSON document on stdout, also for errors: `{"error": {"code", "message"}}`.

mod output;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Args, Parser, Subcommand, ValueEnum};
use skillcert_core::backup;
use skillcert_core::domain::arrangement::SeatRule;
use skillcert_core::domain::candidate::CandidateDraft;
use skillcert_core::domain::eligibility::{Pattern, RuleSet};
use skillcert_core::domain::id_number::IdType;
use skillcert_core::domain::operator::Role;
use skillcert_core::domain::plan::PlanDraft;
use skillcert_core::domain::results::ReportState;
use skillcert_core::domain::score::Part;
use skillcert_core::domain::status::{ApplicationStatus, PaymentStatus};
use skillcert_core::domain::text::parse_date;
use skillcert_core::domain::venue::{RoomDraft, SiteDraft, StaffDraft};
use skillcert_core::encryption::Keys;
use skillcert_core::export;
use skillcert_core::import::columns::ColumnKind;
use skillcert_core::import::report::write_report;
use skillcert_core::import::template;
use skillcert_core::import::{ImportOptions, ImportResult, Progress, import_candidates};
use skillcert_core::ops::applications::{self, Decision, Selection};
use skillcert_core::ops::arrangement::{self, ArrangeRequest};
use skillcert_core::ops::operators::{self, OperatorDraft};
use skillcert_core::ops::reporting::{ReportKind, ReportMark};
use skillcert_core::ops::staffing;
use skillcert_core::ops::statistics;
use skillcert_core::ops::{
    Session, accounts, audit, candidates, certificates, eligibility, encryption, occupations, photos, plans, reporting,
    scores, settings, venues,
};
use skillcert_core::print::{self, DocumentKind, PrintRequest, RoomDocument};
use skillcert_core::{Error, Result};
use skillcert_core::{Location, Store};

use output::Output;

#[derive(Parser)]
#[command(name = "skillcert", version, about = "SkillCert 职业技能等级认定 — 命令行")]
struct Cli {
    /// The SkillCert database: a file, or a PostgreSQL server (postgres://user@host:port/database).
    #[arg(long, global = true, env = "SKILLCERT_DB")]
    db: Option<String>,
    /// Print one JSON document on stdout instead of tables.
    #[arg(long, global = true)]
    json: bool,
    /// Who is acting, as recorded in the audit trail (a database without operator accounts).
    #[arg(long, global = true, env = "SKILLCERT_OPERATOR")]
    operator: Option<String>,
    /// Sign in as this operator (needed once the database has operator accounts); the password is read from the
    /// environment variable SKILLCERT_PASSWORD.
    #[arg(long, global = true, env = "SKILLCERT_USER")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process: the size of the argument structs does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Create the database (or bring an existing one up to date).
    Init,
    /// 认定计划.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// 考生.
    #[command(subcommand)]
    Candidate(CandidateCommand),
    /// Apply a candidate to a plan (待处理).
    Apply {
        #[arg(long)]
        plan: i64,
        #[arg(long = "id-number")]
        id_number: String,
        #[arg(long = "id-type")]
        id_type: Option<String>,
        /// 补考: re-sit only the parts failed in an earlier plan of the same occupation and level, keeping the
        /// passed ones (within resit.validity_months; once).
        #[arg(long, conflicts_with = "id_type")]
        resit: bool,
    },
    /// 报名.
    #[command(subcommand)]
    Application(ApplicationCommand),
    /// 审核: approve or reject applications of a plan.
    Review {
        decision: DecisionArg,
        #[arg(long)]
        plan: i64,
        /// Candidates by 证件号码 (repeatable).
        #[arg(long = "id-number", num_args = 1.., required_unless_present = "all_pending", conflicts_with = "all_pending")]
        id_numbers: Vec<String>,
        /// Every 待处理 application of the plan.
        #[arg(long = "all-pending")]
        all_pending: bool,
        /// Required to reject: the candidate sees it.
        #[arg(long)]
        reason: Option<String>,
        /// Approve only the applications the plan's 报考条件 rules find 符合; the rest stay 待处理.
        #[arg(long = "only-eligible")]
        only_eligible: bool,
    },
    /// 操作日志.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import from a spreadsheet (.xlsx, .xls, .ods, or a web system's CSV, HTML-table or XML export). Exit 0: all rows
    /// taken; 3: some rows rejected; 2: unusable file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write an import template.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Candidate portal accounts (login = 证件号码, default password = its last six characters).
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Export to Excel.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Agency settings (name, certificate-number parts, ticket notice, printer offsets, verification URL, …).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// 考务基础数据: 考点 and their rooms, exam staff (考评员, 督导员, 监考), kept in a workbook of three sheets.
    #[command(subcommand)]
    Venue(VenueCommand),
    /// 职业目录: the occupations (职业编码) plans are chosen from; the bundled list, extended by import.
    #[command(subcommand)]
    Occupation(OccupationCommand),
    /// 照片: one candidate's, or a folder / zip named by 证件号码.
    #[command(subcommand)]
    Photo(PhotoCommand),
    /// 成绩: score sheet template, import, publication as a notice, corrections.
    #[command(subcommand)]
    Scores(ScoresCommand),
    /// 证书: issue after the results notice, revoke, reissue, list.
    #[command(subcommand)]
    Certificate(CertificateCommand),
    /// Print documents as one PDF: one candidate, several, or the whole plan.
    Print {
        kind: PrintKind,
        #[arg(long)]
        plan: i64,
        /// Only these candidates (repeatable); the whole plan when omitted.
        #[arg(long = "id-number", num_args = 1..)]
        id_numbers: Vec<String>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 套打 (certificates): only the values, shifted by print.offset_x_mm / print.offset_y_mm.
        #[arg(long)]
        overlay: bool,
    },
    /// Sync with the candidate portal: pull registrations, applications, edits, photos and payments, then push plans,
    /// candidates, statuses, exams, scores and certificates. The agency token comes from SKILLCERT_PORTAL_TOKEN.
    Sync {
        /// The portal's address, e.g. https://bm.example.cn; the one set with `portal connect` when omitted.
        #[arg(long)]
        portal: Option<String>,
        /// A token for this run only; otherwise the one kept in the keychain by `portal connect`.
        #[arg(long, env = "SKILLCERT_PORTAL_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
    /// 操作员 accounts: the first one is the administrator; roles 管理员 / 审核员 / 考务员.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// The candidate portal this agency syncs with.
    #[command(subcommand)]
    Portal(PortalCommand),
    /// Back up the database to a new file (a whole, checked copy; works while the app is open), or list the
    /// automatic backups kept beside the database (before upgrades, before bulk operations, daily).
    Backup {
        #[arg(short = 'o', long = "output", required_unless_present = "list", conflicts_with = "list")]
        output: Option<PathBuf>,
        #[arg(long)]
        list: bool,
    },
    /// Replace the database with a backup: the backup is checked first, the app must be closed, and the replaced
    /// database is kept in backups/.
    Restore { file: PathBuf },
    /// Copy everything into a new, empty database — a PostgreSQL server (postgres://user@host:port/database) when
    /// an agency moves onto one — and check every table's count there; this database is kept as it is.
    CopyTo { target: String },
    /// The database's encryption: status, the one-time export of its recovery code, entering a recovery code.
    #[command(subcommand)]
    Key(KeyCommand),
    /// 上报: the files for the provincial system, and where a plan's results report stands.
    #[command(subcommand)]
    Report(ReportCommand),
    /// 年度统计: 报名/参考/缺考/合格/获证 人次 and 合格率 of the plans whose exam falls in a year, by occupation,
    /// level, month and 考生来源; with -o, the summary as .xlsx or .pdf.
    Stats {
        #[arg(long)]
        year: i32,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// The 套打 calibration page (plain paper, laid over the certificate stock) with the offsets now set.
    Calibration {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Record a payment (已支付), grant 缓缴 with --defer (may sit the exam, no certificate until paid), or take a
    /// payment back with --unpaid.
    Pay {
        #[arg(long)]
        plan: i64,
        #[arg(long = "id-number")]
        id_number: String,
        #[arg(long, conflicts_with = "defer")]
        unpaid: bool,
        #[arg(long)]
        defer: bool,
    },
    /// Arrange the exam: every approved application gets a 准考证号, 考场 and 座位号 and is filed (已提交申报).
    Arrange(ArrangeArgs),
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Whether the database is encrypted, with which key (its fingerprint), or why not.
    Status,
    /// Write the recovery code of the database's key to a new file (administrators, once per database).
    Export {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Keep a recovery code (standard input: the code, or the exported file) in this computer's keychain, so the
    /// encrypted database it belongs to opens here.
    Add,
}

#[derive(Subcommand)]
enum OperatorCommand {
    /// Add an operator; the password is read from standard input.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// 管理员 / 审核员 / 考务员 (or admin / reviewer / exam).
        #[arg(long)]
        role: String,
    },
    List,
    /// Change an operator's role, or stop (--disable) or restore (--enable) their account.
    Set {
        login: String,
        #[arg(long)]
        role: Option<String>,
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        #[arg(long)]
        enable: bool,
    },
    /// Set a new password (read from standard input): your own, or as an administrator anyone's.
    Passwd {
        login: String,
    },
}

#[derive(Subcommand)]
enum PhotoCommand {
    Set {
        #[arg(long = "id-number")]
        id_number: String,
        file: PathBuf,
        /// Scale down and compress a photo that breaks the size rules (the original is kept).
        #[arg(long)]
        fix: bool,
    },
    Import {
        /// A folder or a .zip of photos named by 证件号码.
        source: PathBuf,
        #[arg(long)]
        fix: bool,
    },
}

#[derive(Subcommand)]
enum ScoresCommand {
    /// The score sheet of an arranged plan, one row per candidate.
    Template {
        #[arg(long)]
        plan: i64,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Marks from a score sheet, by 准考证号 or 证件号码 (exit 3 when some rows are rejected); --source reads an exam
    /// platform's or mark reader's headers as the setting scores.sources maps them.
    Import {
        #[command(flatten)]
        sheet: PlanSheetArgs,
        #[arg(long)]
        source: Option<String>,
    },
    /// Publish as a results notice (成绩公示): every filed application moves to 成绩发布 for the notice days
    /// (results.notice_days); certificates are issued once it has ended.
    Publish {
        #[arg(long)]
        plan: i64,
    },
    /// The 成绩公示名单 of a published plan (证件号码 masked): a PDF to print, or an .xlsx, by the file's name.
    Notice {
        #[arg(long)]
        plan: i64,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Correct one mark (a 查分 request found it wrong): the mark before is kept with the reason.
    Correct {
        #[arg(long)]
        plan: i64,
        /// The candidate's 准考证号 or 证件号码.
        #[arg(long)]
        candidate: String,
        /// 理论知识, 操作技能 or 综合评审.
        #[arg(long)]
        part: String,
        /// The corrected mark: 85.5, or 缺考.
        #[arg(long)]
        mark: String,
        #[arg(long)]
        reason: String,
    },
    /// The marks of a plan's arranged candidates.
    List {
        #[arg(long)]
        plan: i64,
    },
}

/// A sheet imported into one plan (marks, assigned certificate numbers).
#[derive(Args)]
struct PlanSheetArgs {
    file: PathBuf,
    #[arg(long)]
    plan: i64,
    #[arg(long = "dry-run")]
    dry_run: bool,
    /// Write the rejected rows, bad cells highlighted with the reason, to this .xlsx.
    #[arg(long)]
    report: Option<PathBuf>,
}

#[derive(Subcommand)]
enum CertificateCommand {
    /// Issue the certificates of a plan whose results notice has ended, dated --date (发证日期).
    Issue {
        #[arg(long)]
        plan: i64,
        /// 发证日期, e.g. 2027-01-06: not before the exam, after the notice, not later than today.
        #[arg(long)]
        date: String,
    },
    /// Certificate numbers the province assigned (a sheet of 证件号码 and 证书编号; exit 3 when some rows are
    /// rejected): the issue step then takes them.
    Numbers(PlanSheetArgs),
    /// Revoke (作废) a certificate whose basis fell away: it stays on record, 已作废, and never prints again.
    Revoke {
        number: String,
        #[arg(long)]
        reason: String,
    },
    /// Reissue (补发) a lost or damaged certificate: under the same number with the new paper's 印制流水码, or under a
    /// new number (certificate.reissue_number).
    Reissue {
        number: String,
        #[arg(long)]
        reason: String,
        /// 印制流水码 of the new paper (required when the number is kept).
        #[arg(long = "print-serial")]
        print_serial: Option<String>,
    },
    List {
        #[arg(long)]
        plan: Option<i64>,
        #[arg(long = "id-number")]
        id_number: Option<String>,
    },
}

#[derive(Subcommand)]
enum SettingsCommand {
    Set {
        key: String,
        /// Negative printer offsets ("-1.5") are values, not options.
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    Show,
}

#[derive(Subcommand)]
enum VenueCommand {
    /// 考点 with their rooms.
    List,
    /// Exam staff.
    Staff,
    /// Read the sheets 考点, 考场 and 考务人员 (recognised by their headers); any bad row: nothing is written.
    Import {
        file: PathBuf,
        #[arg(long = "dry-run")]
        dry_run: bool,
    },
    /// Write the three sheets as the import reads them.
    Export { file: PathBuf },
    /// Remove a 考点 with its rooms, one room of it (with --room), or a person (--person 证件号码 or name).
    Remove {
        #[arg(long, required_unless_present = "person")]
        site: Option<String>,
        #[arg(long, requires = "site")]
        room: Option<String>,
        #[arg(long, conflicts_with = "site")]
        person: Option<String>,
    },
    /// Add a 考点, or change the address and ownership of the one of that name.
    Site {
        #[arg(long)]
        name: String,
        #[arg(long)]
        address: String,
        /// 租用 (a leased venue); own otherwise.
        #[arg(long)]
        leased: bool,
    },
    /// Add a room to a 考点, or change the one of that name: --kind 笔试/机考/实操/综合评审.
    Room {
        #[arg(long)]
        site: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        capacity: u32,
        /// 实操 rooms only.
        #[arg(long)]
        workstations: Option<u32>,
    },
    /// Add a member of exam staff, or change the one of that 证件号码: --role 考评员/高级考评员/督导员/监考.
    Person {
        #[arg(long)]
        name: String,
        #[arg(long = "id-number")]
        id_number: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        phone: String,
        #[arg(long, default_value = "")]
        employer: String,
        /// The examiner certificate's number.
        #[arg(long, default_value = "")]
        certificate: String,
        #[arg(long = "valid-until", default_value = "")]
        valid_until: String,
        /// The occupations an examiner may assess, separated by 、 or commas.
        #[arg(long, default_value = "")]
        occupations: String,
    },
    /// Who serves each room's sitting of an arranged plan, and every rule broken.
    Staffing {
        #[arg(long)]
        plan: i64,
    },
    /// Assign who serves one room's sitting (room 0: the 考点 as a whole, for its 督导员); a broken rule refuses it
    /// unless --reason says why (audited).
    Assign {
        #[arg(long)]
        plan: i64,
        #[arg(long)]
        room: u32,
        /// theory (理论知识), practical (操作技能) or review (综合评审).
        #[arg(long)]
        part: String,
        /// Names or 证件号码 from the staff list (repeatable); none: nobody serves there.
        #[arg(long = "staff", num_args = 1..)]
        staff: Vec<String>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Record the conflicts of interest a person declared for a plan: candidates' 证件号码 and units (工作单位, training
    /// schools); none withdraws the declaration.
    Declare {
        #[arg(long)]
        plan: i64,
        #[arg(long)]
        person: String,
        conflicts: Vec<String>,
    },
}

#[derive(Subcommand)]
enum OccupationCommand {
    /// Occupations whose name holds the text or whose code starts with it; everything without a text.
    Search { text: Option<String> },
    /// Add a sheet of 职业编码 and 职业名称 to the 目录 (an entry of the same code is replaced); any bad row: nothing.
    Import {
        file: PathBuf,
        #[arg(long = "dry-run")]
        dry_run: bool,
        /// Write the rejected rows, bad cells highlighted with the reason, to this .xlsx.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A candidate roster; with --plan each row also applies to that plan.
    Candidates {
        file: PathBuf,
        #[arg(long)]
        plan: Option<i64>,
        /// Check everything, change nothing.
        #[arg(long = "dry-run")]
        dry_run: bool,
        /// Change nothing if any row is rejected.
        #[arg(long)]
        strict: bool,
        /// Write the rejected rows, bad cells highlighted with the reason, to this .xlsx.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum TemplateCommand {
    Candidates {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum AccountsCommand {
    /// Return an account to its default password, to be changed at the next login.
    Reset {
        #[arg(long = "id-number")]
        id_number: String,
    },
    List {
        #[arg(long)]
        plan: Option<i64>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    Applications {
        #[arg(long)]
        plan: i64,
        #[arg(long)]
        status: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum PlanCommand {
    /// Publish a plan; prints its id.
    Add(PlanArgs),
    List,
    Show {
        id: i64,
    },
    /// Stop registration before the window ends (--reopen to undo).
    Close {
        id: i64,
        #[arg(long)]
        reopen: bool,
    },
    /// 报考条件 as rules the review queue checks: the national pattern for the plan's level, a rule file, or none.
    /// The plan notice's 报考条件 text is generated from them. Prints the rules.
    Rules {
        id: i64,
        /// Use the national pattern (国家职业技能标准) for the plan's level.
        #[arg(long, conflicts_with_all = ["file", "clear"])]
        preset: bool,
        /// With --preset: the pattern of the standards revised from 2022 on (shorter years of work, routes through
        /// 职称) instead of the 2019–2021 one.
        #[arg(long = "pattern-2022", requires = "preset")]
        pattern2022: bool,
        /// A rule file written by --export (or by the app).
        #[arg(long, conflicts_with = "clear")]
        file: Option<PathBuf>,
        /// Remove the rules (the text stays as free text).
        #[arg(long)]
        clear: bool,
        /// Write the plan's rules to a file another plan or agency can use.
        #[arg(long)]
        export: Option<PathBuf>,
    },
    /// The 待处理 applications of a plan with the 报考条件 check of each (符合 / 不符合 / 需人工核对).
    Check {
        id: i64,
    },
}

#[derive(Args)]
struct ArrangeArgs {
    #[arg(long)]
    plan: i64,
    /// 考点名称和地址 (with --site: the 考点's own when not given).
    #[arg(long, default_value = "")]
    venue: String,
    /// Numbered rooms of --seats-per-room seats each (without --site).
    #[arg(long, default_value_t = 0)]
    rooms: u32,
    #[arg(long = "seats-per-room", default_value_t = 0)]
    seats_per_room: u32,
    /// A 考点 of `venue list`: the seats are in its rooms, each holding its own capacity.
    #[arg(long)]
    site: Option<String>,
    /// The 考点's rooms to use, in order (all of them when not given), e.g. --room 301 --room 机房一.
    #[arg(long = "room")]
    site_rooms: Vec<String>,
    /// Rooms of the --site where the 操作技能 is sat, when not in the --room ones (e.g. its 实操 rooms).
    #[arg(long = "practical-room")]
    practical_rooms: Vec<String>,
    /// Rooms of the --site where the 综合评审 is held, when not in the --room ones.
    #[arg(long = "review-room")]
    review_rooms: Vec<String>,
    /// 理论知识, e.g. "2026-12-28 09:00-10:30".
    #[arg(long)]
    theory: String,
    /// 操作技能, e.g. "2026-12-28 13:30-16:00".
    #[arg(long)]
    practical: String,
    /// 综合评审 (二级/一级 only).
    #[arg(long)]
    review: Option<String>,
    /// How seats are filled: 按准考证号 (default), 按证件号码, 随机, 同单位分开 or 同单位集中.
    #[arg(long = "seat-rule")]
    seat_rule: Option<String>,
    /// The seed of a 随机 seating (the one an earlier arrangement recorded repeats its chart).
    #[arg(long)]
    seed: Option<u32>,
}

impl ArrangeArgs {
    fn into_request(self) -> Result<(i64, ArrangeRequest), Error> {
        let seat_rule = self.seat_rule.map(|r| SeatRule::parse(&r)).transpose()?.unwrap_or_default();
        let request = ArrangeRequest {
            venue: self.venue,
            rooms: self.rooms,
            seats_per_room: self.seats_per_room,
            site: self.site,
            site_rooms: self.site_rooms,
            practical_rooms: self.practical_rooms,
            review_rooms: self.review_rooms,
            theory: self.theory,
            practical: self.practical,
            review: self.review,
            seat_rule,
            seat_seed: self.seed,
        };
        Ok((self.plan, request))
    }
}

#[derive(Args)]
struct PlanArgs {
    /// 职业.
    #[arg(long)]
    occupation: String,
    /// 职业编码 (国家职业分类大典), e.g. 6-31-01-03.
    #[arg(long = "occupation-code")]
    occupation_code: Option<String>,
    /// 工种/职业方向; "--" for none.
    #[arg(long, default_value = "--", allow_hyphen_values = true)]
    job: String,
    /// 等级, e.g. 四级/中级工.
    #[arg(long)]
    level: String,
    #[arg(long = "reg-start")]
    reg_start: String,
    #[arg(long = "reg-end")]
    reg_end: String,
    /// 计划考试日期.
    #[arg(long)]
    exam: String,
    /// 报名识别码 (6 digits; generated when omitted).
    #[arg(long)]
    code: Option<String>,
    /// 计划号 (the next number when omitted).
    #[arg(long = "plan-no")]
    plan_no: Option<String>,
    /// 报名费, yuan.
    #[arg(long)]
    fee: Option<String>,
    /// 计划人数.
    #[arg(long)]
    capacity: Option<u32>,
    /// 报考条件.
    #[arg(long)]
    conditions: Option<String>,
    /// 报名须知.
    #[arg(long)]
    notice: Option<String>,
    /// 发布机构.
    #[arg(long)]
    publisher: Option<String>,
    /// 公告日期 (today when omitted).
    #[arg(long)]
    announced: Option<String>,
}

#[derive(Subcommand)]
enum CandidateCommand {
    Add(CandidateArgs),
    /// Replace a candidate's profile (refused once an application is 申请通过 or later).
    Edit(CandidateArgs),
    List,
}

#[derive(Args)]
struct CandidateArgs {
    #[arg(long)]
    name: String,
    #[arg(long = "id-type", default_value = "居民身份证")]
    id_type: String,
    #[arg(long = "id-number")]
    id_number: String,
    #[arg(long)]
    phone: String,
    #[arg(long)]
    sex: Option<String>,
    #[arg(long = "birth-date")]
    birth_date: Option<String>,
    #[arg(long)]
    ethnicity: Option<String>,
    #[arg(long)]
    education: Option<String>,
    #[arg(long)]
    employer: Option<String>,
    #[arg(long)]
    address: Option<String>,
    #[arg(long = "years")]
    years_in_occupation: Option<String>,
    #[arg(long)]
    source: Option<String>,
    /// 参加工作时间: a month (2015-08) or a day.
    #[arg(long = "work-started")]
    work_started_on: Option<String>,
    /// 职称, e.g. 助理工程师.
    #[arg(long)]
    title: Option<String>,
    /// 毕业院校.
    #[arg(long)]
    school: Option<String>,
    /// 所学专业.
    #[arg(long)]
    major: Option<String>,
    /// 毕业时间: a month (2015-07) or a day.
    #[arg(long)]
    graduated: Option<String>,
}

#[derive(Subcommand)]
enum ApplicationCommand {
    List {
        #[arg(long)]
        plan: i64,
        /// Only this status (待处理, 申请不通过, 申请通过, 已提交申报, 成绩发布).
        #[arg(long)]
        status: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    List {
        #[arg(long = "id-number")]
        id_number: Option<String>,
    },
}

#[derive(Subcommand)]
enum PortalCommand {
    /// Keeps the agency token (read from standard input, as `skillcert-portal agency add` printed it) in the
    /// system keychain and the address in the settings.
    Connect {
        #[arg(long)]
        url: String,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// 成绩上报: every published result, as .xlsx or .csv by the file's name.
    Results {
        #[arg(long)]
        plan: i64,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 证书数据上报: every valid certificate, as .xlsx or .csv by the file's name.
    Certificates {
        #[arg(long)]
        plan: i64,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The results report's state, its deadline in working days and what is due next.
    Status {
        #[arg(long)]
        plan: i64,
    },
    /// Records the results report: 已上报 (sent, or sent again after a return), 退回 (with --reason), 已通过.
    Mark {
        #[arg(long)]
        plan: i64,
        /// 已上报, 退回 or 已通过.
        #[arg(long)]
        state: String,
        /// The day it happened (today when left out).
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum PrintKind {
    /// 个人申请表.
    Application,
    /// 准考证.
    Ticket,
    /// 职业技能等级证书.
    Certificate,
    /// 座次表: each room's seat grid per session, with photos and signature boxes.
    Seating,
    /// 门贴: one sign per room door.
    Door,
    /// 桌贴: one label per desk, ten to a page.
    Desk,
    /// 签到表: per room and session.
    SignIn,
    /// 考场记录表: per room and session.
    RoomRecord,
    /// 组织册: every place of the exam with its time, seats and staff.
    OrgBook,
}

#[derive(Clone, Copy, ValueEnum)]
enum DecisionArg {
    Approve,
    Reject,
}

/// An import moves 100,000 rows from the reading thread to the writing one; glibc's allocator contends on every
/// cross-thread free, mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Some rows of an import were rejected (the rest was imported unless --strict or --dry-run).
const EXIT_ROWS_REJECTED: u8 = 3;

/// An import's end: the rejected rows to `report` when asked, the summary, and exit 3 when some rows were rejected.
fn finish_import<C: ColumnKind>(out: &Output, result: &ImportResult<C>, report: Option<&Path>) -> Result<u8> {
    if let Some(report) = report {
        write_report(result, report)?;
    }
    out.import(&result.summary, report)?;
    Ok(if result.summary.rejected > 0 { EXIT_ROWS_REJECTED } else { 0 })
}

/// Said before certificates print on a machine without 仿宋 (the 2021 style notice asks for 小四 仿宋).
const NO_FANGSONG: &str = "提示：本机没有安装仿宋字体，证书内容将改用内置的 Noto Serif SC（宋体风格）打印；证书样式要求小四号仿宋。\
Windows 自带“仿宋”（C:\\Windows\\Fonts\\simfang.ttf），macOS 可安装 Microsoft Office（含仿宋）或使用系统的“华文仿宋”；\
也可用环境变量 SKILLCERT_CERTIFICATE_FONT 指定仿宋字体文件。安装后重新打印即可。";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    match run(cli, &out) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            out.error(&e);
            ExitCode::from(if e.is_unusable_input() { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli, out: &Output) -> Result<u8> {
    let Some(db) = cli.db.clone() else {
        return Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "请用 --db 指定数据库文件或服务器地址 postgres://…（或设置环境变量 SKILLCERT_DB）",
        )));
    };
    let location = Location::parse(&db)?;
    let who = Who { user: cli.user.clone(), operator: cli.operator.clone() };
    let keys = Keys::system()?;
    match cli.command {
        Command::Init => {
            let store = Store::open(&location, &keys, true)?;
            out.init(&location.display(), store.schema_version()?, &encryption::security_status(&store)?)?;
            return Ok(0);
        }
        // A restore must not hold open the database it replaces: it is handed the store, which it closes first.
        Command::Restore { file } => {
            let mut store = Store::open(&location, &keys, false)?;
            let session = sign_in(&who, &mut store)?;
            out.restored(&backup::restore(store, &session, &file, &keys)?)?;
            return Ok(0);
        }
        // Entering a recovery code is what makes an encrypted database open: it cannot need the database first.
        Command::Key(KeyCommand::Add) => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
            let key = keys.add_recovery_code(&text)?;
            out.key_added(&key.fingerprint())?;
            return Ok(0);
        }
        // The template needs no database.
        Command::Template(TemplateCommand::Candidates { output }) => {
            template::write_template(&output)?;
            out.written(&output, None)?;
            return Ok(0);
        }
        _ => {}
    }
    let mut store = Store::open(&location, &keys, false)?;
    let session = sign_in(&who, &mut store)?;
    match cli.command {
        Command::Template(_) | Command::Restore { .. } | Command::Key(KeyCommand::Add) => {
            unreachable!("handled above")
        }
        Command::Key(KeyCommand::Status) => out.security(&encryption::security_status(&store)?),
        Command::Key(KeyCommand::Export { output }) => {
            out.recovery_written(&output, &encryption::export_recovery_code(&mut store, &session, &output)?)
        }
        Command::Backup { output: Some(output), .. } => {
            out.backup(&backup::backup_to(&store, &session, &output, &keys)?)
        }
        Command::CopyTo { target } => {
            let target = Location::parse(&target)?;
            out.copied(&target.display(), &backup::copy_to(&store, &session, &target, &keys)?)
        }
        Command::Backup { .. } => out.backups(&match &location {
            Location::File(path) => backup::list(path)?,
            // A server keeps no backups beside it: its administrator's pg_dump does (docs/server.md).
            Location::Server(_) => Vec::new(),
        }),
        Command::Operator(OperatorCommand::Add { login, name, role }) => {
            let draft = OperatorDraft { login, name, role, password: read_password()? };
            out.operator(&operators::add_operator(&mut store, &session, &draft)?)
        }
        Command::Operator(OperatorCommand::List) => out.operators(&operators::list_operators(&store)?),
        Command::Operator(OperatorCommand::Set { login, role, disable, enable }) => {
            let current = operators::find_operator(&store, &login)?;
            let role = role.map(|r| Role::parse(&r)).transpose()?.unwrap_or(current.role);
            // Without --enable or --disable the account stays as it is.
            let active = if disable { false } else { enable || current.active };
            out.operator(&operators::set_operator(&mut store, &session, &login, role, active)?)
        }
        Command::Operator(OperatorCommand::Passwd { login }) => {
            let current = std::env::var("SKILLCERT_PASSWORD").ok();
            operators::change_password(&mut store, &session, &login, current.as_deref(), &read_password()?)?;
            out.password_changed(&login)
        }
        Command::Import(ImportCommand::Candidates { file, plan, dry_run, strict, report }) => {
            let options = ImportOptions { plan_id: plan, dry_run, strict };
            let mut progress = progress_printer(out);
            let result =
                import_candidates(&mut store, &session, &file, &options, &mut progress, &AtomicBool::new(false))?;
            return finish_import(out, &result, report.as_deref());
        }
        Command::Accounts(AccountsCommand::Reset { id_number }) => {
            out.account(&accounts::reset_account(&mut store, &session, &id_number)?)
        }
        Command::Accounts(AccountsCommand::List { plan }) => out.accounts(&accounts::list_accounts(&store, plan)?),
        Command::Photo(PhotoCommand::Set { id_number, file, fix }) => {
            out.photo(&photos::set_photo(&mut store, &session, &id_number, &file, fix)?)
        }
        Command::Photo(PhotoCommand::Import { source, fix }) => {
            let report = photos::import_photos(&mut store, &session, &source, fix)?;
            out.photo_import(&report)?;
            let clean = report.rejected.is_empty() && report.unmatched.is_empty();
            return Ok(if clean { 0 } else { EXIT_ROWS_REJECTED });
        }
        Command::Report(ReportCommand::Results { plan, output }) => {
            out.written(&output, Some(reporting::export_report(&store, plan, ReportKind::Results, &output)?))
        }
        Command::Report(ReportCommand::Certificates { plan, output }) => {
            out.written(&output, Some(reporting::export_report(&store, plan, ReportKind::Certificates, &output)?))
        }
        Command::Report(ReportCommand::Status { plan }) => {
            out.report_status(&reporting::report_status(&store, &session, plan)?)
        }
        Command::Report(ReportCommand::Mark { plan, state, on, reason }) => {
            let on = on.map(|d| parse_date("日期", &d)).transpose()?.unwrap_or(session.today);
            let mark = ReportMark { state: ReportState::parse(&state)?, on, reason };
            out.report_status(&reporting::mark_report(&mut store, &session, plan, &mark)?)
        }
        Command::Print { kind, plan, id_numbers, output, overlay } => {
            let room_document = match kind {
                PrintKind::Seating => Some(RoomDocument::SeatingChart),
                PrintKind::Door => Some(RoomDocument::DoorSign),
                PrintKind::Desk => Some(RoomDocument::DeskLabels),
                PrintKind::SignIn => Some(RoomDocument::SignInSheet),
                PrintKind::RoomRecord => Some(RoomDocument::RoomRecord),
                PrintKind::OrgBook => Some(RoomDocument::OrganizationBook),
                _ => None,
            };
            let mut progress = |p: Progress| {
                if !out.json && std::io::stderr().is_terminal() {
                    eprint!("\r已生成 {}/{} 份", p.done, p.total);
                    if p.done == p.total {
                        eprintln!();
                    }
                }
            };
            if let Some(document) = room_document {
                if !id_numbers.is_empty() || overlay {
                    return Err(Error::invalid(
                        "打印",
                        format!("{}按考场打印整个计划，不能指定考生或套打", document.label()),
                    ));
                }
                let outcome = print::print_room_documents(
                    &store,
                    plan,
                    document,
                    &output,
                    &mut progress,
                    &AtomicBool::new(false),
                )?;
                out.printed(&output, &outcome)?;
                return Ok(0);
            }
            let kind = match kind {
                PrintKind::Application => DocumentKind::ApplicationForm,
                PrintKind::Ticket => DocumentKind::Ticket,
                _ => DocumentKind::Certificate,
            };
            let request = PrintRequest { kind, plan_id: plan, id_numbers, overlay_only: overlay };
            if kind == DocumentKind::Certificate && print::fonts::certificate_fangsong().is_none() {
                // On stderr, before printing: the certificate still prints, in the bundled serif.
                eprintln!("{NO_FANGSONG}");
            }
            let outcome = print::print(&store, &request, &output, &mut progress, &AtomicBool::new(false))?;
            out.printed(&output, &outcome)
        }
        Command::Portal(PortalCommand::Connect { url }) => {
            let mut token = String::new();
            std::io::stdin().read_line(&mut token)?;
            skillcert_core::sync::client::connect(&mut store, &session, &url, token.trim())?;
            out.portal_connected(&url)
        }
        Command::Sync { portal, token } => {
            let portal = skillcert_core::sync::client::Portal::resolve(&store, portal, token)?;
            let outcome =
                skillcert_core::sync::client::sync(&mut store, &portal, &mut |_| {}, &AtomicBool::new(false))?;
            out.synced(&outcome)
        }
        Command::Stats { year, output: None } => out.statistics(&statistics::year_statistics(&store, &session, year)?),
        Command::Stats { year, output: Some(output) } => {
            out.statistics(&statistics::export_statistics(&store, &session, year, &output)?)?;
            out.written(&output, None)
        }
        Command::Calibration { output } => {
            let outcome = print::print_calibration(&store, &output)?;
            out.printed(&output, &outcome)
        }
        Command::Scores(ScoresCommand::Template { plan, output }) => {
            let rows = scores::write_score_template(&store, plan, &output)?;
            out.written(&output, Some(rows))
        }
        Command::Scores(ScoresCommand::Import { sheet: PlanSheetArgs { file, plan, dry_run, report }, source }) => {
            let result = scores::import_scores_from(&mut store, &session, plan, &file, source.as_deref(), dry_run)?;
            return finish_import(out, &result, report.as_deref());
        }
        Command::Scores(ScoresCommand::Publish { plan }) => {
            let never = AtomicBool::new(false);
            out.published(&scores::publish_scores(&mut store, &session, plan, &mut |_| {}, &never)?)
        }
        Command::Scores(ScoresCommand::Notice { plan, output }) => {
            let is_pdf = output.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
            if is_pdf {
                let outcome = print::print_notice_list(&store, plan, &output)?;
                out.printed(&output, &outcome)
            } else {
                let rows = scores::export_notice_list(&store, plan, &output)?;
                out.written(&output, Some(rows))
            }
        }
        Command::Scores(ScoresCommand::Correct { plan, candidate, part, mark, reason }) => {
            let request =
                scores::CorrectionRequest { plan_id: plan, candidate, part: Part::parse(&part)?, mark, reason };
            out.corrected(&scores::correct_score(&mut store, &session, &request)?)
        }
        Command::Scores(ScoresCommand::List { plan }) => {
            out.scores(&scores::list_scores(&store, plan)?, scores::results_notice(&store, &session, plan)?.as_ref())
        }
        Command::Certificate(CertificateCommand::Issue { plan, date }) => {
            let never = AtomicBool::new(false);
            let date = parse_date("发证日期", &date)?;
            out.issued(&certificates::issue_certificates(&mut store, &session, plan, date, &mut |_| {}, &never)?)
        }
        Command::Certificate(CertificateCommand::Numbers(PlanSheetArgs { file, plan, dry_run, report })) => {
            let result = certificates::import_assigned_numbers(&mut store, &session, plan, &file, dry_run)?;
            return finish_import(out, &result, report.as_deref());
        }
        Command::Certificate(CertificateCommand::Revoke { number, reason }) => {
            out.certificates(&[certificates::revoke_certificate(&mut store, &session, &number, &reason)?])
        }
        Command::Certificate(CertificateCommand::Reissue { number, reason, print_serial }) => {
            let reissued =
                certificates::reissue_certificate(&mut store, &session, &number, &reason, print_serial.as_deref())?;
            out.certificates(&[reissued])
        }
        Command::Certificate(CertificateCommand::List { plan, id_number }) => {
            out.certificates(&certificates::list_certificates(&store, plan, id_number.as_deref())?)
        }
        Command::Settings(SettingsCommand::Set { key, value }) => {
            out.setting(&settings::set_setting(&mut store, &session, &key, &value)?)
        }
        Command::Settings(SettingsCommand::Show) => out.settings(&settings::show_settings(&store)?),
        Command::Venue(VenueCommand::List) => out.sites(&venues::list_sites(&store)?),
        Command::Venue(VenueCommand::Staff) => out.staff(&venues::list_staff(&store)?),
        Command::Venue(VenueCommand::Staffing { plan }) => out.staffing(&staffing::staffing(&store, plan)?),
        Command::Venue(VenueCommand::Assign { plan, room, part, staff, reason }) => {
            let part = Part::parse(&part)?;
            let request = staffing::AssignRequest { plan_id: plan, room, part, staff, reason };
            out.staffing(&staffing::assign_staff(&mut store, &session, &request)?)
        }
        Command::Venue(VenueCommand::Declare { plan, person, conflicts }) => {
            out.staffing(&staffing::declare_conflicts(&mut store, &session, plan, &person, &conflicts)?)
        }
        Command::Venue(VenueCommand::Import { file, dry_run }) => {
            let outcome = venues::import_venue_data(&mut store, &session, &file, dry_run)?;
            out.venue_import(&outcome)?;
            return Ok(if outcome.errors.is_empty() { 0 } else { EXIT_ROWS_REJECTED });
        }
        Command::Venue(VenueCommand::Site { name, address, leased }) => {
            let draft = SiteDraft { name, address, ownership: if leased { "租用" } else { "自有" }.into() };
            out.sites(&[venues::save_site(&mut store, &session, &draft)?])
        }
        Command::Venue(VenueCommand::Room { site, name, kind, capacity, workstations }) => {
            let workstations = workstations.map(|n| n.to_string()).unwrap_or_default();
            let draft = RoomDraft { site, name, kind, capacity: capacity.to_string(), workstations };
            out.sites(&[venues::save_room(&mut store, &session, &draft)?])
        }
        Command::Venue(VenueCommand::Person {
            name,
            id_number,
            role,
            phone,
            employer,
            certificate,
            valid_until,
            occupations,
        }) => {
            let draft = StaffDraft {
                name,
                id_number,
                role,
                phone,
                employer,
                certificate_number: certificate,
                valid_until,
                occupations,
                ..Default::default()
            };
            out.staff(&[venues::save_staff(&mut store, &session, &draft)?])
        }
        Command::Venue(VenueCommand::Remove { site, room, person }) => match (site, room, person) {
            (Some(site), Some(room), _) => out.sites(&[venues::remove_room(&mut store, &session, &site, &room)?]),
            (Some(site), None, _) => {
                venues::remove_site(&mut store, &session, &site)?;
                out.removed(&format!("考点“{site}”及其考场"))
            }
            (None, _, Some(person)) => {
                venues::remove_staff(&mut store, &session, &person)?;
                out.removed(&format!("考务人员“{person}”"))
            }
            (None, _, None) => unreachable!("clap requires --site or --person"),
        },
        Command::Venue(VenueCommand::Export { file }) => {
            venues::export_venue_data(&store, &file)?;
            out.written(&file, None)
        }
        Command::Occupation(OccupationCommand::Search { text }) => {
            let found = match text {
                Some(text) => occupations::search_occupations(&store, &text)?,
                None => occupations::list_occupations(&store)?,
            };
            out.occupations(&found)
        }
        Command::Occupation(OccupationCommand::Import { file, dry_run, report }) => {
            let result = occupations::import_occupations(&mut store, &session, &file, dry_run)?;
            return finish_import(out, &result, report.as_deref());
        }
        Command::Pay { plan, id_number, unpaid, defer } => {
            let to = match (unpaid, defer) {
                (true, _) => PaymentStatus::Unpaid,
                (_, true) => PaymentStatus::Deferred,
                _ => PaymentStatus::Paid,
            };
            out.application(&applications::set_payment(&mut store, &session, plan, &id_number, to)?, None)
        }
        Command::Arrange(args) => {
            let (plan, request) = args.into_request()?;
            out.arrangement(&arrangement::arrange(&mut store, &session, plan, &request)?)
        }
        Command::Export(ExportCommand::Applications { plan, status, output }) => {
            let status = status.map(|s| ApplicationStatus::parse(&s)).transpose()?;
            let rows =
                export::export_applications(&store, plan, status, &output, &mut |_| {}, &AtomicBool::new(false))?;
            out.written(&output, Some(rows))
        }
        Command::Init => unreachable!("handled above"),
        Command::Plan(PlanCommand::Add(args)) => {
            let plan = plans::create_plan(&mut store, &session, &args.into_draft())?;
            out.plan_added(&plan)
        }
        Command::Plan(PlanCommand::Rules { id, preset, pattern2022, file, clear, export }) => {
            let mut plan = plans::show_plan(&store, &session, id)?.plan;
            let rules = if preset {
                let pattern = if pattern2022 { Pattern::Standard2022 } else { Pattern::Standard2019 };
                Some(RuleSet::preset(plan.level, pattern).ok_or_else(|| {
                    Error::refused(format!("{}没有全国统一的报考条件模板，请用 --file 指定规则文件", plan.level))
                })?)
            } else if let Some(file) = file {
                Some(eligibility::read_rule_file(&file)?)
            } else {
                None
            };
            if preset || clear || rules.is_some() {
                plan = eligibility::set_plan_rules(&mut store, &session, id, rules.as_ref())?;
            }
            if let Some(path) = export {
                let rules = plan.eligibility.as_ref().ok_or_else(|| {
                    Error::refused(format!("计划 {id} 没有报考条件规则可导出，请先用 --preset 或 --file 设置"))
                })?;
                eligibility::write_rule_file(&path, rules)?;
            }
            out.rules(&plan)
        }
        Command::Plan(PlanCommand::Check { id }) => out.review_queue(&eligibility::review_queue(&store, id, None)?),
        Command::Plan(PlanCommand::List) => out.plans(&plans::list_plans(&store, &session)?),
        Command::Plan(PlanCommand::Show { id }) => out.plan(&plans::show_plan(&store, &session, id)?),
        Command::Plan(PlanCommand::Close { id, reopen }) => {
            let plan = plans::set_plan_closed(&mut store, &session, id, !reopen)?;
            out.plan(&plans::show_plan(&store, &session, plan.id)?)
        }
        Command::Candidate(CandidateCommand::Add(args)) => {
            out.candidate(&candidates::add_candidate(&mut store, &session, &args.into_draft())?)
        }
        Command::Candidate(CandidateCommand::Edit(args)) => {
            out.candidate(&candidates::update_candidate(&mut store, &session, &args.into_draft())?)
        }
        Command::Candidate(CandidateCommand::List) => out.candidates(&candidates::list_candidates(&store)?),
        Command::Apply { plan, id_number, id_type, resit } => {
            let id_type = id_type.map(|t| IdType::parse(&t)).transpose()?;
            let application = if resit {
                applications::apply_resit(&mut store, &session, plan, &id_number)?
            } else {
                applications::apply(&mut store, &session, plan, &id_number, id_type)?
            };
            let check = eligibility::check_application(&store, application.id)?;
            out.application(&application, check.as_ref())
        }
        Command::Application(ApplicationCommand::List { plan, status }) => {
            let status = status.map(|s| ApplicationStatus::parse(&s)).transpose()?;
            out.applications(&applications::list_applications(&store, plan, status)?)
        }
        Command::Review { decision, plan, id_numbers, all_pending, reason, only_eligible } => {
            let decision = match decision {
                DecisionArg::Approve => Decision::Approve,
                DecisionArg::Reject => Decision::Reject,
            };
            let target = if all_pending { Selection::AllApplicable } else { Selection::IdNumbers(id_numbers) };
            let outcome =
                applications::review(&mut store, &session, plan, decision, &target, reason.as_deref(), only_eligible)?;
            out.review(&outcome)
        }
        Command::Audit(AuditCommand::List { id_number }) => {
            out.audit(&audit::list_audit(&store, id_number.as_deref())?)
        }
    }?;
    Ok(0)
}

/// "已处理 3000/100000 行" on stderr, when a person is watching (stderr is a terminal) and not with --json.
fn progress_printer(out: &Output) -> impl FnMut(Progress) + use<> {
    let show = !out.json && std::io::stderr().is_terminal();
    move |p: Progress| {
        if show {
            eprint!("\r已处理 {}/{} 行", p.done, p.total);
            // The last call reports every row done.
            if p.done == p.total {
                eprintln!();
            }
        }
    }
}

/// Who runs the command, as the global options say.
struct Who {
    user: Option<String>,
    operator: Option<String>,
}

/// The session commands act in: a signed-in operator (--user and SKILLCERT_PASSWORD); on a database without
/// operator accounts, the machine's user (--operator, or "命令行:<login>").
fn sign_in(who: &Who, store: &mut Store) -> Result<Session> {
    match (&who.user, operators::operators_exist(store)?) {
        (Some(login), _) => {
            let password = std::env::var("SKILLCERT_PASSWORD").map_err(|_| {
                Error::refused(
                    "请在环境变量 SKILLCERT_PASSWORD 中给出操作员密码（不要写在命令行上，以免留在历史记录里）",
                )
            })?;
            operators::sign_in(store, login, &password)
        }
        (None, false) => Ok(Session::new(who.operator.clone().unwrap_or_else(default_operator))),
        (None, true) => Err(Error::refused(
            "此数据库已设置操作员账号：请用 --user 登录名（或环境变量 SKILLCERT_USER）登录，密码放在环境变量 SKILLCERT_PASSWORD 中",
        )),
    }
}

/// One line of standard input (a new password), without its line ending.
fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// "命令行:<login>" so CLI changes are told apart from the app's in the audit trail.
fn default_operator() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("命令行:{user}")
}

impl PlanArgs {
    fn into_draft(self) -> PlanDraft {
        PlanDraft {
            occupation: self.occupation,
            occupation_code: self.occupation_code.unwrap_or_default(),
            job: self.job,
            level: self.level,
            reg_start: self.reg_start,
            reg_end: self.reg_end,
            exam_date: self.exam,
            code: self.code.unwrap_or_default(),
            plan_no: self.plan_no.unwrap_or_default(),
            conditions: self.conditions.unwrap_or_default(),
            notice: self.notice.unwrap_or_default(),
            publisher: self.publisher.unwrap_or_default(),
            announced_on: self.announced.unwrap_or_default(),
            capacity: self.capacity,
            fee: self.fee.unwrap_or_default(),
        }
    }
}

impl CandidateArgs {
    fn into_draft(self) -> CandidateDraft {
        CandidateDraft {
            name: self.name,
            id_type: self.id_type,
            id_number: self.id_number,
            phone: self.phone,
            sex: self.sex.unwrap_or_default(),
            birth_date: self.birth_date.unwrap_or_default(),
            ethnicity: self.ethnicity.unwrap_or_default(),
            education: self.education.unwrap_or_default(),
            employer: self.employer.unwrap_or_default(),
            address: self.address.unwrap_or_default(),
            years_in_occupation: self.years_in_occupation.unwrap_or_default(),
            source: self.source.unwrap_or_default(),
            work_started_on: self.work_started_on.unwrap_or_default(),
            title: self.title.unwrap_or_default(),
            school: self.school.unwrap_or_default(),
            major: self.major.unwrap_or_default(),
            graduated_on: self.graduated.unwrap_or_default(),
            ..Default::default()
        }
    }
}
