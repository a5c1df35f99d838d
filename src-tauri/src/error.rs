//! The one error that crosses the IPC boundary: `{code, message, fix}`. The UI decides by the code, shows the
//! message, and words the fix (what to do, where in the app) in its own language (ui/src/lib/fixes.ts).

use serde::Serialize;
use skillcert_core::ErrorCode;
use skillcert_core::error::Fix;
use ts_rs::TS;

#[derive(Debug, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    pub fix: Option<Fix>,
}

impl From<skillcert_core::Error> for CommandError {
    fn from(e: skillcert_core::Error) -> Self {
        CommandError { code: e.code(), message: e.to_string(), fix: e.fix().cloned() }
    }
}

impl CommandError {
    /// A failure of the shell itself (a worker thread that died), not of a rule.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        CommandError { code: ErrorCode::Io, message: format!("程序内部错误：{message}"), fix: None }
    }

    pub fn refused(message: impl Into<String>) -> Self {
        CommandError { code: ErrorCode::Refused, message: message.into(), fix: None }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
