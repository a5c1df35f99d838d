//! Occupations: the 职业目录 a plan's 职业 and 职业编码 are chosen from (a bundled list of the occupations agencies
//! commonly assess, extended by the agency's own import), and the agency's filed scope (备案范围: which 职业, 工种
//! and 等级 it may assess), outside which no plan is published.

use std::sync::LazyLock;

use serde::Serialize;
use ts_rs::TS;

use super::level::Level;
use super::plan::{code_as_typed, occupation_code};
use super::text::to_half_width;
use crate::error::{Error, Result};

/// One entry of the 职业目录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Occupation {
    /// 职业编码 as the 大典 writes it (6-31-01-03).
    pub code: String,
    /// 职业名称.
    pub name: String,
    /// Whether it came from the agency's import rather than the bundled list.
    pub imported: bool,
}

/// The bundled list: `职业编码,职业名称` lines under `#` notes and a header.
const BUNDLED_CSV: &str = include_str!("../../../../assets/occupations/occupations.csv");

static BUNDLED: LazyLock<Vec<Occupation>> = LazyLock::new(|| {
    BUNDLED_CSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("职业编码"))
        .filter_map(|l| l.split_once(','))
        .map(|(code, name)| Occupation { code: code.into(), name: name.into(), imported: false })
        .collect()
});

/// The 职业目录 in force: the agency's imported entries, then the bundled ones their codes and names do not replace.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Occupation>,
}

/// A name as people type it: no spaces, half-width.
fn name_key(name: &str) -> String {
    to_half_width(name).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The occupation part of a code (a 工种's fifth pair dropped).
fn occupation_part(code: &str) -> &str {
    code.get(..10).unwrap_or(code)
}

impl Catalog {
    pub fn new(imported: Vec<Occupation>) -> Self {
        let mut entries = imported;
        for bundled in BUNDLED.iter() {
            let replaced =
                entries.iter().any(|e| e.code == bundled.code || name_key(&e.name) == name_key(&bundled.name));
            if !replaced {
                entries.push(bundled.clone());
            }
        }
        entries.sort_by(|a, b| a.code.cmp(&b.code));
        Catalog { entries }
    }

    pub fn entries(&self) -> &[Occupation] {
        &self.entries
    }

    pub fn by_code(&self, code: &str) -> Option<&Occupation> {
        let code = occupation_part(code);
        self.entries.iter().find(|e| e.code == code)
    }

    pub fn by_name(&self, name: &str) -> Option<&Occupation> {
        let key = name_key(name);
        self.entries.iter().find(|e| name_key(&e.name) == key)
    }

    /// Entries whose name holds the query or whose code starts with it: the exact name first, then names that begin
    /// with it, then the rest, each in code order. An empty query lists everything.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Occupation> {
        let key = code_as_typed(&name_key(query));
        let rank = |e: &Occupation| {
            let name = name_key(&e.name);
            if key.is_empty() {
                Some(2)
            } else if name == key || e.code == key {
                Some(0)
            } else if name.starts_with(&key) || e.code.starts_with(&key) {
                Some(1)
            } else if name.contains(&key) {
                Some(2)
            } else {
                None
            }
        };
        let mut found: Vec<(u8, &Occupation)> = self.entries.iter().filter_map(|e| rank(e).map(|r| (r, e))).collect();
        found.sort_by_key(|(r, _)| *r);
        found.into_iter().take(limit).map(|(_, e)| e.clone()).collect()
    }

    /// A plan's 职业编码 against the 目录: filled in when left empty and the 职业 is listed; refused when the code is
    /// listed for another 职业 while this 职业 is listed under its own (a typo in one of them). A name or code the
    /// 目录 does not list is taken as given.
    pub fn settle_code(&self, occupation: &str, code: Option<String>) -> Result<Option<String>> {
        let named = self.by_name(occupation);
        let Some(code) = code else { return Ok(named.map(|e| e.code.clone())) };
        if let (Some(named), Some(coded)) = (named, self.by_code(&code))
            && named.code != coded.code
        {
            return Err(Error::invalid(
                "职业编码",
                format!(
                    "{code} 在职业目录中是“{}”，而“{occupation}”的编码是 {}：请核对职业名称和编码",
                    coded.name, named.code
                ),
            ));
        }
        Ok(Some(code))
    }
}

/// One line of the filed scope: an occupation (by code, name or both), optionally one 工种, and its levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeEntry {
    pub code: Option<String>,
    pub occupation: Option<String>,
    /// None: every 工种/职业方向 of the occupation.
    pub job: Option<String>,
    pub levels: Vec<Level>,
}

