//! 证书编号: the 22-character national format (人社鉴发〔2019〕2号).
//!
//! pos 1 Y/S (agency type) · 2–5 agency code · 6–7 province code · 8–13 agency/site serial · 14–15 year of issue
//! · 16 level digit · 17–22 serial per agency, year and level. The serial is allocated by the store
//! (`store::certificate_serials`), which never hands out the same one twice.

use serde::{Deserialize, Serialize};

use super::level::Level;
use crate::error::{Error, Result};

pub const NUMBER_LEN: usize = 22;
pub const MAX_SERIAL: u32 = 999_999;

/// 评价机构类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgencyType {
    /// Y = 用人单位.
    #[serde(rename = "Y")]
    Employer,
    /// S = 社会培训评价组织.
    #[serde(rename = "S")]
    Organisation,
}

impl AgencyType {
    pub fn letter(self) -> char {
        match self {
            AgencyType::Employer => 'Y',
            AgencyType::Organisation => 'S',
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text.trim() {
            "Y" | "y" | "用人单位" => Ok(AgencyType::Employer),
            "S" | "s" | "社会培训评价组织" => Ok(AgencyType::Organisation),
            other => Err(Error::invalid("机构类型", format!("“{other}”应为 Y（用人单位）或 S（社会培训评价组织）"))),
        }
    }
}

/// The parts of a certificate number that come from the agency's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    pub agency_type: AgencyType,
    /// 4 digits; "0000" when filed provincially.
    pub agency_code: String,
    /// 2 digits (GB/T 2260 province).
    pub province_code: String,
    /// 6 digits.
    pub site_serial: String,
}

impl Issuer {
    pub fn validate(&self) -> Result<()> {
        digits("机构代码", &self.agency_code, 4)?;
        digits("省份代码", &self.province_code, 2)?;
        digits("机构/站点序号", &self.site_serial, 6)
    }

    /// The first 16 characters: everything but the serial. Serials are counted per prefix.
    pub fn prefix(&self, year: i32, level: Level) -> Result<String> {
        self.validate()?;
        let digit = level.digit().ok_or_else(|| Error::refused("专项职业能力没有等级，不发放职业技能等级证书"))?;
        if !(2000..=2099).contains(&year) {
            return Err(Error::invalid("发证年份", format!("{year} 不在 2000–2099 之间")));
        }
        Ok(format!(
            "{}{}{}{}{:02}{}",
            self.agency_type.letter(),
            self.agency_code,
            self.province_code,
            self.site_serial,
            year % 100,
            digit
        ))
    }
}

fn digits(field: &'static str, value: &str, len: usize) -> Result<()> {
    if value.len() == len && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("“{value}”应为{len}位数字")))
    }
}

/// A whole certificate number from its prefix and serial.
pub fn format_number(prefix: &str, serial: u32) -> Result<String> {
    if serial == 0 || serial > MAX_SERIAL {
        return Err(Error::refused(format!(
            "证书编号 {prefix} 的序号已用完（最多 {MAX_SERIAL} 个），请联系上级主管部门"
        )));
    }
    Ok(format!("{prefix}{serial:06}"))
}

/// Checks the shape of a certificate number someone typed (for lookups and imports).
pub fn validate_number(text: &str) -> Result<String> {
    let n = text.trim().to_ascii_uppercase();
    let b = n.as_bytes();
    let ok = b.len() == NUMBER_LEN
        && matches!(b[0], b'Y' | b'S')
        && b[1..].iter().all(|c| c.is_ascii_digit())
        && (b'1'..=b'5').contains(&b[15]);
    if ok {
        Ok(n)
    } else {
        Err(Error::invalid(
            "证书编号",
            format!("“{text}”不是有效的证书编号：应为22位，首位Y或S，其后21位数字，第16位为等级1–5"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer() -> Issuer {
        Issuer {
            agency_type: AgencyType::Organisation,
            agency_code: "0000".into(),
            province_code: "44".into(),
            site_serial: "000123".into(),
        }
    }

    #[test]
    fn number_has_every_part_in_place() {
        let prefix = issuer().prefix(2026, Level::Four).unwrap();
        let n = format_number(&prefix, 42).unwrap();
        assert_eq!(n, "S000044000123264000042");
        assert_eq!(n.len(), NUMBER_LEN);
        assert_eq!(validate_number(&n).unwrap(), n);
        assert_eq!(&n[13..15], "26");
        assert_eq!(&n[15..16], "4");
    }

    #[test]
    fn refusals() {
        assert!(issuer().prefix(2026, Level::Special).is_err());
        assert!(Issuer { agency_code: "12a4".into(), ..issuer() }.prefix(2026, Level::One).is_err());
        let prefix = issuer().prefix(2026, Level::One).unwrap();
        assert!(format_number(&prefix, 0).is_err());
        assert!(format_number(&prefix, MAX_SERIAL + 1).unwrap_err().to_string().contains("用完"));
        assert!(validate_number("S00004400012326600004").is_err());
        assert!(validate_number("X000044000123264000042").is_err());
    }
}
