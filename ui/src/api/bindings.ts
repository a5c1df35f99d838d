// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p skillcert-app bindings` after changing a payload type.

export type CommandError = { code: ErrorCode, message: string, fix: Fix | null, };

/**
 * The kinds of error a consumer (CLI exit code, UI) tells apart. Only add a code when a consumer uses it.
 */
export type ErrorCode = "invalid" | "refused" | "not_found" | "conflict" | "schema_too_new" | "database" | "io" | "unreadable" | "network" | "cancelled" | "sign_in_required" | "key_missing" | "unauthorized";

/**
 * What whoever meets an error can do about it, named by core and worded by each shell.
 */
export type Fix = { "kind": "upload_photo" } | { "kind": "allow_photo_fix" } | { "kind": "arrange_first" } | { "kind": "record_payment" } | { "kind": "set_setting", key: string, label: string, } | { "kind": "give_review_time" } | { "kind": "drop_review_time" } | { "kind": "connect_portal" } | { "kind": "keychain_unavailable" } | { "kind": "enter_recovery_code" } | { "kind": "create_database", path: string, };

export type AppInfo = { db_path: string, schema_version: number, version: string, };

/**
 * What the UI saw once its first screen rendered.
 */
export type UiReport = { plans: number, applications: number, status_tags: Array<string>, };

export type Level = "五级/初级工" | "四级/中级工" | "三级/高级工" | "二级/技师" | "一级/高级技师" | "专项能力/专项";

/**
 * Where a plan's registration stands on a given day.
 */
export type Registration = "未开始" | "报名中" | "已截止" | "已关闭";

/**
 * 报名状态, as the candidate portal shows it.
 */
export type ApplicationStatus = "待处理" | "申请不通过" | "申请通过" | "已提交申报" | "成绩发布";

/**
 * 支付状态. `NotRequired` shows as "--" to candidates.
 */
export type PaymentStatus = "待支付" | "已支付" | "缓缴" | "无需支付";

/**
 * 证件类型, in the order of the national form.
 */
export type IdType = "居民身份证" | "港澳台居民居住证" | "外国人永久居留身份证" | "护照" | "港澳居民来往内地通行证" | "台湾居民来往大陆通行证" | "军官证";

export type Sex = "男" | "女";

/**
 * A stored 认定计划.
 */
export type Plan = { id: number, occupation: string, 
/**
 * 职业编码 (国家职业分类大典), e.g. 6-31-01-03.
 */
occupation_code: string | null, 
/**
 * None: no 工种 ("--").
 */
job: string | null, level: Level, reg_start: string, reg_end: string, exam_date: string, code: string, plan_no: string, 
/**
 * 报考条件 as the notice shows it; generated from `eligibility` when the plan has rules.
 */
conditions: string, 
/**
 * The checkable form of the 报考条件, when the operator set one.
 */
eligibility: RuleSet | null, notice: string, publisher: string, announced_on: string, capacity: number | null, fee_fen: number, closed: boolean, created_at: string, updated_at: string, };

/**
 * What an operator fills in to publish a plan. Text fields are as typed; [`PlanDraft::validate`] checks them.
 */
export type PlanDraft = { 
/**
 * 职业.
 */
occupation: string, 
/**
 * 职业编码 (国家职业分类大典, e.g. 6-31-01-03); empty when not given.
 */
occupation_code: string, 
/**
 * 工种/职业方向; "--" or empty when none.
 */
job: string, 
/**
 * 等级, e.g. "四级/中级工".
 */
level: string, 
/**
 * 报名开始 (YYYY-MM-DD).
 */
reg_start: string, 
/**
 * 报名截止, inclusive.
 */
reg_end: string, 
/**
 * 计划考试日期.
 */
exam_date: string, 
/**
 * 报名识别码: 6 digits; generated when empty.
 */
code: string, 
/**
 * 计划号: unique in this agency's database; the next number when empty.
 */
plan_no: string, 
/**
 * 报考条件.
 */
conditions: string, 
/**
 * 报名须知.
 */
notice: string, 
/**
 * 发布机构.
 */
publisher: string, 
/**
 * 公告日期; today when empty.
 */
announced_on: string, 
/**
 * 计划人数; none when empty.
 */
capacity: number | null, 
/**
 * 报名费 in yuan ("0", "150", "150.5"); none or 0 means no fee.
 */
fee: string, };

/**
 * A plan with what the lists show next to it.
 */
export type PlanSummary = { 
/**
 * Where registration stands today.
 */
registration: Registration, 
/**
 * Applications per status, every status present.
 */
counts: Array<StatusCount>, id: number, occupation: string, 
/**
 * 职业编码 (国家职业分类大典), e.g. 6-31-01-03.
 */
occupation_code: string | null, 
/**
 * None: no 工种 ("--").
 */
job: string | null, level: Level, reg_start: string, reg_end: string, exam_date: string, code: string, plan_no: string, 
/**
 * 报考条件 as the notice shows it; generated from `eligibility` when the plan has rules.
 */
conditions: string, 
/**
 * The checkable form of the 报考条件, when the operator set one.
 */
eligibility: RuleSet | null, notice: string, publisher: string, announced_on: string, capacity: number | null, fee_fen: number, closed: boolean, created_at: string, updated_at: string, };