/// What a plan is, for the scope check.
pub struct PlanScope<'a> {
    pub occupation: &'a str,
    pub code: Option<&'a str>,
    pub job: Option<&'a str>,
    pub level: Level,
}

impl ScopeEntry {
    fn covers(&self, plan: &PlanScope) -> bool {
        let same_occupation = match (&self.code, plan.code) {
            (Some(mine), Some(theirs)) => occupation_part(mine) == occupation_part(theirs),
            _ => self.occupation.as_deref().is_some_and(|name| name_key(name) == name_key(plan.occupation)),
        };
        let same_job = match &self.job {
            None => true,
            Some(job) => plan.job.is_some_and(|j| name_key(j) == name_key(job)),
        };
        same_occupation && same_job && self.levels.contains(&plan.level)
    }

    fn describe(&self) -> String {
        let mut what = self.occupation.clone().or_else(|| self.code.clone()).unwrap_or_default();
        if let Some(job) = &self.job {
            what.push_str(&format!("（{job}）"));
        }
        let levels: Vec<&str> = self.levels.iter().map(|l| l.label().split('/').next().unwrap_or("")).collect();
        format!("{what} {}", levels.join("、"))
    }
}

/// The agency's 备案范围, one line per occupation: `6-31-01-03 电工 五级 四级 三级`, a range `五级-三级` (or 至, ~),
/// `工种：…` for one 工种 only; `#` starts a note. Empty: not entered, nothing is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiledScope {
    pub entries: Vec<ScopeEntry>,
}

const SCOPE_SETTING: &str = "agency.scope";

impl FiledScope {
    pub fn parse(text: &str) -> Result<Self> {
        let mut entries = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = |why: String| Error::invalid(SCOPE_SETTING, format!("第 {} 行“{line}”：{why}", index + 1));
            entries.push(parse_scope_line(line).map_err(bad)?);
        }
        let same = |a: &ScopeEntry, b: &ScopeEntry| {
            a.code == b.code
                && a.occupation.as_deref().map(name_key) == b.occupation.as_deref().map(name_key)
                && a.job == b.job
        };
        for (i, e) in entries.iter().enumerate() {
            if let Some(first) = entries[..i].iter().position(|earlier| same(earlier, e)) {
                return Err(Error::invalid(
                    SCOPE_SETTING,
                    format!("“{}”写了两行（第 {} 项和第 {} 项）：请合并为一行", e.describe(), first + 1, i + 1),
                ));
            }
        }
        Ok(FiledScope { entries })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Refuses a plan outside the scope, naming what is filed.
    pub fn check(&self, plan: &PlanScope) -> Result<()> {
        if self.is_empty() || self.entries.iter().any(|e| e.covers(plan)) {
            return Ok(());
        }
        let job = plan.job.map(|j| format!("（{j}）")).unwrap_or_default();
        let filed: Vec<String> = self.entries.iter().map(ScopeEntry::describe).collect();
        Err(Error::refused(format!(
            "“{}{job} {}”不在本机构备案的评价范围内（备案：{}）：请核对职业、工种和等级，或补充备案范围",
            plan.occupation,
            plan.level,
            filed.join("；")
        )))
    }
}

