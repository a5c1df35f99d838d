//! Exam marks: 0–100 with one decimal, or 缺考 (absent — not a zero), and who passes.

use serde::{Deserialize, Serialize, Serializer};
use ts_rs::TS;

use super::level::Level;
use crate::error::{Error, Result};

/// A part's pass mark, in tenths.
pub const PASS_MARK: u16 = 600;

/// One part's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Tenths of a point: 855 is 85.5.
    Score(u16),
    /// 缺考.
    Absent,
}

impl Mark {
    /// Parses what a score sheet holds: "85.5", "85", "缺考"; empty is "not entered" (None).
    pub fn parse(field: &'static str, text: &str) -> Result<Option<Mark>> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        if matches!(t, "缺考" | "缺" | "缺席" | "未参加" | "缺考（未参加）") {
            return Ok(Some(Mark::Absent));
        }
        let bad = || Error::invalid(field, format!("“{t}”应为 0 到 100 之间、最多一位小数的分数，缺考请填“缺考”"));
        let (whole, decimals) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !decimals.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let decimals = decimals.trim_end_matches('0');
        if decimals.len() > 1 || whole.len() > 3 {
            return Err(bad());
        }
        let tenths = whole.parse::<u16>().map_err(|_| bad())? * 10 + decimals.parse::<u16>().unwrap_or(0);
        if tenths > 1000 {
            return Err(bad());
        }
        Ok(Some(Mark::Score(tenths)))
    }

    /// A number cell: 85.5 stays 85.5; 85.55 has more than one decimal and is refused.
    pub fn from_number(field: &'static str, n: f64) -> Result<Mark> {
        let tenths = (n * 10.0).round();
        if !(0.0..=1000.0).contains(&tenths) || (n * 10.0 - tenths).abs() > 1e-6 {
            return Err(Error::invalid(field, format!("“{n}”应为 0 到 100 之间、最多一位小数的分数")));
        }
        Ok(Mark::Score(tenths as u16))
    }

    pub fn passes(self) -> bool {
        matches!(self, Mark::Score(t) if t >= PASS_MARK)
    }

    /// Stored as tenths, with -1 for 缺考.
    pub fn to_db(self) -> i64 {
        match self {
            Mark::Score(t) => i64::from(t),
            Mark::Absent => -1,
        }
    }

    pub fn from_db(value: i64) -> Option<Mark> {
        match value {
            -1 => Some(Mark::Absent),
            0..=1000 => Some(Mark::Score(value as u16)),
            _ => None,
        }
    }

    /// "85.5", "90", "缺考".
    pub fn label(self) -> String {
        match self {
            Mark::Score(t) if t % 10 == 0 => format!("{}", t / 10),
            Mark::Score(t) => format!("{}.{}", t / 10, t % 10),
            Mark::Absent => "缺考".into(),
        }
    }
}

impl Serialize for Mark {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

/// A part of the assessment, each marked on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// 理论知识.
    Theory,
    /// 操作技能.
    Practical,
    /// 综合评审 (二级/一级).
    Review,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Theory, Part::Practical, Part::Review];

    pub fn label(self) -> &'static str {
        match self {
            Part::Theory => "理论知识",
            Part::Practical => "操作技能",
            Part::Review => "综合评审",
        }
    }

    /// The stored name (the `scores` column).
    pub fn key(self) -> &'static str {
        match self {
            Part::Theory => "theory",
            Part::Practical => "practical",
            Part::Review => "review",
        }
    }

    /// "理论知识", "理论", "操作技能", "技能", "实操", "综合评审", "评审", or the stored name.
    pub fn parse(text: &str) -> Result<Part> {
        let t = text.trim();
        Part::ALL
            .into_iter()
            .find(|p| {
                p.key() == t
                    || p.label() == t
                    || match p {
                        Part::Theory => matches!(t, "理论" | "理论知识考试"),
                        Part::Practical => matches!(t, "技能" | "实操" | "操作技能考核"),
                        Part::Review => t == "评审",
                    }
            })
            .ok_or_else(|| Error::invalid("科目", format!("“{t}”不是考核科目，可选：理论知识、操作技能、综合评审")))
    }
}

/// The marks of one application.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Marks {
    /// 理论知识.
    #[ts(as = "Option<String>")]
    pub theory: Option<Mark>,
    /// 操作技能.
    #[ts(as = "Option<String>")]
    pub practical: Option<Mark>,
    /// 综合评审 (二级/一级).
    #[ts(as = "Option<String>")]
    pub review: Option<Mark>,
}

impl Marks {
    pub fn get(&self, part: Part) -> Option<Mark> {
        match part {
            Part::Theory => self.theory,
            Part::Practical => self.practical,
            Part::Review => self.review,
        }
    }

