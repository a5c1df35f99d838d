//! The fonts documents print in: two faces (sans for forms and tickets, the certificate face) and, for the rare
//! characters of names that they lack (GB18030-2022's CJK Extensions B–F, e.g. 𠮷 U+20BB7), a chain of fallbacks:
//! the shipped 花園明朝B first (every machine prints the same glyphs), then fonts the machine has installed for what
//! even that lacks. Each character is set in the first font of the chain that has it; only a character no font has
//! is refused.

use std::path::PathBuf;
use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::{Error, Result};

/// Noto Sans SC and Noto Serif SC (SIL Open Font License, assets/fonts/OFL.txt).
static SANS_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansSC-Regular.otf");
static SERIF_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/NotoSerifSC-Regular.otf");
/// 花園明朝B, CJK Extensions B–F (Hanazono Font License or SIL OFL 1.1, assets/fonts/HanaMinB-LICENSE.txt).
static RARE_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/HanaMinB.ttf");

/// Which face: sans for forms and tickets, the certificate face (a system 仿宋 where installed, else the bundled
/// Song-style serif) for certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Sans,
    Serif,
}

/// The font one character is set in: its face; the bundled serif, for what an installed 仿宋 lacks; or the n-th
/// font of the rare-character chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Font {
    Face(Face),
    BundledSerif,
    Fallback(usize),
}

fn unreadable() -> Error {
    Error::Io(std::io::Error::other("内置字体无法读取，安装可能已损坏"))
}

fn parse(bytes: &[u8]) -> Option<ParsedFont> {
    ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
}

pub(crate) fn face(face: Face) -> Result<&'static ParsedFont> {
    static SANS: OnceLock<Option<ParsedFont>> = OnceLock::new();
    static SERIF: OnceLock<Option<ParsedFont>> = OnceLock::new();
    let font = match face {
        Face::Sans => SANS.get_or_init(|| parse(SANS_BYTES)),
        Face::Serif => {
            SERIF.get_or_init(|| system_fangsong().map(|(font, _)| font.clone()).or_else(|| parse(SERIF_BYTES)))
        }
    };
    font.as_ref().ok_or_else(unreadable)
}

/// The bundled serif when the certificate face is an installed 仿宋 (None otherwise: the face is the bundled serif).
pub(crate) fn bundled_serif() -> Result<Option<&'static ParsedFont>> {
    static SERIF: OnceLock<Option<ParsedFont>> = OnceLock::new();
    if system_fangsong().is_none() {
        return Ok(None);
    }
    SERIF.get_or_init(|| parse(SERIF_BYTES)).as_ref().map(Some).ok_or_else(unreadable)
}

/// The rare-character chain: the shipped font, then the installed ones that parse (read once per process, when a
/// character first needs it: 30 MB that most batches never touch).
static CHAIN: OnceLock<Option<Vec<ParsedFont>>> = OnceLock::new();

/// The rare-character chain, read now if it was not yet.
pub(crate) fn fallbacks() -> Result<&'static [ParsedFont]> {
    let chain = CHAIN.get_or_init(|| {
        let shipped = parse(RARE_BYTES)?;
        let installed =
            installed_fallback_paths().filter(|p| p.is_file()).filter_map(|p| parse(&std::fs::read(p).ok()?));
        Some(std::iter::once(shipped).chain(installed).collect())
    });
    chain.as_deref().ok_or_else(unreadable)
}

/// The rare-character chain if a character has needed it so far, else nothing (a document adds to its file those
/// its pages used).
pub(crate) fn loaded_fallbacks() -> &'static [ParsedFont] {
    CHAIN.get().and_then(|chain| chain.as_deref()).unwrap_or(&[])
}

/// Where the machine may have fonts for characters beyond the shipped fallback (Extension G and later, a few
/// compatibility ideographs): SKILLCERT_FALLBACK_FONT, Windows' SimSun-ExtB and SimSun-ExtG, BabelStone Han on Linux.
fn installed_fallback_paths() -> impl Iterator<Item = PathBuf> {
    let chosen = std::env::var_os("SKILLCERT_FALLBACK_FONT").map(PathBuf::from);
    let known = [
        "C:\\Windows\\Fonts\\simsunb.ttf",
        "C:\\Windows\\Fonts\\SimsunExtG.ttf",
        "/Library/Fonts/Microsoft/SimSun-ExtB.ttf",
        "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf",
    ];
    chosen.into_iter().chain(known.into_iter().map(PathBuf::from))
}

