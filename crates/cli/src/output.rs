//! What the CLI prints: aligned tables for people, one JSON document with `--json`.

use std::path::Path;

use serde::Serialize;
use serde_json::json;
use skillcert_core::Error;
use skillcert_core::LATEST_VERSION;
use skillcert_core::backup::{BackupInfo, RestoreOutcome, TableCount};
use skillcert_core::domain::eligibility::{Condition, Evaluation, path_label};
use skillcert_core::domain::occupation::Occupation;
use skillcert_core::domain::score::{Mark, Part};
use skillcert_core::domain::text::stamp_for_people;
use skillcert_core::error::Fix;
use skillcert_core::import::ImportSummary;
use skillcert_core::ops::applications::BatchOutcome;
use skillcert_core::ops::arrangement::ArrangeOutcome;
use skillcert_core::ops::certificates::IssueOutcome;
use skillcert_core::ops::eligibility::ReviewQueue;
use skillcert_core::ops::encryption::SecurityStatus;
use skillcert_core::ops::photos::{PhotoImportReport, PhotoOutcome};
use skillcert_core::ops::plans::PlanSummary;
use skillcert_core::ops::reporting::ReportStatus;
use skillcert_core::ops::scores::{NoticeView, PublishOutcome, ScoreRow};
use skillcert_core::ops::settings::SettingView;
use skillcert_core::ops::staffing::Staffing;
use skillcert_core::ops::statistics::{self, YearStatistics};
use skillcert_core::ops::venues::VenueImport;
use skillcert_core::print::PrintOutcome;
use skillcert_core::rows::{Account, Application, AuditEntry, Candidate, Certificate, Operator, Plan, Site, Staff};

/// println! that ends the program quietly when stdout is closed (`skillcert … | head`), instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

/// What the CLI's reader can do about an error, as the command to run.
fn hint(fix: &Fix) -> String {
    match fix {
        Fix::UploadPhoto => "先上传这些考生的照片：skillcert photo set --id-number 证件号码 照片文件，\
                             或 skillcert photo import 照片文件夹或.zip"
            .into(),
        Fix::AllowPhotoFix => "加上 --fix 自动缩小、压缩（保留原图）".into(),
        Fix::ArrangeFirst => "先编排考试：skillcert arrange --plan 计划编号 …（见 skillcert arrange --help）".into(),
        Fix::RecordPayment => "先登记缴费：skillcert pay --plan 计划编号 --id-number 证件号码；\
                               或不要求缴费：skillcert settings set payment.required false"
            .into(),
        Fix::SetSetting { key, label } => format!("填写{label}：skillcert settings set {key} 值（或在设置页面填写）"),
        Fix::GiveReviewTime => "加上 --review \"日期 开始-结束\"".into(),
        Fix::DropReviewTime => "去掉 --review".into(),
        Fix::ConnectPortal => {
            "连接门户：skillcert portal connect --url 门户网址（令牌从标准输入读入，存入系统钥匙串），\
                               或只在本次设置环境变量 SKILLCERT_PORTAL_TOKEN"
                .into()
        }
        Fix::KeychainUnavailable => {
            "只在本次使用：设置环境变量 SKILLCERT_PORTAL_TOKEN（门户令牌）或 SKILLCERT_DB_KEY（数据库恢复码）".into()
        }
        Fix::EnterRecoveryCode => {
            "skillcert key add（从标准输入读入恢复码或导出的恢复码文件），或设置环境变量 SKILLCERT_DB_KEY".into()
        }
        Fix::CreateDatabase { path } => format!("先创建数据库：skillcert --db {path} init"),
    }
}

pub struct Output {
    pub json: bool,
}

type Result = skillcert_core::Result<()>;

impl Output {
    fn print_json(&self, value: &impl Serialize) -> Result {
        let text = serde_json::to_string_pretty(value).map_err(|e| Error::Io(e.into()))?;
        say!("{text}");
        Ok(())
    }

    pub fn error(&self, e: &Error) {
        let hint = e.fix().map(hint);
        if self.json {
            let doc = json!({ "error": { "code": e.code(), "message": e.to_string(), "fix": e.fix(), "hint": hint } });
            say!("{doc}");
        }
        eprintln!("错误：{e}");
        if let Some(hint) = hint {
            eprintln!("怎么办：{hint}");
        }
    }

    pub fn init(&self, db: &str, version: i64, security: &SecurityStatus) -> Result {
        if self.json {
            return self.print_json(&json!({ "db": db, "schema_version": version, "security": security }));
        }
        say!("数据库已就绪：{db}（结构版本 {version}）");
        self.security(security)
    }

