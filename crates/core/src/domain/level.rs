//! 职业技能等级: the five levels and 专项职业能力, written the way forms write them ("四级/中级工").

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum Level {
    #[serde(rename = "五级/初级工")]
    Five,
    #[serde(rename = "四级/中级工")]
    Four,
    #[serde(rename = "三级/高级工")]
    Three,
    #[serde(rename = "二级/技师")]
    Two,
    #[serde(rename = "一级/高级技师")]
    One,
    /// 专项职业能力: no level, and no digit in a certificate number.
    #[serde(rename = "专项能力/专项")]
    Special,
}

impl Level {
    pub const ALL: [Level; 6] = [Level::Five, Level::Four, Level::Three, Level::Two, Level::One, Level::Special];

    pub fn label(self) -> &'static str {
        match self {
            Level::Five => "五级/初级工",
            Level::Four => "四级/中级工",
            Level::Three => "三级/高级工",
            Level::Two => "二级/技师",
            Level::One => "一级/高级技师",
            Level::Special => "专项能力/专项",
        }
    }

    /// The level digit of a certificate number (pos 16); none for 专项.
    pub fn digit(self) -> Option<u8> {
        match self {
            Level::Five => Some(5),
            Level::Four => Some(4),
            Level::Three => Some(3),
            Level::Two => Some(2),
            Level::One => Some(1),
            Level::Special => None,
        }
    }

    /// 二级 and 一级 are also assessed by 综合评审.
    pub fn needs_review_panel(self) -> bool {
        matches!(self, Level::Two | Level::One)
    }

    /// Accepts "四级/中级工", "四级", "中级工", "中级", "4", "四" and the like.
    pub fn parse(text: &str) -> Result<Level> {
        let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
        // Older certificates' wording: 国家职业资格四级, 职业资格证书三级, 四级（中级工）.
        let t = t.replace('／', "/").replace(['（', '('], "/").replace(['）', ')'], "");
        let t = ["国家职业资格证书", "国家职业资格", "职业资格证书", "职业资格", "职业技能等级证书", "职业技能等级"]
            .iter()
            .find_map(|prefix| t.strip_prefix(prefix))
            .unwrap_or(&t);
        let t = t.strip_suffix("证书").unwrap_or(t).to_string();
        let found = Level::ALL.into_iter().find(|level| {
            let label = level.label();
            let (number_part, name_part) = label.split_once('/').expect("labels have a slash");
            let short_name = name_part.trim_end_matches('工');
            let digit = level.digit().map(|d| d.to_string()).unwrap_or_default();
            let number_char = number_part.trim_end_matches('级');
            t == label
                || t == number_part
                || t == name_part
                || t == short_name
                || (!digit.is_empty() && (t == digit || t == format!("{digit}级") || t == number_char))
                || t.split('/').all(|p| p == number_part || p == name_part || p == short_name)
        });
        found.ok_or_else(|| {
            let allowed: Vec<&str> = Level::ALL.iter().map(|l| l.label()).collect();
            Error::invalid("等级", format!("“{text}”不是有效的等级，可选：{}", allowed.join("、")))
        })
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_older_certificates_wording() {
        for (text, level) in [
            ("国家职业资格四级", Level::Four),
            ("国家职业资格三级（高级工）", Level::Three),
            ("职业资格证书五级", Level::Five),
            ("四级（中级工）", Level::Four),
            ("国家职业资格一级", Level::One),
            ("职业技能等级证书二级", Level::Two),
        ] {
            assert_eq!(Level::parse(text).unwrap(), level, "{text}");
        }
        assert!(Level::parse("国家职业资格").is_err());
    }

    #[test]
    fn parses_the_forms_people_write() {
        for (text, level) in [
            ("四级/中级工", Level::Four),
            ("四级", Level::Four),
            ("中级工", Level::Four),
            ("中级", Level::Four),
            ("4", Level::Four),
            ("4级", Level::Four),
            ("一级/高级技师", Level::One),
            ("高级技师", Level::One),
            ("技师", Level::Two),
            ("高级工", Level::Three),
            ("高级", Level::Three),
            ("五级 / 初级工", Level::Five),
            ("专项能力/专项", Level::Special),
            ("专项", Level::Special),
        ] {
            assert_eq!(Level::parse(text).unwrap(), level, "{text}");
        }
        assert!(Level::parse("六级").unwrap_err().to_string().contains("一级/高级技师"));
        assert!(Level::parse("").is_err());
    }
}
