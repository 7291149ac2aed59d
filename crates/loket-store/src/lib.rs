//! Loket's SQLite store: one pool (WAL, foreign keys, busy timeout), migrations from
//! `migrations/` with a backup before new ones apply, and the queries of each domain.

mod connections;
mod einvoice_views;
mod einvoices;
mod error;
mod jobs;
mod lock;
mod log;
mod partners;
mod permit_edits;
mod permit_search;
mod permit_views;
mod permits;
mod reminders;
mod runs;
mod settings;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::Utc;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub use connections::ConnectionRow;
pub use einvoice_views::{cr_day, EinvoiceFigures, NewRunResult};
pub use einvoices::{
    AnswerEffect, EinvoiceRecord, Generated, IssuerRecord, NewEinvoice, NewResponse,
    ResponseRecord, RetryEntry, RetryRecord,
};
pub use error::StoreError;
pub use jobs::JobRow;
pub use lock::DataDirLock;
pub use log::NewLogEntry;
pub use permits::{PermitDetailOutcome, PermitPage, PermitRecord, PermitToCheck, PermitTypeRecord};
pub use reminders::{ReminderCandidate, ReminderToRecord};
pub use settings::CertificateWarned;

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The OS's per-user data folder for Loket (demo data kept apart in `demo/`).
pub fn default_data_dir(demo: bool) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("org", "Loket", "Loket")?;
    let base = dirs.data_dir().to_path_buf();
    Some(if demo { base.join("demo") } else { base })
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// The app's database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and applies pending migrations,
    /// copying the database to `backups/` first when it already holds data.
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Pivots and lists over a million permits read large indexes: a 16 MB page cache
            // per connection (SQLite's default is 2 MB), memory-mapped reads (pages shared
            // with the OS cache rather than copied), and sorts kept in memory.
            .pragma("cache_size", "-16384")
            .pragma("mmap_size", "268435456")
            .pragma("temp_store", "memory")
            // Checkpoint the WAL every 16 MB instead of 4 MB: a large sync rewrites the same
            // index pages many times, and fewer checkpoints copy each of them fewer times.
            .pragma("wal_autocheckpoint", "4000");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        let store = Self {
            pool,
            path: path.to_path_buf(),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let applied: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await?;
        if applied > 0 {
            let done: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
                    .fetch_one(&self.pool)
                    .await?;
            let known = MIGRATOR
                .iter()
                .filter(|m| m.migration_type.is_up_migration())
                .count();
            if usize::try_from(done).unwrap_or(usize::MAX) < known {
                let target = self.backup_path("before-migration");
                self.backup_to(&target).await?;
                tracing::info!(backup = %target.display(), "database backed up before migrating");
            }
        }
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    /// Where a backup named `label` goes, next to the database.
    pub fn backup_path(&self, label: &str) -> PathBuf {
        let dir = self
            .path
            .parent()
            .map(|p| p.join("backups"))
            .unwrap_or_else(|| PathBuf::from("backups"));
        dir.join(format!(
            "loket-{}-{label}.db",
            Utc::now().format("%Y%m%d-%H%M%S")
        ))
    }

    /// Writes a consistent copy of the database to `target` (SQLite `VACUUM INTO`).
    pub async fn backup_to(&self, target: &Path) -> Result<()> {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        }
        let target_str = target.to_string_lossy().to_string();
        sqlx::query("VACUUM INTO ?")
            .bind(target_str)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection pool, for queries of domains that live in other crates' tests.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A transaction that takes the write lock at its start. A deferred one that reads first
    /// fails with SQLITE_BUSY (no waiting) when another connection wrote in between.
    pub(crate) async fn write_transaction(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Closes every pooled connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A store in a fresh temporary folder; the folder lives as long as the returned guard.
    pub async fn temp_store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let store = Store::open(&dir.path().join("loket.db"))
            .await
            .unwrap_or_else(|e| panic!("open: {e}"));
        (store, dir)
    }

    /// Saves a permit office connection and returns its id.
    pub async fn permit_office(store: &Store) -> i64 {
        let input = loket_core::ConnectionInput {
            id: None,
            name: "Permits".into(),
            kind: loket_core::ConnectionKind::Sicantik,
            base_url: "http://127.0.0.1/".into(),
            environment: loket_core::Environment::Production,
            database: None,
            username: None,
            protocol: None,
            timeout_ms: 5000,
            rate_limit_per_sec: 10.0,
            max_concurrent: 4,
            active: true,
            secret: None,
        };
        store
            .save_connection(&input, false)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::temp_store;
    use super::*;

    #[tokio::test]
    async fn opening_sets_wal_and_foreign_keys() {
        let (store, _dir) = temp_store().await;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .unwrap_or_default();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(store.pool())
            .await
            .unwrap_or_default();
        assert_eq!(fk, 1);
    }

    #[tokio::test]
    async fn a_write_transaction_that_reads_first_survives_a_concurrent_commit() {
        let (store, _dir) = temp_store().await;
        let mut tx = store
            .write_transaction()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM setting")
            .fetch_one(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let other = {
            let store = store.clone();
            tokio::spawn(async move { store.save_settings(&loket_core::Settings::default()).await })
        };
        // A deferred transaction would let `other` commit now and then fail its own write
        // with SQLITE_BUSY_SNAPSHOT; an immediate one makes `other` wait its turn.
        tokio::time::sleep(Duration::from_millis(100)).await;
        sqlx::query("INSERT INTO setting (key, value) VALUES ('probe', '1')")
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("write after a concurrent commit: {e}"));
        tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
        let saved = other.await.unwrap_or_else(|e| panic!("{e}"));
        assert!(saved.is_ok(), "{saved:?}");
    }

    #[tokio::test]
    async fn reopening_with_nothing_pending_takes_no_backup() {
        let (store, dir) = temp_store().await;
        store.close().await;
        let _again = Store::open(&dir.path().join("loket.db")).await;
        assert!(!dir.path().join("backups").exists());
    }

    #[tokio::test]
    async fn a_pending_migration_is_preceded_by_a_backup() {
        let (store, dir) = temp_store().await;
        // Pretend the last migration has not been applied yet.
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
            .execute(store.pool())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store.close().await;
        // Re-applying the foundation migration fails (tables exist), but only after the backup.
        let _ = Store::open(&dir.path().join("loket.db")).await;
        let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
            .map(|d| d.filter_map(|e| e.ok()).collect())
            .unwrap_or_default();
        assert_eq!(backups.len(), 1);
    }
}