    /// The new plan's id alone on stdout, so scripts can capture it.
    pub fn plan_added(&self, plan: &Plan) -> Result {
        if self.json {
            return self.print_json(plan);
        }
        say!("{}", plan.id);
        Ok(())
    }

    pub fn plans(&self, plans: &[PlanSummary]) -> Result {
        if self.json {
            return self.print_json(&plans);
        }
        let rows = plans
            .iter()
            .map(|s| {
                let p = &s.plan;
                vec![
                    p.id.to_string(),
                    p.title(),
                    p.level.to_string(),
                    format!("{}~{}", p.reg_start, p.reg_end),
                    p.exam_date.to_string(),
                    p.code.clone(),
                    p.plan_no.clone(),
                    s.registration.label().to_string(),
                    s.counts.iter().map(|c| c.count).sum::<i64>().to_string(),
                ]
            })
            .collect();
        print_table(
            &[
                "编号",
                "职业(工种/职业方向)",
                "等级",
                "报名起止时间",
                "计划考试日期",
                "报名识别码",
                "计划号",
                "报名",
                "报名人数",
            ],
            rows,
        );
        Ok(())
    }

    pub fn plan(&self, s: &PlanSummary) -> Result {
        if self.json {
            return self.print_json(s);
        }
        let p = &s.plan;
        let fee = if p.fee_fen > 0 { format!("{}.{:02} 元", p.fee_fen / 100, p.fee_fen % 100) } else { "无".into() };
        let lines = [
            ("编号", p.id.to_string()),
            ("职业", p.occupation.clone()),
            ("职业编码", p.occupation_code.clone().unwrap_or_else(|| "--".into())),
            ("工种/职业方向", p.job.clone().unwrap_or_else(|| "--".into())),
            ("认定级别", p.level.to_string()),
            ("报名起止时间", format!("{}~{}", p.reg_start, p.reg_end)),
            ("计划考试日期", p.exam_date.to_string()),
            ("报名识别码", p.code.clone()),
            ("计划号", p.plan_no.clone()),
            ("报名费", fee),
            ("计划人数", p.capacity.map(|c| c.to_string()).unwrap_or_else(|| "不限".into())),
            ("发布机构", p.publisher.clone()),
            ("公告日期", p.announced_on.to_string()),
            ("报名状态", s.registration.label().to_string()),
            ("报考条件", p.conditions.clone()),
            ("报名须知", p.notice.clone()),
        ];
        for (k, v) in lines {
            say!("{k}：{v}");
        }
        let counts: Vec<String> = s.counts.iter().map(|c| format!("{} {}", c.status, c.count)).collect();
        say!("报名情况：{}", counts.join("，"));
        Ok(())
    }

    pub fn candidate(&self, c: &Candidate) -> Result {
        if self.json {
            return self.print_json(c);
        }
        let p = &c.profile;
        say!("{}（{} {}）已保存", p.name, p.id_type, p.id_number);
        Ok(())
    }

    pub fn candidates(&self, list: &[Candidate]) -> Result {
        if self.json {
            return self.print_json(&list);
        }
        let rows = list
            .iter()
            .map(|Candidate { profile: p, .. }| {
                vec![
                    p.name.clone(),
                    p.sex.map(|s| s.label().to_string()).unwrap_or_default(),
                    p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                    p.id_type.to_string(),
                    p.id_number.clone(),
                    p.phone.clone(),
                ]
            })
            .collect();
        print_table(&["姓名", "性别", "出生日期", "证件类型", "证件号码", "手机号码"], rows);
        Ok(())
    }

    pub fn application(&self, a: &Application, check: Option<&Evaluation>) -> Result {
        if self.json {
            // The application's own fields stay at the top, as scripts read them; the check rides beside them.
            let mut doc = serde_json::to_value(a).map_err(|e| Error::Io(e.into()))?;
            if let Some(check) = check {
                doc["eligibility"] = serde_json::to_value(check).map_err(|e| Error::Io(e.into()))?;
            }
            return self.print_json(&doc);
        }
        say!("{}（{}）报名计划 {}：{}，{}", a.name, a.id_number, a.plan_id, a.status, a.payment);
        if let Some(check) = check {
            say!("报考条件核验：{}（仅供审核参考）", check.summary);
        }
        Ok(())
    }

