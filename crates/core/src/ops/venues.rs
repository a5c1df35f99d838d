//! 考务基础数据: the 考点 and rooms an exam is arranged into and the people who staff it, kept as an agency keeps
//! them — in a workbook of three sheets (考点, 考场, 考务人员) it imports and exports.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook as XlsxWorkbook};
use serde::Serialize;
use ts_rs::TS;

use super::Session;
use crate::domain::operator::Permission;
use crate::domain::venue::{RoomDraft, SiteDraft, StaffDraft, ValidRoom, ValidSite, ValidStaff};
use crate::error::{Error, Result};
use crate::import::RowError;
use crate::import::columns::{ColumnKind, ColumnMap, find_header, recognise_among};
use crate::spreadsheet::{Row, Workbook, write_failed};
use crate::store::venues::{self, Site, Staff, Stored};
use crate::store::{Store, audit};

pub fn list_sites(store: &Store) -> Result<Vec<Site>> {
    venues::list_sites(store.conn())
}

pub fn list_staff(store: &Store) -> Result<Vec<Staff>> {
    venues::list_staff(store.conn())
}

/// The 考点 sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteColumn {
    Name,
    Address,
    Ownership,
}

/// The 考场 sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomColumn {
    Site,
    Name,
    Kind,
    Capacity,
    Workstations,
}

/// The 考务人员 sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffColumn {
    Name,
    IdType,
    IdNumber,
    Role,
    Phone,
    Employer,
    Grade,
    Certificate,
    ValidUntil,
    Occupations,
}

/// 保存考点: adds the 考点 of the draft's name or changes its address and ownership; audited when it changed.
pub fn save_site(store: &mut Store, session: &Session, draft: &SiteDraft) -> Result<Site> {
    session.require(Permission::Arrange)?;
    let site = draft.validate()?;
    let now = session.now();
    let id = store.write(|tx| {
        let (id, stored) = venues::put_site(tx, &site, &now)?;
        audit_saved(tx, session, stored, "保存考点", &format!("{}（{}）", site.name, site.address), &now)?;
        Ok(id)
    })?;
    site_by_id(store, id)
}

/// 保存考场: adds the room of the draft's 考点 and name, or changes its kind and sizes; the 考点 must exist.
pub fn save_room(store: &mut Store, session: &Session, draft: &RoomDraft) -> Result<Site> {
    session.require(Permission::Arrange)?;
    let room = draft.validate()?;
    let now = session.now();
    let site_id = store.write(|tx| {
        let site_id = venues::site_id(tx, &room.site)?
            .ok_or_else(|| Error::NotFound(format!("没有名为“{}”的考点：请先添加考点", room.site)))?;
        let (_, stored) = venues::put_room(tx, site_id, &room, &now)?;
        let what = format!("{} {}（{}，{} 人）", room.site, room.name, room.kind.label(), room.capacity);
        audit_saved(tx, session, stored, "保存考场", &what, &now)?;
        Ok(site_id)
    })?;
    site_by_id(store, site_id)
}

/// 保存考务人员: adds the person of the draft's 证件 or changes what is known of them.
pub fn save_staff(store: &mut Store, session: &Session, draft: &StaffDraft) -> Result<Staff> {
    session.require(Permission::Arrange)?;
    let person = draft.validate(session.today)?;
    let now = session.now();
    store.write(|tx| {
        let (_, stored) = venues::put_staff(tx, &person, &now)?;
        audit_saved(tx, session, stored, "保存考务人员", &format!("{} {}", person.role.label(), person.name), &now)
    })?;
    venues::list_staff(store.conn())?
        .into_iter()
        .find(|p| p.person.id_type == person.id_type && p.person.id_number == person.id_number)
        .ok_or_else(|| Error::NotFound(person.name.clone()))
}

