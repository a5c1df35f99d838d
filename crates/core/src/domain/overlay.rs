//! 套打: where each value of the certificate goes on an agency's pre-printed stock. The template is the setting
//! certificate.overlay, one line per field, in millimetres from the sheet's top-left corner:
//!
//! ```text
//! 姓名 112 84 12        text: where its baseline starts, and its size in pt (小四, 12, when left out)
//! 照片 32 80 25 35      the photo's box (width, height); the photo is fitted in it, never stretched
//! 二维码 150 226 30     the QR code's square
//! ```
//!
//! A field left out is not printed (stock with no place for it). The printer's own shift and scale (settings
//! print.offset_x_mm, print.offset_y_mm and print.scale_percent) apply on top, the same for every field.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// A value the certificate prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub enum OverlayField {
    Name,
    IdType,
    IdNumber,
    Occupation,
    Job,
    Level,
    Number,
    IssuedOn,
    Photo,
    Qr,
}

impl OverlayField {
    pub const ALL: [OverlayField; 10] = [
        OverlayField::Name,
        OverlayField::IdType,
        OverlayField::IdNumber,
        OverlayField::Occupation,
        OverlayField::Job,
        OverlayField::Level,
        OverlayField::Number,
        OverlayField::IssuedOn,
        OverlayField::Photo,
        OverlayField::Qr,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OverlayField::Name => "姓名",
            OverlayField::IdType => "证件类型",
            OverlayField::IdNumber => "证件号码",
            OverlayField::Occupation => "职业名称",
            OverlayField::Job => "工种/职业方向",
            OverlayField::Level => "职业技能等级",
            OverlayField::Number => "证书编号",
            OverlayField::IssuedOn => "发证日期",
            OverlayField::Photo => "照片",
            OverlayField::Qr => "二维码",
        }
    }

    fn parse(word: &str) -> Option<OverlayField> {
        let word = word.trim_end_matches(['：', ':']);
        OverlayField::ALL.into_iter().find(|f| f.label() == word).or(match word {
            "工种" | "职业方向" => Some(OverlayField::Job),
            "等级" | "技能等级" => Some(OverlayField::Level),
            "职业" => Some(OverlayField::Occupation),
            "编号" => Some(OverlayField::Number),
            _ => None,
        })
    }

    /// The numbers a line of this field carries after x and y: a text size, or a box.
    fn extent(self) -> &'static str {
        match self {
            OverlayField::Photo => "宽 高",
            OverlayField::Qr => "边长",
            _ => "[字号]",
        }
    }
}

/// One field's place: `size` is the text's pt, or the box's width in mm (`height` for the photo).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Placement {
    pub field: OverlayField,
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub height: f32,
}

/// 小四: the size the style notice gives a certificate's values.
pub const VALUE_PT: f32 = 12.0;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OverlayTemplate {
    pub placements: Vec<Placement>,
}

/// Where the full certificate SkillCert draws prints its values: the template until an agency sets its own.
pub const DEFAULT_TEMPLATE: &str = "姓名 112 84 12
证件类型 112 98 12
证件号码 112 112 12
职业名称 112 126 12
工种/职业方向 112 140 12
职业技能等级 112 154 12
证书编号 112 168 12
发证日期 52 226 12
照片 32 80 25 35
二维码 150 226 30";

impl OverlayTemplate {
    pub fn bundled() -> OverlayTemplate {
        OverlayTemplate::parse(DEFAULT_TEMPLATE).unwrap_or(OverlayTemplate { placements: Vec::new() })
    }