export type StatusCount = { status: ApplicationStatus, count: number, };

/**
 * One plan's figures.
 */
export type PlanDashboard = { 
/**
 * Applications per 支付状态, every status present.
 */
payments: Array<PaymentCount>, 
/**
 * Applications still in the running (not 申请不通过) whose candidate has no photo: tickets cannot be printed.
 */
without_photo: number, 
/**
 * Applications still in the running and 待支付.
 */
unpaid: number, 
/**
 * Of the published results: how many passed every part the level requires, and how many were absent from a part.
 */
published: number, passed: number, absent: number, 
/**
 * Days from today to the end of registration (negative once past) and to the exam.
 */
days_to_reg_end: number, days_to_exam: number, 
/**
 * The results report to the province: its state, deadline and what is due next.
 */
report: ReportStatus, 
/**
 * Where registration stands today.
 */
registration: Registration, 
/**
 * Applications per status, every status present.
 */
counts: Array<StatusCount>, id: number, occupation: string, 
/**
 * 职业编码 (国家职业分类大典), e.g. 6-31-01-03.
 */
occupation_code: string | null, 
/**
 * None: no 工种 ("--").
 */
job: string | null, level: Level, reg_start: string, reg_end: string, exam_date: string, code: string, plan_no: string, 
/**
 * 报考条件 as the notice shows it; generated from `eligibility` when the plan has rules.
 */
conditions: string, 
/**
 * The checkable form of the 报考条件, when the operator set one.
 */
eligibility: RuleSet | null, notice: string, publisher: string, announced_on: string, capacity: number | null, fee_fen: number, closed: boolean, created_at: string, updated_at: string, };

export type PaymentCount = { payment: PaymentStatus, count: number, };

/**
 * One page of a list and how many rows the whole filtered list has.
 */
export type Page<T> = { total: number, page: number, page_size: number, rows: Array<T>, };

/**
 * An application with who it is for, as lists show it.
 */
export type Application = { id: number, plan_id: number, candidate_id: number, name: string, id_type: IdType, id_number: string, phone: string, status: ApplicationStatus, payment: PaymentStatus, 
/**
 * Why it was refused (申请不通过).
 */
reject_reason: string | null, created_at: string, updated_at: string, };

/**
 * One row of the application table: the application, its plan's title and what the operator checks at a glance.
 */
export type ApplicationRow = { 
/**
 * "职业/工种 等级", for lists over every plan.
 */
plan_title: string, has_photo: boolean, 
/**
 * 准考证号, once arranged.
 */
ticket_number: string | null, id: number, plan_id: number, candidate_id: number, name: string, id_type: IdType, id_number: string, phone: string, status: ApplicationStatus, payment: PaymentStatus, 
/**
 * Why it was refused (申请不通过).
 */
reject_reason: string | null, created_at: string, updated_at: string, };

/**
 * What the application table (考生 / 报名) asks for: a filter, an order and one page. Everything is done in SQL,
 * so a 100,000-row list never crosses to the UI.
 */
export type ApplicationQuery = { 
/**
 * One plan, or every plan.
 */
plan_id: number | null, 
/**
 * One candidate's applications (the detail drawer).
 */
candidate_id: number | null, status: ApplicationStatus | null, payment: PaymentStatus | null, 
/**
 * Part of a name or of a 证件号码 (full-width characters and a lower-case x are accepted).
 */
search: string | null, 
/**
 * Only candidates with no photo yet.
 */
without_photo: boolean, sort: SortKey, descending: boolean, 
/**
 * 1-based.
 */
page: number, 
/**
 * Rows per page, at most [`super::MAX_PAGE_SIZE`]; 0 means the default 50.
 */
page_size: number, };

/**
 * The columns a list can be ordered by.
 */
export type SortKey = "submitted" | "name" | "id_number" | "status" | "payment" | "updated" | "ticket_number";

/**
 * A stored 考生: the validated profile of the 个人申请表 and when it was written.
 */
export type Candidate = { id: number, created_at: string, updated_at: string, name: string, id_type: IdType, id_number: string, sex: Sex | null, birth_date: string | null, phone: string, ethnicity: string | null, education: string | null, employer: string | null, address: string | null, years_in_occupation: number | null, source: string | null, prior_cert_name: string | null, prior_cert_level: string | null, prior_cert_number: string | null, prior_cert_date: string | null, major: string | null, school: string | null, graduated_on: string | null, work_started_on: string | null, title: string | null, };

/**
 * A candidate's profile whose fields passed their rules: what is stored and shown.
 */