fn parse_scope_line(line: &str) -> std::result::Result<ScopeEntry, String> {
    let mut code = None;
    let mut job = None;
    let mut levels: Vec<Level> = Vec::new();
    let mut name_parts: Vec<&str> = Vec::new();
    let separators = |c: char| c.is_whitespace() || matches!(c, '、' | '，' | ',' | '；' | ';' | '\u{3000}');
    let mut tokens = line.split(separators).filter(|t| !t.is_empty()).peekable();
    while let Some(token) = tokens.next() {
        if let Some(rest) =
            ["工种：", "工种:", "职业方向：", "职业方向:"].iter().find_map(|prefix| token.strip_prefix(prefix))
        {
            let rest = if rest.is_empty() { tokens.next().unwrap_or("") } else { rest };
            if rest.is_empty() {
                return Err("“工种：”后面应写工种名称".into());
            }
            job = Some(rest.to_string());
        } else if let Some(range) = level_range(token) {
            for level in range? {
                if !levels.contains(&level) {
                    levels.push(level);
                }
            }
        } else if token.chars().next().is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
            && token.contains(['-', '－'])
        {
            code = Some(occupation_code(token).map_err(|e| e.to_string())?.unwrap_or_default());
        } else if let Ok(level) = Level::parse(token) {
            if !levels.contains(&level) {
                levels.push(level);
            }
        } else {
            name_parts.push(token);
        }
    }
    if code.is_none() && name_parts.is_empty() {
        return Err("应写职业编码或职业名称，如“6-31-01-03 电工 五级 四级 三级”".into());
    }
    if levels.is_empty() {
        return Err("没有写备案的等级，如“五级 四级 三级”或“五级-三级”".into());
    }
    let occupation = Some(name_parts.join(" ")).filter(|n| !n.is_empty());
    Ok(ScopeEntry { code, occupation, job, levels })
}

