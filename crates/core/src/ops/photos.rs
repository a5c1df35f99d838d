//! 照片: one candidate's photo, or a folder / zip of photos named by 证件号码, checked against the seed's rules
//! and optionally fixed (scaled and compressed, the original kept).

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::Session;
use super::candidates::find_candidate;
use crate::domain::id_number::normalize_number;
use crate::domain::operator::Permission;
use crate::domain::photo::{self, MAX_INPUT_BYTES, PhotoInfo};
use crate::error::{Error, Fix, Result};
use crate::store::candidates::Candidate;
use crate::store::{Store, audit, candidates, photos};

/// A stored photo, as reported back.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PhotoOutcome {
    pub name: String,
    pub id_number: String,
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
    /// Scaled or compressed to fit the rules (`--fix`).
    pub fixed: bool,
    /// Turned upright from its EXIF orientation.
    pub turned: bool,
}

/// What is stored for a given file: the printable image, its facts, and the original when it was changed.
pub(crate) struct Prepared {
    image: Vec<u8>,
    info: PhotoInfo,
    original: Option<Vec<u8>>,
    fixed: bool,
    turned: bool,
}

pub(crate) fn prepare(bytes: Vec<u8>, fix: bool) -> Result<Prepared> {
    let info = photo::inspect(&bytes)?;
    let problems = info.problems();
    if !problems.is_empty() {
        if !fix {
            return Err(Error::invalid("照片", problems.join("，")).with_fix(Fix::AllowPhotoFix));
        }
        let image = photo::fix(&bytes)?;
        let info = photo::inspect(&image)?;
        return Ok(Prepared { image, info, original: Some(bytes), fixed: true, turned: false });
    }
    if info.needs_turning {
        let image = photo::upright(&bytes, &info)?;
        let info = photo::inspect(&image)?;
        return Ok(Prepared { image, info, original: Some(bytes), fixed: false, turned: true });
    }
    Ok(Prepared { image: bytes, info, original: None, fixed: false, turned: false })
}

pub(crate) fn save(
    tx: &crate::store::sql::Connection,
    session: &Session,
    candidate: &Candidate,
    p: &Prepared,
    now: &str,
) -> Result<PhotoOutcome> {
    photos::save(tx, candidate.id, &p.image, &p.info, p.original.as_deref(), now)?;
    let detail = format!(
        "{}×{}，{} KB{}{}",
        p.info.width,
        p.info.height,
        p.image.len().div_ceil(1024),
        if p.fixed { "，已自动调整（保留原图）" } else { "" },
        if p.turned { "，已按拍摄方向转正" } else { "" }
    );
    audit::append(
        tx,
        &audit::NewAuditEntry {
            actor: &session.operator,
            entity: "candidate",
            entity_id: candidate.id,
            action: "上传照片",
            detail: Some(&detail),
            id_number: Some(&candidate.profile.id_number),
            ..Default::default()
        },
        now,
    )?;
    Ok(PhotoOutcome {
        name: candidate.profile.name.clone(),
        id_number: candidate.profile.id_number.clone(),
        width: p.info.width,
        height: p.info.height,
        bytes: p.image.len(),
        fixed: p.fixed,
        turned: p.turned,
    })
}

/// Reads at most [`MAX_INPUT_BYTES`] of a file; a larger one is refused.
fn read_limited(reader: impl Read, what: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Error::invalid("照片", format!("{what} 超过 {} MB，不是证件照", MAX_INPUT_BYTES >> 20)));
    }
    Ok(bytes)
}

/// Sets one candidate's photo from a file.
pub fn set_photo(
    store: &mut Store,
    session: &Session,
    id_number: &str,
    file: &Path,
    fix: bool,
) -> Result<PhotoOutcome> {
    session.require(Permission::ManageCandidates)?;
    let opened = std::fs::File::open(file)
        .map_err(|e| Error::Unreadable(format!("无法打开照片文件 {}：{e}", file.display())))?;
    set_photo_bytes(store, session, id_number, read_limited(opened, "照片文件")?, fix)
}

