//! Drawing on an A4 page in millimetres from the top-left corner (printpdf's origin is bottom-left, in points), with
//! the bundled CJK fonts (each character in the first font of `fonts` that has it), embedded photos and vector QR
//! codes.

use std::collections::HashMap;

use printpdf::{
    Color, DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFontHandle, Point, Pt, Px, RawImage, Rect, Rgb, TextItem, TextMatrix, XObjectId, XObjectTransform,
};

use super::fonts::{self, Font};
pub use super::fonts::{Face, missing_glyphs};
use crate::domain::photo::PhotoFormat;
use crate::error::{Error, Result};
use crate::store::photos::Photo;

pub const PAGE_WIDTH: f32 = 210.0;
pub const PAGE_HEIGHT: f32 = 297.0;

/// The document being written: its fonts and images, and the pages done so far.
pub struct Document {
    pub doc: PdfDocument,
    /// Every font a character may be set in; one that no text uses is left out of the file.
    fonts: HashMap<Font, FontId>,
    sans: FontId,
    /// Which fonts of the rare-character chain the pages use (bit n: font n).
    fallbacks_used: std::cell::Cell<u64>,
    /// Whether any page drew into its shared layer (only then is the file rewritten to hold that layer once).
    shared_drawn: std::cell::Cell<bool>,
    pub pages: Vec<printpdf::PdfPage>,
}

/// Font `index` of the rare-character chain in `Document::fallbacks_used`.
fn fallback_bit(index: usize) -> u64 {
    1 << index.min(63)
}

/// The id a rare-character font has in every document (known before the font is added to it). Its first six
/// letters become the embedded subset's tag (RAREAA+HanaMinB), which must be six capitals.
fn fallback_id(index: usize) -> FontId {
    let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
    FontId(format!("RARE{}{}SKILLCERTFALLBACKFONT", letter(index / 26), letter(index)))
}

impl Document {
    pub fn new(title: &str, needs_serif: bool) -> Result<Document> {
        let mut doc = PdfDocument::new(title);
        let mut fonts = HashMap::new();
        let sans = doc.add_font(fonts::face(Face::Sans)?);
        let serif = if needs_serif { doc.add_font(fonts::face(Face::Serif)?) } else { sans.clone() };
        fonts.insert(Font::Face(Face::Sans), sans.clone());
        fonts.insert(Font::Face(Face::Serif), serif);
        if let Some(bundled) = fonts::bundled_serif()?.filter(|_| needs_serif) {
            fonts.insert(Font::BundledSerif, doc.add_font(bundled));
        }
        let now = chrono::Utc::now().timestamp();
        if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(now) {
            doc.metadata.info.creation_date = date;
            doc.metadata.info.modification_date = date;
            doc.metadata.info.metadata_date = date;
        }
        doc.metadata.info.producer = "SkillCert".into();
        doc.metadata.info.creator = "SkillCert".into();
        Ok(Document {
            doc,
            fonts,
            sans,
            fallbacks_used: std::cell::Cell::new(0),
            shared_drawn: std::cell::Cell::new(false),
            pages: Vec::new(),
        })
    }

