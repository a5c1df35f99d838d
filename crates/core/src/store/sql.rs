//! One SQL interface over the two engines: SQLite (the embedded default, through rusqlite) and PostgreSQL (a server,
//! through rust-postgres' blocking client). The table modules are written once against it, in the SQL both engines
//! speak: `?N` placeholders (turned into `$N` for PostgreSQL), `RETURNING id` instead of `last_insert_rowid()`,
//! `ON CONFLICT … DO …`, no scalar `max(a, b)`. The few statements that cannot be shared ask [`Connection::engine`].
//!
//! Values cross as SQLite's five storage classes ([`Value`]): PostgreSQL's integers, booleans, numerics, text and
//! bytes are read into them, and a parameter is written as whatever type PostgreSQL inferred for its placeholder, so
//! an `i64` binds to an INTEGER column and a count reads into an `i64` on both engines.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error as StdError;

use postgres::types::{IsNull, Type, to_sql_checked};

use crate::error::{Error, Result};

/// Which database engine a connection speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

/// A value in or out of the database, borrowed where it can be (dates are formatted on the way in).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Blob(&'a [u8]),
}

/// What can be bound to a placeholder.
pub(crate) trait ToSql {
    fn to_sql(&self) -> Value<'_>;
}

macro_rules! integer_to_sql {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> Value<'_> {
                Value::Integer(*self as i64)
            }
        }
    )*};
}
integer_to_sql!(i64, i32, u32, u16, u8, usize);

impl ToSql for bool {
    fn to_sql(&self) -> Value<'_> {
        Value::Integer(i64::from(*self))
    }
}
impl ToSql for f64 {
    fn to_sql(&self) -> Value<'_> {
        Value::Real(*self)
    }
}
impl ToSql for str {
    fn to_sql(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}
impl ToSql for String {
    fn to_sql(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}
/// Dates and times as text, the way rusqlite's chrono support has always stored them (`YYYY-MM-DD`,
/// `YYYY-MM-DD HH:MM:SS`), so that both engines hold the same strings and compare them alike.
impl ToSql for chrono::NaiveDate {
    fn to_sql(&self) -> Value<'_> {
        Value::Text(Cow::Owned(self.format("%F").to_string()))
    }
}
impl ToSql for chrono::NaiveDateTime {
    fn to_sql(&self) -> Value<'_> {
        Value::Text(Cow::Owned(self.format("%F %T%.f").to_string()))
    }
}
impl ToSql for [u8] {
    fn to_sql(&self) -> Value<'_> {
        Value::Blob(self)
    }
}
impl ToSql for Vec<u8> {
    fn to_sql(&self) -> Value<'_> {
        Value::Blob(self)
    }
}
impl<T: ToSql> ToSql for Option<T> {
    fn to_sql(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, ToSql::to_sql)
    }
}
impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_sql(&self) -> Value<'_> {
        (**self).to_sql()
    }
}
impl<T: ToSql + ?Sized> ToSql for Box<T> {
    fn to_sql(&self) -> Value<'_> {
        (**self).to_sql()
    }
}
impl ToSql for Value<'_> {
    fn to_sql(&self) -> Value<'_> {
        self.clone()
    }
}

/// What a column can be read into.
pub(crate) trait FromSql: Sized {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String>;
}

fn wrong_type<T>(value: Value<'_>, wanted: &str) -> std::result::Result<T, String> {
    let found = match value {
        Value::Null => "NULL".to_string(),
        Value::Integer(i) => format!("整数 {i}"),
        Value::Real(f) => format!("小数 {f}"),
        Value::Text(t) => format!("文本“{}”", t.chars().take(20).collect::<String>()),
        Value::Blob(b) => format!("{} 字节的二进制数据", b.len()),
    };
    Err(format!("应为{wanted}，实为{found}"))
}

impl FromSql for i64 {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::Integer(i) => Ok(i),
            other => wrong_type(other, "整数"),
        }
    }
}
macro_rules! narrow_integer_from_sql {
    ($($t:ty),*) => {$(
        impl FromSql for $t {
            fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
                let wide = i64::from_sql(value)?;
                <$t>::try_from(wide).map_err(|_| format!("整数 {wide} 超出范围"))
            }
        }
    )*};
}
narrow_integer_from_sql!(i32, u32, u16, u8, usize);

