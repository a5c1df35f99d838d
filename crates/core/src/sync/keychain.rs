//! The agency's portal token in the operating system's keychain (Windows Credential Manager, macOS Keychain, the
//! Secret Service on Linux), never in the database. Where there is no keychain (a headless Linux without a Secret
//! Service), saving says so clearly and the caller keeps the token for the session only.

use crate::error::{Error, Result};

const SERVICE: &str = "SkillCert 门户同步令牌";

fn entry(portal_url: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, portal_url.trim_end_matches('/')).map_err(unavailable)
}

fn unavailable(e: keyring::Error) -> Error {
    Error::refused(format!("系统钥匙串不可用（{e}）：令牌不能长期保存，也不会写入数据库"))
        .with_fix(crate::error::Fix::KeychainUnavailable)
}

/// Keeps the token for this portal in the keychain.
pub fn save(portal_url: &str, token: &str) -> Result<()> {
    entry(portal_url)?.set_password(token.trim()).map_err(unavailable)
}

/// The token kept for this portal, if any. A missing keychain reads as no token.
pub fn load(portal_url: &str) -> Result<Option<String>> {
    match entry(portal_url)?.get_password() {
        Ok(token) => Ok(Some(token)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)) => Ok(None),
        Err(e) => Err(unavailable(e)),
    }
}

/// Forgets the token (a new one was issued, or the agency leaves the portal).
pub fn forget(portal_url: &str) -> Result<()> {
    match entry(portal_url)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}
