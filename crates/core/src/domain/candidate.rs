//! 考生: the person, keyed by 证件类型 + 证件号码, with the profile fields of the 个人申请表.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::id_number::{self, IdType, Sex};
use super::level::Level;
use super::text::{is_none_marker, parse_date, parse_month_or_date, validate_name, validate_phone};
use crate::error::{Error, Result};

/// A candidate's profile as typed (CLI, form, import row). [`CandidateDraft::validate`] checks and normalises it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct CandidateDraft {
    pub name: String,
    /// 证件类型; 居民身份证 when empty.
    pub id_type: String,
    pub id_number: String,
    /// 性别; derived from the ID when empty.
    pub sex: String,
    /// 出生日期; derived from the ID when empty.
    pub birth_date: String,
    pub phone: String,
    /// 民族.
    pub ethnicity: String,
    /// 文化程度.
    pub education: String,
    /// 工作单位.
    pub employer: String,
    /// 通讯地址.
    pub address: String,
    /// 从事本职业年限.
    pub years_in_occupation: String,
    /// 考生来源.
    pub source: String,
    /// 现有证书: 名称, 等级, 编号, 取证时间.
    pub prior_cert_name: String,
    pub prior_cert_level: String,
    pub prior_cert_number: String,
    pub prior_cert_date: String,
    /// 所学专业, 毕业院校, 毕业时间 (a month or a day), 参加工作时间 (a month or a day), 职称: what the 报考条件 routes
    /// through schooling, years of work and titles measure by.
    #[serde(default)]
    pub major: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub graduated_on: String,
    #[serde(default)]
    pub work_started_on: String,
    #[serde(default)]
    pub title: String,
}

/// A candidate's profile whose fields passed their rules: what is stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Profile {
    pub name: String,
    pub id_type: IdType,
    pub id_number: String,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub phone: String,
    pub ethnicity: Option<String>,
    pub education: Option<String>,
    pub employer: Option<String>,
    pub address: Option<String>,
    pub years_in_occupation: Option<u32>,
    pub source: Option<String>,
    pub prior_cert_name: Option<String>,
    pub prior_cert_level: Option<String>,
    pub prior_cert_number: Option<String>,
    pub prior_cert_date: Option<NaiveDate>,
    #[serde(default)]
    pub major: Option<String>,
    #[serde(default)]
    pub school: Option<String>,
    #[serde(default)]
    pub graduated_on: Option<NaiveDate>,
    #[serde(default)]
    pub work_started_on: Option<NaiveDate>,
    #[serde(default)]
    pub title: Option<String>,
}

impl CandidateDraft {
    /// The profile, or the first problem found.
    pub fn validate(&self, today: NaiveDate) -> Result<Profile> {
        self.check(today).map_err(|mut problems| problems.swap_remove(0))
    }

