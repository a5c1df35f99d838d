//! Agency settings: what each key means, its default and its rule. Stored as text by `store::settings`.

use serde::Serialize;

use super::certificate::AgencyType;
use crate::error::{Error, Result};

/// A setting an operator can change with `skillcert settings set KEY VALUE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Setting {
    AgencyName,
    AgencyType,
    AgencyCode,
    ProvinceCode,
    SiteSerial,
    TicketNotice,
    PrintOffsetX,
    PrintOffsetY,
    PrintScale,
    CertificateOverlay,
    VerifyBaseUrl,
    PaymentRequired,
    PortalUrl,
    IdleLockMinutes,
    NoticeDays,
    ReissueNumber,
    Calendar,
    ResitValidity,
    FiledScope,
    ReviewWeights,
    ReviewSpread,
    ScoreSources,
    TicketPattern,
}

impl Setting {
    pub const ALL: [Setting; 23] = [
        Setting::AgencyName,
        Setting::AgencyType,
        Setting::AgencyCode,
        Setting::ProvinceCode,
        Setting::SiteSerial,
        Setting::TicketNotice,
        Setting::PrintOffsetX,
        Setting::PrintOffsetY,
        Setting::PrintScale,
        Setting::CertificateOverlay,
        Setting::VerifyBaseUrl,
        Setting::PaymentRequired,
        Setting::PortalUrl,
        Setting::IdleLockMinutes,
        Setting::NoticeDays,
        Setting::ReissueNumber,
        Setting::Calendar,
        Setting::ResitValidity,
        Setting::FiledScope,
        Setting::ReviewWeights,
        Setting::ReviewSpread,
        Setting::ScoreSources,
        Setting::TicketPattern,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Setting::AgencyName => "agency.name",
            Setting::AgencyType => "agency.type",
            Setting::AgencyCode => "agency.code",
            Setting::ProvinceCode => "agency.province",
            Setting::SiteSerial => "agency.site",
            Setting::TicketNotice => "ticket.notice",
            Setting::PrintOffsetX => "print.offset_x_mm",
            Setting::PrintOffsetY => "print.offset_y_mm",
            Setting::PrintScale => "print.scale_percent",
            Setting::CertificateOverlay => "certificate.overlay",
            Setting::VerifyBaseUrl => "verify.base_url",
            Setting::PaymentRequired => "payment.required",
            Setting::PortalUrl => "portal.url",
            Setting::IdleLockMinutes => "security.idle_lock_minutes",
            Setting::NoticeDays => "results.notice_days",
            Setting::ReissueNumber => "certificate.reissue_number",
            Setting::Calendar => "results.calendar",
            Setting::ResitValidity => "resit.validity_months",
            Setting::FiledScope => "agency.scope",
            Setting::ReviewWeights => "review.weights",
            Setting::ReviewSpread => "review.spread",
            Setting::ScoreSources => "scores.sources",
            Setting::TicketPattern => "ticket.number_pattern",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Setting::AgencyName => "评价机构名称",
            Setting::AgencyType => "机构类型（Y 用人单位 / S 社会培训评价组织）",
            Setting::AgencyCode => "机构代码（4位，省级备案填 0000）",
            Setting::ProvinceCode => "省份代码（2位）",
            Setting::SiteSerial => "机构/站点序号（6位）",
            Setting::TicketNotice => "准考证考生须知",
            Setting::PrintOffsetX => "套打水平偏移（毫米，向右为正）",
            Setting::PrintOffsetY => "套打垂直偏移（毫米，向下为正）",
            Setting::PrintScale => "套打缩放（%，打印机把 200 毫米打成 198 毫米时填 101）",
            Setting::CertificateOverlay => {
                "套打模板（每行：字段 x y 字号；照片 x y 宽 高；二维码 x y 边长；毫米，自纸张左上角）"
            }
            Setting::VerifyBaseUrl => "证书查询网址（二维码指向此处）",
            Setting::PaymentRequired => "收费计划须先缴费才能编排考试（true/false）",
            Setting::PortalUrl => "考生报名门户网址（同步用；令牌保存在系统钥匙串中）",
            Setting::IdleLockMinutes => "无操作自动锁定（分钟，设置操作员账号后生效）",
            Setting::NoticeDays => "成绩公示期（天，含发布当天；公示期满后才能颁发证书）",
            Setting::ReissueNumber => "补发证书的编号（keep 沿用原编号、换印制流水码 / new 取新编号）",
            Setting::Calendar => "法定节假日与调休上班日（成绩上报期限按工作日计；每行：日期[~结束日期] 休/班 说明）",
            Setting::ResitValidity => "补考时已合格科目的有效期（月；第一行为默认，其后每行“职业=月数”）",
            Setting::ReviewWeights => "综合评审中论文与答辩的权重（百分比，论文/答辩，如 40/60）",
            Setting::ReviewSpread => "综合评审专家评分相差超过此分数时提醒复核（分）",
            Setting::ScoreSources => {
                "成绩来源的列名（每个平台或阅卷机一段：“[名称]”一行，其下每行“文件中的列名=成绩表的列”）"
            }
            Setting::TicketPattern => {
                "准考证号规则（如 {识别码}{序号4}；可用 {年2} {省} {机构3} {批次3} {科目} {考场3} {座号3} {序号4}）"
            }
            Setting::FiledScope => {
                "备案的评价范围（每行：职业编码 职业名称 等级…，如“6-31-01-03 电工 五级-三级”；只备案某工种时加“工种：…”；留空不检查）"
            }
        }
    }

    /// The value in force when none was set (None: must be set before it is needed).
    pub fn default_value(self) -> Option<&'static str> {
        match self {
            Setting::AgencyCode => Some("0000"),
            Setting::TicketNotice => Some(
                "1. 考生须持本准考证和有效身份证件，提前30分钟到达考场。\n2. 开考15分钟后不得入场。\n3. 考试期间须关闭手机等通讯工具，遵守考场纪律。",
            ),
            Setting::PrintOffsetX | Setting::PrintOffsetY => Some("0"),
            Setting::PrintScale => Some("100"),
            Setting::CertificateOverlay => Some(super::overlay::DEFAULT_TEMPLATE),
            Setting::VerifyBaseUrl => Some("http://jndj.osta.org.cn"),
            Setting::PaymentRequired => Some("true"),
            Setting::IdleLockMinutes => Some("15"),
            Setting::NoticeDays => Some("7"),
            Setting::ReissueNumber => Some("keep"),
            Setting::Calendar => Some(super::calendar::BUNDLED),
            Setting::ResitValidity => Some("12"),
            Setting::FiledScope => Some(""),
            Setting::ReviewWeights => Some("40/60"),
            Setting::ReviewSpread => Some("15"),
            Setting::ScoreSources => Some(""),
            Setting::TicketPattern => Some(super::ticket_pattern::DEFAULT_TICKET_PATTERN),
            Setting::AgencyName
            | Setting::AgencyType
            | Setting::ProvinceCode
            | Setting::SiteSerial
            | Setting::PortalUrl => None,
        }
    }

    pub fn parse_key(key: &str) -> Result<Setting> {
        Setting::ALL.into_iter().find(|s| s.key() == key.trim()).ok_or_else(|| {
            let keys: Vec<&str> = Setting::ALL.iter().map(|s| s.key()).collect();
            Error::invalid("设置项", format!("没有“{key}”这一项，可设置：{}", keys.join("、")))
        })
    }

    /// Checks and normalises a value for this setting.
    pub fn validate(self, value: &str) -> Result<String> {
        let v = value.trim();
        let digits = |len: usize| {
            if v.len() == len && v.bytes().all(|b| b.is_ascii_digit()) {
                Ok(v.to_string())
            } else {
                Err(Error::invalid(self.key(), format!("“{v}”应为{len}位数字")))
            }
        };
        match self {
            Setting::AgencyName => {
                if v.is_empty() || v.chars().count() > 60 {
                    Err(Error::invalid(self.key(), "机构名称不能为空，且不超过60个字"))
                } else {
                    Ok(v.to_string())
                }
            }
            Setting::AgencyType => AgencyType::parse(v).map(|t| t.letter().to_string()),
            Setting::AgencyCode => digits(4),
            Setting::ProvinceCode => digits(2),
            Setting::SiteSerial => digits(6),
            Setting::TicketNotice => Ok(value.trim_end().to_string()),
            // Lists of lines: checked whole, kept without blank lines or the spaces around each.
            Setting::ResitValidity => super::results::resit_months(value, "").map(|_| non_blank_lines(value)),
            Setting::Calendar => super::calendar::WorkCalendar::parse(value).map(|_| non_blank_lines(value)),
            Setting::CertificateOverlay => {
                super::overlay::OverlayTemplate::parse(value).map(|_| non_blank_lines(value))
            }
            Setting::FiledScope => super::occupation::FiledScope::parse(value).map(|_| non_blank_lines(value)),
            Setting::ReviewWeights => {
                super::score::ReviewWeights::parse(v).map(|w| format!("{}/{}", w.paper, w.defence))
            }
            Setting::ScoreSources => super::score::ScoreSources::parse(value).map(|_| non_blank_lines(value)),
            Setting::TicketPattern => super::ticket_pattern::TicketPattern::parse(v).map(|p| p.text()),
            Setting::ReviewSpread => match v.parse::<u32>() {
                Ok(points) if (1..=100).contains(&points) => Ok(points.to_string()),
                _ => Err(Error::invalid(self.key(), format!("“{v}”应为 1 到 100 之间的分数"))),
            },
            Setting::PrintScale => match v.trim_end_matches('%').parse::<f64>() {
                Ok(percent) if (90.0..=110.0).contains(&percent) => Ok(format!("{percent}")),
                _ => Err(Error::invalid(self.key(), format!("“{v}”应为 90 到 110 之间的百分数，如 100 或 101.5"))),
            },
            Setting::PrintOffsetX | Setting::PrintOffsetY => match v.parse::<f64>() {
                Ok(mm) if (-50.0..=50.0).contains(&mm) => Ok(format!("{mm}")),
                _ => Err(Error::invalid(self.key(), format!("“{v}”应为 -50 到 50 之间的毫米数，如 1.5 或 -2"))),
            },
            Setting::VerifyBaseUrl | Setting::PortalUrl => {
                if (v.starts_with("http://") || v.starts_with("https://")) && !v.contains(char::is_whitespace) {
                    Ok(v.trim_end_matches('/').to_string())
                } else {
                    Err(Error::invalid(self.key(), format!("“{v}”应为以 http:// 或 https:// 开头的网址")))
                }
            }
            Setting::IdleLockMinutes => match v.parse::<u32>() {
                Ok(minutes) if (1..=240).contains(&minutes) => Ok(minutes.to_string()),
                _ => Err(Error::invalid(self.key(), format!("“{v}”应为 1 到 240 之间的分钟数"))),
            },
            Setting::NoticeDays => match v.parse::<u32>() {
                Ok(days) if (1..=30).contains(&days) => Ok(days.to_string()),
                _ => Err(Error::invalid(self.key(), format!("“{v}”应为 1 到 30 之间的天数"))),
            },
            Setting::ReissueNumber => match v {
                "keep" | "沿用" | "原号" | "沿用原编号" => Ok("keep".into()),
                "new" | "新号" | "取新编号" => Ok("new".into()),
                _ => Err(Error::invalid(self.key(), format!("“{v}”应为 keep（沿用原编号）或 new（取新编号）"))),
            },
            Setting::PaymentRequired => match v {
                "true" | "是" | "1" | "yes" => Ok("true".into()),
                "false" | "否" | "0" | "no" => Ok("false".into()),
                _ => Err(Error::invalid(self.key(), format!("“{v}”应为 true 或 false"))),
            },
        }
    }
}

