//! Text as operators type it: dates in local forms, "--" for none, names with stray spaces, phone numbers.

use std::borrow::Cow;

use chrono::{FixedOffset, NaiveDate, Utc};

use crate::error::{Error, Result};

/// China Standard Time has no daylight saving: a fixed +08:00 is Asia/Shanghai.
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// Today's date in Asia/Shanghai, whatever the machine's own time zone.
pub fn today_in_shanghai() -> NaiveDate {
    Utc::now().with_timezone(&shanghai()).date_naive()
}

/// The current instant as stored in the database: RFC 3339 in +08:00, second precision.
pub fn now_stamp() -> String {
    Utc::now().with_timezone(&shanghai()).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// A stored stamp as people read it: "2026-11-26 17:56:47" of "2026-11-26T17:56:47+08:00".
pub fn stamp_for_people(stamp: &str) -> String {
    stamp.get(..19).unwrap_or(stamp).replace('T', " ")
}

/// Full-width digits and letters (１, Ａ) as half-width, the ideographic space as a space: what Chinese input methods
/// produce in full-width mode. Full-width punctuation stays: （深圳） is how company names are written. Invisible
/// characters pasted from web pages and chat apps (zero-width spaces, byte-order marks) go.
pub fn to_half_width(text: &str) -> Cow<'_, str> {
    let changes = |c: char| matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '\u{3000}' | '\u{00A0}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}');
    // Most cells need nothing: no copy then (an import checks millions of cells).
    if !text.chars().any(changes) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
            .map(|c| match c {
                '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' | '\u{00A0}' => ' ',
                c => c,
            })
            .collect(),
    )
}

/// "--", "—", "——", "-", "无" and empty all mean "none" in the seed's tables.
pub fn is_none_marker(text: &str) -> bool {
    matches!(text.trim(), "" | "-" | "--" | "—" | "——" | "－－" | "无" | "/")
}

/// A day or, as rosters often give 毕业时间 and 参加工作时间, a month (2015-07, 2015年7月, 2015.7, 201507): a month is
/// taken as its first day.
pub fn parse_month_or_date(field: &'static str, text: &str) -> Result<NaiveDate> {
    let t: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_end_matches('份').trim_end_matches('月');
    let unified: String =
        t.chars().map(|c| if matches!(c, '/' | '.' | '年' | '／' | '．') { '-' } else { c }).collect();
    let month = match unified.split('-').collect::<Vec<_>>().as_slice() {
        [y, m] if y.len() == 4 => y.parse().ok().zip(m.parse().ok()),
        [ym] if ym.len() == 6 && ym.bytes().all(|b| b.is_ascii_digit()) => {
            ym[..4].parse().ok().zip(ym[4..].parse().ok())
        }
        _ => None,
    };
    match month.and_then(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1)) {
        Some(first) => Ok(first),
        None => parse_date(field, text).map_err(|_| {
            Error::invalid(field, format!("“{text}”不是有效的年月或日期，请写成 2015-07 或 2015-07-01 的形式"))
        }),
    }
}

/// A day as its month, the way 毕业时间 and 参加工作时间 are shown and printed: 2015-07 (what
/// [`parse_month_or_date`] reads back).
pub fn month_of(day: Option<NaiveDate>) -> String {
    day.map(|d| d.format("%Y-%m").to_string()).unwrap_or_default()
}

/// Dates as real rosters write them: 2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日, 20261201.
pub fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate> {
    // Exports from other systems append a time: "1990-03-07 00:00:00", "1990-03-07T00:00:00".
    let t = text.trim();
    let t = match t.rsplit_once([' ', 'T']) {
        Some((date, time)) if time.contains(':') => date,
        _ => t,
    };
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_end_matches('日');
    let unified: String = t
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' | '／' | '．' => '-',
            c => c,
        })
        .collect();
    let parsed = if unified.len() == 8 && unified.bytes().all(|b| b.is_ascii_digit()) {
        NaiveDate::parse_from_str(&unified, "%Y%m%d").ok()
    } else {
        let parts: Vec<&str> = unified.split('-').collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 => match (y.parse(), m.parse(), d.parse()) {
                (Ok(y), Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(y, m, d),
                _ => None,
            },
            _ => None,
        }
    };
    parsed.ok_or_else(|| {
        if text.trim().is_empty() {
            Error::invalid(field, "不能为空，请填写日期，如 2026-12-01")
        } else {
            Error::invalid(field, format!("“{text}”不是有效日期，请写成 2026-12-01 的形式"))
        }
    })
}

