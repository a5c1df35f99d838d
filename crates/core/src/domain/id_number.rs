//! 证件类型 and 证件号码: parsing, validation (check character, birth date, region prefix) and what follows from a
//! number (性别, 出生日期). Rules: GB 11643-1999 and ../shared/domain.md.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::text::to_half_width;
use crate::error::{Error, Result};

/// 证件类型, in the order of the national form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum IdType {
    #[serde(rename = "居民身份证")]
    ResidentId,
    #[serde(rename = "港澳台居民居住证")]
    HkMoTwResidence,
    #[serde(rename = "外国人永久居留身份证")]
    ForeignPermanent,
    #[serde(rename = "护照")]
    Passport,
    #[serde(rename = "港澳居民来往内地通行证")]
    HkMoPermit,
    #[serde(rename = "台湾居民来往大陆通行证")]
    TwPermit,
    #[serde(rename = "军官证")]
    MilitaryOfficer,
}

impl IdType {
    pub const ALL: [IdType; 7] = [
        IdType::ResidentId,
        IdType::HkMoTwResidence,
        IdType::ForeignPermanent,
        IdType::Passport,
        IdType::HkMoPermit,
        IdType::TwPermit,
        IdType::MilitaryOfficer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            IdType::ResidentId => "居民身份证",
            IdType::HkMoTwResidence => "港澳台居民居住证",
            IdType::ForeignPermanent => "外国人永久居留身份证",
            IdType::Passport => "护照",
            IdType::HkMoPermit => "港澳居民来往内地通行证",
            IdType::TwPermit => "台湾居民来往大陆通行证",
            IdType::MilitaryOfficer => "军官证",
        }
    }

    /// Accepts the official name and what people really type (身份证, 回乡证, 台胞证, …).
    pub fn parse(text: &str) -> Result<IdType> {
        let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
        let found = match t.as_str() {
            "居民身份证" | "身份证" | "二代身份证" | "中华人民共和国居民身份证" => {
                Some(IdType::ResidentId)
            }
            "港澳台居民居住证" | "居住证" => Some(IdType::HkMoTwResidence),
            "外国人永久居留身份证" | "外国人永久居留证" | "永久居留身份证" => {
                Some(IdType::ForeignPermanent)
            }
            "护照" => Some(IdType::Passport),
            "港澳居民来往内地通行证" | "回乡证" | "港澳通行证" => Some(IdType::HkMoPermit),
            "台湾居民来往大陆通行证" | "台胞证" => Some(IdType::TwPermit),
            "军官证" => Some(IdType::MilitaryOfficer),
            _ => None,
        };
        found.ok_or_else(|| {
            let allowed: Vec<&str> = IdType::ALL.iter().map(|t| t.label()).collect();
            Error::invalid("证件类型", format!("“{text}”不是可用的证件类型，可选：{}", allowed.join("、")))
        })
    }

    /// Numbers of this type carry a birth date and sex (and a check character).
    pub fn carries_birth_date(self) -> bool {
        matches!(self, IdType::ResidentId | IdType::HkMoTwResidence | IdType::ForeignPermanent)
    }
}

impl std::fmt::Display for IdType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum Sex {
    #[serde(rename = "男")]
    Male,
    #[serde(rename = "女")]
    Female,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }

    /// 男/女 as written, and the GB/T 2261.1 codes 1/2 that exports from government systems use.
    pub fn parse(text: &str) -> Result<Sex> {
        match text.trim() {
            "男" | "男性" | "1" => Ok(Sex::Male),
            "女" | "女性" | "2" => Ok(Sex::Female),
            other => Err(Error::invalid("性别", format!("“{other}”不是有效的性别，请填写“男”或“女”"))),
        }
    }
}

/// A 证件号码 that passed validation for its type, with what it tells about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidId {
    /// Normalised: trimmed, half-width, upper-case.
    pub number: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
}

/// GB 11643-1999 weights for the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character for the first 17 digits of an 18-character number.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

/// Province-level codes of GB/T 2260 in use on resident ID cards (71 Taiwan is listed but not issued on the mainland).
const PROVINCE_CODES: [&str; 32] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
];

/// Region prefixes of 港澳台居民居住证.
const HK_MO_TW_PREFIXES: [&str; 3] = ["810000", "820000", "830000"];

/// Trims (also full-width spaces), turns full-width digits and letters into half-width, lower-case x into X.
pub fn normalize_number(raw: &str) -> String {
    // A leading apostrophe is how some systems mark a number as text in their exports: '11010519491231002X.
    let text = to_half_width(raw);
    let text = text.trim().trim_start_matches(['\'', '`', '‘', '’']);
    text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect()
}

