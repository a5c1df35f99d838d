//! 职业目录 and 备案范围: searching the occupations a plan is chosen from, importing the agency's own list, and the
//! check every published plan passes (its 职业编码 settled from the 目录, its 职业/工种/等级 inside the filed scope).

use std::collections::HashMap;
use std::path::Path;

use super::Session;
use crate::domain::occupation::{Catalog, Occupation, PlanScope};
use crate::domain::operator::Permission;
use crate::domain::plan::{ValidPlan, occupation_code};
use crate::domain::settings::Setting;
use crate::error::{Error, Fix, Result};
use crate::import::columns::{ColumnKind, find_header, recognise_among};
use crate::import::{ImportResult, ImportSummary, RowError};
use crate::spreadsheet::Workbook;
use crate::store::sql::Connection;
use crate::store::{Store, audit, occupations, settings};

/// How many entries a search returns at most (a dropdown's worth).
pub const SEARCH_LIMIT: usize = 50;

pub(crate) fn catalog(conn: &Connection) -> Result<Catalog> {
    Ok(Catalog::new(occupations::list(conn)?))
}

/// Occupations whose name holds `query` or whose code starts with it, the exact name first.
pub fn search_occupations(store: &Store, query: &str) -> Result<Vec<Occupation>> {
    Ok(catalog(store.conn())?.search(query, SEARCH_LIMIT))
}

/// The whole 目录 in force, in code order.
pub fn list_occupations(store: &Store) -> Result<Vec<Occupation>> {
    Ok(catalog(store.conn())?.entries().to_vec())
}

/// A plan about to be stored: its 职业编码 filled in from the 目录 (or a contradiction refused), and refused when
/// the agency's filed scope does not cover its 职业, 工种 and 等级.
pub(crate) fn settle_plan(conn: &Connection, plan: &mut ValidPlan) -> Result<()> {
    settle_code(conn, plan)?;
    check_scope(conn, plan)
}

/// The 职业编码 of a plan from the 目录: filled in when empty, a contradiction refused.
pub(crate) fn settle_code(conn: &Connection, plan: &mut ValidPlan) -> Result<()> {
    plan.occupation_code = catalog(conn)?.settle_code(&plan.occupation, plan.occupation_code.take())?;
    Ok(())
}

/// Refused when the filed scope does not cover the plan's 职业, 工种 and 等级.
pub(crate) fn check_scope(conn: &Connection, plan: &ValidPlan) -> Result<()> {
    let scope = settings::filed_scope(conn)?;
    let wanted = PlanScope {
        occupation: &plan.occupation,
        code: plan.occupation_code.as_deref(),
        job: plan.job.as_deref(),
        level: plan.level,
    };
    scope.check(&wanted).map_err(|e| {
        let setting = Setting::FiledScope;
        e.with_fix(Fix::SetSetting { key: setting.key().into(), label: setting.label().into() })
    })
}

/// The columns of a 职业目录 file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccupationColumn {
    Code,
    Name,
}

impl OccupationColumn {
    const ALL: [OccupationColumn; 2] = [OccupationColumn::Code, OccupationColumn::Name];

    fn aliases(self) -> &'static [&'static str] {
        match self {
            OccupationColumn::Code => &["职业编码", "职业代码", "职业编号", "编码", "代码", "大典编码"],
            OccupationColumn::Name => &["职业名称", "职业", "名称", "职业（工种）名称"],
        }
    }
}

impl ColumnKind for OccupationColumn {
    fn recognise(header: &str) -> Option<Self> {
        recognise_among(header, &OccupationColumn::ALL, OccupationColumn::aliases)
    }

    fn label(self) -> &'static str {
        self.aliases()[0]
    }

    fn is_key(self) -> bool {
        true
    }

    fn required() -> &'static [Self] {
        &OccupationColumn::ALL
    }

    fn keeps_digits(self) -> bool {
        false
    }
}

