//! The 准考证号 rule: a pattern of parts as provinces lay the number out, e.g. year 2 + city 2 + agency 3 + batch 3 +
//! subjects 3 + room 3 + seat 3 written `{年2}{省}{机构3}{批次3}{科目}{考场3}{座号3}`. The default is the number SkillCert
//! always gave: the plan's 报名识别码 and a 4-digit sequence, `{识别码}{序号4}`.

use crate::error::{Error, Result};

pub const DEFAULT_TICKET_PATTERN: &str = "{识别码}{序号4}";

/// What a pattern is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    /// The exam year, 2 or 4 digits.
    Year(usize),
    /// The agency's 省份代码 (2 digits).
    Province,
    /// The agency's 机构/站点序号, its last N digits (all 6 when not given).
    Agency(usize),
    /// The plan's 报名识别码 (6 digits).
    PlanCode,
    /// The plan's 计划号, the last N of its digits.
    Batch(usize),
    /// One digit per subject, 理论知识 / 操作技能 / 综合评审: 1 where the candidate sits it.
    Subjects,
    Room(usize),
    Seat(usize),
    /// The candidate's number in the plan, in the order first arranged; kept when re-arranged.
    Sequence(usize),
}

/// A checked 准考证号 rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketPattern {
    parts: Vec<Part>,
}

/// What one candidate's number is made from.
#[derive(Debug, Clone, Copy)]
pub struct TicketFacts<'a> {
    pub year: i32,
    pub province: Option<&'a str>,
    pub agency: Option<&'a str>,
    pub plan_code: &'a str,
    pub plan_no: &'a str,
    /// Sits 理论知识, 操作技能, 综合评审.
    pub subjects: [bool; 3],
    pub room: u32,
    pub seat: u32,
    pub sequence: u32,
}

const FIELD: &str = "准考证号规则";
const MAX_LEN: usize = 22;
const PARTS_HELP: &str =
    "可用：{年2} {年4} {省} {机构N} {识别码} {批次N} {科目} {考场N} {座号N} {序号N}（N 为位数）及数字、字母";