    pub fn operator(&self, o: &Operator) -> Result {
        if self.json {
            return self.print_json(o);
        }
        let state = if o.active { "在用" } else { "已停用" };
        say!("操作员 {}（{}）：{}，{state}", o.name, o.login, o.role.label());
        Ok(())
    }

    pub fn operators(&self, list: &[Operator]) -> Result {
        if self.json {
            return self.print_json(&list);
        }
        let rows = list.iter().map(|o| {
            let state = if o.active { "在用" } else { "已停用" };
            vec![o.login.clone(), o.name.clone(), o.role.label().to_string(), state.to_string()]
        });
        print_table(&["登录名", "姓名", "角色", "状态"], rows.collect());
        Ok(())
    }

    pub fn password_changed(&self, login: &str) -> Result {
        if self.json {
            return self.print_json(&json!({ "login": login, "changed": true }));
        }
        say!("已修改 {login} 的密码");
        Ok(())
    }

    /// A record of the 考务基础数据 removed.
    pub fn removed(&self, what: &str) -> Result {
        if self.json {
            return self.print_json(&json!({ "removed": what }));
        }
        say!("已删除{what}");
        Ok(())
    }

    pub fn backup(&self, b: &BackupInfo) -> Result {
        if self.json {
            return self.print_json(b);
        }
        say!("已备份到 {}（{}，已通过完整性检查）", b.path, size(b.bytes));
        Ok(())
    }

    pub fn copied(&self, target: &str, counts: &[TableCount]) -> Result {
        if self.json {
            return self.print_json(&json!({ "target": target, "tables": counts }));
        }
        let rows: i64 = counts.iter().map(|c| c.rows).sum();
        say!("已复制到 {target}：{} 张表共 {rows} 行，每张表的行数都已核对；本数据库保持不变", counts.len());
        print_table(&["表", "行数"], counts.iter().map(|c| vec![c.table.clone(), c.rows.to_string()]).collect());
        Ok(())
    }

    pub fn backups(&self, list: &[BackupInfo]) -> Result {
        if self.json {
            return self.print_json(&list);
        }
        let rows =
            list.iter().map(|b| vec![b.made_at.clone(), b.reason.label().to_string(), size(b.bytes), b.path.clone()]);
        print_table(&["时间", "原因", "大小", "文件"], rows.collect());
        Ok(())
    }

    pub fn security(&self, s: &SecurityStatus) -> Result {
        if self.json {
            return self.print_json(s);
        }
        match (&s.encryption.key_fingerprint, &s.recovery_exported) {
            (Some(fingerprint), Some(when)) => say!("数据库已加密（密钥指纹 {fingerprint}）；恢复码已于 {when} 导出"),
            (Some(fingerprint), None) => say!(
                "数据库已加密（密钥指纹 {fingerprint}）；恢复码尚未导出：请管理员运行 skillcert key export -o 文件 \
                 并把恢复码打印保管"
            ),
            (None, _) => say!("数据库未加密：{}", s.encryption.plain_reason.as_deref().unwrap_or("未知原因")),
        }
        Ok(())
    }

    pub fn recovery_written(&self, path: &Path, s: &SecurityStatus) -> Result {
        if self.json {
            return self.print_json(&json!({ "file": path, "security": s }));
        }
        say!("恢复码已写入 {}：请打印或抄写后妥善保管，再删除这个文件", path.display());
        self.security(s)
    }

    pub fn key_added(&self, fingerprint: &str) -> Result {
        if self.json {
            return self.print_json(&json!({ "key_fingerprint": fingerprint }));
        }
        say!("已把恢复码（密钥指纹 {fingerprint}）存入本机钥匙串：用它加密的数据库和备份现在可以打开");
        Ok(())
    }

    pub fn restored(&self, r: &RestoreOutcome) -> Result {
        if self.json {
            return self.print_json(r);
        }
        let upgrade = if r.schema_version < LATEST_VERSION { "，下次打开时自动升级到最新" } else { "" };
        say!("已从备份恢复数据库（数据库版本 {}{upgrade}）", r.schema_version);
        if let Some(kept) = &r.kept {
            say!("被替换的数据库已保存为 {}", kept.path);
        }
        Ok(())
    }

    pub fn rules(&self, plan: &Plan) -> Result {
        if self.json {
            return self.print_json(&json!({ "plan_id": plan.id, "rules": plan.eligibility, "text": plan.conditions }));
        }
        match &plan.eligibility {
            None => say!("计划 {} 没有报考条件规则（审核时不做核验）。报考条件：{}", plan.id, plan.conditions),
            Some(rules) => {
                say!("计划 {} 的报考条件规则（* 为需人工核对）：", plan.id);
                for (i, path) in rules.paths.iter().enumerate() {
                    say!("{}：", path_label(i));
                    for c in &path.conditions {
                        let mark = if matches!(c, Condition::Manual { .. }) { "*" } else { " " };
                        say!("  {mark} {}", c.text());
                    }
                }
            }
        }
        Ok(())
    }