/// 删除考点 with its rooms. Arranged exams keep the rooms as they were when arranged.
pub fn remove_site(store: &mut Store, session: &Session, name: &str) -> Result<()> {
    session.require(Permission::Arrange)?;
    let site = named_site(store, name)?;
    let now = session.now();
    store.write(|tx| {
        venues::delete_site(tx, site.id)?;
        let rooms: Vec<&str> = site.rooms.iter().map(|r| r.name.as_str()).collect();
        let what = match rooms.is_empty() {
            true => format!("删除 {}（{}）", site.name, site.address),
            false => format!("删除 {}（{}）及其考场 {}", site.name, site.address, rooms.join("、")),
        };
        audit_venue(tx, session, "删除考点", &what, &now)
    })
}

/// 删除考场 of a 考点; returns the 考点 as it is now.
pub fn remove_room(store: &mut Store, session: &Session, site: &str, room: &str) -> Result<Site> {
    session.require(Permission::Arrange)?;
    let found = named_site(store, site)?;
    let Some(gone) = found.rooms.iter().find(|r| r.name == room.trim()) else {
        let known: Vec<&str> = found.rooms.iter().map(|r| r.name.as_str()).collect();
        return Err(Error::NotFound(format!(
            "考点“{}”没有考场“{}”；它的考场有：{}",
            found.name,
            room.trim(),
            known.join("、")
        )));
    };
    let now = session.now();
    store.write(|tx| {
        venues::delete_room(tx, gone.id)?;
        let what = format!("删除 {} {}（{}，{} 人）", found.name, gone.name, gone.kind.label(), gone.capacity);
        audit_venue(tx, session, "删除考场", &what, &now)
    })?;
    site_by_id(store, found.id)
}

/// 删除考务人员 (by 证件号码, or a name only one person has); refused while they are assigned to serve an exam.
pub fn remove_staff(store: &mut Store, session: &Session, person: &str) -> Result<()> {
    session.require(Permission::Arrange)?;
    let people = venues::list_staff(store.conn())?;
    let gone = super::staffing::find_person(&people, person).map_err(Error::NotFound)?.clone();
    let serving = venues::plans_served_by(store.conn(), gone.id)?;
    if !serving.is_empty() {
        let plans: Vec<String> = serving
            .iter()
            .map(|&id| crate::store::plans::get(store.conn(), id).map(|p| format!("“{} {}”", p.title(), p.level)))
            .collect::<Result<_>>()?;
        return Err(Error::refused(format!(
            "{}已被指派到计划{}的考务，不能删除：请先在考务人员指派中取消其指派",
            gone.person.name,
            plans.join("、")
        )));
    }
    let now = session.now();
    store.write(|tx| {
        venues::delete_staff(tx, gone.id)?;
        let what = format!("删除 {} {}（{}）", gone.person.role.label(), gone.person.name, gone.person.id_number);
        audit_venue(tx, session, "删除考务人员", &what, &now)
    })
}

fn named_site(store: &Store, name: &str) -> Result<Site> {
    let sites = venues::list_sites(store.conn())?;
    sites
        .into_iter()
        .find(|s| s.name == name.trim())
        .ok_or_else(|| Error::NotFound(format!("没有名为“{}”的考点", name.trim())))
}

fn site_by_id(store: &Store, id: i64) -> Result<Site> {
    venues::list_sites(store.conn())?.into_iter().find(|s| s.id == id).ok_or_else(|| Error::NotFound(id.to_string()))
}

/// The audit row of one saved record, unless nothing changed.
fn audit_saved(
    tx: &crate::store::sql::Connection,
    session: &Session,
    stored: Stored,
    action: &str,
    what: &str,
    now: &str,
) -> Result<()> {
    let detail = match stored {
        Stored::Unchanged => return Ok(()),
        Stored::Added => format!("新增 {what}"),
        Stored::Updated => format!("修改 {what}"),
    };
    audit_venue(tx, session, action, &detail, now)
}