    pub fn set(&mut self, part: Part, mark: Option<Mark>) {
        match part {
            Part::Theory => self.theory = mark,
            Part::Practical => self.practical = mark,
            Part::Review => self.review = mark,
        }
    }

    /// The parts this level is assessed on, with their names.
    pub fn required(&self, level: Level) -> Vec<(&'static str, Option<Mark>)> {
        let mut parts = vec![("理论知识", self.theory), ("操作技能", self.practical)];
        if level.needs_review_panel() {
            parts.push(("综合评审", self.review));
        }
        parts
    }

    /// Passed (>= 60 in every required part; 缺考 fails), failed, or None while a required part is not entered.
    pub fn passed(&self, level: Level) -> Option<bool> {
        let parts = self.required(level);
        if parts.iter().any(|(_, m)| m.is_none()) {
            return None;
        }
        Some(parts.iter().all(|(_, m)| m.is_some_and(Mark::passes)))
    }
}

/// A score sheet's column that holds part of a part's mark: one item of 操作技能 (实操1, 项目二, 操作技能（3）), or one
/// expert's 综合评审 mark, whole or as 论文 and 答辩 (专家1, 评委二答辩, 专家3（论文）).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubColumn {
    PracticalItem(u8),
    Expert { expert: u8, part: ExpertPart },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpertPart {
    Whole,
    Paper,
    Defence,
}

/// 1–20 written as digits or Chinese numerals (一 … 二十).
fn ordinal(text: &str) -> Option<u8> {
    if let Ok(n) = text.parse::<u8>() {
        return (1..=20).contains(&n).then_some(n);
    }
    const DIGITS: &str = "一二三四五六七八九";
    let digit = |c: char| DIGITS.chars().position(|d| d == c).map(|i| i as u8 + 1);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => digit(*d).map(|n| 10 + n),
        [t, '十'] if digit(*t) == Some(2) => Some(20),
        _ => None,
    }
}

impl SubColumn {
    pub fn recognise(header: &str) -> Option<SubColumn> {
        let h: String = super::text::to_half_width(header)
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '（' | '）' | '-' | '_' | '·' | '*'))
            .collect();
        let h = h.trim_end_matches("成绩").trim_end_matches('分');
        for prefix in ["操作技能项目", "操作技能", "技能项目", "实操项目", "实操", "项目"] {
            if let Some(n) = h.strip_prefix(prefix).and_then(|rest| ordinal(rest.trim_start_matches('第'))) {
                return Some(SubColumn::PracticalItem(n));
            }
        }
        for prefix in ["评审专家", "专家", "评委"] {
            let Some(rest) = h.strip_prefix(prefix) else { continue };
            let (number, part) = if let Some(n) = rest.strip_suffix("论文") {
                (n, ExpertPart::Paper)
            } else if let Some(n) = rest.strip_suffix("答辩") {
                (n, ExpertPart::Defence)
            } else {
                (rest, ExpertPart::Whole)
            };
            if let Some(expert) = ordinal(number) {
                return Some(SubColumn::Expert { expert, part });
            }
        }
        None
    }
}

/// How 综合评审 weighs the paper against the defence, in percent (the setting review.weights, 40/60 by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewWeights {
    pub paper: u16,
    pub defence: u16,
}

impl ReviewWeights {
    pub fn parse(text: &str) -> Result<ReviewWeights> {
        let bad = || {
            Error::invalid(
                "review.weights",
                format!("“{}”应写成 论文/答辩 的百分比，如 40/60，两者相加为 100", text.trim()),
            )
        };
        let (paper, defence) = text.trim().split_once(['/', ':', '：', ',']).ok_or_else(bad)?;
        let number = |t: &str| t.trim().trim_end_matches('%').parse::<u16>().map_err(|_| bad());
        let (paper, defence) = (number(paper)?, number(defence)?);
        if paper + defence != 100 {
            return Err(bad());
        }
        Ok(ReviewWeights { paper, defence })
    }
}

/// The 操作技能 mark from its items: their sum (at most 100), 缺考 when every item is.
pub fn practical_from_items(items: &[Mark]) -> std::result::Result<Mark, String> {
    if items.iter().all(|m| *m == Mark::Absent) {
        return Ok(Mark::Absent);
    }
    if items.contains(&Mark::Absent) {
        return Err("有的项目填了“缺考”、有的填了分数：缺考的考生各项都填“缺考”，否则各项都填分数".into());
    }
    let total: u32 = items.iter().map(|m| if let Mark::Score(t) = m { u32::from(*t) } else { 0 }).sum();
    if total > 1000 {
        return Err(format!("各项合计 {}，超过 100 分：请核对各项分数", f64::from(total) / 10.0));
    }
    Ok(Mark::Score(total as u16))
}

/// One expert's 综合评审 mark: a whole mark, or a paper and a defence mark weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpertMark {
    Whole(u16),
    Split { paper: u16, defence: u16 },
}

