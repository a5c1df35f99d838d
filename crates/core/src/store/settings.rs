//! The `settings` table: agency settings as key → text (rules and defaults in `domain::settings`).

use super::sql::{Connection, OptionalExtension, params};

use crate::domain::calendar::WorkCalendar;
use crate::domain::certificate::{AgencyType, Issuer};
use crate::domain::occupation::FiledScope;
use crate::domain::score::{ReviewWeights, ScoreSources};
use crate::domain::settings::Setting;
use crate::domain::ticket_pattern::TicketPattern;
use crate::error::{Error, Fix, Result};

/// The value an operator set, if any.
pub fn stored(conn: &Connection, setting: Setting) -> Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [setting.key()], |r| r.get(0)).optional()
}

/// The value set for `setting`, or its default.
pub fn get(conn: &Connection, setting: Setting) -> Result<Option<String>> {
    Ok(stored(conn, setting)?.or_else(|| setting.default_value().map(str::to_string)))
}

/// The value, or an error telling the operator which setting to set first.
pub fn require(conn: &Connection, setting: Setting) -> Result<String> {
    get(conn, setting)?.ok_or_else(|| {
        Error::refused(format!("尚未设置“{}”", setting.label()))
            .with_fix(Fix::SetSetting { key: setting.key().into(), label: setting.label().into() })
    })
}

/// Stores a value (already validated); returns the previous stored value.
pub fn set(conn: &Connection, setting: Setting, value: &str, now: &str) -> Result<Option<String>> {
    let before = stored(conn, setting)?;
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![setting.key(), value, now],
    )?;
    Ok(before)
}

/// The certificate-number parts from the agency settings.
pub fn issuer(conn: &Connection) -> Result<Issuer> {
    Ok(Issuer {
        agency_type: AgencyType::parse(&require(conn, Setting::AgencyType)?)?,
        agency_code: require(conn, Setting::AgencyCode)?,
        province_code: require(conn, Setting::ProvinceCode)?,
        site_serial: require(conn, Setting::SiteSerial)?,
    })
}

/// payment.required as a flag.
pub fn payment_required(conn: &Connection) -> Result<bool> {
    Ok(get(conn, Setting::PaymentRequired)?.as_deref() != Some("false"))
}

/// results.notice_days (its default, 7, when none was set) as a number of days.
pub fn notice_days(conn: &Connection) -> Result<u32> {
    let days = require(conn, Setting::NoticeDays)?;
    days.parse().map_err(|_| Error::Data(format!("设置“{}”的值“{days}”不是天数", Setting::NoticeDays.label())))
}

/// results.calendar (the bundled State Council arrangements when none was set) as working days.
/// How 综合评审 weighs paper and defence, and the spread between experts (tenths) that asks for a second look.
pub fn review_panel(conn: &Connection) -> Result<(ReviewWeights, u16)> {
    let weights = ReviewWeights::parse(&require(conn, Setting::ReviewWeights)?)?;
    let spread: u16 = require(conn, Setting::ReviewSpread)?.parse().map_err(|_| Error::Data("review.spread".into()))?;
    Ok((weights, spread * 10))
}

/// The 准考证号 rule in force (`{识别码}{序号4}` when none was set).
pub fn ticket_pattern(conn: &Connection) -> Result<TicketPattern> {
    TicketPattern::parse(&require(conn, Setting::TicketPattern)?)
}

/// How each source of marks names its columns.
pub fn score_sources(conn: &Connection) -> Result<ScoreSources> {
    ScoreSources::parse(&get(conn, Setting::ScoreSources)?.unwrap_or_default())
}

/// The agency's 备案范围 (empty when not entered: nothing is checked).
pub fn filed_scope(conn: &Connection) -> Result<FiledScope> {
    FiledScope::parse(&get(conn, Setting::FiledScope)?.unwrap_or_default())
}

pub fn calendar(conn: &Connection) -> Result<WorkCalendar> {
    WorkCalendar::parse(&require(conn, Setting::Calendar)?)
}

/// agency.type, when set.
pub fn agency_type(conn: &Connection) -> Result<Option<AgencyType>> {
    get(conn, Setting::AgencyType)?.map(|t| AgencyType::parse(&t)).transpose()
}

/// resit.validity_months for an occupation (12 when none was set).
pub fn resit_months(conn: &Connection, occupation: &str) -> Result<u32> {
    crate::domain::results::resit_months(&require(conn, Setting::ResitValidity)?, occupation)
}