/// 导入职业目录: a sheet of 职业编码 and 职业名称 (the full 大典, a province's list, new occupations) added to the
/// 目录, replacing the entry of the same code. A bad row (a malformed code, no name, a code or name twice in the
/// file) is listed with the reason and nothing is imported: a reference list is taken whole or not at all.
pub fn import_occupations(
    store: &mut Store,
    session: &Session,
    path: &Path,
    dry_run: bool,
) -> Result<ImportResult<OccupationColumn>> {
    session.require(Permission::Settings)?;
    let mut workbook = Workbook::open(path)?;
    let mut found = None;
    for name in workbook.sheet_names().to_vec() {
        let sheet = workbook.read_sheet(path, &name)?;
        if let Some(map) = find_header::<OccupationColumn>(&sheet.rows)
            && OccupationColumn::ALL.iter().all(|c| map.index(*c).is_some())
        {
            found = Some((name, map, sheet.rows));
            break;
        }
    }
    let Some((sheet_name, map, rows)) = found else {
        return Err(Error::Unreadable("找不到职业目录的表头：表头应包含“职业编码”和“职业名称”两列".into()));
    };
    let mut summary = ImportSummary::default();
    let mut rejected_rows = Vec::new();
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut codes: HashMap<String, u32> = HashMap::new();
    let mut names: HashMap<String, u32> = HashMap::new();
    for row in rows.iter().filter(|r| r.number > map.header_row) {
        let cell = |column| map.index(column).map(|i| row.cell(i).display()).unwrap_or_default();
        let (code_text, name) = (cell(OccupationColumn::Code), cell(OccupationColumn::Name).trim().to_string());
        if code_text.trim().is_empty() && name.is_empty() {
            continue;
        }
        summary.read += 1;
        let error = |column: OccupationColumn, reason: String| RowError {
            row: row.number,
            column: map.header(column),
            value: cell(column),
            reason,
        };
        let mut errors = Vec::new();
        let code = match occupation_code(&code_text) {
            Ok(Some(code)) => Some(code),
            Ok(None) => {
                errors.push(error(OccupationColumn::Code, "不能为空，请填写大典编码，如 6-31-01-03".into()));
                None
            }
            Err(e) => {
                errors.push(error(OccupationColumn::Code, e.reason()));
                None
            }
        };
        if name.is_empty() {
            errors.push(error(OccupationColumn::Name, "不能为空，请填写职业名称".into()));
        } else if let Some(first) = names.insert(name.clone(), row.number) {
            errors.push(error(OccupationColumn::Name, format!("与第 {first} 行的职业名称重复")));
        }
        if let Some(code) = &code
            && let Some(first) = codes.insert(code.clone(), row.number)
        {
            errors.push(error(OccupationColumn::Code, format!("与第 {first} 行的职业编码重复")));
        }
        match code {
            Some(code) if errors.is_empty() => entries.push((code, name)),
            _ => {
                summary.rejected += 1;
                summary.errors.extend(errors);
                rejected_rows.push(row.clone());
            }
        }
    }
    if summary.read == 0 {
        return Err(Error::Unreadable(format!(
            "工作表“{sheet_name}”的表头下没有职业：请在表头下逐行填写职业编码和职业名称"
        )));
    }
    let now = session.now();
    summary.committed = store.write_if(|tx| {
        if summary.rejected > 0 {
            return Ok(false);
        }
        for (code, name) in &entries {
            match occupations::put(tx, code, name, &now)? {
                None => summary.imported += 1,
                Some(before) if before != *name => summary.updated += 1,
                Some(_) => summary.unchanged += 1,
            }
        }
        audit::append(
            tx,
            &audit::NewAuditEntry {
                actor: &session.operator,
                entity: "setting",
                entity_id: 0,
                action: "导入职业目录",
                detail: Some(&format!(
                    "{}：新增 {}，更新 {}，未变 {}",
                    path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                    summary.imported,
                    summary.updated,
                    summary.unchanged
                )),
                ..Default::default()
            },
            &now,
        )?;
        Ok(!dry_run)
    })?;
    Ok(ImportResult { summary, sheet_name, columns: map, rejected_rows })
}
