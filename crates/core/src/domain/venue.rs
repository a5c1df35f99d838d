//! 考务基础数据: the agency's 考点 (own or leased), their rooms by kind and capacity, and the people who staff an exam
//! (考评员 with their own certificate and its validity and occupations, 督导员, 监考). Drafts as typed or read from a
//! sheet, checked into valid records.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::candidate::{keep, optional};
use super::id_number::{self, IdType};
use super::text::{is_none_marker, parse_date, validate_name, validate_phone};
use crate::error::{Error, Result};

/// What a room is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum RoomKind {
    #[serde(rename = "笔试")]
    Written,
    #[serde(rename = "机考")]
    Computer,
    /// Workstations, one candidate (or group) each.
    #[serde(rename = "实操")]
    Practical,
    #[serde(rename = "综合评审")]
    Review,
}

impl RoomKind {
    pub const ALL: [RoomKind; 4] = [RoomKind::Written, RoomKind::Computer, RoomKind::Practical, RoomKind::Review];

    pub fn label(self) -> &'static str {
        match self {
            RoomKind::Written => "笔试",
            RoomKind::Computer => "机考",
            RoomKind::Practical => "实操",
            RoomKind::Review => "综合评审",
        }
    }

    /// The label, or the words sheets use for it (理论/机房/技能/实训/答辩 …).
    pub fn parse(text: &str) -> Result<RoomKind> {
        let t = text.trim().trim_end_matches("考场").trim_end_matches('室');
        let kind = match t {
            "笔试" | "理论" | "理论知识" | "纸笔" | "教室" => Some(RoomKind::Written),
            "机考" | "机房" | "计算机" | "上机" | "电脑" => Some(RoomKind::Computer),
            "实操" | "技能" | "操作技能" | "实训" | "实训室" | "操作" => Some(RoomKind::Practical),
            "综合评审" | "评审" | "答辩" | "会议" => Some(RoomKind::Review),
            _ => None,
        };
        kind.ok_or_else(|| {
            Error::invalid("考场类型", format!("“{}”不是考场类型，可选：笔试、机考、实操、综合评审", text.trim()))
        })
    }
}

/// A 考点 as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct SiteDraft {
    pub name: String,
    pub address: String,
    /// 自有 / 租用 (or 是/否 for 租用); empty: own.
    #[serde(default)]
    pub ownership: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSite {
    pub name: String,
    pub address: String,
    pub leased: bool,
}

impl SiteDraft {
    pub fn validate(&self) -> Result<ValidSite> {
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(Error::invalid("考点名称", "不能为空，且不超过60个字"));
        }
        let address = self.address.trim().to_string();
        if address.is_empty() {
            return Err(Error::invalid("考点地址", "不能为空：准考证上印考点地址"));
        }
        let leased = match self.ownership.trim() {
            "" | "自有" | "自有场地" | "否" => false,
            "租用" | "租赁" | "外租" | "是" | "借用" => true,
            other => return Err(Error::invalid("场地性质", format!("“{other}”应为“自有”或“租用”"))),
        };
        Ok(ValidSite { name, address, leased })
    }
}

/// A room of a 考点 as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct RoomDraft {
    /// The 考点 it belongs to, by name.
    pub site: String,
    pub name: String,
    pub kind: String,
    pub capacity: String,
    /// 实操 rooms: how many workstations; empty for the other kinds.
    #[serde(default)]
    pub workstations: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRoom {
    pub site: String,
    pub name: String,
    pub kind: RoomKind,
    pub capacity: u32,
    pub workstations: Option<u32>,
}

/// A whole number within a range, as a sheet may hold it ("30", "30人", "30.0").
fn count(field: &'static str, text: &str, max: u32) -> Result<Option<u32>> {
    let t = text.trim().trim_end_matches(['人', '个', '座', '位', '台']);
    if t.is_empty() || is_none_marker(t) {
        return Ok(None);
    }
    let value = t.parse::<f64>().ok().filter(|v| v.fract() == 0.0 && *v >= 1.0 && *v <= f64::from(max));
    value
        .map(|v| Some(v as u32))
        .ok_or_else(|| Error::invalid(field, format!("“{}”应为 1 到 {max} 之间的整数", text.trim())))
}

