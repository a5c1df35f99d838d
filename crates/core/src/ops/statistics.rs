//! 年度统计: 报名/参考/缺考/合格/获证 人次 and 合格率 of the plans whose exam falls in a year, in total and by
//! occupation, level, month and 考生来源 — the figures a 年度工作总结 needs — and their summary as .xlsx or PDF.
//!
//! 报名人次 counts every application; 参考, 缺考 and 合格 count published results only (marks before publication may
//! still change): 参考 sat at least one part, 缺考 sat none, 合格 passed every part the level requires. 合格率 is
//! 合格 / 参考. 获证人次 counts valid certificates.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use serde::Serialize;
use ts_rs::TS;

use super::Session;
use crate::domain::level::Level;
use crate::domain::score::Mark;
use crate::domain::settings::Setting;
use crate::domain::status::ApplicationStatus;
use crate::error::{Error, Result};
use crate::spreadsheet::write_failed;
use crate::store::figures::{self, OutcomeGroup, Scope};
use crate::store::{Store, plans, settings};

/// The counts of one group of applications.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
pub struct Figures {
    /// 报名人次.
    pub applied: i64,
    /// 参考人次 (published results that sat at least one part).
    pub sat: i64,
    /// 缺考人次 (published results that sat no part).
    pub absent: i64,
    /// 合格人次.
    pub passed: i64,
    /// 获证人次 (valid certificates).
    pub certified: i64,
    /// 合格率 in percent, one decimal (None with nobody sat).
    pub pass_rate: Option<f64>,
}

impl Figures {
    fn add(&mut self, group: &OutcomeGroup, level: Level) {
        self.applied += group.count;
        if group.certified {
            self.certified += group.count;
        }
        if group.status != ApplicationStatus::ScoresPublished {
            return;
        }
        let marks = [group.marks.theory, group.marks.practical, group.marks.review];
        let entered = marks.iter().flatten().count();
        if marks.iter().flatten().any(|m| *m != Mark::Absent) {
            self.sat += group.count;
            if group.marks.passed(level) == Some(true) {
                self.passed += group.count;
            }
        } else if entered > 0 {
            self.absent += group.count;
        }
    }

    fn rate(mut self) -> Self {
        self.pass_rate = (self.sat > 0).then(|| (self.passed as f64 * 1000.0 / self.sat as f64).round() / 10.0);
        self
    }

    /// "85.3%", or "--" with nobody sat.
    pub fn rate_label(&self) -> String {
        self.pass_rate.map_or_else(|| "--".into(), |r| format!("{r:.1}%"))
    }
}

/// One line of a breakdown: an occupation, a level, a month or a 考生来源, and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Breakdown {
    pub label: String,
    pub figures: Figures,
}

/// A year's statistics.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct YearStatistics {
    pub year: i32,
    /// How many plans had their exam in the year.
    pub plans: usize,
    pub total: Figures,
    pub by_occupation: Vec<Breakdown>,
    pub by_level: Vec<Breakdown>,
    /// "1月" … "12月", every month of the year (empty months too, so a chart shows the year).
    pub by_month: Vec<Breakdown>,
    pub by_source: Vec<Breakdown>,
}