impl TicketPattern {
    pub fn parse(text: &str) -> Result<TicketPattern> {
        let text = text.trim().replace(['｛', '（'], "{").replace(['｝', '）'], "}");
        let mut parts = Vec::new();
        let mut rest = text.as_str();
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = rest.find('}').ok_or_else(|| Error::invalid(FIELD, format!("“{rest}”缺少右括号 }}")))?;
                    parts.push(Self::part(&rest[1..end])?);
                    rest = &rest[end + 1..];
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    let literal = &rest[..end];
                    if !literal.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                        return Err(Error::invalid(
                            FIELD,
                            format!("“{literal}”不能出现在准考证号中：固定部分只能是数字、字母或 -；{PARTS_HELP}"),
                        ));
                    }
                    parts.push(Part::Text(literal.to_string()));
                    rest = &rest[end..];
                }
            }
        }
        let pattern = TicketPattern { parts };
        let has = |f: fn(&Part) -> bool| pattern.parts.iter().any(f);
        let unique = has(|p| matches!(p, Part::Sequence(_)))
            || (has(|p| matches!(p, Part::Room(_))) && has(|p| matches!(p, Part::Seat(_))));
        if !unique {
            return Err(Error::invalid(
                FIELD,
                "规则中须有 {序号N}，或同时有 {考场N} 和 {座号N}，否则不同考生会得到相同的准考证号",
            ));
        }
        // 22 fit the 座次表's cells and the 桌贴 at their type size; provinces' layouts seen have up to 21.
        if pattern.len() > MAX_LEN {
            return Err(Error::invalid(FIELD, format!("生成的准考证号有 {} 位，超过 {MAX_LEN} 位", pattern.len())));
        }
        Ok(pattern)
    }

    fn part(name: &str) -> Result<Part> {
        let name = name.trim();
        let digits_at = name.find(|c: char| c.is_ascii_digit()).unwrap_or(name.len());
        let (word, width) = name.split_at(digits_at);
        let width: Option<usize> = match width {
            "" => None,
            w => Some(w.parse().map_err(|_| Error::invalid(FIELD, format!("“{{{name}}}”的位数不是数字")))?),
        };
        let sized = |default: usize| -> Result<usize> {
            match width.unwrap_or(default) {
                w @ 1..=9 => Ok(w),
                w => Err(Error::invalid(FIELD, format!("“{{{name}}}”的位数 {w} 应在 1 到 9 之间"))),
            }
        };
        let fixed = |part: Part| match width {
            None => Ok(part),
            Some(_) => Err(Error::invalid(FIELD, format!("“{{{word}}}”的位数是固定的，不能写成“{{{name}}}”"))),
        };
        match word {
            "年" => match width.unwrap_or(4) {
                w @ (2 | 4) => Ok(Part::Year(w)),
                _ => Err(Error::invalid(FIELD, "年份只能取 2 位或 4 位：{年2} 或 {年4}")),
            },
            "省" => fixed(Part::Province),
            "机构" => match width.unwrap_or(6) {
                w @ 1..=6 => Ok(Part::Agency(w)),
                _ => Err(Error::invalid(FIELD, "机构序号共 6 位，{机构N} 的 N 应在 1 到 6 之间")),
            },
            "识别码" | "报名识别码" => fixed(Part::PlanCode),
            "批次" | "计划号" => Ok(Part::Batch(sized(3)?)),
            "科目" => fixed(Part::Subjects),
            "考场" => Ok(Part::Room(sized(2)?)),
            "座号" | "座位号" => Ok(Part::Seat(sized(2)?)),
            "序号" => Ok(Part::Sequence(sized(4)?)),
            _ => Err(Error::invalid(FIELD, format!("不认识“{{{name}}}”；{PARTS_HELP}"))),
        }
    }

    /// The rule as it is stored and shown (brackets as typed on any keyboard made the same).
    pub fn text(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Year(w) => format!("{{年{w}}}"),
                Part::Province => "{省}".into(),
                Part::Agency(w) => format!("{{机构{w}}}"),
                Part::PlanCode => "{识别码}".into(),
                Part::Batch(w) => format!("{{批次{w}}}"),
                Part::Subjects => "{科目}".into(),
                Part::Room(w) => format!("{{考场{w}}}"),
                Part::Seat(w) => format!("{{座号{w}}}"),
                Part::Sequence(w) => format!("{{序号{w}}}"),
            })
            .collect()
    }

    /// How many characters every number of this pattern has.
    pub fn len(&self) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.len(),
                Part::Province => 2,
                Part::PlanCode => 6,
                Part::Subjects => 3,
                Part::Year(w)
                | Part::Agency(w)
                | Part::Batch(w)
                | Part::Room(w)
                | Part::Seat(w)
                | Part::Sequence(w) => *w,
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a number changes when its candidate changes seat (re-arranging then renumbers, audited).
    pub fn follows_seat(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Room(_) | Part::Seat(_)))
    }

    /// Whether the 机构 settings are needed, and which: (省份代码, 机构/站点序号).
    pub fn needs_agency(&self) -> (bool, bool) {
        let has = |f: fn(&Part) -> bool| self.parts.iter().any(f);
        (has(|p| matches!(p, Part::Province)), has(|p| matches!(p, Part::Agency(_))))
    }

    /// The largest sequence the pattern can write (None: it has no sequence).
    pub fn max_sequence(&self) -> Option<u32> {
        self.parts.iter().find_map(|p| match p {
            Part::Sequence(w) => Some(10u32.saturating_pow(*w as u32).saturating_sub(1)),
            _ => None,
        })
    }

    /// The number for one candidate; refused when a part does not fit its width (a 考场 120 for {考场2}).
    pub fn render(&self, facts: &TicketFacts<'_>) -> Result<String> {
        let mut out = String::with_capacity(self.len());
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Year(4) => out.push_str(&format!("{:04}", facts.year)),
                Part::Year(_) => out.push_str(&format!("{:02}", facts.year.rem_euclid(100))),
                Part::Province => out.push_str(required(facts.province, "省份代码")?),
                Part::Agency(w) => {
                    let agency = required(facts.agency, "机构/站点序号")?;
                    out.push_str(&agency[agency.len().saturating_sub(*w)..]);
                }
                Part::PlanCode => out.push_str(facts.plan_code),
                // The 计划号's running number: its last N digits ("2026-007" → 007 for {批次3}).
                Part::Batch(w) => {
                    let digits: Vec<char> = facts.plan_no.chars().filter(char::is_ascii_digit).collect();
                    let last = &digits[digits.len().saturating_sub(*w)..];
                    (last.len()..*w).for_each(|_| out.push('0'));
                    out.extend(last);
                }
                Part::Subjects => facts.subjects.iter().for_each(|&sits| out.push(if sits { '1' } else { '0' })),
                Part::Room(w) => out.push_str(&padded("考场号", u64::from(facts.room), *w)?),
                Part::Seat(w) => out.push_str(&padded("座位号", u64::from(facts.seat), *w)?),
                Part::Sequence(w) => out.push_str(&padded("序号", u64::from(facts.sequence), *w)?),
            }
        }
        Ok(out)
    }
}