impl FromSql for bool {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
        Ok(i64::from_sql(value)? != 0)
    }
}
impl FromSql for f64 {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::Real(f) => Ok(f),
            Value::Integer(i) => Ok(i as f64),
            other => wrong_type(other, "数值"),
        }
    }
}
impl FromSql for String {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::Text(t) => Ok(t.to_string()),
            other => wrong_type(other, "文本"),
        }
    }
}
impl FromSql for chrono::NaiveDate {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
        let text = String::from_sql(value)?;
        chrono::NaiveDate::parse_from_str(&text, "%F").map_err(|e| format!("日期“{text}”无法识别：{e}"))
    }
}
impl FromSql for chrono::NaiveDateTime {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
        let text = String::from_sql(value)?;
        chrono::NaiveDateTime::parse_from_str(&text, "%F %T%.f")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(&text, "%FT%T%.f"))
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(&text, "%F %R"))
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(&text, "%FT%R"))
            .map_err(|e| format!("时间“{text}”无法识别：{e}"))
    }
}
impl FromSql for Vec<u8> {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::Blob(b) => Ok(b.to_vec()),
            other => wrong_type(other, "二进制数据"),
        }
    }
}
impl<T: FromSql> FromSql for Option<T> {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_sql(other).map(Some),
        }
    }
}

/// A value of any type, owned: what a copy of a whole table carries from one engine to the other.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Owned {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl FromSql for Owned {
    fn from_sql(value: Value<'_>) -> std::result::Result<Self, String> {
        Ok(match value {
            Value::Null => Owned::Null,
            Value::Integer(i) => Owned::Integer(i),
            Value::Real(f) => Owned::Real(f),
            Value::Text(t) => Owned::Text(t.into_owned()),
            Value::Blob(b) => Owned::Blob(b.to_vec()),
        })
    }
}

impl ToSql for Owned {
    fn to_sql(&self) -> Value<'_> {
        match self {
            Owned::Null => Value::Null,
            Owned::Integer(i) => Value::Integer(*i),
            Owned::Real(f) => Value::Real(*f),
            Owned::Text(t) => Value::Text(Cow::Borrowed(t)),
            Owned::Blob(b) => Value::Blob(b),
        }
    }
}

/// The parameters of one statement: `()`, an array (`[id]`, or what [`params!`] makes) or a list built at run time.
pub(crate) trait Params {
    fn list(&self) -> Vec<&dyn ToSql>;
}
impl Params for () {
    fn list(&self) -> Vec<&dyn ToSql> {
        Vec::new()
    }
}
impl<T: ToSql, const N: usize> Params for [T; N] {
    fn list(&self) -> Vec<&dyn ToSql> {
        self.iter().map(|v| v as &dyn ToSql).collect()
    }
}
impl<T: ToSql> Params for &[T] {
    fn list(&self) -> Vec<&dyn ToSql> {
        self.iter().map(|v| v as &dyn ToSql).collect()
    }
}
impl<T: ToSql> Params for Vec<T> {
    fn list(&self) -> Vec<&dyn ToSql> {
        self.iter().map(|v| v as &dyn ToSql).collect()
    }
}

/// `params![a, b, c]`: parameters of different types for one statement.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        [$(&$value as &dyn $crate::store::sql::ToSql),*]
    };
}
pub(crate) use params;

/// Turns a "no such row" error into `None`.
pub(crate) trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}
impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// One row of a result.
pub(crate) enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    pub(crate) fn get<T: FromSql>(&self, index: usize) -> Result<T> {
        let converted = match self {
            Row::Sqlite(row) => {
                let value = row.get_ref(index)?;
                T::from_sql(match value {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(i) => Value::Integer(i),
                    rusqlite::types::ValueRef::Real(f) => Value::Real(f),
                    rusqlite::types::ValueRef::Text(t) => Value::Text(Cow::Borrowed(
                        std::str::from_utf8(t).map_err(|e| Error::Data(format!("第 {} 列：{e}", index + 1)))?,
                    )),
                    rusqlite::types::ValueRef::Blob(b) => Value::Blob(b),
                })
            }
            Row::Postgres(row) => {
                let PgValue(value) = row.try_get::<_, PgValue<'_>>(index)?;
                T::from_sql(value)
            }
        };
        converted.map_err(|e| Error::Data(format!("第 {} 列：{e}", index + 1)))
    }
}

/// A database connection of either engine. Writes go through [`Connection::begin`]/[`Connection::commit`] (the
/// store's `write`), so that one transaction can span several table modules.
pub(crate) struct Connection {
    inner: Inner,
    /// Whether this transaction paused the change log (store::changes::pause): an insert that would log a row is
    /// then skipped here rather than sent for the database to skip, a round trip each on a server.
    changes_paused: std::cell::Cell<bool>,
    /// Rows a server transaction inserts and does not read back at once (the audit trail; an import's new rows),
    /// per table in the order the tables first came, sent many to a statement: before anything names one of those
    /// tables, and at commit ([`Connection::insert_deferred`]).
    deferred: RefCell<Vec<Deferred>>,
    /// Set by a bulk operation (an import) whose new rows are checked before they are written: their inserts may be
    /// deferred too, with ids taken from the table's sequence ahead ([`Connection::next_id`]).
    bulk: std::cell::Cell<bool>,
    /// Ids taken ahead from a table's sequence (SQLite: past the table's largest, for this transaction), per table.
    ids: RefCell<HashMap<&'static str, Vec<i64>>>,
    /// Inside BEGIN IMMEDIATE … COMMIT on SQLite (a server connection keeps this in [`Server`]).
    sqlite_writing: std::cell::Cell<bool>,
    /// SQLite's single-row INSERT per table, with the columns it was made for (an import inserts 200,000 rows).
    insert_sql: RefCell<HashMap<String, (String, String)>>,
}

