//! The one error that crosses the IPC boundary: `{code, message}`, the message in Chinese, shown as is.

use serde::Serialize;
use skillcert_core::ErrorCode;
use ts_rs::TS;

#[derive(Debug, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<skillcert_core::Error> for CommandError {
    fn from(e: skillcert_core::Error) -> Self {
        CommandError { code: e.code(), message: e.to_string() }
    }
}

impl CommandError {
    /// A failure of the shell itself (a worker thread that died), not of a rule.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        CommandError { code: ErrorCode::Io, message: format!("程序内部错误：{message}") }
    }

    pub fn refused(message: impl Into<String>) -> Self {
        CommandError { code: ErrorCode::Refused, message: message.into() }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
