//! What several modules' tests start from.

use std::path::PathBuf;

use crate::domain::candidate::CandidateDraft;
use crate::encryption::Keys;
use crate::ops::Session;
use crate::ops::candidates::add_candidate;
use crate::store::Store;

/// The engine the unit tests run on: SQLite in memory, or a new database on the throwaway PostgreSQL cluster when
/// `SKILLCERT_TEST_ENGINE=postgres` (`cargo xtask test` runs them both ways).
pub(crate) fn scratch() -> Store {
    if on_server() {
        let url = crate::throwaway_postgres::fresh_database("unit");
        Store::open_or_create(std::path::Path::new(&url), &Keys::Plain).unwrap()
    } else {
        Store::open_in_memory().unwrap()
    }
}

pub(crate) fn on_server() -> bool {
    std::env::var("SKILLCERT_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

/// A database at `<a new temporary folder>/agency.db`, opened with `keys`, with 张三 in it.
pub(crate) fn agency(keys: &Keys) -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("agency.db");
    let mut store = Store::open_or_create(&db, keys).unwrap();
    let zhang = CandidateDraft {
        name: "张三".into(),
        id_number: "11010519491231002X".into(),
        phone: "13812345678".into(),
        ..Default::default()
    };
    add_candidate(&mut store, &Session::new("测试"), &zhang).unwrap();
    (dir, db, store)
}
