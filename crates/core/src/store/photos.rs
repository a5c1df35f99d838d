//! The `photos` table: one printable photo per candidate (and the original when it had to be changed).

use super::sql::{Connection, OptionalExtension, params};

use crate::domain::photo::{PhotoFormat, PhotoInfo};
use crate::error::Result;

/// A stored photo, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub image: Vec<u8>,
    pub format: PhotoFormat,
    pub width: u32,
    pub height: u32,
}

pub fn save(
    conn: &Connection,
    candidate_id: i64,
    image: &[u8],
    info: &PhotoInfo,
    original: Option<&[u8]>,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO photos (candidate_id, image, format, width, height, original, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (candidate_id) DO UPDATE SET image = excluded.image, format = excluded.format,
             width = excluded.width, height = excluded.height, original = excluded.original,
             updated_at = excluded.updated_at",
    )?
    .execute(params![candidate_id, image, info.format.as_str(), info.width, info.height, original, now])?;
    Ok(())
}

pub fn get(conn: &Connection, candidate_id: i64) -> Result<Option<Photo>> {
    conn.prepare_cached("SELECT image, format, width, height FROM photos WHERE candidate_id = ?1")?
        .query_row([candidate_id], |r| {
            let format: String = r.get(1)?;
            Ok(Photo {
                image: r.get(0)?,
                format: if format == "png" { PhotoFormat::Png } else { PhotoFormat::Jpeg },
                width: r.get(2)?,
                height: r.get(3)?,
            })
        })
        .optional()
}