fn required<'a>(value: Option<&'a str>, what: &str) -> Result<&'a str> {
    value.ok_or_else(|| Error::refused(format!("准考证号规则用到了{what}，请先在设置中填写{what}")))
}

/// The number with leading zeros to `width` digits; refused when it has more.
fn padded(what: &str, number: u64, width: usize) -> Result<String> {
    let text = format!("{number:0width$}");
    if text.len() > width {
        return Err(Error::refused(format!(
            "{what} {number} 超过准考证号规则中的 {width} 位：请在设置中加宽该部分，或减少考场/人数"
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> TicketFacts<'static> {
        TicketFacts {
            year: 2026,
            province: Some("44"),
            agency: Some("000123"),
            plan_code: "155265",
            plan_no: "JH2026-007",
            subjects: [true, true, false],
            room: 3,
            seat: 27,
            sequence: 41,
        }
    }

    #[test]
    fn the_default_is_the_number_always_given() {
        let pattern = TicketPattern::parse(DEFAULT_TICKET_PATTERN).unwrap();
        assert_eq!(pattern.render(&facts()).unwrap(), "1552650041");
        assert!(!pattern.follows_seat());
        assert_eq!(pattern.max_sequence(), Some(9999));
        assert_eq!(pattern.len(), 10);
    }

    #[test]
    fn a_province_layout_writes_each_part_at_its_width() {
        // year 2 + province 2 + agency 3 + batch 3 + subjects 3 + room 3 + seat 3, as one province lays it out.
        let pattern = TicketPattern::parse("{年2}{省}{机构3}{批次3}{科目}{考场3}{座号3}").unwrap();
        assert_eq!(pattern.render(&facts()).unwrap(), "2644123007110003027");
        assert!(pattern.follows_seat());
        assert_eq!(pattern.needs_agency(), (true, true));
        assert_eq!(pattern.len(), 19);
        // Full-width brackets as typed on a Chinese keyboard, and a fixed prefix.
        let typed = TicketPattern::parse("ZK｛年｝（序号5）").unwrap();
        assert_eq!(typed.render(&facts()).unwrap(), "ZK202600041");
        assert_eq!(typed.text(), "ZK{年4}{序号5}");
        assert_eq!(TicketPattern::parse(&pattern.text()).unwrap(), pattern);
    }

    #[test]
    fn bad_patterns_and_numbers_too_wide_are_refused_with_the_reason() {
        let refused = |p: &str| TicketPattern::parse(p).unwrap_err().to_string();
        assert!(refused("{年2}{考场2}").contains("相同的准考证号"));
        assert!(refused("{年2}{座号2}").contains("相同的准考证号"));
        assert!(refused("{年3}{序号4}").contains("2 位或 4 位"));
        assert!(refused("{班级}{序号4}").contains("不认识“{班级}”"));
        assert!(refused("{省2}{序号4}").contains("位数是固定的"));
        assert!(refused("准考{序号4}").contains("固定部分只能是数字、字母"));
        assert!(refused("{序号4").contains("缺少右括号"));
        assert!(refused("{年4}{识别码}{批次3}{科目}{考场3}{座号3}{序号2}").contains("有 24 位，超过 22 位"));
        let narrow = TicketPattern::parse("{考场1}{座号2}").unwrap();
        let err = narrow.render(&TicketFacts { room: 12, ..facts() }).unwrap_err().to_string();
        assert!(err.contains("考场号 12 超过准考证号规则中的 1 位"), "{err}");
        let no_agency = TicketPattern::parse("{机构3}{序号4}").unwrap();
        let err = no_agency.render(&TicketFacts { agency: None, ..facts() }).unwrap_err().to_string();
        assert!(err.contains("请先在设置中填写机构/站点序号"), "{err}");
    }
}