/// Validates `raw` as a number of `id_type`; `today` bounds the birth date.
pub fn validate(id_type: IdType, raw: &str, today: NaiveDate) -> Result<ValidId> {
    let number = normalize_number(raw);
    if number.is_empty() {
        return Err(Error::invalid("证件号码", "不能为空"));
    }
    match id_type {
        IdType::ResidentId => {
            if number.len() == 15 && number.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::invalid(
                    "证件号码",
                    format!("“{number}”是15位旧身份证号码，已停止使用，请填写18位身份证号码"),
                ));
            }
            check_shape(&number)?;
            if HK_MO_TW_PREFIXES.iter().any(|p| number.starts_with(&p[..2])) {
                return Err(Error::invalid(
                    "证件号码",
                    format!(
                        "“{number}”以{}开头，是港澳台居民居住证号码，请将证件类型改为“港澳台居民居住证”",
                        &number[..2]
                    ),
                ));
            }
            let province = &number[..2];
            if !PROVINCE_CODES.contains(&province) {
                return Err(Error::invalid(
                    "证件号码",
                    format!("“{number}”前两位“{province}”不是有效的省级行政区划代码，请核对"),
                ));
            }
            validate_gb11643(&number, today, 6)
        }
        IdType::HkMoTwResidence => {
            check_shape(&number)?;
            if !HK_MO_TW_PREFIXES.iter().any(|p| number.starts_with(p)) {
                return Err(Error::invalid(
                    "证件号码",
                    format!(
                        "“{number}”不是港澳台居民居住证号码：应以810000（香港）、820000（澳门）或830000（台湾）开头"
                    ),
                ));
            }
            validate_gb11643(&number, today, 6)
        }
        IdType::ForeignPermanent => {
            // Old card (before 2023-12): 3 letters (nationality) + 12 digits; birth date YYMMDD at positions 6–11.
            // ASCII first: 15 bytes of other text cannot be split at byte 3 (found by tests/fuzz.rs).
            if number.len() == 15 && number.is_ascii() {
                let (letters, digits) = number.split_at(3);
                if !letters.bytes().all(|b| b.is_ascii_uppercase()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error::invalid(
                        "证件号码",
                        format!("“{number}”不是有效的外国人永久居留身份证号码：旧版为3位字母加12位数字"),
                    ));
                }
                return Ok(ValidId { number, birth_date: None, sex: None });
            }
            check_shape(&number)?;
            if !number.starts_with('9') {
                return Err(Error::invalid(
                    "证件号码",
                    format!("“{number}”不是有效的外国人永久居留身份证号码：新版号码以9开头"),
                ));
            }
            validate_gb11643(&number, today, 6)
        }
        IdType::Passport | IdType::HkMoPermit | IdType::TwPermit => {
            let len = number.chars().count();
            if !(5..=20).contains(&len) || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(Error::invalid(
                    "证件号码",
                    format!("“{number}”不是有效的{}号码：应为5至20位字母或数字", id_type.label()),
                ));
            }
            Ok(ValidId { number, birth_date: None, sex: None })
        }
        IdType::MilitaryOfficer => {
            // Officer cards carry Chinese characters, e.g. 南字第123456号.
            let len = number.chars().count();
            if !(4..=20).contains(&len) || !number.chars().all(|c| c.is_alphanumeric()) {
                return Err(Error::invalid(
                    "证件号码",
                    format!("“{number}”不是有效的军官证号码：应为4至20位汉字、字母或数字"),
                ));
            }
            Ok(ValidId { number, birth_date: None, sex: None })
        }
    }
}

/// 18 characters: 17 digits and a digit or X.
fn check_shape(number: &str) -> Result<()> {
    let bytes = number.as_bytes();
    let ok = bytes.len() == 18
        && bytes[..17].iter().all(|b| b.is_ascii_digit())
        && (bytes[17].is_ascii_digit() || bytes[17] == b'X');
    if ok {
        return Ok(());
    }
    let count = number.chars().count();
    let mut message = format!("“{number}”应为18位（17位数字加1位数字或X），实际为{count}位");
    if number.contains('E') || number.contains('.') {
        message = format!("“{number}”像是被Excel当作数字保存后丢失了位数，请把该列设为文本格式后重新录入号码");
    }
    Err(Error::invalid("证件号码", message))
}