export type Profile = { name: string, id_type: IdType, id_number: string, sex: Sex | null, birth_date: string | null, phone: string, ethnicity: string | null, education: string | null, employer: string | null, address: string | null, years_in_occupation: number | null, source: string | null, prior_cert_name: string | null, prior_cert_level: string | null, prior_cert_number: string | null, prior_cert_date: string | null, major: string | null, school: string | null, graduated_on: string | null, work_started_on: string | null, title: string | null, };

/**
 * A candidate's profile as typed (CLI, form, import row). [`CandidateDraft::validate`] checks and normalises it.
 */
export type CandidateDraft = { name: string, 
/**
 * 证件类型; 居民身份证 when empty.
 */
id_type: string, id_number: string, 
/**
 * 性别; derived from the ID when empty.
 */
sex: string, 
/**
 * 出生日期; derived from the ID when empty.
 */
birth_date: string, phone: string, 
/**
 * 民族.
 */
ethnicity: string, 
/**
 * 文化程度.
 */
education: string, 
/**
 * 工作单位.
 */
employer: string, 
/**
 * 通讯地址.
 */
address: string, 
/**
 * 从事本职业年限.
 */
years_in_occupation: string, 
/**
 * 考生来源.
 */
source: string, 
/**
 * 现有证书: 名称, 等级, 编号, 取证时间.
 */
prior_cert_name: string, prior_cert_level: string, prior_cert_number: string, prior_cert_date: string, 
/**
 * 所学专业, 毕业院校, 毕业时间 (a month or a day), 参加工作时间 (a month or a day), 职称: what the 报考条件 routes
 * through schooling, years of work and titles measure by.
 */
major: string, school: string, graduated_on: string, work_started_on: string, title: string, };

/**
 * Everything the detail drawer shows about one candidate.
 */
export type CandidateDetail = { candidate: Candidate, 
/**
 * The status that locks the profile (申请通过 or later), when one does: edits are refused with it.
 */
locked_by: ApplicationStatus | null, has_photo: boolean, applications: Array<ApplicationRow>, certificates: Array<Certificate>, 
/**
 * The candidate's audit trail, oldest first.
 */
history: Array<AuditEntry>, };

export type Certificate = { id: number, 
/**
 * 证书编号, 22 characters.
 */
number: string, application_id: number, plan_id: number, name: string, id_type: string, id_number: string, occupation: string, job: string | null, level: string, 
/**
 * 发证日期.
 */
issued_on: string, 
/**
 * 评价机构名称.
 */
agency_name: string, state: CertificateState, 
/**
 * When, why and by whom it was revoked.
 */
revoked_on: string | null, revoked_reason: string | null, revoked_by: string | null, 
/**
 * The certificate this one was reissued for (补发), by id.
 */
replaces_id: number | null, 
/**
 * 印制流水码 of the paper, when recorded.
 */
print_serial: string | null, };

/**
 * One change: who, when, what, from, to.
 */
export type AuditEntry = { id: number, at: string, actor: string, entity: string, entity_id: number, action: string, from_value: string | null, to_value: string | null, detail: string | null, id_number: string | null, plan_id: number | null, };

/**
 * What the 操作日志 screen asks for: newest first, filtered, one page.
 */
export type AuditQuery = { plan_id: number | null, 
/**
 * One candidate's rows (证件号码 as stored).
 */
id_number: string | null, 
/**
 * Part of the operator's name.
 */
actor: string | null, 
/**
 * The action exactly, e.g. 审核通过.
 */
action: string | null, 
/**
 * Rows on or after / on or before these dates (YYYY-MM-DD, +08:00 as recorded).
 */
from: string | null, to: string | null, page: number, page_size: number, };

export type Decision = "approve" | "reject";

export type BatchOutcome = { changed: Array<Application>, 
/**
 * Left pending because approval was limited to 符合 ones: who, and the check's summary.
 */
skipped: Array<SkippedApplication>, };

export type SkippedApplication = { name: string, id_number: string, summary: string, };

/**
 * A plan's 报考条件: meeting any one path is enough.
 */
export type RuleSet = { paths: Array<RulePath>, };

/**
 * One 条件: every condition must hold.
 */
export type RulePath = { conditions: Array<Condition>, };

export type Condition = { "kind": "min_age", years: number, } | { "kind": "years_in_occupation", years: number, } | { "kind": "prior_certificate", level: Level, years_held: number, } | { "kind": "min_education", education: string, } | { "kind": "graduation", schools: Array<string>, } | { "kind": "manual", text: string, } | { "kind": "work_after_certificate", level: Level, years: number, } | { "kind": "title", rank: TitleRank, };

/**
 * A 职称's rank, as the routes through titles ask for it.
 */
export type TitleRank = "初级" | "中级" | "高级";

/**
 * Which national pattern a preset follows.
 */