impl YearStatistics {
    /// The breakdowns with their titles, in the order the summary lists them.
    pub fn sections(&self) -> [(&'static str, &[Breakdown]); 4] {
        [
            ("按职业（工种）", &self.by_occupation),
            ("按等级", &self.by_level),
            ("按月份（计划考试日期）", &self.by_month),
            ("按考生来源", &self.by_source),
        ]
    }
}

/// The columns of every breakdown table, after its label.
pub const COLUMNS: [&str; 6] = ["报名人次", "参考人次", "缺考人次", "合格人次", "合格率", "获证人次"];

impl Figures {
    /// The cells under [`COLUMNS`].
    pub fn cells(&self) -> [String; 6] {
        [
            self.applied.to_string(),
            self.sat.to_string(),
            self.absent.to_string(),
            self.passed.to_string(),
            self.rate_label(),
            self.certified.to_string(),
        ]
    }
}

/// The statistics of the plans whose 计划考试日期 lies in `year`.
pub fn year_statistics(store: &Store, session: &Session, year: i32) -> Result<YearStatistics> {
    session.require_staff()?;
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(Error::invalid("年份", format!("“{year}”不是有效的年份")));
    };
    let conn = store.conn();
    let groups = figures::outcomes(conn, Scope::Exams(from, to))?;
    let plans: HashMap<i64, plans::Plan> = plans::list(conn)?
        .into_iter()
        .filter(|p| p.exam_date >= from && p.exam_date <= to)
        .map(|p| (p.id, p))
        .collect();
    let mut total = Figures::default();
    let mut by_occupation: BTreeMap<String, Figures> = BTreeMap::new();
    let mut by_level: BTreeMap<u8, (Level, Figures)> = BTreeMap::new();
    let mut by_month = [Figures::default(); 12];
    let mut by_source: BTreeMap<String, Figures> = BTreeMap::new();
    for group in &groups {
        let Some(plan) = plans.get(&group.plan_id) else { continue };
        total.add(group, plan.level);
        let occupation = match &plan.job {
            Some(job) => format!("{}（{job}）", plan.occupation),
            None => plan.occupation.clone(),
        };
        by_occupation.entry(occupation).or_default().add(group, plan.level);
        by_level.entry(level_order(plan.level)).or_insert((plan.level, Figures::default())).1.add(group, plan.level);
        by_month[plan.exam_date.month0() as usize].add(group, plan.level);
        let source = group.source.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "未填写".into());
        by_source.entry(source).or_default().add(group, plan.level);
    }
    let lines = |map: BTreeMap<String, Figures>| -> Vec<Breakdown> {
        let mut lines: Vec<Breakdown> =
            map.into_iter().map(|(label, figures)| Breakdown { label, figures: figures.rate() }).collect();
        // The largest first: what a summary reads first.
        lines.sort_by(|a, b| b.figures.applied.cmp(&a.figures.applied).then_with(|| a.label.cmp(&b.label)));
        lines
    };
    Ok(YearStatistics {
        year,
        plans: plans.len(),
        total: total.rate(),
        by_occupation: lines(by_occupation),
        by_level: by_level
            .into_values()
            .map(|(level, figures)| Breakdown { label: level.label().into(), figures: figures.rate() })
            .collect(),
        by_month: by_month
            .iter()
            .enumerate()
            .map(|(month, figures)| Breakdown { label: format!("{}月", month + 1), figures: figures.rate() })
            .collect(),
        by_source: lines(by_source),
    })
}

/// One plan's figures (the 工作台's pass rate).
pub(crate) fn plan_figures(store: &Store, plan: &plans::Plan) -> Result<Figures> {
    let mut figures = Figures::default();
    for group in figures::outcomes(store.conn(), Scope::Plan(plan.id))? {
        figures.add(&group, plan.level);
    }
    Ok(figures.rate())
}

/// 五级 first, 一级 and then 专项 last.
fn level_order(level: Level) -> u8 {
    level.digit().map_or(0, |d| 10 - d)
}

/// Writes the year's summary as .xlsx or .pdf, by the file's name; returns the statistics written.
pub fn export_statistics(store: &Store, session: &Session, year: i32, path: &Path) -> Result<YearStatistics> {
    let stats = year_statistics(store, session, year)?;
    let agency = settings::get(store.conn(), Setting::AgencyName)?.unwrap_or_default();
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("xlsx") => write_xlsx(&stats, &agency, path)?,
        Some("pdf") => crate::print::print_statistics(&stats, &agency, path).map(|_| ())?,
        _ => return Err(Error::invalid("文件名", "年度统计应保存为 .xlsx 或 .pdf 文件")),
    }
    Ok(stats)
}

/// The summary's title: "2026 年度职业技能等级认定工作统计".
pub fn title(stats: &YearStatistics) -> String {
    format!("{} 年度职业技能等级认定工作统计", stats.year)
}

