//! Candidate photos: the seed's rules (jpg or png judged by content, at most 500×700 px and 1 MB), EXIF orientation,
//! and the fix that makes a photo fit. Dimensions are read from the header before anything is decoded, and decoding
//! runs under limits, so a decompression bomb costs nothing.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::Serialize;

use crate::error::{Error, Result};

pub const MAX_WIDTH: u32 = 500;
pub const MAX_HEIGHT: u32 = 700;
pub const MAX_PHOTO_BYTES: usize = 1024 * 1024;
/// Other 证件 images (ID card scans, diplomas).
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;
/// A file larger than this is not read at all, even to fix it.
pub const MAX_INPUT_BYTES: usize = 30 * 1024 * 1024;
/// Larger pictures are refused before decoding (a phone photo is about 4000×3000).
const MAX_DECODE_SIDE: u32 = 12_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum PhotoFormat {
    #[serde(rename = "jpeg")]
    Jpeg,
    #[serde(rename = "png")]
    Png,
}

impl PhotoFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "jpeg",
            PhotoFormat::Png => "png",
        }
    }
}

/// What a photo file is, read from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PhotoInfo {
    pub format: PhotoFormat,
    /// As displayed, after EXIF orientation.
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
    /// The picture must be turned (EXIF orientation) before it is printed as is.
    pub needs_turning: bool,
}

impl PhotoInfo {
    /// What breaks the seed's photo rules, in words an operator understands; empty when the photo is fine.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.width > MAX_WIDTH || self.height > MAX_HEIGHT {
            problems.push(format!("照片为 {}×{} 像素，超过 {MAX_WIDTH}×{MAX_HEIGHT} 的上限", self.width, self.height));
        }
        if self.bytes > MAX_PHOTO_BYTES {
            problems.push(format!("照片文件 {:.1} MB，超过 1 MB 的上限", self.bytes as f64 / 1_048_576.0));
        }
        problems
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits
}

/// Reads a photo's format, size and orientation from its header (nothing is decoded).
pub fn inspect(bytes: &[u8]) -> Result<PhotoInfo> {
    let format = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => PhotoFormat::Jpeg,
        Ok(ImageFormat::Png) => PhotoFormat::Png,
        Ok(other) => {
            return Err(Error::invalid(
                "照片",
                format!("文件内容是 {} 格式，只接受 jpg 或 png；请另存为 jpg 后再上传", other.extensions_str()[0]),
            ));
        }
        Err(_) => return Err(Error::invalid("照片", "文件不是图片（只接受 jpg 或 png），或已损坏")),
    };
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(match format {
        PhotoFormat::Jpeg => ImageFormat::Jpeg,
        PhotoFormat::Png => ImageFormat::Png,
    });
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(|e| damaged(&e))?;
    let (w, h) = decoder.dimensions();
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    use image::metadata::Orientation::*;
    let turned = matches!(orientation, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH);
    let (width, height) = if turned { (h, w) } else { (w, h) };
    Ok(PhotoInfo { format, width, height, bytes: bytes.len(), needs_turning: orientation != NoTransforms })
}

/// Other 证件 images (ID card scans, diplomas): jpg or png by content, at most 2 MB (the seed), any pixel size.
pub fn check_document(bytes: &[u8]) -> Result<PhotoInfo> {
    let info = inspect(bytes)?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::invalid(
            "证件图片",
            format!("文件 {:.1} MB，超过 2 MB 的上限；请压缩后再上传", bytes.len() as f64 / 1_048_576.0),
        ));
    }
    Ok(info)
}

fn damaged(e: &image::ImageError) -> Error {
    match e {
        image::ImageError::Limits(_) => Error::invalid("照片", "图片尺寸过大（超过 12000 像素），无法处理"),
        other => Error::invalid("照片", format!("图片文件已损坏，无法读取（{other}）")),
    }
}

fn decode(bytes: &[u8]) -> Result<DynamicImage> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(crate::Error::Io)?;
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(|e| damaged(&e))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| damaged(&e))?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

/// A photo that fits the rules: turned upright, scaled down to fit 500×700 when larger, saved as JPEG small
/// enough for 1 MB. The caller keeps the original.
pub fn fix(bytes: &[u8]) -> Result<Vec<u8>> {
    let picture = decode(bytes)?;
    let picture = if picture.width() > MAX_WIDTH || picture.height() > MAX_HEIGHT {
        picture.resize(MAX_WIDTH, MAX_HEIGHT, FilterType::Lanczos3)
    } else {
        picture
    };
    let rgb = DynamicImage::ImageRgb8(picture.to_rgb8());
    for quality in [92, 85, 75, 60] {
        let mut out = Vec::new();
        rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, quality))
            .map_err(|e| Error::invalid("照片", format!("无法保存调整后的照片（{e}）")))?;
        if out.len() <= MAX_PHOTO_BYTES {
            return Ok(out);
        }
    }
    Err(Error::invalid("照片", "照片无法压缩到 1 MB 以内"))
}

/// Turns a photo upright when its EXIF orientation says so (re-encoded once); otherwise returns it untouched.
pub fn upright(bytes: &[u8], info: &PhotoInfo) -> Result<Vec<u8>> {
    if info.needs_turning { fix(bytes) } else { Ok(bytes.to_vec()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let picture = ImageBuffer::from_fn(width, height, |x, y| Rgb([(x % 255) as u8, (y % 255) as u8, 128]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(picture).write_with_encoder(JpegEncoder::new_with_quality(&mut out, 90)).unwrap();
        out
    }

    #[test]
    fn judged_by_content_not_name() {
        let info = inspect(&jpeg(300, 400)).unwrap();
        assert_eq!((info.format, info.width, info.height), (PhotoFormat::Jpeg, 300, 400));
        assert!(info.problems().is_empty());
        assert!(inspect(b"GIF89a....").unwrap_err().to_string().contains("jpg 或 png"));
        assert!(inspect(b"not an image at all").is_err());
    }

    #[test]
    fn documents_may_be_larger_than_photos_but_not_over_two_megabytes() {
        let scan = jpeg(1600, 1000);
        assert!(check_document(&scan).is_ok(), "a large scan is fine as a document");
        let mut huge = scan.clone();
        huge.resize(MAX_DOCUMENT_BYTES + 1, 0);
        assert!(check_document(&huge).unwrap_err().to_string().contains("2 MB"));
        assert!(check_document(b"%PDF-1.7").is_err(), "by content: a PDF is not an image");
    }

    #[test]
    fn too_large_photos_are_named_and_fixed() {
        let big = jpeg(1200, 1600);
        let info = inspect(&big).unwrap();
        assert!(info.problems()[0].contains("1200×1600"));
        let fixed = fix(&big).unwrap();
        let after = inspect(&fixed).unwrap();
        assert!(after.problems().is_empty(), "{after:?}");
        assert_eq!((after.width, after.height), (500, 667));
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        // A PNG header declaring 50000×50000 pixels, with no data behind it.
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(b"IHDR");
        ihdr.extend_from_slice(&50_000u32.to_be_bytes());
        ihdr.extend_from_slice(&50_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // The header alone is read: the size is known without allocating 7.5 GB.
        match inspect(&png) {
            Ok(info) => assert!(info.problems()[0].contains("50000×50000")),
            Err(e) => assert!(e.to_string().contains("过大"), "{e}"),
        }
        assert!(fix(&png).unwrap_err().to_string().contains("过大"));
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}
