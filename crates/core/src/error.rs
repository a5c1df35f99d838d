//! The one error type of skillcert-core.
//!
//! Every message is written in Chinese and says what is wrong, naming the field; it never names a command of one
//! shell. What to do about it is a structured [`Fix`] where there is one: the CLI, the app and the portal each word
//! it for their reader (a command, a button, a page) and offer the action where they can. The `code` is what the CLI
//! maps to exit codes and what the app decides by; it sends `{code, message, fix}` over IPC.

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

    /// The PostgreSQL server refused, failed or could not be reached.
    #[error("{}", server_message(.0))]
    Server(#[from] postgres::Error),

    /// A stored value could not be read as what it should be.
    #[error("数据库中的值无法读取（{0}）")]
    Data(String),

    /// A query for one row found none; the store turns it into `None` or a [`Error::NotFound`] that names the thing.
    #[error("数据库中没有这条记录")]
    NoRow,

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

    /// An error and what its reader can do about it.
    #[error("{error}")]
    WithFix { error: Box<Error>, fix: Fix },
}

/// What whoever meets an error can do about it, named by core and worded by each shell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fix {
    /// Candidates lack a photo: upload one (the candidates' own until an application is approved).
    UploadPhoto,
    /// A photo breaks the rules but SkillCert can scale or compress it, keeping the original.
    AllowPhotoFix,
    /// The plan's exam is not arranged yet.
    ArrangeFirst,
    /// Candidates have not paid: record their payments, or stop requiring payment before arranging.
    RecordPayment,
    /// A setting must be filled in first.
    SetSetting { key: String, label: String },
    /// The level has a 综合评审, whose sitting time must be given too.
    GiveReviewTime,
    /// The level has no 综合评审: leave its sitting time out.
    DropReviewTime,
    /// No portal is connected (address and the agency's token).
    ConnectPortal,
    /// The OS keychain cannot keep a secret here: use it for this session only.
    KeychainUnavailable,
    /// The database is encrypted with a key this computer lacks: enter its recovery code.
    EnterRecoveryCode,
    /// The database file does not exist yet: create it.
    CreateDatabase { path: String },
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

/// What the PostgreSQL server said, in words an agency's operator or administrator can act on.
fn server_message(e: &postgres::Error) -> String {
    use postgres::error::SqlState;
    let Some(db) = e.as_db_error() else {
        if e.is_closed() {
            return "与数据库服务器的连接已断开：请检查网络后重试，本次操作未保存".into();
        }
        return unreachable_server("", e);
    };
    let code = db.code();
    if *code == SqlState::INVALID_PASSWORD || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
        format!("数据库服务器拒绝登录：用户名或密码不正确（{}）", db.message())
    } else if *code == SqlState::INVALID_CATALOG_NAME {
        format!("数据库服务器上没有这个数据库（{}）：请让管理员先创建它", db.message())
    } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        format!(
            "数据库账号的权限不足（{}）：SkillCert 需要在该数据库中建表和读写的权限，请让管理员授予；数据库未做任何改动",
            db.message()
        )
    } else if *code == SqlState::RAISE_EXCEPTION {
        db.message().to_string()
    } else if *code == SqlState::DISK_FULL {
        format!("数据库服务器磁盘已满（{}）：本次操作未保存", db.message())
    } else {
        format!("数据库服务器错误：{}（{}）", db.message(), code.code())
    }
}

/// "Cannot reach the server `at` (why)", the why with every cause the driver gives ("Connection refused").
pub(crate) fn unreachable_server(at: &str, e: &postgres::Error) -> String {
    let mut cause = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        cause = format!("{cause}: {inner}");
        source = inner.source();
    }
    format!("无法连接数据库服务器{at}（{cause}）：请检查服务器地址、端口和网络，以及服务器是否已启动")
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

    /// This error with what its reader can do about it.
    pub fn with_fix(self, fix: Fix) -> Self {
        Error::WithFix { error: Box::new(self), fix }
    }

    /// What is wrong without the field's name in front: for a cell whose column already names it (an import's row
    /// report, a photo's rejection).
    pub fn reason(self) -> String {
        match self {
            Error::Invalid { message, .. } => message,
            other => other.to_string(),
        }
    }

    /// What the reader can do about this error, when core knows.
    pub fn fix(&self) -> Option<&Fix> {
        match self {
            Error::WithFix { fix, .. } => Some(fix),
            _ => None,
        }
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
            Error::Database(_) | Error::Server(_) | Error::Data(_) | Error::NoRow => ErrorCode::Database,
            Error::Io(_) => ErrorCode::Io,
            Error::Unreadable(_) => ErrorCode::Unreadable,
            Error::Network(_) => ErrorCode::Network,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::SignInRequired => ErrorCode::SignInRequired,
            Error::KeyMissing(_) => ErrorCode::KeyMissing,
            Error::Unauthorized => ErrorCode::Unauthorized,
            Error::WithFix { error, .. } => error.code(),
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

#[cfg(test)]
mod tests {
    /// Core's messages are read in the CLI, the app and the portal alike: none may name one shell's command or flag
    /// (the remedy is a [`super::Fix`], worded by each shell).
    #[test]
    fn no_message_names_a_command_or_a_flag() {
        fn sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    found.push(path);
                }
            }
        }
        let mut files = Vec::new();
        sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let mut offending = Vec::new();
        // The throwaway test cluster passes flags to initdb and pg_ctl; it has no messages for anyone.
        files.retain(|f| !f.ends_with("throwaway_postgres.rs"));
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            // Tests (at the end of a file, or a file of their own) may name whatever they check.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code.lines().enumerate() {
                let line = line.trim_start();
                if line.starts_with("//") {
                    continue;
                }
                for literal in line.split('"').skip(1).step_by(2) {
                    let names_command = literal.contains("skillcert ")
                        && literal
                            .split("skillcert ")
                            .skip(1)
                            .any(|rest| rest.starts_with(|c: char| c.is_ascii_lowercase()));
                    let names_flag = format!(" {literal}")
                        .split(" --")
                        .skip(1)
                        .any(|rest| rest.starts_with(|c: char| c.is_ascii_lowercase()));
                    if names_command || names_flag {
                        offending.push(format!("{}:{}: {literal}", file.display(), n + 1));
                    }
                }
            }
        }
        assert!(offending.is_empty(), "{offending:#?}");
    }
}
