//! 设置 → 数据库: an agency server described field by field (as an administrator hands it out), checked before it is
//! used, its password kept in the operating system's keychain (never in a file or the database).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Fix, Result};
use crate::store::{Location, ServerAddress, Store};

/// How the desktop connects to an agency's PostgreSQL server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    /// Refuse a server that does not offer TLS (else TLS is used whenever the server offers it).
    pub require_tls: bool,
}

impl ServerSettings {
    /// The address these settings name, with every field checked.
    pub fn address(&self) -> Result<ServerAddress> {
        let field = |name: &'static str, value: &str| {
            let value = value.trim();
            if value.is_empty() {
                return Err(Error::invalid(name, "不能为空"));
            }
            if value.chars().any(|c| c.is_whitespace() || "/?@#:'\"\\".contains(c)) {
                return Err(Error::invalid(name, format!("“{value}”含有不能用在地址中的字符")));
            }
            Ok(value.to_string())
        };
        let host = field("服务器地址", &self.host)?;
        let database = field("数据库名", &self.database)?;
        let user = field("用户名", &self.user)?;
        if self.port == 0 {
            return Err(Error::invalid("端口", "应为 1–65535 之间的数字，PostgreSQL 默认为 5432"));
        }
        let mode = if self.require_tls { "require" } else { "prefer" };
        ServerAddress::parse(&format!("postgres://{user}@{host}:{}/{database}?sslmode={mode}", self.port))
    }
}

/// What a check of a server found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ServerCheck {
    /// postgres://user@host:port/database, without the password.
    pub address: String,
    /// The SkillCert schema version there; None for an empty database (it is set up when first used).
    pub schema_version: Option<i64>,
}

/// Connects with these settings and password and says what is there, without creating anything.
pub fn check_server(settings: &ServerSettings, password: &str) -> Result<ServerCheck> {
    let address = settings.address()?.with_password(password);
    let schema_version = match Store::connect(&address, false) {
        Ok(store) => Some(store.schema_version()?),
        Err(e) if e.fix().is_some_and(|f| matches!(f, Fix::CreateDatabase { .. })) => None,
        Err(e) => return Err(e),
    };
    Ok(ServerCheck { address: address.to_string(), schema_version })
}

/// The server with its password from the keychain (a password typed in is kept there by [`remember_password`]).
pub fn location_with_password(address: &ServerAddress) -> Result<Location> {
    let password = keychain::load(address)?;
    Ok(Location::Server(match password {
        Some(password) => address.with_password(&password),
        None => address.clone(),
    }))
}

/// Keeps the server's password in the keychain, under its address.
pub fn remember_password(address: &ServerAddress, password: &str) -> Result<()> {
    keychain::save(address, password)
}

mod keychain {
    use crate::error::{Error, Fix, Result};
    use crate::store::ServerAddress;

    const SERVICE: &str = "SkillCert 数据库服务器";

    fn entry(address: &ServerAddress) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, &address.to_string()).map_err(unavailable)
    }

    fn unavailable(e: keyring::Error) -> Error {
        Error::refused(format!("系统钥匙串不可用（{e}）：数据库密码不能保存")).with_fix(Fix::KeychainUnavailable)
    }

    pub(super) fn save(address: &ServerAddress, password: &str) -> Result<()> {
        entry(address)?.set_password(password).map_err(unavailable)
    }

    pub(super) fn load(address: &ServerAddress) -> Result<Option<String>> {
        match entry(address)?.get_password() {
            Ok(password) => Ok(Some(password)),
            Err(keyring::Error::NoEntry | keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)) => {
                Ok(None)
            }
            Err(e) => Err(unavailable(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> ServerSettings {
        ServerSettings {
            host: "10.0.0.5".into(),
            port: 5432,
            database: "skillcert".into(),
            user: "clerk".into(),
            require_tls: true,
        }
    }

    #[test]
    fn settings_name_one_address_and_bad_fields_are_named() {
        let address = settings().address().unwrap();
        assert_eq!(address.to_string(), "postgres://clerk@10.0.0.5:5432/skillcert");
        assert_eq!(address.tls(), crate::store::Tls::Require);
        let e = ServerSettings { database: " ".into(), ..settings() }.address().unwrap_err();
        assert!(e.to_string().starts_with("数据库名"), "{e}");
        let e = ServerSettings { user: "a@b".into(), ..settings() }.address().unwrap_err();
        assert!(e.to_string().starts_with("用户名"), "{e}");
        assert!(ServerSettings { port: 0, ..settings() }.address().is_err());
    }

    #[test]
    fn a_check_finds_an_empty_database_and_a_set_up_one_and_names_a_wrong_password() {
        let url = crate::throwaway_postgres::fresh_database("check");
        // postgres://USER:PASSWORD@127.0.0.1:PORT/DATABASE?sslmode=disable
        let rest = url.strip_prefix("postgres://").unwrap();
        let (credentials, rest) = rest.split_once('@').unwrap();
        let (user, password) = credentials.split_once(':').unwrap();
        let (host_port, rest) = rest.split_once('/').unwrap();
        let (host, port) = host_port.split_once(':').unwrap();
        let server = ServerSettings {
            host: host.into(),
            port: port.parse().unwrap(),
            database: rest.split('?').next().unwrap().into(),
            user: user.into(),
            require_tls: false,
        };
        let empty = check_server(&server, password).unwrap();
        assert_eq!(empty.schema_version, None);
        Store::open(&Location::parse(&url).unwrap(), &crate::encryption::Keys::Plain, true).unwrap();
        assert_eq!(check_server(&server, password).unwrap().schema_version, Some(crate::LATEST_VERSION));
        let wrong = check_server(&server, "not-it").unwrap_err();
        assert!(wrong.to_string().contains("用户名或密码不正确"), "{wrong}");
    }
}