    pub fn canvas(&self) -> Canvas<'_> {
        Canvas { document: self, layers: [Layer::new(), Layer::new()], shared: false }
    }

    pub fn add_page(&mut self, canvas_ops: Vec<Op>) {
        self.pages.push(printpdf::PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), canvas_ops));
    }

    /// Adds a photo: a JPEG as it is (no re-encoding), a PNG decoded once.
    pub fn add_photo(&mut self, photo: &Photo) -> Result<PlacedImage> {
        self.add_image(photo.format, photo.image.clone())
    }

    /// [`Document::add_photo`] for a photo the caller is done with: its bytes move into the file instead of being
    /// copied (a batch of 10,000 桌贴 carries 100 MB of photos).
    pub fn add_owned_photo(&mut self, photo: Photo) -> Result<PlacedImage> {
        self.add_image(photo.format, photo.image)
    }

    fn add_image(&mut self, format: PhotoFormat, image: Vec<u8>) -> Result<PlacedImage> {
        match format {
            PhotoFormat::Jpeg => {
                let info = jpeg_info(&image)
                    .ok_or_else(|| Error::invalid("照片", "照片文件已损坏（JPEG 头无法读取），请重新上传"))?;
                let colour = match info.components {
                    1 => "DeviceGray",
                    4 => "DeviceCMYK",
                    _ => "DeviceRGB",
                };
                let dict = [
                    ("Type", DictItem::Name(b"XObject".to_vec())),
                    ("Subtype", DictItem::Name(b"Image".to_vec())),
                    ("Width", DictItem::Int(i64::from(info.width))),
                    ("Height", DictItem::Int(i64::from(info.height))),
                    ("ColorSpace", DictItem::Name(colour.as_bytes().to_vec())),
                    ("BitsPerComponent", DictItem::Int(8)),
                    ("Filter", DictItem::Name(b"DCTDecode".to_vec())),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
                let xobject = ExternalXObject {
                    stream: ExternalStream { dict, content: image, compress: false },
                    width: Some(Px(info.width as usize)),
                    height: Some(Px(info.height as usize)),
                    dpi: None,
                };
                Ok(PlacedImage { id: self.doc.add_xobject(&xobject), width: info.width, height: info.height })
            }
            PhotoFormat::Png => {
                let image = RawImage::decode_from_bytes(&image, &mut Vec::new())
                    .map_err(|e| Error::invalid("照片", format!("照片无法读取（{e}），请重新上传")))?;
                let (width, height) = (image.width as u32, image.height as u32);
                Ok(PlacedImage { id: self.doc.add_image(&image), width, height })
            }
        }
    }

    pub fn save(mut self) -> Vec<u8> {
        let used = self.fallbacks_used.get();
        for (i, font) in fonts::loaded_fallbacks().iter().enumerate().filter(|(i, _)| used & fallback_bit(*i) != 0) {
            self.doc.resources.fonts.map.insert(fallback_id(i), printpdf::PdfFont::new(font.clone()));
        }
        let pages = std::mem::take(&mut self.pages);
        let bytes = self.doc.with_pages(pages).save(&printpdf::PdfSaveOptions::default(), &mut Vec::new());
        // Rewriting the file costs a second copy of it (100 MB for 10,000 桌贴): only when there is something to share.
        if !self.shared_drawn.get() {
            return bytes;
        }
        share_common_content(&bytes).unwrap_or(bytes)
    }
}

/// An image added to the document, with its pixel size (placing scales it to a box).
#[derive(Debug, Clone)]
pub struct PlacedImage {
    pub id: XObjectId,
    pub width: u32,
    pub height: u32,
}

struct JpegInfo {
    width: u32,
    height: u32,
    components: u8,
}

/// Width, height and colour components from a JPEG's frame header.
fn jpeg_info(bytes: &[u8]) -> Option<JpegInfo> {
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        let length = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            let height = u32::from(u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]));
            let width = u32::from(u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]));
            return Some(JpegInfo { width, height, components: bytes[i + 9] });
        }
        i += 2 + length;
    }
    None
}

fn black() -> Color {
    Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None })
}

/// Points rounded to 1/100: positions print shorter, and a thousand pages add up.
fn round(pt: Pt) -> Pt {
    Pt((pt.0 * 100.0).round() / 100.0)
}

/// Millimetres from the top edge to a printpdf point.
fn point(x: f32, y_top: f32) -> Point {
    Point { x: round(Mm(x).into()), y: round(Mm(PAGE_HEIGHT - y_top).into()) }
}

/// The marked-content tag around the part of a page that is the same on every page of a batch.
const SHARED_TAG: &str = "SkillCertShared";