/// `五级-三级`, `五级至三级`, `5~3`: every level from one to the other; None when the token is no range.
fn level_range(token: &str) -> Option<std::result::Result<Vec<Level>, String>> {
    let (from, to) = token.split_once(['-', '~', '～', '至', '—', '－'])?;
    let (Ok(from), Ok(to)) = (Level::parse(from), Level::parse(to)) else { return None };
    let order = |l: Level| Level::ALL.iter().position(|x| *x == l).unwrap_or(0);
    if from == Level::Special || to == Level::Special {
        return Some(Err("专项能力没有等级范围，请单独写“专项”".into()));
    }
    let (low, high) = (order(from).min(order(to)), order(from).max(order(to)));
    Some(Ok(Level::ALL[low..=high].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_is_well_formed_and_unique() {
        assert!(BUNDLED.len() >= 30);
        for e in BUNDLED.iter() {
            assert_eq!(occupation_code(&e.code).unwrap().as_deref(), Some(e.code.as_str()), "{e:?}");
            assert!(!e.name.is_empty());
        }
        let catalog = Catalog::new(Vec::new());
        assert_eq!(catalog.entries().len(), BUNDLED.len(), "codes and names are unique");
        assert_eq!(catalog.by_name("电工").unwrap().code, "6-31-01-03");
    }

    #[test]
    fn search_puts_the_exact_name_first_and_reads_codes() {
        let catalog =
            Catalog::new(vec![Occupation {
                code: "6-31-01-04".into(), name: "电工仪表维修工".into(), imported: true
            }]);
        let found = catalog.search("电工", 10);
        assert_eq!(found[0].name, "电工");
        assert!(found.iter().any(|e| e.name == "电工仪表维修工"));
        assert_eq!(catalog.search("6-31-01", 10).len(), 3);
        assert_eq!(catalog.search("６－１８－０２", 10)[0].name, "焊工");
        assert!(catalog.search("保育", 10).iter().any(|e| e.code == "4-10-01-03"));
        assert!(catalog.search("没有这个职业", 10).is_empty());
    }

    #[test]
    fn an_import_replaces_the_bundled_entry_of_its_code_or_name() {
        let fixed = Occupation { code: "6-31-01-03".into(), name: "电工（新）".into(), imported: true };
        let catalog = Catalog::new(vec![fixed.clone()]);
        assert_eq!(catalog.by_code("6-31-01-03"), Some(&fixed));
        assert!(catalog.by_name("电工").is_none());
        let renumbered = Occupation { code: "6-99-99-99".into(), name: "焊工".into(), imported: true };
        let catalog = Catalog::new(vec![renumbered]);
        assert_eq!(catalog.by_name("焊工").unwrap().code, "6-99-99-99");
        assert!(catalog.by_code("6-18-02-04").is_none());
    }

    #[test]
    fn a_plan_code_is_filled_in_and_a_contradiction_refused() {
        let catalog = Catalog::new(Vec::new());
        assert_eq!(catalog.settle_code("电工", None).unwrap().as_deref(), Some("6-31-01-03"));
        assert_eq!(catalog.settle_code("维修电工", None).unwrap(), None);
        assert_eq!(
            catalog.settle_code("电工", Some("6-31-01-03-01".into())).unwrap().as_deref(),
            Some("6-31-01-03-01")
        );
        // A name the list lacks keeps its code; a code the list lacks is taken.
        assert!(catalog.settle_code("电工（维修）", Some("6-18-02-04".into())).is_ok());
        assert!(catalog.settle_code("电工", Some("6-31-99-99".into())).is_ok());
        let e = catalog.settle_code("电工", Some("6-18-02-04".into())).unwrap_err().to_string();
        assert!(e.contains("焊工") && e.contains("6-31-01-03"), "{e}");
    }

    fn plan<'a>(occupation: &'a str, code: Option<&'a str>, job: Option<&'a str>, level: Level) -> PlanScope<'a> {
        PlanScope { occupation, code, job, level }
    }

    #[test]
    fn the_filed_scope_reads_as_agencies_write_it() {
        let scope = FiledScope::parse(
            "# 2025 年备案\n6-31-01-03 电工 五级-三级\n焊工、五级/初级工、四级/中级工\n\n中式烹调师 工种：中式面点 四级\n养老护理员 5～1",
        )
        .unwrap();
        assert_eq!(scope.entries.len(), 4);
        assert_eq!(scope.entries[0].levels, vec![Level::Five, Level::Four, Level::Three]);
        assert_eq!(scope.entries[0].occupation.as_deref(), Some("电工"));
        assert_eq!(scope.entries[1].levels, vec![Level::Five, Level::Four]);
        assert_eq!(scope.entries[2].job.as_deref(), Some("中式面点"));
        assert_eq!(scope.entries[3].levels.len(), 5);

        assert!(scope.check(&plan("电工", Some("6-31-01-03"), None, Level::Three)).is_ok());
        // By code when both have one: a renamed occupation still matches.
        assert!(scope.check(&plan("电工（新）", Some("6-31-01-03"), None, Level::Four)).is_ok());
        assert!(scope.check(&plan("焊工", None, Some("电焊"), Level::Four)).is_ok());
        let e = scope.check(&plan("电工", Some("6-31-01-03"), None, Level::Two)).unwrap_err().to_string();
        assert!(e.contains("“电工 二级/技师”不在本机构备案的评价范围内") && e.contains("电工 五级、四级、三级"), "{e}");
        assert!(scope.check(&plan("中式烹调师", None, None, Level::Four)).is_err(), "only one 工种 was filed");
        assert!(scope.check(&plan("中式烹调师", None, Some("中式面点"), Level::Four)).is_ok());
        assert!(scope.check(&plan("茶艺师", None, None, Level::Five)).is_err());
        assert!(FiledScope::parse("").unwrap().check(&plan("茶艺师", None, None, Level::Five)).is_ok());
    }

    #[test]
    fn a_bad_scope_line_is_named() {
        let e = FiledScope::parse("电工 五级\n焊工").unwrap_err().to_string();
        assert!(e.contains("第 2 行") && e.contains("等级"), "{e}");
        let e = FiledScope::parse("6-31-1-3 电工 五级").unwrap_err().to_string();
        assert!(e.contains("第 1 行") && e.contains("6-31-01-03"), "{e}");
        assert!(FiledScope::parse("五级 四级").unwrap_err().to_string().contains("职业编码或职业名称"));
        assert!(FiledScope::parse("电工 五级\n电工 四级").unwrap_err().to_string().contains("合并"));
    }
}