/// Sets one candidate's photo from an upload already in memory (the portal), checked by content like a file.
pub fn set_photo_bytes(
    store: &mut Store,
    session: &Session,
    id_number: &str,
    bytes: Vec<u8>,
    fix: bool,
) -> Result<PhotoOutcome> {
    session.require(Permission::ManageCandidates)?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Error::invalid("照片", format!("上传的文件超过 {} MB，不是证件照", MAX_INPUT_BYTES >> 20)));
    }
    let prepared = prepare(bytes, fix)?;
    let now = session.now();
    store.write(|tx| {
        let candidate = find_candidate(tx, id_number, None)?;
        save(tx, session, &candidate, &prepared, &now)
    })
}

/// A file that was not imported, and why.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PhotoRejection {
    pub file: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct PhotoImportReport {
    pub imported: Vec<PhotoOutcome>,
    /// Files whose name is no candidate's 证件号码.
    pub unmatched: Vec<String>,
    pub rejected: Vec<PhotoRejection>,
}

/// Imports every photo in a folder or a .zip, each file named by its candidate's 证件号码 (any extension). All
/// accepted photos are saved in one transaction; the report lists unmatched and rejected files.
pub fn import_photos(store: &mut Store, session: &Session, source: &Path, fix: bool) -> Result<PhotoImportReport> {
    session.require(Permission::ManageCandidates)?;
    let files = read_source(source)?;
    crate::backup::before_bulk(store, "导入照片")?;
    let now = session.now();
    store.write(|tx| {
        let mut report = PhotoImportReport::default();
        for (file, bytes) in files {
            let stem = Path::new(&file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let number = normalize_number(&stem);
            let found = candidates::find_by_number(tx, &number)?;
            let candidate = match found.as_slice() {
                [] => {
                    report.unmatched.push(file);
                    continue;
                }
                [one] => one,
                _ => {
                    let reason = format!("证件号码 {number} 对应多种证件类型的考生，请用 photo set 单独上传");
                    report.rejected.push(PhotoRejection { file, reason });
                    continue;
                }
            };
            match bytes.and_then(|b| prepare(b, fix)) {
                Ok(prepared) => report.imported.push(save(tx, session, candidate, &prepared, &now)?),
                Err(e) => report.rejected.push(PhotoRejection { file, reason: e.reason() }),
            }
        }
        Ok(report)
    })
}

/// Most files a zip may hold, and all of them together unpacked: beyond these it is not a folder of ID photos.
const MAX_ZIP_FILES: usize = 200_000;
const MAX_ZIP_TOTAL: u64 = 8 * 1024 * 1024 * 1024;

/// The files of a folder (not its subfolders) or a zip, each read with the size limit (a failure per file is
/// kept for the report). A zip that would unpack to more than is sane is refused whole.
fn read_source(source: &Path) -> Result<Vec<(String, Result<Vec<u8>>)>> {
    let unreadable = |e: &dyn std::fmt::Display| Error::Unreadable(format!("无法读取 {}：{e}", source.display()));
    if source.is_dir() {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(source).map_err(|e| unreadable(&e))? {
            let entry = entry.map_err(|e| unreadable(&e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_file() && !name.starts_with('.') {
                let bytes = std::fs::File::open(entry.path()).map_err(Error::from).and_then(|f| read_limited(f, &name));
                files.push((name, bytes));
            }
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        return Ok(files);
    }
    let file = std::fs::File::open(source).map_err(|e| unreadable(&e))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| unreadable(&format!("不是文件夹，也不是有效的 zip 压缩包（{e}）")))?;
    if archive.len() > MAX_ZIP_FILES {
        return Err(unreadable(&format!("压缩包内有 {} 个文件，超过上限 {MAX_ZIP_FILES}", archive.len())));
    }
    let mut total: u64 = 0;
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| unreadable(&e))?;
        let name = entry.name().map_err(|e| unreadable(&e))?.to_string();
        let base = name.rsplit('/').next().unwrap_or(&name).to_string();
        if entry.is_dir() || name.starts_with("__MACOSX/") || base.starts_with('.') || base.is_empty() {
            continue;
        }
        // The declared size can lie; read_limited stops at the limit whatever it says.
        total += entry.size().min(MAX_INPUT_BYTES as u64 + 1);
        if total > MAX_ZIP_TOTAL {
            return Err(unreadable(&"压缩包解压后过大，请分批上传"));
        }
        let bytes = read_limited(entry, &base);
        files.push((base, bytes));
    }
    Ok(files)
}