    pub fn review_queue(&self, queue: &ReviewQueue) -> Result {
        if self.json {
            return self.print_json(queue);
        }
        if !queue.has_rules {
            say!("此计划没有报考条件规则，待处理 {} 条，未做核验（用 plan rules --preset 设置）", queue.matching);
            return Ok(());
        }
        let c = &queue.counts;
        say!(
            "待处理 {} 条：符合 {}，不符合 {}，需人工核对 {}",
            queue.matching,
            c.eligible,
            c.not_eligible,
            c.needs_review
        );
        let rows = queue.rows.iter().map(|r| {
            let (verdict, summary) = match &r.eligibility {
                Some(e) => (e.verdict.label().to_string(), e.summary.clone()),
                None => (String::new(), String::new()),
            };
            vec![r.row.application.name.clone(), r.row.application.id_number.clone(), verdict, summary]
        });
        print_table(&["姓名", "证件号码", "核验", "说明"], rows.collect());
        Ok(())
    }

    pub fn applications(&self, list: &[Application]) -> Result {
        if self.json {
            return self.print_json(&list);
        }
        print_table(&["姓名", "证件号码", "状态", "支付状态", "不通过原因"], application_rows(list));
        Ok(())
    }

    pub fn review(&self, outcome: &BatchOutcome) -> Result {
        if self.json {
            return self.print_json(outcome);
        }
        say!("已处理 {} 条报名", outcome.changed.len());
        if !outcome.skipped.is_empty() {
            say!("{} 条不是“符合”，仍为待处理，请逐一审核：", outcome.skipped.len());
            let rows = outcome.skipped.iter().map(|s| vec![s.name.clone(), s.id_number.clone(), s.summary.clone()]);
            print_table(&["姓名", "证件号码", "核验"], rows.collect());
        }
        if !outcome.changed.is_empty() {
            print_table(&["姓名", "证件号码", "状态", "支付状态", "不通过原因"], application_rows(&outcome.changed));
        }
        Ok(())
    }

    pub fn audit(&self, entries: &[AuditEntry]) -> Result {
        if self.json {
            return self.print_json(&entries);
        }
        let rows = entries
            .iter()
            .map(|e| {
                vec![
                    e.at.clone(),
                    e.actor.clone(),
                    e.action.clone(),
                    e.id_number.clone().unwrap_or_default(),
                    e.from_value.clone().unwrap_or_default(),
                    e.to_value.clone().unwrap_or_default(),
                    e.detail.clone().unwrap_or_default(),
                ]
            })
            .collect();
        print_table(&["时间", "操作人", "操作", "证件号码", "原值", "新值", "说明"], rows);
        Ok(())
    }
}

impl Output {
    pub fn import(&self, s: &ImportSummary, report: Option<&Path>) -> Result {
        if self.json {
            let mut doc = serde_json::to_value(s).map_err(|e| Error::Io(e.into()))?;
            if let Some(report) = report {
                doc["report"] = json!(report);
            }
            return self.print_json(&doc);
        }
        let verb = if s.committed {
            "已导入"
        } else {
            "未写入数据库（试运行或 --strict 下有被拒绝的行）"
        };
        say!(
            "读取 {} 行：新增 {}，更新 {}，未变 {}，拒绝 {}。{verb}",
            s.read,
            s.imported,
            s.updated,
            s.unchanged,
            s.rejected
        );
        if !s.errors.is_empty() {
            let rows = s
                .errors
                .iter()
                .map(|e| vec![e.row.to_string(), e.column.clone(), e.value.clone(), e.reason.clone()])
                .collect();
            print_table(&["行号", "列", "内容", "原因"], rows);
        }
        if !s.flags.is_empty() {
            say!("请复核（已导入）：");
            let rows = s.flags.iter().map(|f| vec![f.row.to_string(), f.column.clone(), f.reason.clone()]).collect();
            print_table(&["行号", "列", "提醒"], rows);
        }
        if !s.warnings.is_empty() {
            say!("报考条件核验：{} 人不是“符合”（已导入，仅提醒审核时注意）", s.warnings.len());
            let rows = s
                .warnings
                .iter()
                .map(|w| vec![w.row.to_string(), w.name.clone(), w.verdict.label().to_string(), w.summary.clone()])
                .collect();
            print_table(&["行号", "姓名", "核验", "说明"], rows);
        }
        if let Some(report) = report {
            say!("错误报告：{}（改正其中标红的单元格后可直接再次导入）", report.display());
        }
        Ok(())
    }

