//! Progress of a long job (import, print, export, publication): items done out of the total, reported every so
//! often so a window can draw a bar; a cancel flag checked at the same moments stops the job with
//! `Error::Cancelled`, leaving the database (and the output file) as they were.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Progress {
    pub done: usize,
    /// The total so far (for an import, the rows the sheet declares: an estimate until the end).
    pub total: usize,
}

/// Reports `done` of `total` every `every` items and refuses to go on once `cancel` is set.
pub(crate) fn step(
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
    every: usize,
    done: usize,
    total: usize,
) -> Result<()> {
    if done.is_multiple_of(every) {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        progress(Progress { done, total });
    }
    Ok(())
}