fn audit_venue(
    tx: &crate::store::sql::Connection,
    session: &Session,
    action: &str,
    detail: &str,
    now: &str,
) -> Result<()> {
    let entry = audit::NewAuditEntry {
        actor: &session.operator,
        entity: "venue",
        action,
        detail: Some(detail),
        ..Default::default()
    };
    audit::append(tx, &entry, now)
}

/// A sheet kind's columns: aliases (the first is what the export writes) and which are required.
trait SheetKind: ColumnKind {
    const ALL: &'static [Self];
    const REQUIRED: &'static [Self];
    fn aliases(self) -> &'static [&'static str];
}

impl SheetKind for SiteColumn {
    const ALL: &'static [Self] = &[SiteColumn::Name, SiteColumn::Address, SiteColumn::Ownership];
    const REQUIRED: &'static [Self] = &[SiteColumn::Name, SiteColumn::Address];
    fn aliases(self) -> &'static [&'static str] {
        match self {
            SiteColumn::Name => &["考点名称", "考点", "考点名"],
            SiteColumn::Address => &["考点地址", "地址", "详细地址"],
            SiteColumn::Ownership => &["场地性质", "自有/租用", "是否租用"],
        }
    }
}

impl SheetKind for RoomColumn {
    const ALL: &'static [Self] =
        &[RoomColumn::Site, RoomColumn::Name, RoomColumn::Kind, RoomColumn::Capacity, RoomColumn::Workstations];
    const REQUIRED: &'static [Self] = &[RoomColumn::Site, RoomColumn::Name, RoomColumn::Kind, RoomColumn::Capacity];
    fn aliases(self) -> &'static [&'static str] {
        match self {
            RoomColumn::Site => &["考点名称", "考点", "所属考点"],
            RoomColumn::Name => &["考场名称", "考场", "考场号", "教室"],
            RoomColumn::Kind => &["考场类型", "类型", "用途"],
            RoomColumn::Capacity => &["容纳人数", "座位数", "人数", "容量"],
            RoomColumn::Workstations => &["工位数", "工位"],
        }
    }
}

impl SheetKind for StaffColumn {
    const ALL: &'static [Self] = &[
        StaffColumn::Name,
        StaffColumn::IdType,
        StaffColumn::IdNumber,
        StaffColumn::Role,
        StaffColumn::Phone,
        StaffColumn::Employer,
        StaffColumn::Grade,
        StaffColumn::Certificate,
        StaffColumn::ValidUntil,
        StaffColumn::Occupations,
    ];
    const REQUIRED: &'static [Self] =
        &[StaffColumn::Name, StaffColumn::IdNumber, StaffColumn::Role, StaffColumn::Phone];
    fn aliases(self) -> &'static [&'static str] {
        match self {
            StaffColumn::Name => &["姓名"],
            StaffColumn::IdType => &["证件类型"],
            StaffColumn::IdNumber => &["证件号码", "身份证号", "身份证号码"],
            StaffColumn::Role => &["人员类别", "类别", "岗位", "角色"],
            StaffColumn::Phone => &["手机号码", "手机", "联系电话"],
            StaffColumn::Employer => &["工作单位", "单位"],
            StaffColumn::Grade => &["考评员级别", "级别"],
            StaffColumn::Certificate => &["考评员证书编号", "证书编号", "考评员证号"],
            StaffColumn::ValidUntil => &["有效期至", "证书有效期", "有效期"],
            StaffColumn::Occupations => &["可考评职业", "考评职业", "职业"],
        }
    }
}

macro_rules! column_kind {
    ($($kind:ty),+) => {$(
        impl ColumnKind for $kind {
            fn recognise(header: &str) -> Option<Self> {
                recognise_among(header, <$kind as SheetKind>::ALL, <$kind as SheetKind>::aliases)
            }
            fn label(self) -> &'static str {
                <$kind as SheetKind>::aliases(self)[0]
            }
            fn is_key(self) -> bool {
                <$kind as SheetKind>::REQUIRED.contains(&self)
            }
            fn required() -> &'static [Self] {
                <$kind as SheetKind>::REQUIRED
            }
            fn keeps_digits(self) -> bool {
                false
            }
        }
    )+};
}
column_kind!(SiteColumn, RoomColumn, StaffColumn);