impl RoomDraft {
    pub fn validate(&self) -> Result<ValidRoom> {
        let site = self.site.trim().to_string();
        if site.is_empty() {
            return Err(Error::invalid("考点名称", "不能为空：考场属于哪个考点"));
        }
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 30 {
            return Err(Error::invalid("考场名称", "不能为空，且不超过30个字，如“第1考场”或“301教室”"));
        }
        let kind = RoomKind::parse(&self.kind)?;
        let capacity = count("容纳人数", &self.capacity, 500)?
            .ok_or_else(|| Error::invalid("容纳人数", "不能为空：每场最多安排多少名考生"))?;
        let workstations = count("工位数", &self.workstations, 500)?;
        match (kind, workstations) {
            (RoomKind::Practical, None) => {
                return Err(Error::invalid("工位数", "实操考场须填写工位数：每个工位同时考一名（或一组）考生"));
            }
            (RoomKind::Practical, Some(n)) if n > capacity => {
                return Err(Error::invalid("工位数", format!("工位数 {n} 多于容纳人数 {capacity}")));
            }
            (RoomKind::Practical, _) => {}
            (_, Some(_)) => {
                return Err(Error::invalid("工位数", format!("只有实操考场有工位；{}考场请留空", kind.label())));
            }
            _ => {}
        }
        Ok(ValidRoom { site, name, kind, capacity, workstations })
    }
}

/// What a person does at an exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum StaffRole {
    /// 考评员: marks the practical parts and the 综合评审; holds an examiner certificate.
    #[serde(rename = "考评员")]
    Examiner,
    /// 内部质量督导员: one per 考点 and day.
    #[serde(rename = "督导员")]
    Supervisor,
    #[serde(rename = "监考")]
    Invigilator,
}

impl StaffRole {
    pub fn label(self) -> &'static str {
        match self {
            StaffRole::Examiner => "考评员",
            StaffRole::Supervisor => "督导员",
            StaffRole::Invigilator => "监考",
        }
    }

    pub fn parse(text: &str) -> Result<StaffRole> {
        match text.trim() {
            "考评员" | "高级考评员" | "考评人员" | "考官" => Ok(StaffRole::Examiner),
            "督导员" | "质量督导员" | "内部质量督导员" | "督导" => Ok(StaffRole::Supervisor),
            "监考" | "监考员" | "监考人员" | "考务人员" => Ok(StaffRole::Invigilator),
            other => Err(Error::invalid("人员类别", format!("“{other}”应为 考评员、督导员 或 监考"))),
        }
    }
}

/// An examiner's grade, as their certificate says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ExaminerGrade {
    #[serde(rename = "考评员")]
    Examiner,
    /// Panels for 二级 and above need three of these.
    #[serde(rename = "高级考评员")]
    Senior,
}

impl ExaminerGrade {
    pub fn label(self) -> &'static str {
        match self {
            ExaminerGrade::Examiner => "考评员",
            ExaminerGrade::Senior => "高级考评员",
        }
    }
}

/// A member of exam staff as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct StaffDraft {
    pub name: String,
    /// 居民身份证 when empty.
    #[serde(default)]
    pub id_type: String,
    pub id_number: String,
    pub role: String,
    pub phone: String,
    #[serde(default)]
    pub employer: String,
    /// 考评员 / 高级考评员; examiners only (the role 高级考评员 says it too).
    #[serde(default)]
    pub grade: String,
    /// The examiner (or 督导员) certificate's number.
    #[serde(default)]
    pub certificate_number: String,
    /// Its 有效期至.
    #[serde(default)]
    pub valid_until: String,
    /// 可考评职业: names separated by 、 , ; or spaces.
    #[serde(default)]
    pub occupations: String,
}

/// A member of exam staff whose fields passed their rules (stored as `rows::Staff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ValidStaff {
    pub name: String,
    pub id_type: IdType,
    pub id_number: String,
    pub role: StaffRole,
    pub phone: String,
    pub employer: Option<String>,
    pub grade: Option<ExaminerGrade>,
    pub certificate_number: Option<String>,
    pub valid_until: Option<NaiveDate>,
    pub occupations: Vec<String>,
}

