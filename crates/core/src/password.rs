//! Passwords, for candidates' portal accounts and operators alike: argon2id hashes (the crate's defaults, 19 MiB and
//! 2 passes: ~20 ms here, paid only when a password is chosen or checked) and the rule a new one must meet.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub fn hash(password: &str) -> String {
    let hash: PasswordHash = Argon2::default().hash_password(password.as_bytes()).expect("argon2 with a random salt");
    hash.to_string()
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A password someone may choose: 8 to 64 characters with letters and digits, and none of `forbidden` (an ID
/// number, a login name) or a tail of one (the default password is an ID's last six characters).
pub fn check_new(password: &str, forbidden: &[&str]) -> Result<(), &'static str> {
    let length = password.chars().count();
    if !(8..=64).contains(&length) {
        return Err("密码长度应为 8 到 64 位");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) || !password.chars().any(|c| c.is_alphabetic()) {
        return Err("密码应同时包含字母和数字");
    }
    if forbidden.iter().any(|f| !f.is_empty() && (f.ends_with(password) || password.eq_ignore_ascii_case(f))) {
        return Err("密码不能使用证件号码、登录名或其中的一段");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_their_password_and_rules_hold() {
        let stored = hash("abc12345");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("abc12345", &stored) && !verify("abc12346", &stored) && !verify("abc12345", "garbage"));
        assert_ne!(hash("abc12345"), stored, "salted");
        assert!(check_new("short1", &[]).is_err());
        assert!(check_new("onlyletters", &[]).is_err());
        assert!(check_new("zhangsan01", &["zhangsan01"]).is_err());
        assert!(check_new("1231002X", &["11010519491231002X"]).is_err());
        assert!(check_new("abc12345", &["11010519491231002X", "zhangsan"]).is_ok());
    }
}