    pub fn venue_import(&self, v: &VenueImport) -> Result {
        if self.json {
            return self.print_json(v);
        }
        for (what, c) in [("考点", &v.sites), ("考场", &v.rooms), ("考务人员", &v.staff)] {
            say!("{what}：读取 {}，新增 {}，更新 {}，未变 {}", c.read, c.added, c.updated, c.unchanged);
        }
        if !v.errors.is_empty() {
            say!("有 {} 处错误，未写入任何数据：请按下表改正后重新导入", v.errors.len());
            let rows =
                v.errors.iter().map(|e| vec![e.row.to_string(), e.column.clone(), e.value.clone(), e.reason.clone()]);
            print_table(&["行号", "工作表/列", "内容", "原因"], rows.collect());
        } else if !v.committed {
            say!("试运行：未写入数据库");
        }
        Ok(())
    }

    pub fn sites(&self, sites: &[Site]) -> Result {
        if self.json {
            return self.print_json(&sites);
        }
        let rows = sites
            .iter()
            .flat_map(|s| {
                let ownership = if s.leased { "租用" } else { "自有" };
                let head = vec![s.name.clone(), ownership.to_string(), s.address.clone(), String::new(), String::new()];
                std::iter::once(head).chain(s.rooms.iter().map(|r| {
                    let size = match r.workstations {
                        Some(w) => format!("{} 人 / {w} 工位", r.capacity),
                        None => format!("{} 人", r.capacity),
                    };
                    vec![String::new(), String::new(), r.name.clone(), r.kind.label().to_string(), size]
                }))
            })
            .collect();
        print_table(&["考点", "场地", "地址 / 考场", "类型", "容量"], rows);
        Ok(())
    }

    pub fn staff(&self, staff: &[Staff]) -> Result {
        if self.json {
            return self.print_json(&staff);
        }
        let rows = staff
            .iter()
            .map(|Staff { person: p, .. }| {
                vec![
                    p.name.clone(),
                    p.grade.map(|g| g.label()).unwrap_or(p.role.label()).to_string(),
                    p.id_number.clone(),
                    p.phone.clone(),
                    p.certificate_number.clone().unwrap_or_default(),
                    p.valid_until.map(|d| d.to_string()).unwrap_or_default(),
                    p.occupations.join("、"),
                ]
            })
            .collect();
        print_table(&["姓名", "类别", "证件号码", "手机号码", "证书编号", "有效期至", "可考评职业"], rows);
        Ok(())
    }

    pub fn staffing(&self, staffing: &Staffing) -> Result {
        if self.json {
            return self.print_json(staffing);
        }
        let rows = staffing
            .places
            .iter()
            .map(|p| {
                let staff: Vec<String> = p
                    .staff
                    .iter()
                    .map(|s| {
                        let what = s.grade.as_deref().unwrap_or(s.role.label());
                        let overridden =
                            s.override_reason.as_deref().map(|r| format!("，理由：{r}")).unwrap_or_default();
                        format!("{}（{what}{overridden}）", s.name)
                    })
                    .collect();
                vec![p.label.clone(), p.when.clone(), staff.join("、")]
            })
            .collect();
        print_table(&["考场", "时间", "考务人员"], rows);
        if staffing.violations.is_empty() {
            say!("各项指派规则均已满足");
        } else {
            say!("违反规则 {} 项：", staffing.violations.len());
            for v in &staffing.violations {
                say!("  {}", v.describe());
            }
        }
        Ok(())
    }

    pub fn written(&self, path: &Path, rows: Option<usize>) -> Result {
        if self.json {
            return self.print_json(&json!({ "file": path, "rows": rows }));
        }
        match rows {
            Some(n) => say!("已写入 {}（{n} 行）", path.display()),
            None => say!("已写入 {}", path.display()),
        }
        Ok(())
    }

    pub fn account(&self, a: &Account) -> Result {
        if self.json {
            return self.print_json(a);
        }
        say!(
            "{}（账号 {}）已恢复默认密码：{}，首次登录须修改",
            a.name,
            a.login,
            a.default_password.as_deref().unwrap_or("")
        );
        Ok(())
    }

