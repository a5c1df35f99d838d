//! Copying a whole database into another, of either engine: a server database's backup as an SQLite file, a local
//! database moved onto a server, a backup restored onto a server. The copy reads one moment of the source, writes
//! the target in one transaction, and checks every table's count before it commits: all of it arrives, or nothing.

use serde::Serialize;
use ts_rs::TS;

use super::sql::{Connection, Engine, Owned, ToSql};
use crate::error::{Error, Result};

/// Every table and its key, parents before the tables that refer to them. `changes_paused` only ever holds a row
/// inside a transaction, and is not copied.
const TABLES: &[(&str, &str)] = &[
    ("agencies", "id"),
    ("plans", "id"),
    ("candidates", "id"),
    ("applications", "id"),
    ("resits", "application_id"),
    ("accounts", "candidate_id"),
    ("photos", "candidate_id"),
    ("settings", "key"),
    ("occupations", "code"),
    ("exam_sites", "id"),
    ("exam_rooms", "id"),
    ("exam_staff", "id"),
    ("arrangements", "plan_id"),
    ("staff_assignments", "id"),
    ("staff_declarations", "id"),
    ("seats", "application_id"),
    ("scores", "application_id"),
    ("results_notices", "plan_id"),
    ("result_reports", "plan_id"),
    ("score_corrections", "id"),
    ("certificates", "id"),
    ("assigned_numbers", "application_id"),
    ("certificate_serials", "prefix"),
    ("operators", "id"),
    ("agency_tokens", "id"),
    ("sessions", "token_hash"),
    ("sign_in_failures", "id"),
    ("sync_cursors", "name"),
    ("changes", "seq"),
    ("audit_log", "id"),
];

/// Tables whose key PostgreSQL generates (an identity column), to be set past the copied rows.
const GENERATED: &[&str] = &[
    "agencies",
    "plans",
    "candidates",
    "applications",
    "certificates",
    "score_corrections",
    "exam_sites",
    "exam_rooms",
    "exam_staff",
    "staff_assignments",
    "staff_declarations",
    "operators",
    "agency_tokens",
    "sign_in_failures",
    "changes",
    "audit_log",
];

/// Rows read from the source at a time: photos are up to a few hundred KB each.
fn page_size(table: &str) -> i64 {
    if table == "photos" { 50 } else { 500 }
}

/// How many rows of one table were copied, checked against the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TableCount {
    pub table: String,
    pub rows: i64,
}

/// Copies every row of `from` into `to`, which must have the same schema version and no data yet.
pub(crate) fn copy_all(from: &Connection, to: &Connection) -> Result<Vec<TableCount>> {
    from.begin_snapshot()?;
    let copied = (|| {
        to.begin()?;
        let written = copy_in_transaction(from, to);
        match written {
            Ok(counts) => to.commit().map(|()| counts),
            Err(e) => {
                to.rollback();
                Err(e)
            }
        }
    })();
    from.rollback();
    copied
}

fn copy_in_transaction(from: &Connection, to: &Connection) -> Result<Vec<TableCount>> {
    for (table, _) in TABLES {
        if count(to, table)? > 0 {
            return Err(Error::refused(
                "目标数据库里已有数据：只能复制到新建的空数据库，已有的数据不会被覆盖（未做任何改动）",
            ));
        }
    }
    // The copied change log is the record of what was changed; the copy itself changes nothing to sync.
    super::changes::pause(to)?;
    let mut counts = Vec::new();
    for (table, key) in TABLES {
        let columns = columns(to, table)?;
        let key_at = columns.iter().position(|c| c == key).expect("every table has its key column");
        let list = columns.join(", ");
        let mut last: Option<Owned> = None;
        let mut rows = 0i64;
        loop {
            let page: Vec<Vec<Owned>> = {
                let (condition, params): (String, Vec<&dyn ToSql>) = match &last {
                    Some(k) => (format!("WHERE {key} > ?1"), vec![k]),
                    None => (String::new(), vec![]),
                };
                let sql = format!("SELECT {list} FROM {table} {condition} ORDER BY {key} LIMIT {}", page_size(table));
                from.prepare(&sql)?
                    .query_map(params, |r| (0..columns.len()).map(|i| r.get::<Owned>(i)).collect())?
                    .collect::<Result<_>>()?
            };
            let Some(end) = page.last() else { break };
            last = Some(end[key_at].clone());
            // One multi-row INSERT per page (a round trip per row would make a server copy crawl).
            to.insert_rows(table, &columns.join(", "), &page)?;
            rows += page.len() as i64;
            if (page.len() as i64) < page_size(table) {
                break;
            }
        }
        let expected = count(from, table)?;
        let arrived = count(to, table)?;
        if arrived != expected || rows != expected {
            return Err(Error::Data(format!("表 {table} 应复制 {expected} 行，实际 {arrived} 行：已全部撤销")));
        }
        counts.push(TableCount { table: (*table).to_string(), rows: arrived });
    }
    super::changes::resume(to)?;
    if to.engine() == Engine::Postgres {
        for table in GENERATED {
            let key = TABLES.iter().find(|(t, _)| t == table).map(|(_, k)| *k).expect("a listed table");
            to.execute_batch(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{key}'), coalesce(max({key}), 0) + 1, false) FROM {table}"
            ))?;
        }
    }
    Ok(counts)
}

fn count(conn: &Connection, table: &str) -> Result<i64> {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), (), |r| r.get(0))
}

/// The table's columns in the target's order.
fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let sql = match conn.engine() {
        Engine::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
        Engine::Postgres => {
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position"
        }
    };
    conn.prepare(sql)?.query_map([table], |r| r.get(0))?.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encryption::Keys;
    use crate::store::{Location, Store};

    fn tables(conn: &Connection) -> Vec<String> {
        let sql = match conn.engine() {
            Engine::Sqlite => "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
            Engine::Postgres => "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
        };
        conn.prepare(sql).unwrap().query_map((), |r| r.get(0)).unwrap().collect::<Result<_>>().unwrap()
    }

    /// One schema: SQLite's migrations and PostgreSQL's schema build the same tables with the same columns in the
    /// same order, and a copy takes every table there is.
    #[test]
    fn both_engines_have_the_same_tables_and_columns_and_the_copy_takes_them_all() {
        let file = Store::open_in_memory().unwrap();
        let url = crate::throwaway_postgres::fresh_database("schema");
        let server = Store::open(&Location::parse(&url).unwrap(), &Keys::Plain, true).unwrap();
        let mut copied: Vec<String> = TABLES.iter().map(|(t, _)| t.to_string()).collect();
        copied.push("changes_paused".into());
        copied.sort();
        assert_eq!(tables(file.conn()), copied);
        copied.push("skillcert_schema".into());
        copied.sort();
        assert_eq!(tables(server.conn()), copied);
        for (table, _) in TABLES {
            assert_eq!(columns(file.conn(), table).unwrap(), columns(server.conn(), table).unwrap(), "{table}");
        }
    }
}
