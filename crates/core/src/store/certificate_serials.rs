//! The `certificate_serials` table: the last serial handed out per certificate-number prefix.
//!
//! Allocation is one UPSERT that increments and returns the counter inside the caller's transaction, so two
//! issuances can never get the same serial, and a rolled-back issuance returns nothing to reuse by others than
//! itself. Triggers refuse moving a counter back or deleting it, so a serial once used is never handed out again.

use super::sql::{Connection, params};

use crate::domain::certificate::{Issuer, format_number};
use crate::domain::level::Level;
use crate::error::Result;

/// The next certificate number for `issuer`, `year` and `level`.
pub fn allocate(conn: &Connection, issuer: &Issuer, year: i32, level: Level) -> Result<String> {
    Ok(allocate_many(conn, issuer, year, level, 1)?.remove(0))
}

/// The next `count` (at least one) certificate numbers, in order, taken in one step (an issue of thousands).
pub fn allocate_many(conn: &Connection, issuer: &Issuer, year: i32, level: Level, count: u32) -> Result<Vec<String>> {
    let prefix = issuer.prefix(year, level)?;
    let count = count.max(1);
    let last: u32 = conn.query_row(
        "INSERT INTO certificate_serials (prefix, last_serial) VALUES (?1, ?2)
         ON CONFLICT (prefix) DO UPDATE SET last_serial = certificate_serials.last_serial + ?2
         RETURNING last_serial",
        params![prefix, count],
        |r| r.get(0),
    )?;
    (last - count + 1..=last).map(|serial| format_number(&prefix, serial)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::certificate::AgencyType;

    fn issuer() -> Issuer {
        Issuer {
            agency_type: AgencyType::Employer,
            agency_code: "1234".into(),
            province_code: "32".into(),
            site_serial: "000001".into(),
        }
    }

    #[test]
    fn serials_count_per_year_and_level_and_never_repeat() {
        let mut store = crate::testing::scratch();
        let numbers = store
            .write(|tx| {
                Ok(vec![
                    allocate(tx, &issuer(), 2026, Level::Four)?,
                    allocate(tx, &issuer(), 2026, Level::Four)?,
                    allocate(tx, &issuer(), 2026, Level::Three)?,
                    allocate(tx, &issuer(), 2027, Level::Four)?,
                ])
            })
            .unwrap();
        assert_eq!(
            numbers,
            ["Y123432000001264000001", "Y123432000001264000002", "Y123432000001263000001", "Y123432000001274000001"]
        );
    }

    #[test]
    fn counters_cannot_be_moved_back_or_deleted() {
        let mut store = crate::testing::scratch();
        store.write(|tx| allocate(tx, &issuer(), 2026, Level::Four)).unwrap();
        store.write(|tx| allocate(tx, &issuer(), 2026, Level::Four)).unwrap();
        let back = store.conn().execute("UPDATE certificate_serials SET last_serial = 1", ());
        assert!(back.unwrap_err().to_string().contains("不能回退"));
        assert!(store.conn().execute("DELETE FROM certificate_serials", ()).is_err());
        let next = store.write(|tx| allocate(tx, &issuer(), 2026, Level::Four)).unwrap();
        assert!(next.ends_with("000003"), "{next}");
    }

    #[test]
    fn a_rolled_back_issue_does_not_skip_or_repeat() {
        let mut store = crate::testing::scratch();
        let failed: Result<String> = store.write(|tx| {
            allocate(tx, &issuer(), 2026, Level::Four)?;
            Err(crate::error::Error::refused("printer on fire"))
        });
        assert!(failed.is_err());
        let first = store.write(|tx| allocate(tx, &issuer(), 2026, Level::Four)).unwrap();
        assert!(first.ends_with("000001"), "{first}");
    }
}
