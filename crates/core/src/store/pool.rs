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

    /// Runs `f` with a store of the pool, waiting for one when all are busy. The store goes back to the pool however
    /// `f` ends, a panic included (a transaction it left open has been rolled back by then).
    pub fn with<T, E: From<Error>>(&self, f: impl FnOnce(&mut Store) -> Result<T, E>) -> Result<T, E> {
        let mut lease = Lease { pool: self, store: Some(self.take()?) };
        f(lease.store.as_mut().expect("a leased store"))
    }

    fn take(&self) -> Result<Store> {
        let mut idle = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        loop {
            if let Some(store) = idle.pop() {
                return Ok(store);
            }
            idle = self.returned.wait(idle).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

/// A store borrowed from the pool, given back when dropped.
struct Lease<'a> {
    pool: &'a StorePool,
    store: Option<Store>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            self.pool.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(store);
            self.pool.returned.notify_one();
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
            pool.with(|store| store.conn().query_row("SELECT count(*) FROM agencies", (), |r| r.get(0))).unwrap();
        assert_eq!(count, 6);
        // A request that panics gives its store back: the pool never shrinks.
        for _ in 0..4 {
            let pool = std::sync::Arc::clone(&pool);
            let panicked = std::thread::spawn(move || pool.with(|_| -> Result<()> { panic!("a broken request") }));
            assert!(panicked.join().is_err());
        }
        assert_eq!(pool.idle.lock().unwrap().len(), 3);
    }
}
