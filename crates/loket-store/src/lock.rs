use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::{Result, StoreError};

/// An exclusive lock on the data folder, held while the app or the CLI works on it, so two
/// processes never run jobs against one database.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Takes the lock on `dir/loket.lock`, failing at once when another process holds it.
    pub fn acquire(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        let path = dir.join("loket.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(StoreError::Locked(dir.display().to_string()))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(StoreError::io(&path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let first = DataDirLock::acquire(dir.path());
        assert!(first.is_ok());
        assert!(matches!(
            DataDirLock::acquire(dir.path()),
            Err(StoreError::Locked(_))
        ));
        drop(first);
        assert!(DataDirLock::acquire(dir.path()).is_ok());
    }
}