/// Where the 仿宋 certificates are traditionally printed in lives on each platform (Windows, macOS with Office or
/// the system's 华文仿宋, common Linux installs). SKILLCERT_CERTIFICATE_FONT names another file.
const FANGSONG_PATHS: [&str; 6] = [
    "C:\\Windows\\Fonts\\simfang.ttf",
    "/Library/Fonts/Microsoft/FangSong.ttf",
    "/Library/Fonts/Microsoft/simfang.ttf",
    "/System/Library/Fonts/Supplemental/STFangsong.ttf",
    "/usr/share/fonts/truetype/windows/simfang.ttf",
    "/usr/share/fonts/TTF/simfang.ttf",
];

/// A system 仿宋 that parses and covers the common characters, and its file; None (the bundled serif) otherwise.
/// Looked for once per process.
fn system_fangsong() -> Option<&'static (ParsedFont, PathBuf)> {
    static FOUND: OnceLock<Option<(ParsedFont, PathBuf)>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let chosen = std::env::var_os("SKILLCERT_CERTIFICATE_FONT").map(PathBuf::from);
            let candidates = chosen.into_iter().chain(FANGSONG_PATHS.iter().map(PathBuf::from));
            candidates.filter(|p| p.is_file()).find_map(|path| {
                let font = parse(&std::fs::read(&path).ok()?)?;
                let covers = "职业技能等级证书姓名证件号码0123456789".chars().all(|c| has_glyph(&font, c));
                covers.then_some((font, path))
            })
        })
        .as_ref()
}

/// The installed 仿宋 file certificates print in; None when the machine has none and the bundled Song-style serif
/// (Noto Serif SC) stands in, which the style notice does not ask for: the shells warn before printing.
pub fn certificate_fangsong() -> Option<&'static std::path::Path> {
    system_fangsong().map(|(_, path)| path.as_path())
}

fn has_glyph(font: &ParsedFont, c: char) -> bool {
    font.lookup_glyph_index(u32::from(c)).is_some()
}

/// The font `c` is set in when text is in `face`: the face itself; for the certificate face, the bundled serif and
/// then the sans; else the first font of the rare-character chain that has it; None when no font has it. Spaces and
/// control characters are always the face's own.
pub(crate) fn font_for(face: Face, c: char) -> Result<Option<Font>> {
    Ok(glyph(face, c)?.map(|(font, _)| font))
}

/// [`font_for`] and the character's advance in em. Remembered per thread: a cmap lookup is a search through the
/// font's tables, and a batch sets the same few hundred characters thousands of times.
pub(crate) fn glyph(face: Face, c: char) -> Result<Option<(Font, f32)>> {
    type Known = std::collections::HashMap<(Face, char), Option<(Font, f32)>>;
    thread_local! {
        static KNOWN: std::cell::RefCell<Known> = std::cell::RefCell::new(Known::new());
    }
    if let Some(known) = KNOWN.with(|k| k.borrow().get(&(face, c)).copied()) {
        return Ok(known);
    }
    let advance = |font: &ParsedFont, glyph: u16| {
        f32::from(font.get_horizontal_advance(glyph)) / f32::from(font.font_metrics.units_per_em.max(1))
    };
    let mut chain: Vec<(Font, &ParsedFont)> = vec![(Font::Face(face), self::face(face)?)];
    if face == Face::Serif {
        chain.extend(bundled_serif()?.map(|f| (Font::BundledSerif, f)));
        chain.push((Font::Face(Face::Sans), self::face(Face::Sans)?));
    }
    let lookup = |(font, parsed): (Font, &ParsedFont)| {
        parsed.lookup_glyph_index(u32::from(c)).map(|g| (font, advance(parsed, g)))
    };
    let found = match chain.into_iter().find_map(lookup) {
        Some(found) => Some(found),
        // A space or a control character the faces lack is nothing to look for in 30 MB of rare characters.
        None if c.is_whitespace() || c.is_control() => Some((Font::Face(face), 0.0)),
        None => fallbacks()?.iter().enumerate().map(|(i, f)| (Font::Fallback(i), f)).find_map(lookup),
    };
    KNOWN.with(|k| k.borrow_mut().insert((face, c), found));
    Ok(found)
}