/// One page's drawing operations, in two layers: what every page of the batch shares (labels, grid, notice) and what
/// is this page's own. Text is gathered and written in one text object per layer (one font switch per change of face
/// or size, absolute positions).
pub struct Canvas<'a> {
    document: &'a Document,
    layers: [Layer; 2],
    /// Drawing into the shared layer.
    shared: bool,
}

struct Layer {
    ops: Vec<Op>,
    /// Runs of text, each in one font.
    texts: Vec<(Font, f32, Point, String)>,
    /// The line width in force, so it is set only when it changes.
    thickness: Option<f32>,
}

impl Layer {
    fn new() -> Layer {
        Layer {
            ops: vec![Op::SetOutlineColor { col: black() }, Op::SetFillColor { col: black() }],
            texts: Vec::new(),
            thickness: None,
        }
    }
}

impl Document {
    fn font(&self, font: Font) -> FontId {
        match font {
            // A rare character's font is added to the file when it is saved, and only if some page used it.
            Font::Fallback(i) => {
                self.fallbacks_used.set(self.fallbacks_used.get() | fallback_bit(i));
                fallback_id(i)
            }
            _ => self.fonts.get(&font).unwrap_or(&self.sans).clone(),
        }
    }

    fn layer_ops(&self, mut layer: Layer) -> Vec<Op> {
        if layer.texts.is_empty() {
            return layer.ops;
        }
        layer.ops.push(Op::StartTextSection);
        let mut current: Option<(Font, f32)> = None;
        for (font, size, at, text) in layer.texts {
            if current != Some((font, size)) {
                layer.ops.push(Op::SetFont { font: PdfFontHandle::External(self.font(font)), size: Pt(size) });
                current = Some((font, size));
            }
            layer.ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(at.x, at.y) });
            layer.ops.push(Op::ShowText { items: vec![TextItem::Text(text)] });
        }
        layer.ops.push(Op::EndTextSection);
        layer.ops
    }
}