    pub fn accounts(&self, list: &[Account]) -> Result {
        if self.json {
            return self.print_json(&list);
        }
        let rows = list
            .iter()
            .map(|a| {
                vec![
                    a.name.clone(),
                    a.login.clone(),
                    a.default_password.clone().unwrap_or_else(|| "（已自行设置）".into()),
                    if a.must_change_password { "是" } else { "否" }.into(),
                ]
            })
            .collect();
        print_table(&["姓名", "账号", "默认密码", "须修改密码"], rows);
        Ok(())
    }
}

impl Output {
    pub fn setting(&self, s: &SettingView) -> Result {
        if self.json {
            return self.print_json(s);
        }
        say!("{}（{}）= {}", s.key, s.label, s.value.as_deref().unwrap_or(""));
        Ok(())
    }

    pub fn occupations(&self, list: &[Occupation]) -> Result {
        if self.json {
            return self.print_json(&list);
        }
        let rows = list
            .iter()
            .map(|o| {
                let from = if o.imported { "本机构导入" } else { "内置" };
                vec![o.code.clone(), o.name.clone(), from.to_string()]
            })
            .collect();
        print_table(&["职业编码", "职业名称", "来源"], rows);
        Ok(())
    }

    pub fn settings(&self, list: &[SettingView]) -> Result {
        if self.json {
            return self.print_json(&list);
        }
        let rows = list
            .iter()
            .map(|s| {
                let value = match (&s.value, s.is_default) {
                    (None, _) => "（未设置）".to_string(),
                    (Some(v), true) => format!("{}（默认）", v.replace('\n', " ")),
                    (Some(v), false) => v.replace('\n', " "),
                };
                vec![s.key.to_string(), s.label.to_string(), value]
            })
            .collect();
        print_table(&["设置项", "说明", "值"], rows);
        Ok(())
    }

    pub fn arrangement(&self, a: &ArrangeOutcome) -> Result {
        if self.json {
            return self.print_json(a);
        }
        let arr = &a.arrangement;
        say!("考点：{}", arr.venue);
        say!("理论知识：{}；操作技能：{}", arr.theory.label(), arr.practical.label());
        if let Some(review) = &arr.review {
            say!("综合评审：{}", review.label());
        }
        match arr.seat_seed {
            Some(seed) => say!("排座：{}（种子 {seed}，用 --seed {seed} 可重现同一座次）", arr.seat_rule.label()),
            None => say!("排座：{}", arr.seat_rule.label()),
        }
        for own in &arr.own_rooms {
            let rooms: Vec<&str> = own.rooms.iter().map(|r| r.name.as_str()).collect();
            say!("{}考场：{}", own.part.label(), rooms.join("、"));
        }
        say!("编排 {} 人：新提交申报 {}，调整座位 {}", a.seats.len(), a.filed, a.moved);
        // A part in rooms of its own: each candidate's places in one column, as the ticket lists them.
        let rows = a
            .seats
            .iter()
            .map(|s| {
                let mut row = vec![s.ticket_number.clone(), s.name.clone(), s.id_number.clone()];
                match arr.own_rooms.is_empty() {
                    true => row.extend([s.room_label.clone(), format!("{:02}", s.seat)]),
                    false => row.push(s.places.clone()),
                }
                row
            })
            .collect();
        match arr.own_rooms.is_empty() {
            true => print_table(&["准考证号", "姓名", "证件号码", "考场", "座位号"], rows),
            false => print_table(&["准考证号", "姓名", "证件号码", "考场、座位"], rows),
        }
        Ok(())
    }
}

impl Output {
    pub fn printed(&self, path: &Path, o: &PrintOutcome) -> Result {
        if self.json {
            return self.print_json(&json!({
                "file": path, "documents": o.documents, "pages": o.pages, "bytes": o.bytes, "left_out": o.left_out
            }));
        }
        say!("已生成 {}：{} 份，{} 页，{} KB", path.display(), o.documents, o.pages, o.bytes.div_ceil(1024));
        if !o.left_out.is_empty() {
            say!("以下 {} 位考生未打印：", o.left_out.len());
            for l in &o.left_out {
                say!("  {}（{}）：{}", l.name, l.id_number, l.reason);
            }
        }
        Ok(())
    }

    pub fn portal_connected(&self, url: &str) -> Result {
        if self.json {
            return self.print_json(&json!({ "portal": url, "token": "keychain" }));
        }
        say!("已连接门户 {url}：令牌已存入系统钥匙串，以后运行 skillcert sync 即可");
        Ok(())
    }