struct Deferred {
    table: &'static str,
    columns: &'static str,
    rows: Vec<Vec<Owned>>,
}

/// Deferred rows of a table held before they are sent (one COPY each time).
const DEFERRED_BATCH: usize = 2000;

/// Ids taken from a sequence in one round trip ([`Connection::next_id`]).
const IDS_AHEAD: usize = 1000;

enum Inner {
    Sqlite(rusqlite::Connection),
    /// The blocking client needs `&mut` for every call; a connection is used by one thread at a time.
    Postgres(Box<RefCell<Server>>),
}

struct Server {
    client: postgres::Client,
    /// Inside BEGIN … COMMIT: a statement that fails to prepare must not abort the transaction.
    in_transaction: bool,
    /// Prepared statements by SQL text, as rusqlite's statement cache does for SQLite.
    statements: HashMap<String, postgres::Statement>,
}

/// A PostgreSQL advisory lock every write transaction takes first: writers take turns, as SQLite's one writer does,
/// so two PCs never interleave one operation's reads and writes (serials, transitions, the change log's order).
const WRITE_LOCK: i64 = 0x5343_4552;

impl Connection {
    pub(crate) fn sqlite(conn: rusqlite::Connection) -> Connection {
        Connection {
            inner: Inner::Sqlite(conn),
            changes_paused: Default::default(),
            deferred: RefCell::default(),
            bulk: Default::default(),
            ids: RefCell::default(),
            sqlite_writing: Default::default(),
            insert_sql: RefCell::default(),
        }
    }

    pub(crate) fn postgres(client: postgres::Client) -> Connection {
        Connection {
            inner: Inner::Postgres(Box::new(RefCell::new(Server {
                client,
                in_transaction: false,
                statements: HashMap::new(),
            }))),
            changes_paused: Default::default(),
            deferred: RefCell::default(),
            bulk: Default::default(),
            ids: RefCell::default(),
            sqlite_writing: Default::default(),
            insert_sql: RefCell::default(),
        }
    }

    /// Notes that this transaction paused (or resumed) the change log.
    pub(crate) fn set_changes_paused(&self, paused: bool) {
        self.changes_paused.set(paused);
    }

    pub(crate) fn changes_paused(&self) -> bool {
        self.changes_paused.get()
    }

    pub(crate) fn engine(&self) -> Engine {
        match self.inner {
            Inner::Sqlite(_) => Engine::Sqlite,
            Inner::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection underneath, for what only SQLite has (PRAGMAs, backups of the file).
    pub(crate) fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Sqlite(conn) => Some(conn),
            Inner::Postgres(_) => None,
        }
    }