fn write_xlsx(stats: &YearStatistics, agency: &str, path: &Path) -> Result<()> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let failed = write_failed;
    sheet.set_name("年度统计").map_err(failed)?;
    let bold = Format::new().set_bold();
    let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin);
    sheet.write_string_with_format(0, 0, title(stats), &Format::new().set_bold().set_font_size(14)).map_err(failed)?;
    let subtitle = format!("{agency}　认定计划 {} 个", stats.plans);
    sheet.write_string(1, 0, subtitle.trim()).map_err(failed)?;
    let mut row = 3u32;
    let mut table = |title: &str, label: &str, lines: &[(String, Figures)], row: &mut u32| -> Result<()> {
        sheet.write_string_with_format(*row, 0, title, &bold).map_err(failed)?;
        *row += 1;
        sheet.write_string_with_format(*row, 0, label, &head).map_err(failed)?;
        for (col, name) in COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(*row, col as u16 + 1, *name, &head).map_err(failed)?;
        }
        for (label, figures) in lines {
            *row += 1;
            sheet.write_string_with_format(*row, 0, label, &cell).map_err(failed)?;
            let numbers = [figures.applied, figures.sat, figures.absent, figures.passed];
            for (col, n) in numbers.iter().enumerate() {
                sheet.write_number_with_format(*row, col as u16 + 1, *n as f64, &cell).map_err(failed)?;
            }
            sheet.write_string_with_format(*row, 5, figures.rate_label(), &cell).map_err(failed)?;
            sheet.write_number_with_format(*row, 6, figures.certified as f64, &cell).map_err(failed)?;
        }
        *row += 2;
        Ok(())
    };
    table("总计", "项目", &[("全年".into(), stats.total)], &mut row)?;
    for (title, lines) in stats.sections() {
        let lines: Vec<(String, Figures)> = lines.iter().map(|b| (b.label.clone(), b.figures)).collect();
        table(title, "分类", &lines, &mut row)?;
    }
    sheet.set_column_width(0, 30).map_err(failed)?;
    sheet.set_column_range_width(1, 6, 11).map_err(failed)?;
    book.save(path).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::score::Marks;

    fn group(status: ApplicationStatus, marks: [Option<Mark>; 3], certified: bool, count: i64) -> OutcomeGroup {
        OutcomeGroup {
            plan_id: 1,
            source: None,
            status,
            marks: Marks { theory: marks[0], practical: marks[1], review: marks[2] },
            certified,
            count,
        }
    }

    #[test]
    fn absent_is_neither_sat_nor_failed_and_the_rate_is_of_those_who_sat() {
        use ApplicationStatus::*;
        let (pass, fail, absent) = (Some(Mark::Score(600)), Some(Mark::Score(0)), Some(Mark::Absent));
        let mut f = Figures::default();
        let four = Level::parse("四级").unwrap();
        f.add(&group(ScoresPublished, [pass, pass, None], true, 7), four);
        f.add(&group(ScoresPublished, [pass, fail, None], false, 2), four);
        f.add(&group(ScoresPublished, [absent, pass, None], false, 1), four);
        f.add(&group(ScoresPublished, [absent, absent, None], false, 3), four);
        f.add(&group(Filed, [pass, pass, None], false, 5), four);
        f.add(&group(Rejected, [None, None, None], false, 4), four);
        let f = f.rate();
        assert_eq!((f.applied, f.sat, f.absent, f.passed, f.certified), (22, 10, 3, 7, 7));
        assert_eq!(f.pass_rate, Some(70.0));
        assert_eq!(f.rate_label(), "70.0%");
        assert_eq!(Figures::default().rate().rate_label(), "--");
        // 二级 needs the review panel: without its mark nobody has passed yet.
        let mut two = Figures::default();
        two.add(&group(ScoresPublished, [pass, pass, None], false, 1), Level::parse("二级").unwrap());
        assert_eq!((two.sat, two.passed), (1, 0));
    }
}