fn non_blank_lines(value: &str) -> String {
    value.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_and_normalised() {
        assert_eq!(Setting::AgencyType.validate("s").unwrap(), "S");
        assert_eq!(Setting::AgencyCode.validate("0000").unwrap(), "0000");
        assert!(Setting::ProvinceCode.validate("4").is_err());
        assert_eq!(Setting::PrintOffsetX.validate(" -1.50 ").unwrap(), "-1.5");
        assert!(Setting::PrintOffsetY.validate("80").is_err());
        assert_eq!(Setting::VerifyBaseUrl.validate("https://cert.example.cn/").unwrap(), "https://cert.example.cn");
        assert!(Setting::VerifyBaseUrl.validate("cert.example.cn").is_err());
        assert_eq!(Setting::PaymentRequired.validate("否").unwrap(), "false");
        assert_eq!(Setting::NoticeDays.validate(" 5 ").unwrap(), "5");
        assert!(Setting::NoticeDays.validate("0").is_err());
        assert!(Setting::parse_key("agency.nam").unwrap_err().to_string().contains("agency.name"));
        assert_eq!(Setting::ResitValidity.validate(" 12 \n\n电工=24 ").unwrap(), "12\n电工=24");
        assert!(Setting::ResitValidity.validate("电工=24").unwrap_err().to_string().contains("默认月数"));
        assert!(Setting::ResitValidity.validate("12\n电工=0").is_err());
        assert!(
            Setting::Calendar.validate("2027-01-01 休\n2027-13-01 休").unwrap_err().to_string().contains("第 2 行")
        );
    }

    #[test]
    fn every_setting_has_a_distinct_key() {
        let mut keys: Vec<&str> = Setting::ALL.iter().map(|s| s.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), Setting::ALL.len());
    }
}