impl Canvas<'_> {
    /// What follows, until [`Canvas::own`], is the same on every page of the batch (written once in the file).
    pub fn shared(&mut self) {
        self.shared = true;
    }

    /// What follows is this page's own.
    pub fn own(&mut self) {
        self.shared = false;
    }

    fn layer(&mut self) -> &mut Layer {
        &mut self.layers[usize::from(!self.shared)]
    }

    /// Text with its baseline at `y` mm from the top: a run per font, each starting where the one before ends (a
    /// rare character of a name is set in the fallback that has it).
    pub fn text(&mut self, face: Face, size: f32, x: f32, y: f32, text: &str) {
        let mut x = x;
        for (font, run, ems) in runs(face, text) {
            self.layer().texts.push((font, size, point(x, y), run));
            x += ems * size * 25.4 / 72.0;
        }
    }

    /// The page's operations: the shared layer (marked, so the file can hold it once), then the page's own; each
    /// layer's drawing, then its text in one text object.
    pub fn finish(self) -> Vec<Op> {
        let [shared, own] = self.layers;
        if !shared.texts.is_empty() || shared.ops.len() > Layer::new().ops.len() {
            self.document.shared_drawn.set(true);
        }
        let mut ops = vec![Op::BeginMarkedContent { tag: SHARED_TAG.into() }];
        ops.extend(self.document.layer_ops(shared));
        ops.push(Op::EndMarkedContent);
        ops.extend(self.document.layer_ops(own));
        ops
    }

    fn set_thickness(&mut self, thickness: f32) {
        let layer = self.layer();
        if layer.thickness != Some(thickness) {
            layer.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
            layer.thickness = Some(thickness);
        }
    }

    pub fn text_centered(&mut self, face: Face, size: f32, center_x: f32, y: f32, text: &str) {
        let width = text_width(face, size, text);
        self.text(face, size, center_x - width / 2.0, y, text);
    }

    /// Text broken into lines that fit `width` mm (CJK text breaks between any two characters), `leading` mm apart;
    /// returns the baseline of the last line.
    pub fn wrapped(
        &mut self,
        (face, size): (Face, f32),
        x: f32,
        y: f32,
        (width, leading): (f32, f32),
        text: &str,
    ) -> f32 {
        let mut baseline = y;
        for (i, line) in wrap_lines(face, size, width, text).iter().enumerate() {
            if i > 0 {
                baseline += leading;
            }
            self.text(face, size, x, baseline, line);
        }
        baseline
    }

    /// [`Self::wrapped`] at the largest of `sizes` (pt, largest first) whose lines fit in `height` mm below the first
    /// baseline `y`; lines are `size × 0.53` mm apart. A long 报考条件 shrinks instead of running out of its box.
    pub fn wrapped_to_fit(
        &mut self,
        face: Face,
        sizes: &[f32],
        (x, y): (f32, f32),
        (width, height): (f32, f32),
        text: &str,
    ) {
        let leading = |size: f32| size * 0.53;
        let size = sizes
            .iter()
            .copied()
            .find(|&size| (wrap_lines(face, size, width, text).len().max(1) - 1) as f32 * leading(size) <= height)
            .unwrap_or_else(|| sizes.last().copied().unwrap_or(8.0));
        self.wrapped((face, size), x, y, (width, leading(size)), text);
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32) {
        self.set_thickness(thickness);
        self.layer().ops.extend([Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint { p: point(x1, y1), bezier: false },
                    LinePoint { p: point(x2, y2), bezier: false },
                ],
                is_closed: false,
            },
        }]);
    }

    /// A rectangle outline, `y` being its top edge.
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, thickness: f32) {
        self.set_thickness(thickness);
        self.layer().ops.extend([Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(x).into(),
                y: Mm(PAGE_HEIGHT - y - height).into(),
                width: Mm(width).into(),
                height: Mm(height).into(),
                mode: Some(PaintMode::Stroke),
                winding_order: None,
            },
        }]);
    }

    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32) {
        self.layer().ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(x).into(),
                y: Mm(PAGE_HEIGHT - y - height).into(),
                width: Mm(width).into(),
                height: Mm(height).into(),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    /// An image fitted into a `width` × `height` mm box whose top-left corner is at (x, y): as large as fits,
    /// centred, never stretched (a photo of another shape leaves an even margin on two sides).
    pub fn image(&mut self, image: &PlacedImage, x: f32, y: f32, width: f32, height: f32) {
        let (pixels_wide, pixels_high) = (image.width.max(1) as f32, image.height.max(1) as f32);
        let mm_per_pixel = (width / pixels_wide).min(height / pixels_high);
        let (drawn_width, drawn_height) = (pixels_wide * mm_per_pixel, pixels_high * mm_per_pixel);
        let left = x + (width - drawn_width) / 2.0;
        let bottom = PAGE_HEIGHT - y - height + (height - drawn_height) / 2.0;
        self.layer().ops.push(Op::UseXobject {
            id: image.id.clone(),
            transform: XObjectTransform {
                translate_x: Some(Mm(left).into()),
                translate_y: Some(Mm(bottom).into()),
                // At this dpi the image is exactly `drawn_width` × `drawn_height` mm.
                dpi: Some(25.4 / mm_per_pixel),
                ..Default::default()
            },
        });
    }

    /// A QR code of `data`, `size` mm square, drawn as vector squares (one rectangle per run of dark modules).
    pub fn qr(&mut self, data: &str, x: f32, y: f32, size: f32) -> Result<()> {
        let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| Error::invalid("二维码", format!("无法生成二维码（{e}）")))?;
        let width = code.width();
        let modules = code.to_colors();
        let quiet = 2.0;
        let cell = size / (width as f32 + 2.0 * quiet);
        for row in 0..width {
            let mut col = 0;
            while col < width {
                if modules[row * width + col] == qrcode::Color::Dark {
                    let start = col;
                    while col < width && modules[row * width + col] == qrcode::Color::Dark {
                        col += 1;
                    }
                    let run = (col - start) as f32;
                    self.fill_rect(
                        x + (quiet + start as f32) * cell,
                        y + (quiet + row as f32) * cell,
                        run * cell,
                        cell,
                    );
                } else {
                    col += 1;
                }
            }
        }
        Ok(())
    }
}