/// What an import of 考务基础数据 found and did, per sheet kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct VenueImport {
    pub sites: Counts,
    pub rooms: Counts,
    pub staff: Counts,
    /// Each bad cell, its column named with the sheet (考场/容纳人数).
    pub errors: Vec<RowError>,
    /// False when any row was bad (nothing is written then) or for a dry run.
    pub committed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Counts {
    pub read: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Counts {
    fn count(&mut self, stored: Stored) {
        match stored {
            Stored::Added => self.added += 1,
            Stored::Updated => self.updated += 1,
            Stored::Unchanged => self.unchanged += 1,
        }
    }
}

/// A sheet of one kind: its name, header map and rows.
struct Found<C: ColumnKind> {
    sheet: String,
    map: ColumnMap<C>,
    rows: Vec<Row>,
}

impl<C: ColumnKind> Found<C> {
    /// The data rows under the header with each cell's text by column, and the error constructor for a row.
    fn records(&self) -> impl Iterator<Item = (&Row, impl Fn(C) -> String + '_)> + '_ {
        self.rows.iter().filter(|r| r.number > self.map.header_row).map(move |row| {
            let cell = move |column: C| self.map.index(column).map(|i| row.cell(i).display()).unwrap_or_default();
            (row, cell)
        })
    }

    fn error(&self, row: &Row, field: &str, value: String, reason: String) -> RowError {
        RowError { row: row.number, column: format!("{}/{field}", self.sheet), value, reason }
    }

    /// A draft's refusal as a cell error: the field it names is found among the sheet's columns for its value.
    fn refused(&self, row: &Row, e: &Error) -> RowError {
        let (field, reason) = match e {
            Error::Invalid { field, message } => (*field, message.clone()),
            other => ("", other.to_string()),
        };
        let value =
            C::recognise(field).and_then(|c| self.map.index(c)).map(|i| row.cell(i).display()).unwrap_or_default();
        self.error(row, field, value, reason)
    }
}

/// 导入考务基础数据: a workbook whose sheets are recognised by their headers — 考点 (考点名称, 考点地址, 场地性质),
/// 考场 (考点名称, 考场名称, 考场类型, 容纳人数, 工位数) and 考务人员 (姓名, 证件号码, 人员类别, 手机号码, 考评员证书编号,
/// 有效期至, 可考评职业, …) — each record added or updated by its name (a room by 考点 and name, a person by 证件).
/// Any bad row: every one is listed and nothing is written.
pub fn import_venue_data(store: &mut Store, session: &Session, path: &Path, dry_run: bool) -> Result<VenueImport> {
    session.require(Permission::Arrange)?;
    let mut workbook = Workbook::open(path)?;
    let (mut sites, mut rooms, mut staff) = (None, None, None);
    for name in workbook.sheet_names().to_vec() {
        let sheet = workbook.read_sheet(path, &name)?;
        // A 考场 sheet names a 考点 too: it is told apart by its 考场名称 column first.
        if let Some(map) = find_header::<RoomColumn>(&sheet.rows).filter(|m| m.missing_required().is_empty()) {
            rooms.get_or_insert(Found { sheet: name, map, rows: sheet.rows });
        } else if let Some(map) = find_header::<SiteColumn>(&sheet.rows).filter(|m| m.missing_required().is_empty()) {
            sites.get_or_insert(Found { sheet: name, map, rows: sheet.rows });
        } else if let Some(map) = find_header::<StaffColumn>(&sheet.rows).filter(|m| m.missing_required().is_empty()) {
            staff.get_or_insert(Found { sheet: name, map, rows: sheet.rows });
        }
    }
    if sites.is_none() && rooms.is_none() && staff.is_none() {
        return Err(Error::Unreadable(
            "找不到考务基础数据的表头：考点表应有“考点名称”“考点地址”，考场表应有“考点名称”“考场名称”“考场类型”“容纳人数”，\
             考务人员表应有“姓名”“证件号码”“人员类别”“手机号码”"
                .into(),
        ));
    }
    let mut outcome = VenueImport::default();
    let mut valid_sites: Vec<(ValidSite, u32)> = Vec::new();
    if let Some(found) = &sites {
        for (row, cell) in found.records() {
            outcome.sites.read += 1;
            let draft = SiteDraft {
                name: cell(SiteColumn::Name),
                address: cell(SiteColumn::Address),
                ownership: cell(SiteColumn::Ownership),
            };
            match draft.validate() {
                Ok(site) => match valid_sites.iter().find(|(s, _)| s.name == site.name) {
                    Some((_, first)) => {
                        let reason = format!("与第 {first} 行的考点重名");
                        outcome.errors.push(found.error(row, "考点名称", site.name, reason));
                    }
                    None => valid_sites.push((site, row.number)),
                },
                Err(e) => outcome.errors.push(found.refused(row, &e)),
            }
        }
    }
    let known_sites = venues::list_sites(store.conn())?;
    let mut valid_rooms: Vec<ValidRoom> = Vec::new();
    if let Some(found) = &rooms {
        for (row, cell) in found.records() {
            outcome.rooms.read += 1;
            let draft = RoomDraft {
                site: cell(RoomColumn::Site),
                name: cell(RoomColumn::Name),
                kind: cell(RoomColumn::Kind),
                capacity: cell(RoomColumn::Capacity),
                workstations: cell(RoomColumn::Workstations),
            };
            match draft.validate() {
                Ok(room)
                    if !valid_sites.iter().any(|(s, _)| s.name == room.site)
                        && !known_sites.iter().any(|s| s.name == room.site) =>
                {
                    let reason = "没有这个考点：请先在考点表中列出它（名称须一致）".to_string();
                    outcome.errors.push(found.error(row, "考点名称", room.site, reason));
                }
                Ok(room) if valid_rooms.iter().any(|r| r.site == room.site && r.name == room.name) => {
                    let reason = format!("{}已有同名考场", room.site);
                    outcome.errors.push(found.error(row, "考场名称", room.name, reason));
                }
                Ok(room) => valid_rooms.push(room),
                Err(e) => outcome.errors.push(found.refused(row, &e)),
            }
        }
    }
    let mut valid_staff: Vec<ValidStaff> = Vec::new();
    if let Some(found) = &staff {
        for (row, cell) in found.records() {
            outcome.staff.read += 1;
            let draft = StaffDraft {
                name: cell(StaffColumn::Name),
                id_type: cell(StaffColumn::IdType),
                id_number: cell(StaffColumn::IdNumber),
                role: cell(StaffColumn::Role),
                phone: cell(StaffColumn::Phone),
                employer: cell(StaffColumn::Employer),
                grade: cell(StaffColumn::Grade),
                certificate_number: cell(StaffColumn::Certificate),
                valid_until: cell(StaffColumn::ValidUntil),
                occupations: cell(StaffColumn::Occupations),
            };
            match draft.check(session.today) {
                Ok(person) if valid_staff.iter().any(|p| p.id_number == person.id_number) => {
                    let reason = "同一人在表中出现了两次".to_string();
                    outcome.errors.push(found.error(row, "证件号码", person.id_number, reason));
                }
                Ok(person) => valid_staff.push(person),
                Err(problems) => {
                    outcome.errors.extend(problems.iter().map(|e| found.refused(row, e)));
                }
            }
        }
    }
    if !outcome.errors.is_empty() {
        return Ok(outcome);
    }
    let now = session.now();
    let counts = (outcome.sites.clone(), outcome.rooms.clone(), outcome.staff.clone());
    let (mut site_counts, mut room_counts, mut staff_counts) = counts;
    let committed = store.write_if(|tx| {
        for (site, _) in &valid_sites {
            site_counts.count(venues::put_site(tx, site, &now)?.1);
        }
        for room in &valid_rooms {
            let site_id = venues::site_id(tx, &room.site)?.ok_or_else(|| Error::NotFound(room.site.clone()))?;
            room_counts.count(venues::put_room(tx, site_id, room, &now)?.1);
        }
        for person in &valid_staff {
            staff_counts.count(venues::put_staff(tx, person, &now)?.1);
        }
        let changed = [&site_counts, &room_counts, &staff_counts].iter().any(|c| c.added + c.updated > 0);
        if !changed {
            // Nothing to record: the file says what the database already holds.
            return Ok(!dry_run);
        }
        audit::append(
            tx,
            &audit::NewAuditEntry {
                actor: &session.operator,
                entity: "venue",
                entity_id: 0,
                action: "导入考务基础数据",
                detail: Some(&format!(
                    "{}：考点 新增 {} 更新 {}；考场 新增 {} 更新 {}；人员 新增 {} 更新 {}",
                    path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                    site_counts.added,
                    site_counts.updated,
                    room_counts.added,
                    room_counts.updated,
                    staff_counts.added,
                    staff_counts.updated
                )),
                ..Default::default()
            },
            &now,
        )?;
        Ok(!dry_run)
    })?;
    Ok(VenueImport { sites: site_counts, rooms: room_counts, staff: staff_counts, errors: Vec::new(), committed })
}

/// 导出考务基础数据: the three sheets as [`import_venue_data`] reads them back.
pub fn export_venue_data(store: &Store, path: &Path) -> Result<()> {
    let sites = venues::list_sites(store.conn())?;
    let staff = venues::list_staff(store.conn())?;
    let mut workbook = XlsxWorkbook::new();
    let bold = Format::new().set_bold();
    let mut sheet = |name: &str, headers: &[&str], rows: Vec<Vec<String>>| -> Result<()> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(write_failed)?;
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(write_failed)?;
            sheet.set_column_width(c as u16, 16).map_err(write_failed)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32 + 1, c as u16, v).map_err(write_failed)?;
            }
        }
        Ok(())
    };
    let labels = |all: &[SiteColumn]| all.iter().map(|c| c.label()).collect::<Vec<_>>();
    let site_rows = sites
        .iter()
        .map(|s| vec![s.name.clone(), s.address.clone(), if s.leased { "租用" } else { "自有" }.to_string()])
        .collect();
    sheet("考点", &labels(SiteColumn::ALL), site_rows)?;
    let room_rows = sites
        .iter()
        .flat_map(|s| {
            s.rooms.iter().map(|r| {
                vec![
                    s.name.clone(),
                    r.name.clone(),
                    r.kind.label().to_string(),
                    r.capacity.to_string(),
                    r.workstations.map(|n| n.to_string()).unwrap_or_default(),
                ]
            })
        })
        .collect();
    sheet("考场", &RoomColumn::ALL.iter().map(|c| c.label()).collect::<Vec<_>>(), room_rows)?;
    let staff_rows = staff
        .iter()
        .map(|Staff { person: p, .. }| {
            vec![
                p.name.clone(),
                p.id_type.label().to_string(),
                p.id_number.clone(),
                p.role.label().to_string(),
                p.phone.clone(),
                p.employer.clone().unwrap_or_default(),
                p.grade.map(|g| g.label().to_string()).unwrap_or_default(),
                p.certificate_number.clone().unwrap_or_default(),
                p.valid_until.map(|d| d.to_string()).unwrap_or_default(),
                p.occupations.join("、"),
            ]
        })
        .collect();
    sheet("考务人员", &StaffColumn::ALL.iter().map(|c| c.label()).collect::<Vec<_>>(), staff_rows)?;
    workbook.save(path).map_err(write_failed)
}
