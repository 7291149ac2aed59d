//! Secrets (passwords, API keys, PINs) live in the OS keyring only, one entry per secret.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::info::KeyringStatus;

const SERVICE: &str = "loket";

/// Why the keyring could not be used, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("The system keyring is not available: {detail}")]
    Unavailable { detail: String },
    #[error(
        "The system keyring is locked: unlock it (log in to the desktop session) and try again."
    )]
    Locked,
    #[error("The keyring refused the secret: {0}")]
    Rejected(String),
}

impl SecretError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            Self::Unavailable { .. } => {
                if cfg!(target_os = "linux") {
                    "Loket keeps passwords in the Secret Service (GNOME Keyring or KWallet) over the D-Bus session bus. Start Loket from a desktop session, or install and unlock gnome-keyring. Secrets are never written to disk by Loket itself."
                } else {
                    "Loket keeps passwords in the system's credential store. Check that it is available for your user."
                }
            }
            Self::Locked => "Unlock the login keyring (it opens when you log in to the desktop), then try again.",
            Self::Rejected(_) => "Try a shorter secret, or check the keyring's own logs.",
        }
    }
}

/// Where secrets are kept.
pub trait SecretStore: Send + Sync {
    /// Reads a secret; `None` when none is stored.
    fn get(&self, key: &str) -> Result<Option<String>, SecretError>;
    /// Stores a secret, replacing any earlier one.
    fn set(&self, key: &str, secret: &str) -> Result<(), SecretError>;
    /// Removes a secret; removing a missing one is not an error.
    fn delete(&self, key: &str) -> Result<(), SecretError>;
    /// The backend's name for the About box.
    fn backend(&self) -> &'static str;

    /// Writes, reads back and deletes a probe secret: the start-up check.
    fn check(&self) -> KeyringStatus {
        let probe = "loket-keyring-check";
        let result = self
            .set(probe, "ok")
            .and_then(|_| self.get(probe))
            .and_then(|v| {
                let _ = self.delete(probe);
                match v.as_deref() {
                    Some("ok") => Ok(()),
                    _ => Err(SecretError::Unavailable {
                        detail: "a test secret could not be read back".into(),
                    }),
                }
            });
        match result {
            Ok(()) => KeyringStatus {
                ok: true,
                backend: self.backend().into(),
                problem: None,
                advice: None,
            },
            Err(e) => KeyringStatus {
                ok: false,
                backend: self.backend().into(),
                advice: Some(e.advice().into()),
                problem: Some(e.to_string()),
            },
        }
    }
}

/// The key of a connection's secret.
pub fn connection_key(connection_id: i64) -> String {
    format!("connection:{connection_id}")
}

/// The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyringSecretStore;

fn map_keyring(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::NoStorageAccess(inner) => {
            let text = inner.to_string();
            if text.to_lowercase().contains("lock") {
                SecretError::Locked
            } else {
                SecretError::Unavailable { detail: text }
            }
        }
        keyring::Error::PlatformFailure(inner) => SecretError::Unavailable {
            detail: inner.to_string(),
        },
        other => SecretError::Rejected(other.to_string()),
    }
}

impl SecretStore for KeyringSecretStore {
    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        let entry = keyring::Entry::new(SERVICE, key).map_err(map_keyring)?;
        match entry.get_password() {
            Ok(s) => Ok(Some(s)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring(e)),
        }
    }

    fn set(&self, key: &str, secret: &str) -> Result<(), SecretError> {
        keyring::Entry::new(SERVICE, key)
            .and_then(|e| e.set_password(secret))
            .map_err(map_keyring)
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        let entry = keyring::Entry::new(SERVICE, key).map_err(map_keyring)?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring(e)),
        }
    }

    fn backend(&self) -> &'static str {
        if cfg!(target_os = "linux") {
            "Secret Service"
        } else if cfg!(target_os = "macos") {
            "macOS Keychain"
        } else if cfg!(target_os = "windows") {
            "Windows Credential Manager"
        } else {
            "system keyring"
        }
    }
}

/// Secrets held in this process only: for tests and benchmarks, never a fallback for the app.
#[derive(Debug, Default)]
pub struct MemorySecretStore {
    secrets: Mutex<HashMap<String, String>>,
}

impl SecretStore for MemorySecretStore {
    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        Ok(self.secrets.lock().ok().and_then(|m| m.get(key).cloned()))
    }

    fn set(&self, key: &str, secret: &str) -> Result<(), SecretError> {
        if let Ok(mut m) = self.secrets.lock() {
            m.insert(key.into(), secret.into());
        }
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        if let Ok(mut m) = self.secrets.lock() {
            m.remove(key);
        }
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "in-memory (tests only)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(msg: &str) -> Box<dyn std::error::Error + Send + Sync> {
        msg.to_string().into()
    }

    #[test]
    fn keyring_failures_become_plain_words_with_advice() {
        let no_bus = map_keyring(keyring::Error::PlatformFailure(boxed(
            "DBus error: org.freedesktop.DBus.Error.ServiceUnknown",
        )));
        assert!(matches!(no_bus, SecretError::Unavailable { .. }));
        assert!(no_bus
            .to_string()
            .starts_with("The system keyring is not available"));
        assert!(!no_bus.advice().is_empty());

        let locked = map_keyring(keyring::Error::NoStorageAccess(boxed(
            "collection is locked",
        )));
        assert_eq!(locked, SecretError::Locked);
        assert!(locked.advice().contains("Unlock"));

        let too_long = map_keyring(keyring::Error::TooLong("password".into(), 10));
        assert!(matches!(too_long, SecretError::Rejected(_)));
    }

    #[test]
    fn a_failing_store_reports_problem_and_advice_in_the_startup_check() {
        struct Broken;
        impl SecretStore for Broken {
            fn get(&self, _: &str) -> Result<Option<String>, SecretError> {
                Err(SecretError::Locked)
            }
            fn set(&self, _: &str, _: &str) -> Result<(), SecretError> {
                Err(SecretError::Locked)
            }
            fn delete(&self, _: &str) -> Result<(), SecretError> {
                Ok(())
            }
            fn backend(&self) -> &'static str {
                "broken"
            }
        }
        let status = Broken.check();
        assert!(!status.ok);
        assert!(status.problem.is_some_and(|p| p.contains("locked")));
        assert!(status.advice.is_some());
        assert!(MemorySecretStore::default().check().ok);
    }
}
