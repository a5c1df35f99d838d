//! The `exam_sites`, `exam_rooms` and `exam_staff` tables: the agency's 考务基础数据.

use serde::Serialize;
use ts_rs::TS;

use super::plans::text_error;
use super::sql::{Connection, OptionalExtension, Row, params};
use crate::domain::id_number::IdType;
use crate::domain::venue::{ExaminerGrade, RoomKind, StaffRole, ValidRoom, ValidSite, ValidStaff};
use crate::error::{Error, Result};

/// A 考点 with its rooms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub address: String,
    /// 租用 (a leased venue) rather than the agency's own.
    pub leased: bool,
    pub rooms: Vec<Room>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Room {
    pub id: i64,
    pub site_id: i64,
    pub name: String,
    pub kind: RoomKind,
    pub capacity: u32,
    pub workstations: Option<u32>,
}

/// A member of exam staff as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Staff {
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub person: ValidStaff,
}

/// What storing a record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Added,
    Updated,
    Unchanged,
}

fn parse_label<T>(column: usize, text: &str, all: &[T], label: impl Fn(&T) -> &'static str) -> Result<T>
where
    T: Copy,
{
    all.iter()
        .copied()
        .find(|v| label(v) == text)
        .ok_or_else(|| text_error(column, Error::Data(format!("未知的值“{text}”"))))
}

pub fn list_sites(conn: &Connection) -> Result<Vec<Site>> {
    let mut sites: Vec<Site> = conn
        .prepare_cached("SELECT id, name, address, leased FROM exam_sites ORDER BY name")?
        .query_map((), |r| {
            Ok(Site { id: r.get(0)?, name: r.get(1)?, address: r.get(2)?, leased: r.get(3)?, rooms: Vec::new() })
        })?
        .collect::<Result<_>>()?;
    let rooms: Vec<Room> = conn
        .prepare_cached(
            "SELECT id, site_id, name, kind, capacity, workstations FROM exam_rooms ORDER BY site_id, name",
        )?
        .query_map((), room_from_row)?
        .collect::<Result<_>>()?;
    for room in rooms {
        if let Some(site) = sites.iter_mut().find(|s| s.id == room.site_id) {
            site.rooms.push(room);
        }
    }
    Ok(sites)
}

fn room_from_row(r: &Row<'_>) -> Result<Room> {
    let kind: String = r.get(3)?;
    Ok(Room {
        id: r.get(0)?,
        site_id: r.get(1)?,
        name: r.get(2)?,
        kind: parse_label(3, &kind, &RoomKind::ALL, |k| k.label())?,
        capacity: r.get::<i64>(4)? as u32,
        workstations: r.get::<Option<i64>>(5)?.map(|n| n as u32),
    })
}

/// Adds the 考点 of this name, or changes its address and ownership.
pub fn put_site(conn: &Connection, site: &ValidSite, now: &str) -> Result<(i64, Stored)> {
    let found: Option<(i64, String, bool)> = conn
        .prepare_cached("SELECT id, address, leased FROM exam_sites WHERE name = ?1")?
        .query_row([&site.name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match found {
        Some((id, address, leased)) if address == site.address && leased == site.leased => Ok((id, Stored::Unchanged)),
        Some((id, _, _)) => {
            conn.execute(
                "UPDATE exam_sites SET address = ?1, leased = ?2, updated_at = ?3 WHERE id = ?4",
                params![site.address, site.leased, now, id],
            )?;
            Ok((id, Stored::Updated))
        }
        None => {
            let id = conn.query_row(
                "INSERT INTO exam_sites (name, address, leased, updated_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                params![site.name, site.address, site.leased, now],
                |r| r.get(0),
            )?;
            Ok((id, Stored::Added))
        }
    }
}

pub fn site_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM exam_sites WHERE name = ?1")?.query_row([name], |r| r.get(0)).optional()
}

/// Removes a 考点 and its rooms (arrangements keep their own copy of the rooms they used).
pub fn delete_site(conn: &Connection, site_id: i64) -> Result<()> {
    conn.execute("DELETE FROM exam_rooms WHERE site_id = ?1", [site_id])?;
    conn.execute("DELETE FROM exam_sites WHERE id = ?1", [site_id])?;
    Ok(())
}

pub fn delete_room(conn: &Connection, room_id: i64) -> Result<()> {
    conn.execute("DELETE FROM exam_rooms WHERE id = ?1", [room_id])?;
    Ok(())
}

/// The plans a person is assigned to serve (a person still assigned is not removed).
pub fn plans_served_by(conn: &Connection, staff_id: i64) -> Result<Vec<i64>> {
    conn.prepare_cached("SELECT DISTINCT plan_id FROM staff_assignments WHERE staff_id = ?1 ORDER BY plan_id")?
        .query_map([staff_id], |r| r.get(0))?
        .collect()
}

/// Removes a person and the conflicts they declared.
pub fn delete_staff(conn: &Connection, staff_id: i64) -> Result<()> {
    conn.execute("DELETE FROM staff_declarations WHERE staff_id = ?1", [staff_id])?;
    conn.execute("DELETE FROM exam_staff WHERE id = ?1", [staff_id])?;
    Ok(())
}

/// Adds the room of this name at the site, or changes its kind and sizes.
pub fn put_room(conn: &Connection, site_id: i64, room: &ValidRoom, now: &str) -> Result<(i64, Stored)> {
    let found = conn
        .prepare_cached(
            "SELECT id, site_id, name, kind, capacity, workstations FROM exam_rooms WHERE site_id = ?1 AND name = ?2",
        )?
        .query_row(params![site_id, room.name], room_from_row)
        .optional()?;
    match found {
        Some(old)
            if old.kind == room.kind && old.capacity == room.capacity && old.workstations == room.workstations =>
        {
            Ok((old.id, Stored::Unchanged))
        }
        Some(old) => {
            conn.execute(
                "UPDATE exam_rooms SET kind = ?1, capacity = ?2, workstations = ?3, updated_at = ?4 WHERE id = ?5",
                params![room.kind.label(), room.capacity, room.workstations, now, old.id],
            )?;
            Ok((old.id, Stored::Updated))
        }
        None => {
            let id = conn.query_row(
                "INSERT INTO exam_rooms (site_id, name, kind, capacity, workstations, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                params![site_id, room.name, room.kind.label(), room.capacity, room.workstations, now],
                |r| r.get(0),
            )?;
            Ok((id, Stored::Added))
        }
    }
}

const STAFF_COLUMNS: &str =
    "id, name, id_type, id_number, role, phone, employer, grade, certificate_number, valid_until, occupations";

fn staff_from_row(r: &Row<'_>) -> Result<Staff> {
    let id_type: String = r.get(2)?;
    let role: String = r.get(4)?;
    let grade: Option<String> = r.get(7)?;
    let occupations: String = r.get(10)?;
    let person = ValidStaff {
        name: r.get(1)?,
        id_type: IdType::parse(&id_type).map_err(|e| text_error(2, e))?,
        id_number: r.get(3)?,
        role: StaffRole::parse(&role).map_err(|e| text_error(4, e))?,
        phone: r.get(5)?,
        employer: r.get(6)?,
        grade: grade
            .map(|g| parse_label(7, &g, &[ExaminerGrade::Examiner, ExaminerGrade::Senior], |g| g.label()))
            .transpose()?,
        certificate_number: r.get(8)?,
        valid_until: r.get(9)?,
        occupations: occupations.split('、').filter(|o| !o.is_empty()).map(str::to_string).collect(),
    };
    Ok(Staff { id: r.get(0)?, person })
}

pub fn list_staff(conn: &Connection) -> Result<Vec<Staff>> {
    conn.prepare_cached(&format!("SELECT {STAFF_COLUMNS} FROM exam_staff ORDER BY role, name"))?
        .query_map((), staff_from_row)?
        .collect()
}

/// Adds the person of this 证件, or changes what is known of them.
pub fn put_staff(conn: &Connection, staff: &ValidStaff, now: &str) -> Result<(i64, Stored)> {
    let found = conn
        .prepare_cached(&format!("SELECT {STAFF_COLUMNS} FROM exam_staff WHERE id_type = ?1 AND id_number = ?2"))?
        .query_row(params![staff.id_type.label(), staff.id_number], staff_from_row)
        .optional()?;
    let occupations = staff.occupations.join("、");
    let values = params![
        staff.name,
        staff.role.label(),
        staff.phone,
        staff.employer,
        staff.grade.map(|g| g.label()),
        staff.certificate_number,
        staff.valid_until,
        occupations,
        now,
        staff.id_type.label(),
        staff.id_number
    ];
    match found {
        Some(old) if old.person == *staff => Ok((old.id, Stored::Unchanged)),
        Some(old) => {
            conn.execute(
                "UPDATE exam_staff SET name = ?1, role = ?2, phone = ?3, employer = ?4, grade = ?5,
                     certificate_number = ?6, valid_until = ?7, occupations = ?8, updated_at = ?9
                 WHERE id_type = ?10 AND id_number = ?11",
                values,
            )?;
            Ok((old.id, Stored::Updated))
        }
        None => {
            let id = conn.query_row(
                "INSERT INTO exam_staff (name, role, phone, employer, grade, certificate_number, valid_until,
                     occupations, updated_at, id_type, id_number)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                values,
                |r| r.get(0),
            )?;
            Ok((id, Stored::Added))
        }
    }
}