    pub fn synced(&self, o: &skillcert_core::sync::client::SyncOutcome) -> Result {
        if self.json {
            return self.print_json(o);
        }
        say!(
            "同步完成：取回 {} 项（无变化 {}），送出 {} 项（无变化 {}），共 {} 轮",
            o.pulled.applied,
            o.pulled.unchanged,
            o.pushed.applied,
            o.pushed.unchanged,
            o.rounds
        );
        for why in o.pulled.ignored.iter().chain(&o.pushed.ignored) {
            say!("未采用：{why}");
        }
        Ok(())
    }

    pub fn photo(&self, p: &PhotoOutcome) -> Result {
        if self.json {
            return self.print_json(p);
        }
        let how = match (p.fixed, p.turned) {
            (true, _) => "（已自动缩小压缩，原图已保留）",
            (false, true) => "（已按拍摄方向转正，原图已保留）",
            _ => "",
        };
        say!("{}（{}）的照片已保存：{}×{}，{} KB{how}", p.name, p.id_number, p.width, p.height, p.bytes.div_ceil(1024));
        Ok(())
    }

    pub fn photo_import(&self, r: &PhotoImportReport) -> Result {
        if self.json {
            return self.print_json(r);
        }
        let fixed = r.imported.iter().filter(|p| p.fixed).count();
        say!(
            "已保存 {} 张照片（其中自动调整 {fixed} 张），未匹配到考生 {} 个文件，拒绝 {} 个文件",
            r.imported.len(),
            r.unmatched.len(),
            r.rejected.len()
        );
        let mut rows: Vec<Vec<String>> =
            r.unmatched.iter().map(|f| vec![f.clone(), "文件名不是任何考生的证件号码".into()]).collect();
        rows.extend(r.rejected.iter().map(|x| vec![x.file.clone(), x.reason.clone()]));
        if !rows.is_empty() {
            print_table(&["文件", "原因"], rows);
        }
        Ok(())
    }

    pub fn published(&self, p: &PublishOutcome) -> Result {
        if self.json {
            return self.print_json(p);
        }
        say!(
            "已发布 {} 人的成绩公示，合格 {} 人；公示期 {}，公示期满后颁发证书（公示期内成绩可更正）",
            p.published,
            p.passed,
            p.notice.label()
        );
        Ok(())
    }

    pub fn corrected(&self, row: &ScoreRow) -> Result {
        if self.json {
            return self.print_json(row);
        }
        let Some(c) = row.corrections.last() else { return Ok(()) };
        let mark = |m: Option<Mark>| m.map(|m| m.label()).unwrap_or_else(|| "未登记".into());
        say!(
            "已更正 {}（{}）的{}：{} → {}（原因：{}）；结果：{}",
            row.name,
            row.ticket_number,
            c.part.label(),
            mark(c.old),
            mark(c.new),
            c.reason,
            result_label(row.passed)
        );
        Ok(())
    }

    pub fn scores(&self, list: &[ScoreRow], notice: Option<&NoticeView>) -> Result {
        if self.json {
            return self.print_json(&list);
        }
        if let Some(n) = notice {
            let state = if n.open { "公示中，成绩可更正" } else { "已结束，成绩已确定" };
            say!("成绩公示期 {}（{state}）", n.period.label());
        }
        let rows = list
            .iter()
            .map(|r| {
                // A 补考's kept part shows its mark as kept.
                let mark = |part: Part| {
                    let text = r.marks.get(part).map(|m| m.label()).unwrap_or_default();
                    if r.carried.contains(&part) { format!("{text}（沿用）") } else { text }
                };
                vec![
                    r.ticket_number.clone(),
                    r.name.clone(),
                    r.id_number.clone(),
                    mark(Part::Theory),
                    mark(Part::Practical),
                    mark(Part::Review),
                    result_label(r.passed).into(),
                    r.status.to_string(),
                ]
            })
            .collect();
        print_table(&["准考证号", "姓名", "证件号码", "理论知识", "操作技能", "综合评审", "结果", "状态"], rows);
        let corrections: Vec<Vec<String>> = list
            .iter()
            .flat_map(|r| {
                r.corrections.iter().map(|c| {
                    let mark = |m: Option<Mark>| m.map(|m| m.label()).unwrap_or_else(|| "未登记".into());
                    vec![
                        r.ticket_number.clone(),
                        r.name.clone(),
                        c.part.label().into(),
                        mark(c.old),
                        mark(c.new),
                        c.reason.clone(),
                        c.actor.clone(),
                        stamp_for_people(&c.at),
                    ]
                })
            })
            .collect();
        if !corrections.is_empty() {
            say!("\n成绩更正记录：");
            print_table(&["准考证号", "姓名", "科目", "原成绩", "更正为", "原因", "更正人", "时间"], corrections);
        }
        Ok(())
    }