export type Pattern = "Standard2019" | "Standard2022";

export type Verdict = "符合" | "不符合" | "需人工核对";

/**
 * One condition (or one path): met, not met, or not decidable from the data.
 */
export type Outcome = "met" | "not_met" | "unknown";

/**
 * The check of one application against its plan's rule set.
 */
export type Evaluation = { verdict: Verdict, paths: Array<PathCheck>, 
/**
 * One line for lists, the audit trail and reports.
 */
summary: string, };

export type PathCheck = { 
/**
 * 条件一, 条件二, …
 */
label: string, outcome: Outcome, checks: Array<ConditionCheck>, };

export type ConditionCheck = { 
/**
 * The condition as the notice writes it.
 */
condition: string, outcome: Outcome, 
/**
 * The data it was decided on, or why it could not be ("出生日期 2010-05-02，考试日 15 周岁").
 */
detail: string, };

/**
 * The 审核 queue of a plan: its 待处理 applications in the order they came, each checked now.
 */
export type ReviewQueue = { has_rules: boolean, 
/**
 * Over every pending application of the plan.
 */
counts: VerdictCounts, 
/**
 * Pending applications with `verdict` (all when none asked), at most [`MAX_PAGE_SIZE`].
 */
rows: Array<ReviewRow>, 
/**
 * How many match `verdict` in all.
 */
matching: number, };

/**
 * A 待处理 application with its check.
 */
export type ReviewRow = { 
/**
 * None when the plan has no rules.
 */
eligibility: Evaluation | null, 
/**
 * "职业/工种 等级", for lists over every plan.
 */
plan_title: string, has_photo: boolean, 
/**
 * 准考证号, once arranged.
 */
ticket_number: string | null, id: number, plan_id: number, candidate_id: number, name: string, id_type: IdType, id_number: string, phone: string, status: ApplicationStatus, payment: PaymentStatus, 
/**
 * Why it was refused (申请不通过).
 */
reject_reason: string | null, created_at: string, updated_at: string, };

/**
 * How many pending applications got each verdict.
 */
export type VerdictCounts = { eligible: number, not_eligible: number, needs_review: number, };

/**
 * An imported row whose application the plan's 报考条件 rules did not find 符合.
 */
export type EligibilityWarning = { 
/**
 * The row number Excel shows.
 */
row: number, name: string, id_number: string, verdict: Verdict, summary: string, };

/**
 * A stored photo, as reported back.
 */
export type PhotoOutcome = { name: string, id_number: string, width: number, height: number, bytes: number, 
/**
 * Scaled or compressed to fit the rules (`--fix`).
 */
fixed: boolean, 
/**
 * Turned upright from its EXIF orientation.
 */
turned: boolean, };

export type PhotoImportReport = { imported: Array<PhotoOutcome>, 
/**
 * Files whose name is no candidate's 证件号码.
 */
unmatched: Array<string>, rejected: Array<PhotoRejection>, };

/**
 * A file that was not imported, and why.
 */
export type PhotoRejection = { file: string, reason: string, };

export type ImportPreview = { sheet: string, 
/**
 * The header row's number as Excel shows it.
 */
header_row: number, 
/**
 * Rows the sheet declares (blank rows included): what the progress bar counts to.
 */
declared_rows: number, 
/**
 * Every column of the header row, in file order.
 */
columns: Array<PreviewColumn>, 
/**
 * The first data rows, cells in the same order as `columns`.
 */
rows: Array<PreviewRow>, };

export type PreviewColumn = { 
/**
 * The header as the file writes it.
 */
header: string, 
/**
 * The field it fills (the template's name), or None when the column is not imported.
 */
field: string | null, };

export type PreviewRow = { number: number, cells: Array<string>, };

/**
 * The outcome, as `--json` prints it.
 */
export type ImportSummary = { 
/**
 * Data rows read (blank rows are not counted).
 */
read: number, 
/**
 * New candidates.
 */
imported: number, 
/**
 * Known candidates whose profile changed, or who got a new application.
 */
updated: number, 
/**
 * Rows that changed nothing.
 */
unchanged: number, rejected: number, errors: Array<RowError>, 
/**
 * Rows imported into a plan whose 报考条件 check was not 符合: a warning for the reviewer, not a rejection.
 */
warnings: Array<EligibilityWarning>, 
/**
 * Imported rows worth a second look (a score sheet's experts far apart): listed, not rejected.
 */
flags: Array<RowError>, 
/**
 * Whether anything was written (false for a dry run, or a strict import with rejections).
 */
committed: boolean, };

/**
 * One problem with one cell (or a whole row, when `column` names no single cell).
 */
export type RowError = { 
/**
 * The row number Excel shows.
 */
row: number, 
/**
 * The column's header as in the file.
 */
column: string, 
/**
 * The cell's value as the file holds it.
 */
value: string, 
/**
 * 中文说明, naming the fix.
 */
reason: string, };

