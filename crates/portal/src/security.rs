//! What keeps candidates' accounts safe besides what core does for them (argon2id passwords, hashed session tokens,
//! the sign-in limits, all in `ops::self_service`): random tokens for the forms shown before signing in.

/// A new random token: 32 bytes as 64 hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }
}
