//! PostgreSQL servers: the address a database location names and the connection to it (TLS as the address asks).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::sql::Connection;
use crate::error::{Error, Result};

/// A PostgreSQL database: `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`.
/// Shown without its password.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerAddress {
    url: String,
    /// A password kept apart from the URL (the app's, from the OS keychain).
    password: Option<String>,
    config: ConfigText,
}

/// What identifies the database, for comparisons and messages.
#[derive(Clone, PartialEq, Eq)]
struct ConfigText {
    user: String,
    hosts: String,
    database: String,
    tls: Tls,
}

/// How the connection is encrypted: `prefer` (the default) uses TLS when the server offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    Disable,
    Prefer,
    Require,
}

impl ServerAddress {
    pub fn parse(url: &str) -> Result<ServerAddress> {
        let shown = without_password(url);
        let invalid = |why: String| Error::invalid("数据库地址", format!("“{shown}”{why}"));
        let config = postgres::Config::from_str(url).map_err(|e| invalid(format!("无法识别（{e}）")))?;
        let user = config
            .get_user()
            .map(str::to_string)
            .ok_or_else(|| invalid("缺少用户名（postgres://用户名@服务器/数据库）".into()))?;
        let database = config
            .get_dbname()
            .map(str::to_string)
            .ok_or_else(|| invalid("缺少数据库名（postgres://用户名@服务器/数据库）".into()))?;
        let hosts = config
            .get_hosts()
            .iter()
            .map(|h| match h {
                postgres::config::Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                postgres::config::Host::Unix(path) => path.display().to_string(),
            })
            .zip(config.get_ports().iter().chain(std::iter::repeat(&5432)))
            .map(|(host, port)| format!("{host}:{port}"))
            .collect::<Vec<_>>()
            .join(",");
        if hosts.is_empty() {
            return Err(invalid("缺少服务器地址（postgres://用户名@服务器:端口/数据库）".into()));
        }
        let tls = match config.get_ssl_mode() {
            postgres::config::SslMode::Disable => Tls::Disable,
            postgres::config::SslMode::Require => Tls::Require,
            _ => Tls::Prefer,
        };
        Ok(ServerAddress { url: url.to_string(), password: None, config: ConfigText { user, hosts, database, tls } })
    }

    pub fn tls(&self) -> Tls {
        self.config.tls
    }

    /// How the connection is protected, for the encryption status.
    pub(crate) fn tls_words(&self) -> &'static str {
        match self.config.tls {
            Tls::Disable => "未加密（sslmode=disable）",
            Tls::Prefer => "在服务器支持时使用 TLS 加密",
            Tls::Require => "必须使用 TLS 加密",
        }
    }

    /// This address with a password kept apart from the URL (one from the keychain), which wins over one in it.
    pub fn with_password(&self, password: &str) -> ServerAddress {
        ServerAddress { password: Some(password.to_string()), ..self.clone() }
    }

    fn config(&self) -> Result<postgres::Config> {
        let mut config = postgres::Config::from_str(&self.url)
            .map_err(|e| Error::invalid("数据库地址", format!("无法识别（{e}）")))?;
        if let Some(password) = &self.password {
            config.password(password);
        } else if config.get_password().is_none()
            && let Ok(password) = std::env::var("PGPASSWORD")
        {
            // libpq's convention, which administrators know.
            config.password(password);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.application_name("SkillCert");
        Ok(config)
    }
}

impl fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        write!(f, "postgres://{}@{}/{}", c.user, c.hosts, c.database)
    }
}

impl fmt::Debug for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerAddress({self})")
    }
}

/// Connects, with TLS as the address asks. `prefer` and `require` encrypt without checking the server's
/// certificate, as libpq's modes of the same names do (agency servers mostly have certificates of their own making).
pub(super) fn connect(address: &ServerAddress) -> Result<Connection> {
    let config = address.config()?;
    let client = match address.tls() {
        Tls::Disable => config.connect(postgres::NoTls),
        Tls::Prefer | Tls::Require => {
            let connector = native_tls::TlsConnector::builder()
                .danger_accept_invalid_certs(true)
                .build()
                .map_err(|e| Error::Network(format!("无法准备 TLS 加密连接：{e}")))?;
            config.connect(postgres_native_tls::MakeTlsConnector::new(connector))
        }
    }
    .map_err(|e| Error::Server(e).with_context(address))?;
    let conn = Connection::postgres(client);
    // A writer waits this long for another PC's write to finish, as SQLite waits for another program's; then it is
    // told so (store::busy_message) instead of waiting without end.
    conn.execute_batch("SET lock_timeout = '10s'")?;
    Ok(conn)
}

impl Error {
    /// A connection failure that names the server (never its password).
    fn with_context(self, address: &ServerAddress) -> Error {
        match self {
            Error::Server(e) if e.as_db_error().is_none() => {
                Error::Network(crate::error::unreachable_server(&format!(" {address}"), &e))
            }
            other => other,
        }
    }
}

/// The scheme of `scheme://…`, if the text is an address rather than a path.
pub(super) fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once("://")?;
    (!scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))).then_some(scheme)
}

/// An address as it may be shown: the password after `user:` is left out.
pub(super) fn without_password(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else { return text.to_string() };
    match rest.rsplit_once('@') {
        Some((credentials, host)) => format!("{scheme}://{}@{host}", credentials.split(':').next().unwrap_or_default()),
        None => text.to_string(),
    }
}