export type Progress = { done: number, 
/**
 * The total so far (for an import, the rows the sheet declares: an estimate until the end).
 */
total: number, };

/**
 * A plan's exam arrangement.
 */
export type Arrangement = { plan_id: number, 
/**
 * 考点地址.
 */
venue: string, rooms: number, seats_per_room: number, 
/**
 * 理论知识.
 */
theory: Sitting, 
/**
 * 操作技能.
 */
practical: Sitting, 
/**
 * 综合评审 (二级/一级).
 */
review: Sitting | null, 
/**
 * How the seats were filled; the seed when that was at random.
 */
seat_rule: SeatRule, seat_seed: number | null, 
/**
 * The 考点's rooms the seats are in, room 1 first; empty: `rooms` numbered rooms of `seats_per_room` seats.
 */
named_rooms: Array<ArrangedRoom>, 
/**
 * Parts sat in rooms of their own (操作技能 in 实操 rooms), each with its rooms, room 1 first; the other parts
 * are sat in `named_rooms` (or the numbered rooms).
 */
own_rooms: Array<PartRooms>, };

/**
 * One sitting: a date with a start and an end time ("2026-12-28 09:00-10:30").
 */
export type Sitting = { start: string, end: string, };

/**
 * The order candidates take the seats in, room after room.
 */
export type SeatRule = "按准考证号" | "按证件号码" | "随机" | "同单位分开" | "同单位集中";

/**
 * A 考点's room as an arrangement took it: its name, kind and seats at the time (a later change to the 考点 does not
 * move anyone or reword a printed document).
 */
export type ArrangedRoom = { name: string, kind: RoomKind, capacity: number, 
/**
 * 实操 rooms: the workstations, taken in turn by groups of that many when the room seats more.
 */
workstations: number | null, };

/**
 * A part sat in rooms of its own, and those rooms.
 */
export type PartRooms = { part: Part, rooms: Array<ArrangedRoom>, };

/**
 * A room (from 1) and a seat in it (from 1).
 */
export type RoomSeat = { room: number, seat: number, };

/**
 * What the operator gives to arrange a plan's exam.
 */
export type ArrangeRequest = { 
/**
 * 考点地址 (with `site`: blank for the 考点's name and address).
 */
venue: string, 
/**
 * Without `site`: this many numbered rooms of `seats_per_room` seats.
 */
rooms: number, seats_per_room: number, 
/**
 * A 考点 of the 考务基础数据: the seats are in its rooms named in `site_rooms` (all of them when none is named),
 * in that order, each holding its own capacity.
 */
site: string | null, site_rooms: Array<string>, 
/**
 * Rooms of the `site` where the 操作技能 / 综合评审 is sat when not in `site_rooms` (实操 rooms, the panel's
 * room); none named: that part is sat in the seats above.
 */
practical_rooms: Array<string>, review_rooms: Array<string>, 
/**
 * "2026-12-28 09:00-10:30".
 */
theory: string, practical: string, 
/**
 * 综合评审, required for 二级/一级 and refused for other levels.
 */
review: string | null, 
/**
 * The order seats are filled in (today's, by 准考证号, when not given).
 */
seat_rule: SeatRule, 
/**
 * For [`SeatRule::Random`]: the seed to draw with (a recorded one repeats its chart); a new one when not given.
 */
seat_seed: number | null, };

export type ArrangeOutcome = { arrangement: Arrangement, seats: Array<SeatView>, 
/**
 * Applications filed (申请通过 → 已提交申报) by this arrangement.
 */
filed: number, 
/**
 * Already filed applications whose room or seat changed.
 */
moved: number, };

/**
 * One candidate's seat, as lists and tickets show it.
 */
export type SeatView = { ticket_number: string, name: string, id_number: string, room: number, 
/**
 * The room as documents name it ("机房一", "第01考场").
 */
room_label: string, seat: number, 
/**
 * Where the candidate sits each part, when a part is sat in rooms of its own ("301 05号；操作技能 实操室一 03号");
 * else the room and seat above.
 */
places: string, };

/**
 * One arranged candidate's marks, as `scores list` shows them, with every correction made to them.
 */
export type ScoreRow = { application_id: number, ticket_number: string, name: string, id_number: string, status: ApplicationStatus, marks: Marks, 
/**
 * None while a required mark is missing.
 */
passed: boolean | null, 
/**
 * Oldest first; the first of a part holds its original mark.
 */
corrections: Array<Correction>, 
/**
 * A 补考's parts kept from the earlier exam (not marked in this plan); empty for a 新考.
 */
carried: Array<Part>, };

/**
 * The marks of one application.
 */
export type Marks = { 
/**
 * 理论知识.
 */
theory: string | null, 
/**
 * 操作技能.
 */
practical: string | null, 
/**
 * 综合评审 (二级/一级).
 */
review: string | null, };

/**
 * What publishing did: the results are on notice for `notice`'s days.
 */