    pub(crate) fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.inner {
            Inner::Sqlite(conn) => Some(conn),
            Inner::Postgres(_) => None,
        }
    }

    pub(crate) fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        self.prepare_cached(sql)
    }

    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        // A statement that names a table with deferred rows sees them: they are sent first.
        let names_deferred = self.deferred.borrow().iter().any(|d| sql.contains(d.table));
        if names_deferred {
            self.flush_deferred()?;
        }
        match &self.inner {
            Inner::Sqlite(conn) => Ok(Statement::Sqlite(conn.prepare_cached(sql)?)),
            Inner::Postgres(server) => {
                let mut server = server.borrow_mut();
                if let Some(statement) = server.statements.get(sql) {
                    return Ok(Statement::Postgres(self, Prepared::Ready(statement.clone())));
                }
                let text = placeholders_for_postgres(sql);
                let prepared = if server.in_transaction {
                    server.client.batch_execute("SAVEPOINT skillcert_prepare")?;
                    let prepared = server.client.prepare(&text);
                    let end = if prepared.is_ok() { "RELEASE" } else { "ROLLBACK TO" };
                    server.client.batch_execute(&format!("{end} SAVEPOINT skillcert_prepare"))?;
                    prepared
                } else {
                    server.client.prepare(&text)
                };
                match prepared {
                    Ok(statement) => {
                        server.statements.insert(sql.to_string(), statement.clone());
                        Ok(Statement::Postgres(self, Prepared::Ready(statement)))
                    }
                    // `?2 IS NULL`, `SELECT ?1, ?2`: PostgreSQL cannot tell a placeholder's type from the SQL alone;
                    // SQLite has no such types. The values bound at the first run tell it.
                    Err(e)
                        if e.code() == Some(&postgres::error::SqlState::INDETERMINATE_DATATYPE)
                            || e.code() == Some(&postgres::error::SqlState::AMBIGUOUS_PARAMETER) =>
                    {
                        Ok(Statement::Postgres(self, Prepared::Untyped(sql.to_string())))
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    }

    pub(crate) fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// Inserts one row of `table`. Inside a server transaction it may wait, with others of the same table, until the
    /// transaction reads that table or commits: one round trip for many rows (an import audits each of its rows).
    /// Elsewhere, and on SQLite (where a statement costs no round trip), it is inserted at once.
    pub(crate) fn insert_deferred(
        &self,
        table: &'static str,
        columns: &'static str,
        values: &[&dyn ToSql],
    ) -> Result<()> {
        if !self.in_server_transaction() {
            return self.insert_now(table, columns, values);
        }
        let values = values.iter().map(|v| Owned::from_sql(v.to_sql())).collect::<std::result::Result<_, _>>();
        let values: Vec<Owned> = values.map_err(Error::Data)?;
        let full = {
            let mut deferred = self.deferred.borrow_mut();
            let at = match deferred.iter().position(|d| d.table == table) {
                Some(at) => at,
                None => {
                    deferred.push(Deferred { table, columns, rows: Vec::new() });
                    deferred.len() - 1
                }
            };
            deferred[at].rows.push(values);
            deferred[at].rows.len() >= DEFERRED_BATCH
        };
        if full { self.flush_deferred() } else { Ok(()) }
    }

    fn in_server_transaction(&self) -> bool {
        match &self.inner {
            Inner::Postgres(server) => server.borrow().in_transaction,
            Inner::Sqlite(_) => false,
        }
    }

    /// Whether a bulk operation's new rows go through [`Connection::insert_deferred`] with ids from
    /// [`Connection::next_id`] (a write transaction that [`Connection::set_bulk`]): sent many at a time on a server;
    /// on SQLite inserted at once, one row to a statement and without RETURNING, which would make SQLite keep a
    /// statement journal of every page each insert touches (a fifth of a large import's time).
    pub(crate) fn defers_new_rows(&self) -> bool {
        self.bulk.get()
            && match &self.inner {
                Inner::Postgres(server) => server.borrow().in_transaction,
                Inner::Sqlite(_) => self.sqlite_writing.get(),
            }
    }

    /// Marks this transaction as a bulk operation whose new rows are checked before they are written.
    pub(crate) fn set_bulk(&self, bulk: bool) {
        self.bulk.set(bulk);
    }

    /// The next id of `table`'s identity column `key`, taken [`IDS_AHEAD`] at a time: from its sequence on a server;
    /// on SQLite past the table's largest, which holds while this transaction is the one writer and every new row of
    /// the table comes from here (a bulk operation's; the ids are forgotten when the transaction ends).
    pub(crate) fn next_id(&self, table: &'static str, key: &str) -> Result<i64> {
        if let Some(id) = self.ids.borrow_mut().get_mut(table).and_then(|ids| ids.pop()) {
            return Ok(id);
        }
        let sql = match self.inner {
            Inner::Postgres(_) => format!(
                "SELECT nextval(pg_get_serial_sequence('{table}', '{key}')) FROM generate_series(1, {IDS_AHEAD}) ORDER BY 1 DESC"
            ),
            Inner::Sqlite(_) => {
                let largest: i64 =
                    self.query_row(&format!("SELECT coalesce(max({key}), 0) FROM {table}"), (), |r| r.get(0))?;
                let mut taken: Vec<i64> = (largest + 1..=largest + IDS_AHEAD as i64).rev().collect();
                let id = taken.pop().expect("a batch of ids");
                self.ids.borrow_mut().insert(table, taken);
                return Ok(id);
            }
        };
        let mut taken: Vec<i64> = self.prepare_cached(&sql)?.query_map((), |r| r.get(0))?.collect::<Result<_>>()?;
        let id = taken.pop().expect("a batch of ids");
        self.ids.borrow_mut().insert(table, taken);
        Ok(id)
    }

    /// Sends the deferred rows, table by table in the order the tables came (a row refers only to rows of tables
    /// before it: candidates, then their applications), each table's in one statement.
    fn flush_deferred(&self) -> Result<()> {
        let pending = std::mem::take(&mut *self.deferred.borrow_mut());
        for queue in pending {
            self.insert_rows(queue.table, queue.columns, &queue.rows)?;
        }
        Ok(())
    }

    /// Inserts `rows` (each as wide as `columns`): a COPY on a server (its fastest way in: a 100,000-row import sends
    /// about half a million rows); on SQLite one prepared single-row INSERT each — a multi-row one would need a
    /// statement journal.
    pub(crate) fn insert_rows(&self, table: &str, columns: &str, rows: &[Vec<Owned>]) -> Result<()> {
        if let Inner::Postgres(server) = &self.inner {
            return copy_rows(&mut server.borrow_mut().client, table, columns, rows);
        }
        for row in rows {
            let values: Vec<&dyn ToSql> = row.iter().map(|v| v as &dyn ToSql).collect();
            self.insert_now(table, columns, &values)?;
        }
        Ok(())
    }

    /// One row inserted at once: on SQLite by a prepared single-row INSERT, made once per table.
    fn insert_now(&self, table: &str, columns: &str, values: &[&dyn ToSql]) -> Result<()> {
        if let Inner::Postgres(server) = &self.inner {
            let row: Vec<Owned> = values
                .iter()
                .map(|v| Owned::from_sql(v.to_sql()))
                .collect::<std::result::Result<_, _>>()
                .map_err(Error::Data)?;
            return copy_rows(&mut server.borrow_mut().client, table, columns, &[row]);
        }
        let width = values.len();
        let mut statement = {
            let mut cache = self.insert_sql.borrow_mut();
            let fresh = |sql: &mut String| {
                let placeholders: Vec<String> = (1..=width).map(|c| format!("?{c}")).collect();
                *sql = format!("INSERT INTO {table} ({columns}) VALUES ({})", placeholders.join(", "));
            };
            match cache.get_mut(table) {
                Some((cached, _)) if cached == columns => {}
                Some((cached, sql)) => {
                    *cached = columns.to_string();
                    fresh(sql);
                }
                None => {
                    let mut sql = String::new();
                    fresh(&mut sql);
                    cache.insert(table.to_string(), (columns.to_string(), sql));
                }
            }
            self.prepare_cached(&cache[table].1)?
        };
        statement.execute(values)?;
        Ok(())
    }

    /// Runs statements without parameters, separated by semicolons.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Inner::Postgres(server) => Ok(server.borrow_mut().client.batch_execute(sql)?),
        }
    }

    /// Starts a write transaction that waits for other writers (SQLite: IMMEDIATE; PostgreSQL: [`WRITE_LOCK`]).
    pub(crate) fn begin(&self) -> Result<()> {
        self.changes_paused.set(false);
        self.bulk.set(false);
        self.deferred.borrow_mut().clear();
        match &self.inner {
            Inner::Sqlite(conn) => {
                conn.execute_batch("BEGIN IMMEDIATE")?;
                self.sqlite_writing.set(true);
                Ok(())
            }
            Inner::Postgres(server) => {
                let mut server = server.borrow_mut();
                server.client.batch_execute("BEGIN")?;
                server.in_transaction = true;
                server.client.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
                Ok(())
            }
        }
    }

    /// Starts a read-only transaction that sees one moment of the database throughout (a copy of all of it).
    pub(crate) fn begin_snapshot(&self) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(conn) => Ok(conn.execute_batch("BEGIN")?),
            Inner::Postgres(server) => {
                let mut server = server.borrow_mut();
                server.client.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
                server.in_transaction = true;
                Ok(())
            }
        }
    }

    pub(crate) fn commit(&self) -> Result<()> {
        // A deferred row that fails (a constraint) fails the commit, and nothing of the transaction is kept.
        if let Err(e) = self.flush_deferred() {
            self.rollback();
            return Err(e);
        }
        self.end_transaction();
        self.execute_batch("COMMIT")
    }

    fn end_transaction(&self) {
        self.changes_paused.set(false);
        self.bulk.set(false);
        self.deferred.borrow_mut().clear();
        match &self.inner {
            Inner::Postgres(server) => server.borrow_mut().in_transaction = false,
            Inner::Sqlite(_) => {
                self.sqlite_writing.set(false);
                self.ids.borrow_mut().clear();
            }
        }
    }

    /// Ends a transaction without keeping anything; a connection whose transaction has already ended is left as is.
    pub(crate) fn rollback(&self) {
        self.end_transaction();
        let _ = match &self.inner {
            Inner::Sqlite(conn) if conn.is_autocommit() => Ok(()),
            _ => self.execute_batch("ROLLBACK"),
        };
    }
}