impl StaffDraft {
    /// Every problem of the draft, one per field (a sheet's row reports them all at once).
    pub fn check(&self, today: NaiveDate) -> std::result::Result<ValidStaff, Vec<Error>> {
        let mut problems = Vec::new();
        let name = keep(&mut problems, validate_name(&self.name));
        let id_type = keep(
            &mut problems,
            if self.id_type.trim().is_empty() { Ok(IdType::ResidentId) } else { IdType::parse(&self.id_type) },
        );
        let id_number =
            id_type.and_then(|t| keep(&mut problems, id_number::validate(t, &self.id_number, today).map(|v| v.number)));
        let role = keep(&mut problems, StaffRole::parse(&self.role));
        let phone = keep(&mut problems, validate_phone(&self.phone));
        let grade = match (role, self.grade.trim(), self.role.trim()) {
            (Some(StaffRole::Examiner), _, "高级考评员") | (Some(StaffRole::Examiner), "高级考评员" | "高级", _) => {
                Some(ExaminerGrade::Senior)
            }
            (Some(StaffRole::Examiner), "" | "考评员", _) => Some(ExaminerGrade::Examiner),
            (Some(StaffRole::Examiner), other, _) => {
                problems.push(Error::invalid("考评员级别", format!("“{other}”应为 考评员 或 高级考评员")));
                None
            }
            _ => None,
        };
        let certificate_number = optional(&self.certificate_number);
        let valid_until = optional(&self.valid_until).and_then(|d| keep(&mut problems, parse_date("有效期至", &d)));
        let occupations: Vec<String> = self
            .occupations
            .split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，' | ';' | '；' | '/'))
            .map(str::trim)
            .filter(|o| !o.is_empty() && !is_none_marker(o))
            .map(str::to_string)
            .collect();
        if role == Some(StaffRole::Examiner) {
            if certificate_number.is_none() {
                problems.push(Error::invalid("考评员证书编号", "考评员须填写考评员证书编号"));
            }
            if optional(&self.valid_until).is_none() {
                problems.push(Error::invalid("有效期至", "考评员须填写证书有效期，如 2027-06-30"));
            }
            if occupations.is_empty() {
                problems.push(Error::invalid("可考评职业", "考评员须填写可考评的职业，多个用顿号分隔"));
            }
        }
        match (name, id_type, id_number, role, phone) {
            (Some(name), Some(id_type), Some(id_number), Some(role), Some(phone)) if problems.is_empty() => {
                Ok(ValidStaff {
                    name,
                    id_type,
                    id_number,
                    role,
                    phone,
                    employer: optional(&self.employer),
                    grade,
                    certificate_number,
                    valid_until,
                    occupations,
                })
            }
            _ => Err(problems),
        }
    }

    pub fn validate(&self, today: NaiveDate) -> Result<ValidStaff> {
        self.check(today).map_err(|mut problems| problems.remove(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn rooms_are_checked_by_kind() {
        let room = |kind: &str, capacity: &str, workstations: &str| RoomDraft {
            site: "第一考点".into(),
            name: "301".into(),
            kind: kind.into(),
            capacity: capacity.into(),
            workstations: workstations.into(),
        };
        let r = room("理论", "30人", "").validate().unwrap();
        assert_eq!((r.kind, r.capacity, r.workstations), (RoomKind::Written, 30, None));
        assert_eq!(room("实训室", "20", "10").validate().unwrap().workstations, Some(10));
        assert!(room("实操", "20", "").validate().unwrap_err().to_string().contains("工位数"));
        assert!(room("实操", "20", "25").validate().unwrap_err().to_string().contains("多于"));
        assert!(room("机房", "40", "40").validate().unwrap_err().to_string().contains("只有实操考场有工位"));
        assert!(room("笔试", "0", "").validate().is_err());
        assert!(room("操场", "30", "").validate().unwrap_err().to_string().contains("笔试、机考、实操、综合评审"));
    }

    #[test]
    fn sites_read_ownership() {
        let site =
            |o: &str| SiteDraft {
                name: "第一考点".into(), address: "深圳市福田区…".into(), ownership: o.into()
            };
        assert!(!site("").validate().unwrap().leased);
        assert!(site("租用").validate().unwrap().leased);
        assert!(site("买的").validate().is_err());
        assert!(SiteDraft { address: String::new(), ..site("") }.validate().is_err());
    }

    #[test]
    fn examiners_need_their_certificate_validity_and_occupations() {
        let today = day("2026-12-01");
        let examiner = StaffDraft {
            name: "李考评".into(),
            id_number: "11010519491231002X".into(),
            role: "高级考评员".into(),
            phone: "13800000001".into(),
            certificate_number: "KP2024001".into(),
            valid_until: "2027/6/30".into(),
            occupations: "电工、焊工".into(),
            ..Default::default()
        };
        let valid = examiner.validate(today).unwrap();
        assert_eq!((valid.role, valid.grade), (StaffRole::Examiner, Some(ExaminerGrade::Senior)));
        assert_eq!(valid.valid_until, Some(day("2027-06-30")));
        assert_eq!(valid.occupations, ["电工", "焊工"]);
        let bare = StaffDraft {
            certificate_number: String::new(),
            valid_until: String::new(),
            occupations: String::new(),
            ..examiner.clone()
        };
        let problems: Vec<String> = bare.check(today).unwrap_err().iter().map(|e| e.to_string()).collect();
        assert_eq!(problems.len(), 3, "{problems:?}");
        // 监考 needs none of it.
        let invigilator = StaffDraft { role: "监考".into(), ..bare };
        assert_eq!(invigilator.validate(today).unwrap().grade, None);
        assert!(StaffDraft { role: "保安".into(), ..examiner }.validate(today).is_err());
    }
}