export type PublishOutcome = { published: number, passed: number, notice: NoticePeriod, };

/**
 * The days a plan's results are on notice, both ends included ("2026-12-01 至 2026-12-07").
 */
export type NoticePeriod = { opens_on: string, ends_on: string, };

/**
 * A plan's results notice as the desk shows it.
 */
export type NoticeView = { period: NoticePeriod, 
/**
 * Still on notice today (corrections allowed); false: the results are final and certificates may be issued.
 */
open: boolean, };

/**
 * A part of the assessment, each marked on its own.
 */
export type Part = "theory" | "practical" | "review";

/**
 * One correction of a mark: the mark before it and after it, why, who and when. The first of a part holds the
 * original mark.
 */
export type Correction = { part: Part, old: string | null, new: string | null, reason: string, actor: string, at: string, };

/**
 * A correction of one mark (a 查分 request found it wrong).
 */
export type CorrectionRequest = { plan_id: number, 
/**
 * The candidate's 准考证号 or 证件号码.
 */
candidate: string, part: Part, 
/**
 * The corrected mark as typed: "85.5", "缺考".
 */
mark: string, reason: string, };

/**
 * What issuing did.
 */
export type IssueOutcome = { 
/**
 * The certificates issued now.
 */
issued: Array<Certificate>, 
/**
 * Candidates who passed and had their certificate already (issued by an earlier run).
 */
already: number, 
/**
 * Candidates who passed but whose fee is 待支付 or 缓缴: their certificate waits until it is paid.
 */
waiting: Array<AwaitingPayment>, };

/**
 * A candidate who passed and gets their certificate once the fee is paid.
 */
export type AwaitingPayment = { name: string, id_number: string, payment: PaymentStatus, };

/**
 * 证书状态.
 */
export type CertificateState = "有效" | "已作废";

/**
 * What is reported.
 */
export type ReportKind = "results" | "certificates";

/**
 * The counts of one group of applications.
 */
export type Figures = { 
/**
 * 报名人次.
 */
applied: number, 
/**
 * 参考人次 (published results that sat at least one part).
 */
sat: number, 
/**
 * 缺考人次 (published results that sat no part).
 */
absent: number, 
/**
 * 合格人次.
 */
passed: number, 
/**
 * 获证人次 (valid certificates).
 */
certified: number, 
/**
 * 合格率 in percent, one decimal (None with nobody sat).
 */
pass_rate: number | null, };

/**
 * One line of a breakdown: an occupation, a level, a month or a 考生来源, and its figures.
 */
export type Breakdown = { label: string, figures: Figures, };

/**
 * A year's statistics.
 */
export type YearStatistics = { year: number, 
/**
 * How many plans had their exam in the year.
 */
plans: number, total: Figures, by_occupation: Array<Breakdown>, by_level: Array<Breakdown>, 
/**
 * "1月" … "12月", every month of the year (empty months too, so a chart shows the year).
 */
by_month: Array<Breakdown>, by_source: Array<Breakdown>, };

/**
 * Where a plan's results report to the provincial 职业技能等级认定监管系统 stands: 未上报 until the operator sends it,
 * 已上报 while the city reviews it, 退回 when sent back to be fixed, 已通过 once accepted.
 */
export type ReportState = "未上报" | "已上报" | "退回" | "已通过";

/**
 * A plan's results report: where it stands, its deadline in working days and what is due next.
 */
export type ReportStatus = { plan_id: number, state: ReportState, 
/**
 * As last recorded (None: 未上报).
 */
record: ResultReport | null, 
/**
 * The last day to send it: the agency's working days after the exam, or after a return the days to fix it;
 * None once it is sent.
 */
due_on: string | null, 
/**
 * Working days from today to `due_on`; negative once overdue.
 */
working_days_left: number | null, 
/**
 * The year of `due_on` when the holiday list has nothing for it (weekends alone were counted).
 */
unlisted_year: number | null, 
/**
 * What is due next, as a sentence for the 工作台.
 */
next: string, };

/**
 * A plan's report as last recorded.
 */
export type ResultReport = { plan_id: number, state: ReportState, 
/**
 * When it was (last) sent.
 */
reported_on: string, returned_on: string | null, returned_reason: string | null, accepted_on: string | null, updated_by: string, updated_at: string, };

/**
 * What the operator records of the report: sent on a date (again after a return), sent back with the city's reason,
 * or accepted.
 */
export type ReportMark = { state: ReportState, on: string, reason: string | null, };

/**
 * What to print.
 */
export type PrintRequest = { kind: DocumentKind, plan_id: number, 
/**
 * Only these candidates; every eligible one of the plan when empty.
 */
id_numbers: Array<string>, 
/**
 * 套打: only the values, placed by the agency's template and its printer's shift and scale, for pre-printed
 * certificate stock.
 */
overlay_only: boolean, };

