//! The one error type of skillcert-core.
//!
//! Every message is written for the operator, in Chinese, naming the field and the fix. The `code` is what the CLI
//! maps to exit codes and what the app sends over IPC as `{code, message}`.

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value the operator gave breaks a rule of its field.
    #[error("{field}：{message}")]
    Invalid { field: &'static str, message: String },

    /// The operation is not allowed in the current state (an illegal transition, a locked profile, …).
    #[error("{0}")]
    Refused(String),

    /// The thing named does not exist.
    #[error("{0}")]
    NotFound(String),

    /// The value must be unique and is already taken.
    #[error("{0}")]
    Conflict(String),

    /// The database was written by a newer SkillCert; it is left untouched.
    #[error("数据库版本为 {found}，高于本程序支持的版本 {supported}：请升级 SkillCert 后再打开，数据库未做任何改动")]
    SchemaTooNew { found: i64, supported: i64 },

    /// The file is not a SkillCert database, or SQLite failed.
    #[error("{}", database_message(.0))]
    Database(#[from] rusqlite::Error),

    #[error("文件读写错误：{0}")]
    Io(#[from] std::io::Error),

    /// A file given to import cannot be used at all (not a spreadsheet, damaged, encrypted, too large).
    #[error("{0}")]
    Unreadable(String),

    /// The candidate portal could not be reached (network, address); what was synced before is kept.
    #[error("{0}")]
    Network(String),

    /// The operator cancelled a long operation; nothing was changed.
    #[error("操作已取消，数据库未做任何改动")]
    Cancelled,

    /// The database has operator accounts and nobody is signed in (or the app locked itself when idle).
    #[error("请先登录：此数据库已设置操作员账号（空闲过久会自动锁定）")]
    SignInRequired,

    /// The database is encrypted and no key at hand opens it; the file is untouched.
    #[error("{0}")]
    KeyMissing(String),

    /// A portal request came with no sync token, or one the portal does not know.
    #[error("机构令牌无效：请向门户管理员索取本机构的同步令牌")]
    Unauthorized,
}

fn database_message(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            format!("这个文件不是 SkillCert 数据库，或已损坏、已加密（{e}）；文件未做任何改动")
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            format!("数据库文件已损坏（{e}）：请从备份恢复")
        }
        Some(rusqlite::ErrorCode::ReadOnly) => {
            format!("数据库文件只读，无法写入（{e}）：请检查文件权限")
        }
        Some(rusqlite::ErrorCode::DiskFull) => format!("磁盘已满，无法写入（{e}）：本次操作未保存"),
        _ => format!("数据库错误：{e}"),
    }
}

/// The kinds of error a consumer (CLI exit code, UI) tells apart. Only add a code when a consumer uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Invalid,
    Refused,
    NotFound,
    Conflict,
    SchemaTooNew,
    Database,
    Io,
    Unreadable,
    /// The app offers to sync again later.
    Network,
    Cancelled,
    /// The app shows its sign-in screen.
    SignInRequired,
    /// The app asks for the database's recovery code.
    KeyMissing,
    /// The portal answers 401 to a sync request.
    Unauthorized,
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid { field, message: message.into() }
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Error::Refused(message.into())
    }

    /// A file error that names the file ("…/规则.json：Permission denied").
    pub fn io_at(path: &std::path::Path, e: std::io::Error) -> Self {
        Error::Io(std::io::Error::new(e.kind(), format!("{}：{e}", path.display())))
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::Refused(_) => ErrorCode::Refused,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::Database(_) => ErrorCode::Database,
            Error::Io(_) => ErrorCode::Io,
            Error::Unreadable(_) => ErrorCode::Unreadable,
            Error::Network(_) => ErrorCode::Network,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::SignInRequired => ErrorCode::SignInRequired,
            Error::KeyMissing(_) => ErrorCode::KeyMissing,
            Error::Unauthorized => ErrorCode::Unauthorized,
        }
    }

    /// True when the input itself is unusable (a bad database or file) rather than refused by a rule.
    pub fn is_unusable_input(&self) -> bool {
        matches!(
            self.code(),
            ErrorCode::SchemaTooNew
                | ErrorCode::Database
                | ErrorCode::Io
                | ErrorCode::Unreadable
                | ErrorCode::Network
                | ErrorCode::KeyMissing
        )
    }
}
