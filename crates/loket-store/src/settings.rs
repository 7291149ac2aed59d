use loket_core::Settings;

use crate::{Result, Store, StoreError};

const SETTINGS_KEY: &str = "settings";

impl Store {
    /// The office settings, defaults when none were saved.
    pub async fn settings(&self) -> Result<Settings> {
        let value = sqlx::query_scalar!("SELECT value FROM setting WHERE key = ?", SETTINGS_KEY)
            .fetch_optional(&self.pool)
            .await?;
        match value {
            None => Ok(Settings::default()),
            Some(v) => serde_json::from_str(&v).map_err(|e| StoreError::Corrupt(e.to_string())),
        }
    }

    /// Saves the office settings.
    pub async fn save_settings(&self, settings: &Settings) -> Result<()> {
        let value =
            serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query!(
            "INSERT INTO setting (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            SETTINGS_KEY,
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