/// The 综合评审 mark of a panel: the mean of the experts' marks (each paper/defence pair weighed first), rounded to
/// a tenth, and the spread between the highest and the lowest expert, in tenths.
pub fn review_from_panel(experts: &[ExpertMark], weights: ReviewWeights) -> (Mark, u16) {
    let marks: Vec<f64> = experts
        .iter()
        .map(|e| match *e {
            ExpertMark::Whole(t) => f64::from(t),
            ExpertMark::Split { paper, defence } => {
                (f64::from(paper) * f64::from(weights.paper) + f64::from(defence) * f64::from(weights.defence)) / 100.0
            }
        })
        .collect();
    let mean = marks.iter().sum::<f64>() / marks.len().max(1) as f64;
    let high = marks.iter().copied().fold(f64::MIN, f64::max);
    let low = marks.iter().copied().fold(f64::MAX, f64::min);
    (Mark::Score(mean.round() as u16), (high - low).round() as u16)
}

/// The columns a score sheet is read by, as the import names them.
pub const SCORE_COLUMNS: [&str; 6] = ["准考证号", "证件号码", "姓名", "理论知识", "操作技能", "综合评审"];

/// How each source of marks (an exam platform, a mark reader) names its columns, as the agency told SkillCert once:
/// the setting scores.sources, a `[name]` line per source and `the file's header = our column` under it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreSources {
    pub sources: Vec<(String, Vec<(String, String)>)>,
}

