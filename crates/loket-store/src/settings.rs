use loket_core::{EinvoiceSettings, Settings};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{Result, Store, StoreError};

const SETTINGS_KEY: &str = "settings";

/// A certificate-expiry warning that was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CertificateWarned {
    pub not_after: chrono::DateTime<chrono::Utc>,
    pub tier: i64,
}
const EINVOICE_SETTINGS_KEY: &str = "einvoice";

impl Store {
    /// The office settings, defaults when none were saved.
    pub async fn settings(&self) -> Result<Settings> {
        self.setting(SETTINGS_KEY).await
    }

    /// Saves the office settings.
    pub async fn save_settings(&self, settings: &Settings) -> Result<()> {
        self.save_setting(SETTINGS_KEY, settings).await
    }

    /// The company's e-invoice settings, SPEC §5's defaults when none were saved.
    pub async fn einvoice_settings(&self) -> Result<EinvoiceSettings> {
        self.setting(EINVOICE_SETTINGS_KEY).await
    }

    /// Saves the company's e-invoice settings.
    pub async fn save_einvoice_settings(&self, settings: &EinvoiceSettings) -> Result<()> {
        self.save_setting(EINVOICE_SETTINGS_KEY, settings).await
    }

    /// The last certificate-expiry warning sent for a connection's certificate: which
    /// certificate (its expiry) and which tier, so a tier is warned about once.
    pub async fn certificate_warned(
        &self,
        connection_id: i64,
    ) -> Result<Option<CertificateWarned>> {
        self.setting(&format!("certificate-warned:{connection_id}"))
            .await
    }

    /// Remembers a certificate-expiry warning sent.
    pub async fn save_certificate_warned(
        &self,
        connection_id: i64,
        warned: &CertificateWarned,
    ) -> Result<()> {
        self.save_setting(
            &format!("certificate-warned:{connection_id}"),
            &Some(warned),
        )
        .await
    }

    async fn setting<T: DeserializeOwned + Default>(&self, key: &str) -> Result<T> {
        let value = sqlx::query_scalar!("SELECT value FROM setting WHERE key = ?", key)
            .fetch_optional(&self.pool)
            .await?;
        match value {
            None => Ok(T::default()),
            Some(v) => serde_json::from_str(&v).map_err(|e| StoreError::Corrupt(e.to_string())),
        }
    }

    async fn save_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let value = serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query!(
            "INSERT INTO setting (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            key,
            value
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::temp_store;
    use loket_core::{Language, Settings};

    #[tokio::test]
    async fn settings_default_then_persist() {
        let (store, _dir) = temp_store().await;
        assert_eq!(store.settings().await.ok(), Some(Settings::default()));
        let s = Settings {
            language: Language::Id,
            office_timezone: "Asia/Makassar".into(),
            ..Settings::default()
        };
        store
            .save_settings(&s)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.settings().await.ok(), Some(s));
    }
}