    /// The profile, or every problem found, one `Error::Invalid` per field (an import reports them all at once).
    pub fn check(&self, today: NaiveDate) -> std::result::Result<Profile, Vec<Error>> {
        let mut problems = Vec::new();

        let name = keep(&mut problems, validate_name(&self.name));
        let id_type = if self.id_type.trim().is_empty() {
            Some(IdType::ResidentId)
        } else {
            keep(&mut problems, IdType::parse(&self.id_type))
        };
        let id = id_type.and_then(|t| keep(&mut problems, id_number::validate(t, &self.id_number, today)));
        let derived_sex = id.as_ref().and_then(|id| id.sex);
        let derived_birth = id.as_ref().and_then(|id| id.birth_date);

        let stated_sex = keep(&mut problems, optional(&self.sex).map(|s| Sex::parse(&s)).transpose()).flatten();
        let sex = keep(
            &mut problems,
            match (stated_sex, derived_sex) {
                (Some(stated), Some(derived)) if stated != derived => Err(Error::invalid(
                    "性别",
                    format!("填写为“{}”，但证件号码显示为“{}”，请核对", stated.label(), derived.label()),
                )),
                (stated, derived) => Ok(derived.or(stated)),
            },
        )
        .flatten();
        let stated_birth =
            keep(&mut problems, optional(&self.birth_date).map(|d| parse_date("出生日期", &d)).transpose()).flatten();
        let birth_date = keep(
            &mut problems,
            match (stated_birth, derived_birth) {
                (Some(stated), Some(derived)) if stated != derived => {
                    Err(Error::invalid("出生日期", format!("填写为 {stated}，但证件号码显示为 {derived}，请核对")))
                }
                (_, Some(derived)) => Ok(Some(derived)),
                (Some(stated), None) if stated > today => {
                    Err(Error::invalid("出生日期", format!("{stated} 晚于今天，请核对")))
                }
                (stated, None) => Ok(stated),
            },
        )
        .flatten();
        let years_in_occupation = keep(
            &mut problems,
            optional(&self.years_in_occupation)
                .map(|y| {
                    let y = y.trim_end_matches('年');
                    y.parse::<u32>()
                        .ok()
                        .filter(|y| *y <= 70)
                        .ok_or_else(|| Error::invalid("从事本职业年限", format!("“{y}”应为0至70之间的整数年数")))
                })
                .transpose(),
        );
        let phone = keep(&mut problems, validate_phone(&self.phone));
        let ethnicity = keep(&mut problems, optional(&self.ethnicity).map(|e| parse_ethnicity(&e)).transpose());
        let education = keep(&mut problems, optional(&self.education).map(|e| parse_education(&e)).transpose());
        let source = keep(&mut problems, optional(&self.source).map(|s| parse_source(&s)).transpose());
        let prior_cert_date = keep(
            &mut problems,
            optional(&self.prior_cert_date).map(|d| parse_date("现有证书取证时间", &d)).transpose(),
        );

        let not_ahead = |field: &'static str, text: &str| -> Result<Option<NaiveDate>> {
            let Some(text) = optional(text) else { return Ok(None) };
            let day = parse_month_or_date(field, &text)?;
            match birth_date {
                _ if day > today => Err(Error::invalid(field, format!("“{text}”晚于今天，请核对"))),
                Some(born) if day < born => Err(Error::invalid(field, format!("“{text}”早于出生日期 {born}，请核对"))),
                _ => Ok(Some(day)),
            }
        };
        let graduated_on = keep(&mut problems, not_ahead("毕业时间", &self.graduated_on));
        let work_started_on = keep(&mut problems, not_ahead("参加工作时间", &self.work_started_on));
        let short = |field: &'static str, text: &str| -> Result<Option<String>> {
            match optional(text) {
                Some(t) if t.chars().count() > 50 => Err(Error::invalid(field, format!("“{t}”超过50个字，请核对"))),
                t => Ok(t),
            }
        };
        let major = keep(&mut problems, short("所学专业", &self.major));
        let school = keep(&mut problems, short("毕业院校", &self.school));
        let title = keep(&mut problems, short("职称", &self.title));

        let prior_cert_level = keep(
            &mut problems,
            optional(&self.prior_cert_level)
                .map(|l| {
                    Level::parse(&l).map(|level| level.label().to_string()).map_err(|_| {
                        Error::invalid(
                            "现有证书等级",
                            format!("“{l}”不是职业技能等级，请填写五级/初级工至一级/高级技师之一"),
                        )
                    })
                })
                .transpose(),
        );

        match (
            name,
            id_type,
            id,
            phone,
            years_in_occupation,
            ethnicity,
            education,
            source,
            prior_cert_date,
            prior_cert_level,
        ) {
            (
                Some(name),
                Some(id_type),
                Some(id),
                Some(phone),
                Some(years_in_occupation),
                Some(ethnicity),
                Some(education),
                Some(source),
                Some(prior_cert_date),
                Some(prior_cert_level),
            ) if problems.is_empty() => Ok(Profile {
                major: major.flatten(),
                school: school.flatten(),
                graduated_on: graduated_on.flatten(),
                work_started_on: work_started_on.flatten(),
                title: title.flatten(),
                name,
                id_type,
                id_number: id.number,
                sex,
                birth_date,
                phone,
                ethnicity,
                education,
                employer: optional(&self.employer),
                address: optional(&self.address),
                years_in_occupation,
                source,
                prior_cert_name: optional(&self.prior_cert_name),
                prior_cert_level,
                prior_cert_number: optional(&self.prior_cert_number),
                prior_cert_date,
            }),
            _ => Err(problems),
        }
    }
}

/// The value of a field check, or None with its problem recorded.
pub(crate) fn keep<T>(problems: &mut Vec<Error>, checked: Result<T>) -> Option<T> {
    checked.map_err(|e| problems.push(e)).ok()
}

/// Trimmed text, or None for empty and "--".
pub(crate) fn optional(text: &str) -> Option<String> {
    let t = text.trim().trim_matches('\u{3000}').trim();
    (!is_none_marker(t)).then(|| t.to_string())
}

/// 文化程度 (GB/T 4658 names) with the short forms rosters use.
pub const EDUCATION: [(&str, &[&str]); 11] = [
    ("博士研究生", &["博士"]),
    ("硕士研究生", &["硕士", "研究生"]),
    ("大学本科", &["本科", "学士"]),
    ("大学专科", &["大专", "专科", "高职"]),
    ("中等专业学校", &["中专", "中职", "中等职业学校"]),
    ("技工学校", &["技校"]),
    ("职业高中", &["职高"]),
    ("普通高中", &["高中"]),
    ("初中", &["初级中学", "初中及以下"]),
    ("小学", &[]),
    ("文盲或半文盲", &["文盲", "半文盲"]),
];