/// The characters of `text` that no font has (a rare name character must never print as an empty box).
pub fn missing_glyphs(face: Face, text: &str) -> Result<Vec<char>> {
    let mut missing = Vec::new();
    for c in text.chars() {
        if font_for(face, c)?.is_none() && !missing.contains(&c) {
            missing.push(c);
        }
    }
    Ok(missing)
}

/// Whether the screens need the shipped fallback to show `c` (the web fonts they use, like the Noto faces, stop
/// at Extension A): what [`screen_font`] serves.
pub fn needs_screen_font(c: char) -> bool {
    ('\u{20000}'..='\u{3FFFF}').contains(&c)
}

/// The glyphs of `text`'s rare characters (see [`needs_screen_font`]) from the fallback chain, as a small OpenType
/// font for a screen to load (the app's window and the portal's pages): a name in Extension B shows as written
/// without sending the whole 30 MB font. Characters no font has are left out (they show as the browser can).
pub fn screen_font(text: &str) -> Result<Vec<u8>> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile, subset};

    let chain = fallbacks()?;
    let mut wanted: Vec<char> = text.chars().filter(|c| needs_screen_font(*c)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    // One font per response: the first rare-character font that has most of them (the shipped one, nearly always).
    let best = (0..chain.len())
        .max_by_key(|&i| (wanted.iter().filter(|c| has_glyph(&chain[i], **c)).count(), std::cmp::Reverse(i)))
        .unwrap_or(0);
    let font = &chain[best];
    // .notdef first, then each glyph once (allsorts' requirements).
    let used: std::collections::BTreeSet<u16> =
        wanted.iter().filter_map(|c| font.lookup_glyph_index(u32::from(*c))).filter(|g| *g != 0).collect();
    let glyphs: Vec<u16> = std::iter::once(0).chain(used).collect();
    let bytes = font.source_bytes().ok_or_else(unreadable)?;
    let scope = ReadScope::new(bytes.as_slice());
    let data = scope.read::<FontData<'_>>().map_err(|_| unreadable())?;
    let provider = data.table_provider(font.original_index).map_err(|_| unreadable())?;
    subset(&provider, &glyphs, &SubsetProfile::Minimal, CmapTarget::Unicode).map_err(|_| unreadable())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rare_name_character_falls_back_to_the_shipped_font_and_one_no_font_has_is_missing() {
        // 吉 is the face's own; 𠮷 (Extension B) and 𪚥 (Extension B) are the shipped fallback's; U+31350 (Extension H,
        // Unicode 15) is in no shipped font.
        assert_eq!(font_for(Face::Sans, '吉').unwrap(), Some(Font::Face(Face::Sans)));
        assert_eq!(font_for(Face::Serif, '𠮷').unwrap(), Some(Font::Fallback(0)));
        assert_eq!(font_for(Face::Sans, '𪚥').unwrap(), Some(Font::Fallback(0)));
        if fallbacks().unwrap().len() == 1 {
            assert_eq!(missing_glyphs(Face::Sans, "吉𠮷\u{31350}\u{31350}").unwrap(), vec!['\u{31350}']);
        }
        assert!(missing_glyphs(Face::Sans, "阿卜杜热合曼·艾买提 䶮").unwrap().is_empty());
    }

    #[test]
    fn the_screen_font_holds_just_the_rare_characters_asked_for() {
        let bytes = screen_font("吉𠮷 张𪚥𠮷").unwrap();
        assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
        let font = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).unwrap();
        assert!(has_glyph(&font, '𠮷') && has_glyph(&font, '𪚥'));
        assert!(!has_glyph(&font, '吉'), "common characters come from the screen's own fonts");
    }
}