/// Width of `text` in mm at `size` pt.
/// `text` broken into lines no wider than `width` mm: at its own line breaks, and between any two characters where a
/// line is full (Chinese text has no spaces to break at).
pub fn wrap_lines(face: Face, size: f32, width: f32, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for c in paragraph.chars() {
            line.push(c);
            if text_width(face, size, &line) > width && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
        lines.push(line);
    }
    lines
}

pub fn text_width(face: Face, size: f32, text: &str) -> f32 {
    let ems: f32 = text.chars().map(|c| fonts::glyph(face, c).ok().flatten().map_or(1.0, |(_, em)| em)).sum();
    ems * size * 25.4 / 72.0
}

/// `text` cut where the font changes, each run with its width in em. A character no font has stays in the face's
/// run, 1 em wide (batches refuse such a document before drawing it; a label drawn regardless shows the face's
/// empty glyph rather than nothing).
fn runs(face: Face, text: &str) -> Vec<(Font, String, f32)> {
    let mut runs: Vec<(Font, String, f32)> = Vec::new();
    for c in text.chars() {
        let (font, em) = fonts::glyph(face, c).ok().flatten().unwrap_or((Font::Face(face), 1.0));
        match runs.last_mut() {
            Some((last, run, width)) if *last == font => {
                run.push(c);
                *width += em;
            }
            _ => runs.push((font, c.to_string(), em)),
        }
    }
    runs
}

/// Writes the shared layer of the pages (the marked content at the start of each page's stream) once, as a stream every
/// page with the same layer lists first in its /Contents. None when the file cannot be rewritten: it is then kept as
/// printpdf wrote it.
fn share_common_content(bytes: &[u8]) -> Option<Vec<u8>> {
    use lopdf::{Object, Stream, dictionary};
    let mut doc = lopdf::Document::load_mem(bytes).ok()?;
    let start = format!("/{SHARED_TAG} BMC").into_bytes();
    let end = b"EMC";
    let mut shared: HashMap<Vec<u8>, lopdf::ObjectId> = HashMap::new();
    for (_, page) in doc.get_pages() {
        let content = doc.get_page_content(page);
        let from = find(&content, &start)?;
        let to = from + find(&content[from..], end)? + end.len();
        let (prefix, rest) = (content[..to].to_vec(), content[to..].to_vec());
        let shared_id = match shared.get(&prefix) {
            Some(id) => *id,
            None => {
                let id = doc.add_object(Stream::new(dictionary! {}, prefix.clone()));
                shared.insert(prefix, id);
                id
            }
        };
        let own = doc.add_object(Stream::new(dictionary! {}, rest));
        let page_dict = doc.get_dictionary_mut(page).ok()?;
        page_dict.set("Contents", Object::Array(vec![Object::Reference(shared_id), Object::Reference(own)]));
    }
    doc.prune_objects();
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).ok()?;
    Some(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_at_the_width_and_at_line_breaks_and_lose_nothing() {
        let text = "具备以下条件之一者：\n条件一：年满16周岁（以计划考试日期计），且累计从事本职业或相关职业工作1年（含）以上。";
        let lines = wrap_lines(Face::Sans, 9.5, 60.0, text);
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(lines[0], "具备以下条件之一者：");
        assert!(lines.iter().all(|l| text_width(Face::Sans, 9.5, l) <= 60.0), "{lines:?}");
        assert_eq!(lines.concat(), text.replace('\n', ""));
        // Narrower than one character still makes progress, one character a line.
        assert_eq!(wrap_lines(Face::Sans, 9.5, 0.1, "电工").len(), 2);
    }
}