pub fn parse_education(text: &str) -> Result<String> {
    let t = text.trim();
    EDUCATION
        .iter()
        .find(|(name, aliases)| *name == t || aliases.contains(&t))
        .map(|(name, _)| name.to_string())
        .ok_or_else(|| {
            let names: Vec<&str> = EDUCATION.iter().map(|(n, _)| *n).collect();
            Error::invalid("文化程度", format!("“{t}”不在可选范围内，可选：{}", names.join("、")))
        })
}

/// The 56 民族 (without 族), plus 其他 and 外国血统.
pub const ETHNICITIES: [&str; 58] = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "其他",
    "外国血统",
];

/// Accepts 汉 and 汉族 alike; stores the full name with 族.
pub fn parse_ethnicity(text: &str) -> Result<String> {
    let t = text.trim();
    let base = t.strip_suffix('族').unwrap_or(t);
    match ETHNICITIES.iter().find(|e| **e == base || **e == t) {
        Some(&"其他") => Ok("其他".into()),
        Some(&"外国血统") => Ok("外国血统".into()),
        Some(e) => Ok(format!("{e}族")),
        None => Err(Error::invalid("民族", format!("“{t}”不是有效的民族名称，请填写如“汉族”“回族”，或“其他”"))),
    }
}

/// 考生来源.
pub const SOURCES: [&str; 6] = ["企业", "机关", "社会", "学校", "军队", "其他"];

pub fn parse_source(text: &str) -> Result<String> {
    let t = text.trim();
    let t = match t {
        "院校" | "在校生" | "学生" => "学校",
        "社会人员" => "社会",
        "企业职工" => "企业",
        other => other,
    };
    SOURCES
        .iter()
        .find(|s| **s == t)
        .map(|s| s.to_string())
        .ok_or_else(|| Error::invalid("考生来源", format!("“{text}”不在可选范围内，可选：{}", SOURCES.join("、"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn draft() -> CandidateDraft {
        CandidateDraft {
            name: "张 三".into(),
            id_type: "身份证".into(),
            id_number: "11010519491231002x".into(),
            phone: "13812345678".into(),
            ..Default::default()
        }
    }

    #[test]
    fn derives_sex_and_birth_date_from_the_id() {
        let c = draft().validate(today()).unwrap();
        assert_eq!(c.name, "张三");
        assert_eq!(c.id_number, "11010519491231002X");
        assert_eq!(c.sex, Some(Sex::Female));
        assert_eq!(c.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31));
    }

    #[test]
    fn stated_sex_or_birth_date_must_agree_with_the_id() {
        let d = CandidateDraft { sex: "男".into(), ..draft() };
        assert!(d.validate(today()).unwrap_err().to_string().contains("证件号码显示为“女”"));
        let d = CandidateDraft { birth_date: "1949年12月30日".into(), ..draft() };
        assert!(d.validate(today()).unwrap_err().to_string().contains("1949-12-31"));
        let d = CandidateDraft { sex: "女性".into(), birth_date: "1949.12.31".into(), ..draft() };
        assert!(d.validate(today()).is_ok());
    }

    #[test]
    fn check_reports_every_bad_field() {
        let d = CandidateDraft {
            name: "".into(),
            id_number: "110105194912310021".into(),
            phone: "123".into(),
            education: "幼儿园".into(),
            ..draft()
        };
        let problems = d.check(today()).unwrap_err();
        let fields: Vec<_> = problems
            .iter()
            .map(|e| match e {
                Error::Invalid { field, .. } => *field,
                other => panic!("{other}"),
            })
            .collect();
        assert_eq!(fields, ["姓名", "证件号码", "手机号码", "文化程度"]);
    }

    #[test]
    fn fixed_lists_accept_short_forms() {
        assert_eq!(parse_education("大专").unwrap(), "大学专科");
        assert_eq!(parse_education("研究生").unwrap(), "硕士研究生");
        assert!(parse_education("幼儿园").unwrap_err().to_string().contains("大学本科"));
        assert_eq!(parse_ethnicity("汉").unwrap(), "汉族");
        assert_eq!(parse_ethnicity("维吾尔族").unwrap(), "维吾尔族");
        assert_eq!(parse_ethnicity("外国血统").unwrap(), "外国血统");
        assert!(parse_ethnicity("火星族").is_err());
        assert_eq!(parse_source("社会人员").unwrap(), "社会");
    }

    #[test]
    fn passport_holders_give_sex_and_birth_date_themselves() {
        let d = CandidateDraft {
            id_type: "护照".into(),
            id_number: "E12345678".into(),
            sex: "男".into(),
            birth_date: "1990-01-02".into(),
            ..draft()
        };
        let c = d.validate(today()).unwrap();
        assert_eq!(c.sex, Some(Sex::Male));
        assert_eq!(c.birth_date, NaiveDate::from_ymd_opt(1990, 1, 2));
    }
}