/// GB 11643-1999: shape, birth date at `birth_at..birth_at+8`, check character; sex from the 17th digit.
fn validate_gb11643(number: &str, today: NaiveDate, birth_at: usize) -> Result<ValidId> {
    check_shape(number)?;
    let birth_text = &number[birth_at..birth_at + 8];
    let birth_date = NaiveDate::parse_from_str(birth_text, "%Y%m%d")
        .map_err(|_| Error::invalid("证件号码", format!("“{number}”中的出生日期“{birth_text}”不是有效日期，请核对")))?;
    if birth_date > today || birth_date.year() < 1900 {
        return Err(Error::invalid("证件号码", format!("“{number}”中的出生日期“{birth_text}”不可能成立，请核对")));
    }
    let expected = check_char(&number[..17]).expect("shape checked above");
    let actual = number.as_bytes()[17] as char;
    if expected != actual {
        return Err(Error::invalid(
            "证件号码",
            format!("“{number}”校验位不符（最后一位应为{expected}），号码有误，请逐位核对"),
        ));
    }
    let sex = if (number.as_bytes()[16] - b'0') % 2 == 1 { Sex::Male } else { Sex::Female };
    Ok(ValidId { number: number.to_string(), birth_date: Some(birth_date), sex: Some(sex) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn with_check(first17: &str) -> String {
        format!("{first17}{}", check_char(first17).unwrap())
    }

    #[test]
    fn known_number_passes_and_gives_sex_and_birth_date() {
        // The GB 11643-1999 sample number.
        let v = validate(IdType::ResidentId, "11010519491231002X", today()).unwrap();
        assert_eq!(v.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(v.sex, Some(Sex::Female));
        let v = validate(IdType::ResidentId, " 11010519491231002x\u{3000}", today()).unwrap();
        assert_eq!(v.number, "11010519491231002X");
        let v = validate(IdType::ResidentId, "'110105 19491231 002X\u{200B}", today()).unwrap();
        assert_eq!(v.number, "11010519491231002X");
    }

    #[test]
    fn full_width_digits_are_normalised() {
        let v = validate(IdType::ResidentId, "１１０１０５１９４９１２３１００２Ｘ", today()).unwrap();
        assert_eq!(v.number, "11010519491231002X");
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        let err = |n: &str| validate(IdType::ResidentId, n, today()).unwrap_err().to_string();
        assert!(err("110105194912310021").contains("校验位"));
        assert!(err("1.10105E+17").contains("Excel"));
        assert!(err("110105491231002").contains("15位"));
        assert!(err(&with_check("99010519491231002")).contains("行政区划"));
        assert!(err(&with_check("11010519491331002")).contains("出生日期"));
        assert!(err(&with_check("11010520301231002")).contains("不可能"));
        assert!(err(&with_check("81000019800101001")).contains("港澳台居民居住证"));
    }

    #[test]
    fn residence_permit_needs_its_prefix() {
        let hk = with_check("81000019800101001");
        let v = validate(IdType::HkMoTwResidence, &hk, today()).unwrap();
        assert_eq!(v.sex, Some(Sex::Male));
        let mainland = with_check("11010519800101001");
        assert!(validate(IdType::HkMoTwResidence, &mainland, today()).is_err());
    }

    #[test]
    fn foreign_permanent_new_and_old() {
        let new = with_check("93115619850607012");
        let v = validate(IdType::ForeignPermanent, &new, today()).unwrap();
        assert_eq!(v.birth_date, NaiveDate::from_ymd_opt(1985, 6, 7));
        assert!(validate(IdType::ForeignPermanent, "USA110850607011", today()).is_ok());
        assert!(validate(IdType::ForeignPermanent, &with_check("13115619850607012"), today()).is_err());
    }

    #[test]
    fn free_format_documents_check_length_and_characters() {
        assert!(validate(IdType::Passport, "E12345678", today()).is_ok());
        assert!(validate(IdType::Passport, "E1", today()).is_err());
        assert!(validate(IdType::HkMoPermit, "H12345678", today()).is_ok());
        assert!(validate(IdType::HkMoPermit, "H-1234-5678", today()).is_err());
        assert!(validate(IdType::MilitaryOfficer, "南字第123456号", today()).is_ok());
    }

    #[test]
    fn id_types_parse_from_what_people_type() {
        assert_eq!(IdType::parse("身份证").unwrap(), IdType::ResidentId);
        assert_eq!(IdType::parse(" 台胞证 ").unwrap(), IdType::TwPermit);
        assert!(IdType::parse("驾驶证").unwrap_err().to_string().contains("居民身份证"));
    }

    #[test]
    fn fifteen_bytes_of_other_text_are_refused_not_split() {
        // Found by tests/fuzz.rs: 15 bytes (not 15 characters) once reached the old card's split at byte 3.
        for raw in ["a🌀𑰊AA⭶!", "V🕴𑰜T\\⭽/", "张三李四王五AB"] {
            assert!(validate(IdType::ForeignPermanent, raw, today()).is_err(), "{raw}");
        }
    }

    /// Valid resident ID numbers: a province code, four more region digits, a past birth date, a sequence.
    fn valid_resident_id() -> impl Strategy<Value = String> {
        (0..PROVINCE_CODES.len() - 1, 0u32..10_000, 0i64..(365 * 100), 0u32..1000).prop_map(|(p, region, days, seq)| {
            let birth = NaiveDate::from_ymd_opt(1925, 1, 1).unwrap() + chrono::Duration::days(days);
            with_check(&format!("{}{region:04}{}{seq:03}", PROVINCE_CODES[p], birth.format("%Y%m%d")))
        })
    }

    proptest! {
        #[test]
        fn every_generated_valid_id_passes(id in valid_resident_id()) {
            let v = validate(IdType::ResidentId, &id, today()).unwrap();
            prop_assert_eq!(v.number, id);
        }

        #[test]
        fn every_single_digit_change_fails(id in valid_resident_id(), pos in 0usize..18, delta in 1u8..10) {
            let mut bytes = id.clone().into_bytes();
            let c = bytes[pos];
            bytes[pos] = if c == b'X' { b'0' + delta % 10 } else { b'0' + (c - b'0' + delta) % 10 };
            let changed = String::from_utf8(bytes).unwrap();
            prop_assume!(changed != id);
            prop_assert!(validate(IdType::ResidentId, &changed, today()).is_err());
        }
    }
}
