//! Texts the backend itself shows (desktop notifications), in the user's language. Screens
//! translate in the UI; these are the few that appear outside it.

use crate::job::JobKind;
use crate::settings::Language;

/// A job's name.
pub fn job_label(lang: Language, job: JobKind) -> &'static str {
    use JobKind::*;
    use Language::*;
    match (lang, job) {
        (En, PermitTypes) => "Permit types",
        (Id, PermitTypes) => "Jenis izin",
        (Es, PermitTypes) => "Tipos de permiso",
        (En, NewPermits) => "New permits",
        (Id, NewPermits) => "Izin baru",
        (Es, NewPermits) => "Permisos nuevos",
        (En, ExpirySync) => "Expiry sync",
        (Id, ExpirySync) => "Sinkronisasi masa berlaku",
        (Es, ExpirySync) => "Sincronización de vencimientos",
        (En, LogCleanup) => "Log clean-up",
        (Id, LogCleanup) => "Pembersihan log",
        (Es, LogCleanup) => "Limpieza del registro",
        (En, DatabaseBackup) => "Database backup",
        (Id, DatabaseBackup) => "Cadangan basis data",
        (Es, DatabaseBackup) => "Copia de seguridad de la base de datos",
    }
}

/// Title of the notification sent when a job fails.
pub fn sync_failed_title(lang: Language) -> &'static str {
    match lang {
        Language::En => "Loket: a sync failed",
        Language::Id => "Loket: sinkronisasi gagal",
        Language::Es => "Loket: falló una sincronización",
    }
}

/// Body of the test notification.
pub fn test_notification(lang: Language) -> &'static str {
    match lang {
        Language::En => "Notifications work: reminders and sync results will appear like this.",
        Language::Id => "Notifikasi berfungsi: pengingat dan hasil sinkronisasi akan tampil seperti ini.",
        Language::Es => "Las notificaciones funcionan: los recordatorios y resultados de sincronización aparecerán así.",
    }
}