impl ScoreSources {
    pub fn parse(text: &str) -> Result<ScoreSources> {
        let mut sources: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            let bad = |why: &str| Error::invalid("scores.sources", format!("第 {} 行“{line}”：{why}", index + 1));
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix(['[', '【']).and_then(|l| l.strip_suffix([']', '】'])) {
                let name = name.trim();
                if name.is_empty() || sources.iter().any(|(n, _)| n == name) {
                    return Err(bad("来源名称不能为空，也不能重复"));
                }
                sources.push((name.to_string(), Vec::new()));
                continue;
            }
            let Some((theirs, ours)) = line.split_once(['=', '＝']) else {
                return Err(bad("应写成“文件中的列名=成绩表的列”，如“客观题总分=理论知识”"));
            };
            let (theirs, ours) = (theirs.trim(), ours.trim());
            let Some((_, mapping)) = sources.last_mut() else {
                return Err(bad("请先用“[来源名称]”一行写明是哪个平台或阅卷机"));
            };
            if theirs.is_empty() {
                return Err(bad("“=”前面应是文件中的列名"));
            }
            if !SCORE_COLUMNS.contains(&ours) && SubColumn::recognise(ours).is_none() {
                return Err(bad(&format!(
                    "“{ours}”不是成绩表的列：可用 {}，或 实操1、专家1论文 这样的分项列",
                    SCORE_COLUMNS.join("、")
                )));
            }
            mapping.push((theirs.to_string(), ours.to_string()));
        }
        Ok(ScoreSources { sources })
    }

    pub fn names(&self) -> Vec<String> {
        self.sources.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The mapping of a source, by name; a name not set up is refused, naming the ones that are.
    pub fn mapping(&self, name: &str) -> Result<&[(String, String)]> {
        self.sources.iter().find(|(n, _)| n == name.trim()).map(|(_, m)| m.as_slice()).ok_or_else(|| {
            let known = self.names();
            let known = if known.is_empty() {
                "尚未设置任何来源".to_string()
            } else {
                format!("已设置：{}", known.join("、"))
            };
            Error::invalid("成绩来源", format!("没有名为“{}”的成绩来源（{known}）", name.trim()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_parse_and_absence_is_not_zero() {
        assert_eq!(Mark::parse("理论知识", "85.5").unwrap(), Some(Mark::Score(855)));
        assert_eq!(Mark::parse("理论知识", "100").unwrap(), Some(Mark::Score(1000)));
        assert_eq!(Mark::parse("理论知识", "60.0").unwrap(), Some(Mark::Score(600)));
        assert_eq!(Mark::parse("理论知识", "缺考").unwrap(), Some(Mark::Absent));
        assert_eq!(Mark::parse("理论知识", " ").unwrap(), None);
        for bad in ["100.5", "-1", "85.55", "八十", "1e2"] {
            assert!(Mark::parse("理论知识", bad).is_err(), "{bad}");
        }
        assert_eq!(Mark::from_number("理论知识", 59.9).unwrap(), Mark::Score(599));
        assert!(Mark::from_number("理论知识", 59.95).is_err());
        assert_ne!(Mark::Absent, Mark::Score(0));
        assert_eq!(Mark::from_db(Mark::Absent.to_db()), Some(Mark::Absent));
        assert_eq!(Mark::Score(855).label(), "85.5");
    }

    #[test]
    fn passing_needs_sixty_in_every_required_part() {
        let m = |t, p, r| Marks { theory: t, practical: p, review: r };
        let s = |x| Some(Mark::Score(x));
        assert_eq!(m(s(600), s(600), None).passed(Level::Four), Some(true));
        assert_eq!(m(s(599), s(900), None).passed(Level::Four), Some(false));
        assert_eq!(m(Some(Mark::Absent), s(900), None).passed(Level::Four), Some(false));
        assert_eq!(m(s(800), None, None).passed(Level::Four), None);
        assert_eq!(m(s(800), s(800), None).passed(Level::Two), None, "技师 also needs 综合评审");
        assert_eq!(m(s(800), s(800), s(600)).passed(Level::Two), Some(true));
    }

    #[test]
    fn parts_are_named_as_score_sheets_name_them() {
        assert_eq!(Part::parse("理论").unwrap(), Part::Theory);
        assert_eq!(Part::parse(" 实操 ").unwrap(), Part::Practical);
        assert_eq!(Part::parse("review").unwrap(), Part::Review);
        assert!(Part::parse("英语").unwrap_err().to_string().contains("理论知识、操作技能、综合评审"));
        let mut marks = Marks::default();
        marks.set(Part::Practical, Some(Mark::Absent));
        assert_eq!(marks.get(Part::Practical), Some(Mark::Absent));
        assert_eq!(marks.get(Part::Theory), None);
    }

    #[test]
    fn item_and_expert_columns_are_recognised_as_sheets_write_them() {
        assert_eq!(SubColumn::recognise("实操1"), Some(SubColumn::PracticalItem(1)));
        assert_eq!(SubColumn::recognise("操作技能（项目二）"), Some(SubColumn::PracticalItem(2)));
        assert_eq!(SubColumn::recognise("项目十二"), Some(SubColumn::PracticalItem(12)));
        assert_eq!(SubColumn::recognise("专家1"), Some(SubColumn::Expert { expert: 1, part: ExpertPart::Whole }));
        assert_eq!(
            SubColumn::recognise("评委二答辩"),
            Some(SubColumn::Expert { expert: 2, part: ExpertPart::Defence })
        );
        assert_eq!(
            SubColumn::recognise("专家3（论文）成绩"),
            Some(SubColumn::Expert { expert: 3, part: ExpertPart::Paper })
        );
        assert_eq!(SubColumn::recognise("操作技能"), None);
        assert_eq!(SubColumn::recognise("专家意见"), None);
    }

    #[test]
    fn items_sum_and_a_panel_averages_its_weighed_marks() {
        assert_eq!(practical_from_items(&[Mark::Score(300), Mark::Score(255), Mark::Score(200)]), Ok(Mark::Score(755)));
        assert_eq!(practical_from_items(&[Mark::Absent, Mark::Absent]), Ok(Mark::Absent));
        assert!(practical_from_items(&[Mark::Absent, Mark::Score(300)]).is_err());
        assert!(practical_from_items(&[Mark::Score(600), Mark::Score(500)]).unwrap_err().contains("超过 100"));
        let weights = ReviewWeights::parse("40/60").unwrap();
        // 0.4 × 80 + 0.6 × 70 = 74; 0.4 × 90 + 0.6 × 85 = 87; 70: mean 77, spread 17.
        let panel = [
            ExpertMark::Split { paper: 800, defence: 700 },
            ExpertMark::Split { paper: 900, defence: 850 },
            ExpertMark::Whole(700),
        ];
        assert_eq!(review_from_panel(&panel, weights), (Mark::Score(770), 170));
        assert!(ReviewWeights::parse("40/50").is_err());
        assert_eq!(ReviewWeights::parse("30:70").unwrap(), ReviewWeights { paper: 30, defence: 70 });
    }

    #[test]
    fn score_sources_map_a_platform_s_headers_to_ours() {
        let sources = ScoreSources::parse("# 本机构用的平台\n[机考平台]\n考生编号=准考证号\n客观题总分 = 理论知识\n\n[阅卷机]\n总分=理论知识\n第一题=实操1").unwrap();
        assert_eq!(sources.names(), ["机考平台", "阅卷机"]);
        assert_eq!(sources.mapping("阅卷机").unwrap()[1], ("第一题".to_string(), "实操1".to_string()));
        assert!(sources.mapping("别的").unwrap_err().to_string().contains("已设置：机考平台、阅卷机"));
        assert!(ScoreSources::parse("总分=理论知识").unwrap_err().to_string().contains("第 1 行"));
        assert!(ScoreSources::parse("[甲]\n总分=理论").unwrap_err().to_string().contains("不是成绩表的列"));
        assert!(ScoreSources::parse("[甲]\n[甲]").is_err());
    }
}