    /// Reads a template, refusing it whole with the line and what is wrong (blank lines and `#` notes skipped).
    pub fn parse(text: &str) -> Result<OverlayTemplate> {
        let mut placements: Vec<Placement> = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let wrong = |what: String| Error::invalid("套打模板", format!("第 {} 行“{line}”：{what}", index + 1));
            let mut words = line.split_whitespace();
            let name = words.next().unwrap_or("");
            let field = OverlayField::parse(name).ok_or_else(|| {
                let known: Vec<&str> = OverlayField::ALL.iter().map(|f| f.label()).collect();
                wrong(format!("没有“{name}”这一项，可用：{}", known.join("、")))
            })?;
            let numbers: Vec<f32> = words
                .map(|w| w.parse::<f32>().ok().filter(|n| n.is_finite()))
                .collect::<Option<_>>()
                .ok_or_else(|| wrong("位置和大小应为数字（毫米，字号为磅）".into()))?;
            let shape = || wrong(format!("应写“{} x y {}”", field.label(), field.extent()));
            let (x, y, size, height) = match (field, numbers.as_slice()) {
                (OverlayField::Photo, [x, y, w, h]) => (*x, *y, *w, *h),
                (OverlayField::Qr, [x, y, side]) => (*x, *y, *side, *side),
                (OverlayField::Photo | OverlayField::Qr, _) => return Err(shape()),
                (_, [x, y]) => (*x, *y, VALUE_PT, 0.0),
                (_, [x, y, size]) => (*x, *y, *size, 0.0),
                _ => return Err(shape()),
            };
            if !(0.0..=210.0).contains(&x) || !(0.0..=297.0).contains(&y) {
                return Err(wrong("位置超出 A4 纸（横 0–210、竖 0–297 毫米）".into()));
            }
            match field {
                OverlayField::Photo if !(10.0..=60.0).contains(&size) || !(10.0..=80.0).contains(&height) => {
                    return Err(wrong("照片框应为 10–60 毫米宽、10–80 毫米高（一寸照 25×35）".into()));
                }
                OverlayField::Qr if !(15.0..=60.0).contains(&size) => {
                    return Err(wrong("二维码边长应为 15–60 毫米，太小扫不出".into()));
                }
                OverlayField::Photo | OverlayField::Qr => {}
                _ if !(6.0..=30.0).contains(&size) => return Err(wrong("字号应为 6–30 磅（小四为 12）".into())),
                _ => {}
            }
            if placements.iter().any(|p| p.field == field) {
                return Err(wrong(format!("“{}”写了两次", field.label())));
            }
            placements.push(Placement { field, x, y, size, height });
        }
        if placements.is_empty() {
            return Err(Error::invalid("套打模板", "至少要有一项，例如“姓名 112 84 12”"));
        }
        Ok(OverlayTemplate { placements })
    }

    pub fn get(&self, field: OverlayField) -> Option<&Placement> {
        self.placements.iter().find(|p| p.field == field)
    }
}

/// How one printer shifts and scales a page: measured with the calibration page, applied to every field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrinterAdjust {
    /// mm to the right and down.
    pub dx: f32,
    pub dy: f32,
    /// 1.0 = 100 %.
    pub scale: f32,
}

impl PrinterAdjust {
    pub const NONE: PrinterAdjust = PrinterAdjust { dx: 0.0, dy: 0.0, scale: 1.0 };

    /// Where a template position prints.
    pub fn at(self, x: f32, y: f32) -> (f32, f32) {
        (x * self.scale + self.dx, y * self.scale + self.dy)
    }

    /// A template length (mm or pt) as printed.
    pub fn len(self, length: f32) -> f32 {
        length * self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_template_places_every_field_and_values_at_xiaosi() {
        let t = OverlayTemplate::bundled();
        assert_eq!(t.placements.len(), OverlayField::ALL.len());
        assert_eq!(t.get(OverlayField::Name).unwrap().size, VALUE_PT);
        let photo = t.get(OverlayField::Photo).unwrap();
        assert_eq!((photo.size, photo.height), (25.0, 35.0));
    }

    #[test]
    fn a_template_reads_aliases_notes_and_default_sizes_and_refuses_naming_the_line() {
        let t = OverlayTemplate::parse("# 省版证书纸\n姓名： 100 80\n工种 100.5 95 10.5 # 小五\n\n二维码 160 230 25")
            .unwrap();
        assert_eq!(t.placements.len(), 3);
        assert_eq!(t.get(OverlayField::Name).unwrap().size, 12.0);
        assert_eq!(t.get(OverlayField::Job).unwrap().x, 100.5);
        assert!(t.get(OverlayField::Photo).is_none(), "a field left out is not printed");
        for (text, says) in [
            ("姓名 112 84\n性别 100 100", "第 2 行"),
            ("姓名 112", "应写“姓名 x y [字号]”"),
            ("照片 30 80 25", "应写“照片 x y 宽 高”"),
            ("姓名 112 84 40", "字号应为 6–30 磅"),
            ("姓名 250 84", "超出 A4"),
            ("姓名 112 八十", "应为数字"),
            ("姓名 1 1\n姓名 2 2", "写了两次"),
            ("二维码 150 226 8", "太小扫不出"),
            ("# nothing", "至少要有一项"),
        ] {
            let e = OverlayTemplate::parse(text).unwrap_err().to_string();
            assert!(e.contains(says), "{text:?}: {e}");
        }
    }

    #[test]
    fn the_printer_scales_about_the_corner_then_shifts() {
        let p = PrinterAdjust { dx: 1.5, dy: -2.0, scale: 0.99 };
        let (x, y) = p.at(100.0, 200.0);
        assert!((x - 100.5).abs() < 1e-4 && (y - 196.0).abs() < 1e-4, "{x} {y}");
        assert!((p.len(12.0) - 11.88).abs() < 1e-4);
    }
}