    pub fn statistics(&self, stats: &YearStatistics) -> Result {
        if self.json {
            return self.print_json(stats);
        }
        say!("{}（认定计划 {} 个）", statistics::title(stats), stats.plans);
        let headers: Vec<&str> = std::iter::once("分类").chain(statistics::COLUMNS).collect();
        let line = |label: &str, f: &statistics::Figures| std::iter::once(label.to_string()).chain(f.cells()).collect();
        print_table(&headers, vec![line("全年", &stats.total)]);
        for (title, lines) in stats.sections() {
            say!("\n{title}");
            print_table(&headers, lines.iter().map(|b| line(&b.label, &b.figures)).collect());
        }
        Ok(())
    }

    pub fn report_status(&self, status: &ReportStatus) -> Result {
        if self.json {
            return self.print_json(status);
        }
        say!("成绩上报：{}", status.state);
        if let Some(r) = &status.record {
            say!("上报日期：{}", r.reported_on);
            if let (Some(on), Some(reason)) = (r.returned_on, &r.returned_reason) {
                say!("退回：{on}，{reason}");
            }
            if let Some(on) = r.accepted_on {
                say!("通过：{on}");
            }
        }
        if let Some(due) = status.due_on {
            say!("截止日期：{due}");
        }
        if !status.next.is_empty() {
            say!("下一步：{}", status.next);
        }
        if let Some(year) = status.unlisted_year {
            say!("注意：节假日设置中还没有 {year} 年的安排，截止日期只按周末计算；请在设置中补充（results.calendar）");
        }
        Ok(())
    }

    pub fn issued(&self, outcome: &IssueOutcome) -> Result {
        if self.json {
            return self.print_json(outcome);
        }
        let already = if outcome.already > 0 {
            format!("（另有 {} 人此前已获发）", outcome.already)
        } else {
            String::new()
        };
        say!("已颁发证书 {} 本{already}", outcome.issued.len());
        if !outcome.waiting.is_empty() {
            let names: Vec<String> =
                outcome.waiting.iter().map(|w| format!("{}（{}，{}）", w.name, w.id_number, w.payment)).collect();
            say!("{} 人成绩合格但尚未缴费，缴费后再颁发：{}", names.len(), names.join("、"));
        }
        self.certificates(&outcome.issued)
    }

    pub fn certificates(&self, list: &[Certificate]) -> Result {
        if self.json {
            return self.print_json(&list);
        }
        let rows = list
            .iter()
            .map(|c| {
                vec![
                    c.number.clone(),
                    c.issued_on.to_string(),
                    c.agency_name.clone(),
                    c.name.clone(),
                    c.id_number.clone(),
                    c.occupation.clone(),
                    c.job.clone().unwrap_or_else(|| "--".into()),
                    c.level.clone(),
                    match (&c.revoked_on, &c.revoked_reason) {
                        (Some(on), Some(why)) => format!("{}（{on}：{why}）", c.state.label()),
                        _ => c.state.label().into(),
                    },
                    c.print_serial.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let headers = [
            "证书编号",
            "发证日期",
            "发证机构",
            "姓名",
            "证件号码",
            "职业",
            "工种/职业方向",
            "等级",
            "状态",
            "印制流水码",
        ];
        print_table(&headers, rows);
        Ok(())
    }
}

fn result_label(passed: Option<bool>) -> &'static str {
    match passed {
        Some(true) => "合格",
        Some(false) => "不合格",
        None => "未登记完",
    }
}

fn application_rows(list: &[Application]) -> Vec<Vec<String>> {
    list.iter()
        .map(|a| {
            vec![
                a.name.clone(),
                a.id_number.clone(),
                a.status.to_string(),
                a.payment.to_string(),
                a.reject_reason.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

/// Display width: CJK and full-width characters take two columns in a terminal.
fn width(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

fn print_table(headers: &[&str], rows: Vec<Vec<String>>) {
    if rows.is_empty() {
        say!("（无记录）");
        return;
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - width(c)))).collect();
        say!("{}", padded.join("  ").trim_end());
    };
    line(headers.to_vec());
    for row in &rows {
        line(row.iter().map(String::as_str).collect());
    }
    say!("共{}条记录", rows.len());
}

/// "1.2 MB", "350 KB".
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
