//! Several stores on one database file, for a server that answers requests side by side (the portal). SQLite in WAL
//! mode reads in parallel; the pool's writers take turns at one gate (so they queue instead of sleeping in SQLite's
//! busy handler), and SQLite's own lock still guards against other processes. A request borrows a store and gives
//! it back when done; no lock is held around reads.

use std::path::Path;
use std::sync::{Condvar, Mutex};

use super::Store;
use crate::encryption::Keys;
use crate::error::{Error, Result};

pub struct StorePool {
    idle: Mutex<Vec<Store>>,
    returned: Condvar,
}

impl StorePool {
    /// `size` stores on the database at `path` (created and brought up to date by the first).
    pub fn open(path: &Path, keys: &Keys, size: usize) -> Result<StorePool> {
        let mut stores = vec![Store::open_or_create(path, keys)?];
        for _ in 1..size.max(1) {
            stores.push(Store::open_existing(path, keys)?);
        }
        let gate = std::sync::Arc::new(Mutex::new(()));
        for store in &mut stores {
            store.write_gate = Some(std::sync::Arc::clone(&gate));
        }
        Ok(StorePool { idle: Mutex::new(stores), returned: Condvar::new() })
    }

    /// Runs `f` with a store of the pool, waiting for one when all are busy.
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let mut store = self.take()?;
        let result = f(&mut store);
        // A store whose transaction failed midway rolled it back (Store::write), so it is fit to be used again.
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(store);
            self.returned.notify_one();
        }
        result
    }

    fn take(&self) -> Result<Store> {
        let poisoned = || Error::Io(std::io::Error::other("数据库连接已失效，请重启门户"));
        let mut idle = self.idle.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(store) = idle.pop() {
                return Ok(store);
            }
            idle = self.returned.wait(idle).map_err(|_| poisoned())?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_are_shared_between_threads_and_see_each_others_writes() {
        let dir = tempfile::tempdir().unwrap();
        let pool = std::sync::Arc::new(StorePool::open(&dir.path().join("p.db"), &Keys::Plain, 3).unwrap());
        let session = crate::ops::Session::new("测试");
        let threads: Vec<_> = (0..6)
            .map(|i| {
                let pool = std::sync::Arc::clone(&pool);
                let session = session.clone();
                std::thread::spawn(move || {
                    pool.with(|store| crate::ops::portal::add_agency_token(store, &session, &format!("机构{i}")))
                        .unwrap()
                })
            })
            .collect();
        let agencies: Vec<_> = threads.into_iter().map(|t| t.join().unwrap().0).collect();
        assert_eq!(agencies.iter().map(|a| a.id).collect::<std::collections::HashSet<_>>().len(), 6);
        let count: i64 =
            pool.with(|store| Ok(store.conn().query_row("SELECT count(*) FROM agencies", [], |r| r.get(0))?)).unwrap();
        assert_eq!(count, 6);
    }
}