pub(crate) enum Statement<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    Postgres(&'c Connection, Prepared),
}

pub(crate) enum Prepared {
    Ready(postgres::Statement),
    /// To be prepared with the types of the first values bound to it (the SQL as written, for SQLite).
    Untyped(String),
}

/// The type a value asks for where PostgreSQL could not infer one.
fn type_of(value: &Value<'_>) -> Type {
    match value {
        Value::Null | Value::Text(_) => Type::TEXT,
        Value::Integer(_) => Type::INT8,
        Value::Real(_) => Type::FLOAT8,
        Value::Blob(_) => Type::BYTEA,
    }
}

impl Statement<'_> {
    /// Runs `call` on the server with the statement (prepared now if it waited for its values' types).
    fn on_server<T>(
        &mut self,
        params: &dyn Params,
        call: impl FnOnce(
            &mut postgres::Client,
            &postgres::Statement,
            &[&(dyn postgres::types::ToSql + Sync)],
        ) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        let Statement::Postgres(conn, prepared) = self else { unreachable!("only for PostgreSQL statements") };
        let Inner::Postgres(server) = &conn.inner else { unreachable!("a PostgreSQL statement's connection") };
        let values: Vec<PgBind<'_>> = params.list().into_iter().map(|p| PgBind(p.to_sql())).collect();
        let mut server = server.borrow_mut();
        if let Prepared::Untyped(sql) = prepared {
            let types: Vec<Type> = values.iter().map(|v| type_of(&v.0)).collect();
            let statement = server.client.prepare_typed(&placeholders_for_postgres(sql), &types)?;
            server.statements.insert(sql.clone(), statement.clone());
            *prepared = Prepared::Ready(statement);
        }
        let Prepared::Ready(statement) = prepared else { unreachable!("prepared above") };
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            values.iter().map(|v| v as &(dyn postgres::types::ToSql + Sync)).collect();
        Ok(call(&mut server.client, statement, &refs)?)
    }

    pub(crate) fn execute(&mut self, params: impl Params) -> Result<usize> {
        match self {
            Statement::Sqlite(statement) => {
                let list = params.list();
                Ok(statement.execute(rusqlite::params_from_iter(list.iter().map(|p| SqliteBind(p.to_sql()))))?)
            }
            Statement::Postgres(..) => self
                .on_server(&params, |client, statement, values| client.execute(statement, values))
                .map(|n| n as usize),
        }
    }

    /// The first row, mapped by `f`; [`Error::NoRow`] when there is none (see [`OptionalExtension`]).
    pub(crate) fn query_row<T>(&mut self, params: impl Params, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut value = None;
        self.each_row(&params, &mut |row| {
            if let Some(f) = f.take() {
                value = Some(f(row)?);
            }
            Ok(false)
        })?;
        value.ok_or(Error::NoRow)
    }

    /// Every row, mapped by `f`, stopping at the first error.
    pub(crate) fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut out = Vec::new();
        self.each_row(&params, &mut |row| match f(row) {
            Ok(value) => {
                out.push(Ok(value));
                Ok(true)
            }
            Err(e) => {
                out.push(Err(e));
                Ok(false)
            }
        })?;
        Ok(out.into_iter())
    }

    /// Calls `f` for each row in turn (an export streams SQLite's rows one at a time).
    pub(crate) fn for_each(&mut self, params: impl Params, mut f: impl FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        self.each_row(&params, &mut |row| f(row).map(|()| true))
    }

    /// Feeds rows to `f` until it returns false.
    fn each_row(&mut self, params: &dyn Params, f: &mut dyn FnMut(&Row<'_>) -> Result<bool>) -> Result<()> {
        match self {
            Statement::Sqlite(statement) => {
                let list = params.list();
                let mut rows =
                    statement.query(rusqlite::params_from_iter(list.iter().map(|p| SqliteBind(p.to_sql()))))?;
                while let Some(row) = rows.next()? {
                    if !f(&Row::Sqlite(row))? {
                        break;
                    }
                }
                Ok(())
            }
            Statement::Postgres(..) => {
                for row in self.on_server(params, |client, statement, values| client.query(statement, values))? {
                    if !f(&Row::Postgres(&row))? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }
}

struct SqliteBind<'a>(Value<'a>);

impl rusqlite::ToSql for SqliteBind<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::ValueRef;
        Ok(rusqlite::types::ToSqlOutput::Borrowed(match &self.0 {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(t) => ValueRef::Text(t.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// A value bound as the type PostgreSQL inferred for its placeholder.
#[derive(Debug)]
struct PgBind<'a>(Value<'a>);

impl postgres::types::ToSql for PgBind<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn StdError + Sync + Send>> {
        use postgres::types::ToSql as Pg;
        let text = matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN);
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => match *ty {
                Type::INT8 => Pg::to_sql(i, ty, out),
                Type::INT4 => Pg::to_sql(&i32::try_from(*i)?, ty, out),
                Type::INT2 => Pg::to_sql(&i16::try_from(*i)?, ty, out),
                Type::FLOAT8 => Pg::to_sql(&(*i as f64), ty, out),
                Type::BOOL => Pg::to_sql(&(*i != 0), ty, out),
                _ if text => Pg::to_sql(&i.to_string(), ty, out),
                _ => Err(format!("整数不能作为 {ty} 类型的参数").into()),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => Pg::to_sql(f, ty, out),
                Type::FLOAT4 => Pg::to_sql(&(*f as f32), ty, out),
                _ => Err(format!("小数不能作为 {ty} 类型的参数").into()),
            },
            Value::Text(t) if text => Pg::to_sql(&&**t, ty, out),
            // json's binary form is its text; jsonb's is a version byte, then the text.
            Value::Text(t) if *ty == Type::JSON => {
                out.extend_from_slice(t.as_bytes());
                Ok(IsNull::No)
            }
            Value::Text(t) => match *ty {
                Type::INT8 => Pg::to_sql(&t.parse::<i64>()?, ty, out),
                Type::INT4 => Pg::to_sql(&t.parse::<i32>()?, ty, out),
                _ => Err(format!("文本不能作为 {ty} 类型的参数").into()),
            },
            Value::Blob(b) => match *ty {
                Type::BYTEA => Pg::to_sql(b, ty, out),
                _ => Err(format!("二进制数据不能作为 {ty} 类型的参数").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A column of PostgreSQL read as one of SQLite's storage classes.
struct PgValue<'a>(Value<'a>);

impl<'a> postgres::types::FromSql<'a> for PgValue<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, Box<dyn StdError + Sync + Send>> {
        use postgres::types::FromSql as Pg;
        Ok(PgValue(match *ty {
            Type::INT8 => Value::Integer(<i64 as Pg>::from_sql(ty, raw)?),
            Type::INT4 => Value::Integer(<i32 as Pg>::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Integer(<i16 as Pg>::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Integer(<bool as Pg>::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(<f64 as Pg>::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(<f32 as Pg>::from_sql(ty, raw)?.into()),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => Value::Blob(raw),
            _ => Value::Text(Cow::Borrowed(<&str as Pg>::from_sql(ty, raw)?)),
        }))
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(PgValue(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// NUMERIC in PostgreSQL's binary form (what `sum()` of a BIGINT column gives): an integer when it has no
/// fraction, else a float.
fn numeric(raw: &[u8]) -> std::result::Result<Value<'static>, Box<dyn StdError + Sync + Send>> {
    let word = |i: usize| -> std::result::Result<i16, Box<dyn StdError + Sync + Send>> {
        Ok(i16::from_be_bytes(raw.get(i * 2..i * 2 + 2).ok_or("NUMERIC 数据不完整")?.try_into()?))
    };
    let (digits, weight, sign, scale) = (word(0)? as usize, word(1)?, word(2)? as u16, word(3)?);
    if sign == 0xC000 {
        return Err("NUMERIC 值为 NaN".into());
    }
    let mut value = 0f64;
    let mut whole: Option<i64> = Some(0);
    for i in 0..digits {
        let digit = word(4 + i)?;
        let power = i32::from(weight) - i as i32;
        value += f64::from(digit) * 10000f64.powi(power);
        whole = whole
            .filter(|_| power >= 0)
            .and_then(|w| w.checked_add(i64::from(digit).checked_mul(10000i64.checked_pow(power as u32)?)?));
    }
    let negative = sign == 0x4000;
    Ok(match whole {
        Some(w) if scale == 0 => Value::Integer(if negative { -w } else { w }),
        _ => Value::Real(if negative { -value } else { value }),
    })
}

/// Sends `rows` as one `COPY … FROM STDIN` in CSV: every text quoted (so an empty text stays one, apart from an
/// unquoted empty NULL), numbers as written, blobs in bytea's hex form; PostgreSQL reads each as its column's type.
fn copy_rows(client: &mut postgres::Client, table: &str, columns: &str, rows: &[Vec<Owned>]) -> Result<()> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut writer = client.copy_in(&format!("COPY {table} ({columns}) FROM STDIN (FORMAT csv)"))?;
    let mut line = String::new();
    for row in rows {
        line.clear();
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            match value {
                Owned::Null => {}
                Owned::Integer(n) => write!(line, "{n}").expect("writing to a String"),
                Owned::Real(x) if x.is_nan() => line.push_str("NaN"),
                Owned::Real(x) if x.is_infinite() => line.push_str(if *x > 0.0 { "Infinity" } else { "-Infinity" }),
                Owned::Real(x) => write!(line, "{x}").expect("writing to a String"),
                Owned::Text(text) => {
                    line.push('"');
                    line.push_str(&text.replace('"', "\"\""));
                    line.push('"');
                }
                Owned::Blob(bytes) => {
                    line.push_str("\"\\x");
                    for b in bytes {
                        write!(line, "{b:02x}").expect("writing to a String");
                    }
                    line.push('"');
                }
            }
        }
        line.push('\n');
        writer.write_all(line.as_bytes()).map_err(|e| Error::Data(format!("向数据库服务器发送数据失败：{e}")))?;
    }
    writer.finish()?;
    Ok(())
}

/// `?N` and `?` placeholders as PostgreSQL's `$N`, outside quotes and comments (a bare `?` is one more than the
/// highest number so far, as SQLite counts it).
pub(crate) fn placeholders_for_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut highest = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut number = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    number.push(*d);
                    chars.next();
                }
                let n = number.parse().unwrap_or(highest + 1);
                highest = highest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_as_sqlite_numbers_them() {
        assert_eq!(
            placeholders_for_postgres("SELECT ?1, '?2', \"a?\" -- ?3\n, ?, ?2, ?"),
            "SELECT $1, '?2', \"a?\" -- ?3\n, $2, $2, $3"
        );
    }

    #[test]
    fn numerics_decode_to_integers_or_floats() {
        let encode = |digits: &[i16], weight: i16, sign: u16, scale: i16| {
            let mut raw = Vec::new();
            for w in [digits.len() as i16, weight, sign as i16, scale] {
                raw.extend_from_slice(&w.to_be_bytes());
            }
            for d in digits {
                raw.extend_from_slice(&d.to_be_bytes());
            }
            raw
        };
        assert_eq!(numeric(&encode(&[12, 3456], 1, 0, 0)).unwrap(), Value::Integer(123_456));
        assert_eq!(numeric(&encode(&[7], 0, 0x4000, 0)).unwrap(), Value::Integer(-7));
        assert_eq!(numeric(&encode(&[], 0, 0, 0)).unwrap(), Value::Integer(0));
        assert_eq!(numeric(&encode(&[1, 5000], 0, 0, 1)).unwrap(), Value::Real(1.5));
    }

    /// On a server, audit rows wait to be sent many at a time: a read in the same transaction sees them, and one
    /// that fails at commit leaves nothing of the transaction, and the connection usable.
    #[test]
    fn deferred_rows_are_read_back_and_a_failing_one_keeps_nothing() {
        use crate::store::audit::{self, NewAuditEntry};
        use crate::store::{Location, Store};
        let url = crate::throwaway_postgres::fresh_database("deferred");
        let mut store = Store::open(&Location::parse(&url).unwrap(), &crate::encryption::Keys::Plain, true).unwrap();
        let entry =
            |id| NewAuditEntry { actor: "测试", entity: "plan", entity_id: id, action: "x", ..Default::default() };
        let seen = store
            .write(|tx| {
                for id in 0..3 {
                    audit::append(tx, &entry(id), "t")?;
                }
                tx.query_row("SELECT count(*) FROM audit_log", (), |r| r.get::<i64>(0))
            })
            .unwrap();
        assert_eq!(seen, 3);
        let failed = store.write(|tx| {
            audit::append(tx, &entry(3), "t")?;
            // NULL where the trail requires an actor: refused by the server when the rows are sent, at commit.
            let no_actor: Option<&str> = None;
            tx.insert_deferred(
                "audit_log",
                "at, actor, entity, entity_id, action",
                &params!["t", no_actor, "plan", 4, "x"],
            )
        });
        assert!(failed.is_err());
        store.write(|tx| audit::append(tx, &entry(5), "t")).unwrap();
        let ids: Vec<i64> = store
            .conn()
            .prepare("SELECT entity_id FROM audit_log ORDER BY id")
            .unwrap()
            .query_map((), |r| r.get(0))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(ids, [0, 1, 2, 5]);
    }

    /// A server receives rows by COPY in CSV: what a text holds (quotes, commas, line breaks, backslashes, the
    /// letters NULL, nothing at all) arrives as it was, apart from a NULL; numbers and blobs too.
    #[test]
    fn rows_copied_to_a_server_arrive_as_they_were() {
        use crate::store::{Location, Store};
        let url = crate::throwaway_postgres::fresh_database("copy_rows");
        let store = Store::open(&Location::parse(&url).unwrap(), &crate::encryption::Keys::Plain, true).unwrap();
        let conn = store.conn();
        conn.execute_batch("CREATE TABLE copied (n BIGINT, x DOUBLE PRECISION, s TEXT, b BYTEA)").unwrap();
        let texts = ["他说\"好\"，, 然后\n换行", "", "\\N", "NULL", "C:\\路径\\", " 前后空格 "];
        let rows: Vec<Vec<Owned>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                vec![
                    Owned::Integer(i as i64 - 2),
                    Owned::Real(i as f64 / 4.0),
                    Owned::Text(t.to_string()),
                    Owned::Blob(vec![0, i as u8, 255]),
                ]
            })
            .chain([vec![Owned::Null, Owned::Null, Owned::Null, Owned::Null]])
            .collect();
        conn.insert_rows("copied", "n, x, s, b", &rows).unwrap();
        let back: Vec<Vec<Owned>> = conn
            .prepare("SELECT n, x, s, b FROM copied ORDER BY n NULLS LAST")
            .unwrap()
            .query_map((), |r| (0..4).map(|i| r.get::<Owned>(i)).collect())
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(back, rows);
    }
}