/// Names: spaces (also full-width) between Chinese characters are typing slips and go; other runs become one space.
pub fn normalize_name(text: &str) -> String {
    let words: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c == '\u{3000}').filter(|w| !w.is_empty()).collect();
    let mut out = String::new();
    for word in words {
        let joins_cjk = out.chars().last().is_some_and(is_cjk) && word.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !joins_cjk {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{323AF}' | '·')
}

/// Validates a person's name after normalising it.
pub fn validate_name(text: &str) -> Result<String> {
    let name = normalize_name(text);
    if name.is_empty() {
        return Err(Error::invalid("姓名", "不能为空"));
    }
    if name.chars().count() > 50 {
        return Err(Error::invalid("姓名", format!("“{name}”超过50个字，请核对")));
    }
    if name.chars().any(|c| c.is_ascii_digit() || c.is_control()) {
        return Err(Error::invalid("姓名", format!("“{name}”含有数字或控制字符，请核对")));
    }
    Ok(name)
}

/// Mainland mobile numbers (11 digits from 13–19), optionally written with +86/86 and separators; landlines with
/// an area code are accepted too (0xx-xxxxxxxx), for people without a mobile; 港澳台 and foreign numbers with their
/// country code (see [`international_phone`]).
pub fn validate_phone(text: &str) -> Result<String> {
    if let Some(number) = international_phone(text)? {
        return Ok(number);
    }
    let digits: String =
        super::id_number::normalize_number(text).chars().filter(|c| !matches!(c, '-' | '(' | ')')).collect();
    let digits =
        digits.strip_prefix("+86").or_else(|| digits.strip_prefix("86").filter(|d| d.len() == 11)).unwrap_or(&digits);
    let mobile = digits.len() == 11
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9')
        && digits.bytes().all(|b| b.is_ascii_digit());
    let landline =
        digits.starts_with('0') && (10..=12).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    if mobile || landline {
        Ok(digits.to_string())
    } else if digits.is_empty() {
        Err(Error::invalid("手机号码", "不能为空"))
    } else {
        Err(Error::invalid("手机号码", format!("“{text}”不是有效的手机号码，应为11位数字，如 13812345678")))
    }
}

/// A number written with a country code other than China's (+ or 00): Hong Kong +852 and Macao +853 take 8 digits,
/// Taiwan +886 9 (or 10 with the trunk 0), any other country 7 to 15 digits in all (E.164). Kept as written (half-width,
/// one space between groups), to be printed as given. None for a number without such a code.
fn international_phone(text: &str) -> Result<Option<String>> {
    // Full-width digits, plus and hyphen as a Chinese input method types them.
    let half = to_half_width(text.trim()).replace('＋', "+").replace('－', "-");
    let written = half.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(rest) = written.strip_prefix('+').or_else(|| written.strip_prefix("00")) else { return Ok(None) };
    let digits: String = rest.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    if digits.starts_with("86") || digits.is_empty() {
        return Ok(None);
    }
    let wrong = |why: &str| Err(Error::invalid("手机号码", format!("“{}”不是有效的号码：{why}", text.trim())));
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return wrong("只能包含数字、空格、“-”和括号");
    }
    let national = |code: &str| digits.strip_prefix(code).map(str::len);
    match (national("852"), national("853"), national("886")) {
        (Some(8), _, _) | (_, Some(8), _) => {}
        (Some(_), _, _) => return wrong("香港号码为 +852 加 8 位数字"),
        (_, Some(_), _) => return wrong("澳门号码为 +853 加 8 位数字"),
        (_, _, Some(9 | 10)) => {}
        (_, _, Some(_)) => return wrong("台湾号码为 +886 加 9 位数字（如 +886 912 345 678）"),
        _ if (7..=15).contains(&digits.len()) => {}
        _ => return wrong("国际号码连同国家代码应为 7 到 15 位数字"),
    }
    Ok(Some(written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_local_forms() {
        let want = NaiveDate::from_ymd_opt(1990, 3, 7).unwrap();
        for t in ["1990-03-07", "1990-3-7", "1990.3.7", "1990/03/07", "1990年3月7日", "19900307", " 1990年03月07日 "]
        {
            assert_eq!(parse_date("出生日期", t).unwrap(), want, "{t}");
        }
        for bad in ["1990-02-30", "90.3.7", "三月", "1990-3"] {
            assert!(parse_date("出生日期", bad).unwrap_err().to_string().starts_with("出生日期"), "{bad}");
        }
    }

    #[test]
    fn months_and_days_as_rosters_give_graduation_and_work_start() {
        let july = NaiveDate::from_ymd_opt(2015, 7, 1).unwrap();
        for t in ["2015-07", "2015年7月", "2015.7", "201507", "2015/07", "2015年07月份", "2015-07-01"] {
            assert_eq!(parse_month_or_date("毕业时间", t).unwrap(), july, "{t}");
        }
        assert_eq!(
            parse_month_or_date("毕业时间", "2015-07-20").unwrap(),
            NaiveDate::from_ymd_opt(2015, 7, 20).unwrap()
        );
        for bad in ["2015", "2015-13", "七月", "15-07"] {
            let e = parse_month_or_date("毕业时间", bad).unwrap_err().to_string();
            assert!(e.contains("毕业时间") && e.contains("2015-07"), "{bad}: {e}");
        }
    }

    #[test]
    fn names_lose_stray_spaces() {
        assert_eq!(normalize_name(" 张 三\u{3000}"), "张三");
        assert_eq!(normalize_name("欧阳  娜娜"), "欧阳娜娜");
        assert_eq!(normalize_name("John   Smith"), "John Smith");
        assert_eq!(normalize_name("阿卜杜 · 热合曼"), "阿卜杜·热合曼");
        assert!(validate_name("  ").is_err());
        assert!(validate_name("张3").is_err());
    }

    #[test]
    fn full_width_becomes_half_width() {
        assert_eq!(to_half_width("Ｍａｒｉａ　１２３（深圳）"), "Maria 123（深圳）");
        assert_eq!(to_half_width("张三"), "张三");
        assert_eq!(to_half_width("\u{FEFF}1101\u{200B}05"), "110105");
    }

    #[test]
    fn phones() {
        assert_eq!(validate_phone("138 1234 5678").unwrap(), "13812345678");
        assert_eq!(validate_phone("+86 13812345678").unwrap(), "13812345678");
        assert_eq!(validate_phone("１３８１２３４５６７８").unwrap(), "13812345678");
        assert_eq!(validate_phone("020-87654321").unwrap(), "02087654321");
        for bad in ["12812345678", "1381234567", "abc", "23812345678"] {
            assert!(validate_phone(bad).unwrap_err().to_string().contains("手机号码"), "{bad}");
        }
        // 港澳台 and foreign numbers, kept as written.
        assert_eq!(validate_phone(" +852 9123  4567 ").unwrap(), "+852 9123 4567");
        assert_eq!(validate_phone("+853 6612 3456").unwrap(), "+853 6612 3456");
        assert_eq!(validate_phone("+886 912 345 678").unwrap(), "+886 912 345 678");
        assert_eq!(validate_phone("00886-0912-345-678").unwrap(), "00886-0912-345-678");
        assert_eq!(validate_phone("+1 (415) 555-0100").unwrap(), "+1 (415) 555-0100");
        assert_eq!(validate_phone("＋８５２ ９１２３４５６７").unwrap(), "+852 91234567");
        assert_eq!(
            validate_phone("+86 138 1234 5678").unwrap(),
            "13812345678",
            "China's own code is a mainland number"
        );
        assert!(validate_phone("+852 912345").unwrap_err().to_string().contains("+852 加 8 位"));
        assert!(validate_phone("+886 12345").unwrap_err().to_string().contains("+886"));
        assert!(validate_phone("+44 12").unwrap_err().to_string().contains("7 到 15 位"));
        assert!(validate_phone("+852 9123 abcd").unwrap_err().to_string().contains("只能包含数字"));
    }
}