/**
 * Which document.
 */
export type DocumentKind = "ApplicationForm" | "Ticket" | "Certificate";

/**
 * Which 考务 document.
 */
export type RoomDocument = "SeatingChart" | "DoorSign" | "DeskLabels" | "SignInSheet" | "RoomRecord" | "OrganizationBook";

export type PrintOutcome = { documents: number, pages: number, bytes: number, 
/**
 * Candidates whose document was not printed, and why (a character no font has).
 */
left_out: Array<LeftOut>, };

/**
 * A candidate a batch printed without.
 */
export type LeftOut = { name: string, id_number: string, reason: string, };

/**
 * One entry of the 职业目录.
 */
export type Occupation = { 
/**
 * 职业编码 as the 大典 writes it (6-31-01-03).
 */
code: string, 
/**
 * 职业名称.
 */
name: string, 
/**
 * Whether it came from the agency's import rather than the bundled list.
 */
imported: boolean, };

/**
 * A 考点 with its rooms.
 */
export type Site = { id: number, name: string, address: string, 
/**
 * 租用 (a leased venue) rather than the agency's own.
 */
leased: boolean, rooms: Array<Room>, };

export type Room = { id: number, site_id: number, name: string, kind: RoomKind, capacity: number, workstations: number | null, };

/**
 * What a room is for.
 */
export type RoomKind = "笔试" | "机考" | "实操" | "综合评审";

/**
 * A member of exam staff as stored.
 */
export type Staff = { id: number, name: string, id_type: IdType, id_number: string, role: StaffRole, phone: string, employer: string | null, grade: ExaminerGrade | null, certificate_number: string | null, valid_until: string | null, occupations: Array<string>, };

/**
 * What a person does at an exam.
 */
export type StaffRole = "考评员" | "督导员" | "监考";

/**
 * An examiner's grade, as their certificate says.
 */
export type ExaminerGrade = "考评员" | "高级考评员";

/**
 * What an import of 考务基础数据 found and did, per sheet kind.
 */
export type VenueImport = { sites: Counts, rooms: Counts, staff: Counts, 
/**
 * Each bad cell, its column named with the sheet (考场/容纳人数).
 */
errors: Array<RowError>, 
/**
 * False when any row was bad (nothing is written then) or for a dry run.
 */
committed: boolean, };

export type Counts = { read: number, added: number, updated: number, unchanged: number, };

/**
 * A 考点 as typed.
 */
export type SiteDraft = { name: string, address: string, 
/**
 * 自有 / 租用 (or 是/否 for 租用); empty: own.
 */
ownership: string, };

/**
 * A room of a 考点 as typed.
 */
export type RoomDraft = { 
/**
 * The 考点 it belongs to, by name.
 */
site: string, name: string, kind: string, capacity: string, 
/**
 * 实操 rooms: how many workstations; empty for the other kinds.
 */
workstations: string, };

/**
 * A member of exam staff as typed.
 */
export type StaffDraft = { name: string, 
/**
 * 居民身份证 when empty.
 */
id_type: string, id_number: string, role: string, phone: string, employer: string, 
/**
 * 考评员 / 高级考评员; examiners only (the role 高级考评员 says it too).
 */
grade: string, 
/**
 * The examiner (or 督导员) certificate's number.
 */
certificate_number: string, 
/**
 * Its 有效期至.
 */
valid_until: string, 
/**
 * 可考评职业: names separated by 、 , ; or spaces.
 */
occupations: string, };

/**
 * A plan's staffing: every place of its arrangement, and every rule its staffing breaks now.
 */
export type Staffing = { plan_id: number, places: Array<Place>, violations: Array<Violation>, };

/**
 * One room's sitting of one part, and who serves it.
 */
export type Place = { room: number, part: Part, 
/**
 * "第01考场 理论知识", "考点 理论知识".
 */
label: string, 
/**
 * "2026-12-28 09:00-10:30".
 */
when: string, staff: Array<Serving>, };

/**
 * One person where they serve.
 */
export type Serving = { staff_id: number, name: string, role: StaffRole, 
/**
 * 高级考评员 or 考评员, for examiners.
 */
grade: string | null, override_reason: string | null, };

/**
 * One broken rule: which, where and why.
 */
export type Violation = { rule: StaffRule, 
/**
 * "第01考场 理论知识" or "2026-12-28".
 */
place: string, detail: string, };

/**
 * Which rule an assignment breaks.
 */
export type StaffRule = "CertificateValid" | "CoversOccupation" | "SeniorPanel" | "NotFourInARow" | "DeclaredConflict" | "SupervisorPresent";

/**
 * Who is to serve one room's sitting.
 */
export type AssignRequest = { plan_id: number, 
/**
 * 0: the 考点 as a whole (its 督导员).
 */
room: number, part: Part, 
/**
 * Names or 证件号码 of people on the 考务人员 list; empty: nobody serves there any more.
 */
staff: Array<string>, 
/**
 * Why a broken rule is overridden; refused without one when a rule is broken.
 */
reason: string | null, };

export type OverlayTemplate = { placements: Array<Placement>, };

/**
 * One field's place: `size` is the text's pt, or the box's width in mm (`height` for the photo).
 */
export type Placement = { field: OverlayField, x: number, y: number, size: number, height: number, };

/**
 * A value the certificate prints.
 */
export type OverlayField = "Name" | "IdType" | "IdNumber" | "Occupation" | "Job" | "Level" | "Number" | "IssuedOn" | "Photo" | "Qr";

/**
 * One setting as `settings show` lists it.
 */
export type SettingView = { key: string, label: string, 
/**
 * The value in force (set, or the default); None when it must still be set.
 */
value: string | null, 
/**
 * Whether the value is the default (nothing set yet).
 */
is_default: boolean, };

/**
 * What a sync did, both ways.
 */
export type SyncOutcome = { pulled: ApplyReport, pushed: ApplyReport, rounds: number, };

/**
 * What applying a batch did.
 */
export type ApplyReport = { 
/**
 * Records that changed something.
 */
applied: number, 
/**
 * Records already as they are here.
 */
unchanged: number, 
/**
 * Records the ownership rules kept out, each with why (in Chinese, for the sync log).
 */
ignored: Array<string>, };

/**
 * What 设置 shows about backups.
 */
export type BackupStatus = { 
/**
 * The newest backup beside the database, if any.
 */
last: BackupInfo | null, 
/**
 * The folder they are in.
 */
dir: string, };

/**
 * Where the open database is.
 */
export type DatabaseInfo = { 
/**
 * The file's path, or the server's address without its password.
 */
shown: string, on_server: boolean, 
/**
 * The server chosen in 设置 → 数据库 (its fields, for the form).
 */
server: ServerSettings | null, 
/**
 * This computer's own database file.
 */
local_path: string, 
/**
 * Why the chosen server was not used at start, if so.
 */
notice: string | null, };

/**
 * How the desktop connects to an agency's PostgreSQL server.
 */
export type ServerSettings = { host: string, port: number, database: string, user: string, 
/**
 * Refuse a server that does not offer TLS (else TLS is used whenever the server offers it).
 */
require_tls: boolean, };

/**
 * What a check of a server found.
 */
export type ServerCheck = { 
/**
 * postgres://user@host:port/database, without the password.
 */
address: string, 
/**
 * The SkillCert schema version there; None for an empty database (it is set up when first used).
 */
schema_version: number | null, };

/**
 * What choosing a server did.
 */
export type ServerChosen = { info: DatabaseInfo, 
/**
 * The tables copied from this computer's database, with their counts (empty when nothing was copied).
 */
copied: Array<TableCount>, 
/**
 * Whether the password is in the keychain for the next start (else it is asked again then).
 */
password_kept: boolean, };

/**
 * How many rows of one table were copied, checked against the source.
 */
export type TableCount = { table: string, rows: number, };

/**
 * What 设置 → 数据安全 and `skillcert key status` show.
 */
export type SecurityStatus = { encryption: EncryptionStatus, 
/**
 * When and by whom this key's recovery code was exported ("2026-11-26 10:05:09 王老师（wang）"), if it was.
 */
recovery_exported: string | null, };

/**
 * Whether a database is encrypted, with which key, or why not. Shown in 设置 → 数据安全 and by `skillcert key`.
 */
export type EncryptionStatus = { encrypted: boolean, 
/**
 * The fingerprint of the key that opened it.
 */
key_fingerprint: string | null, 
/**
 * Why a database stays plain (no keychain, in use by another program, …).
 */
plain_reason: string | null, };

/**
 * What the sign-in screen and the header need.
 */
export type AuthStatus = { 
/**
 * Whether the database has operator accounts (then every command needs a signed-in operator).
 */
accounts: boolean, 
/**
 * The signed-in operator: "姓名（登录名）" and role.
 */
operator: string | null, role: Role | null, 
/**
 * Minutes without activity before the app locks.
 */
idle_minutes: number, };

export type Role = "管理员" | "审核员" | "考务员";

/**
 * An operator as lists show them (never the password hash).
 */
export type Operator = { id: number, login: string, name: string, role: Role, active: boolean, created_at: string, updated_at: string, };

/**
 * What an administrator fills in to add an operator.
 */
export type OperatorDraft = { login: string, name: string, 
/**
 * 管理员 / 审核员 / 考务员.
 */
role: string, password: string, };

/**
 * A backup file and what it holds.
 */
export type BackupInfo = { path: string, bytes: number, 
/**
 * When it was made, Asia/Shanghai, "2026-11-26 14:05:09".
 */
made_at: string, reason: BackupReason, };

export type BackupReason = "手动" | "升级前" | "批量操作前" | "每日" | "恢复前";
