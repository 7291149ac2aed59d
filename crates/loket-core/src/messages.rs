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
        (En, MarkExpired) => "Mark expired permits",
        (Id, MarkExpired) => "Tandai izin kedaluwarsa",
        (Es, MarkExpired) => "Marcar permisos vencidos",
        (En, Reminders) => "Expiry reminders",
        (Id, Reminders) => "Pengingat masa berlaku",
        (Es, Reminders) => "Recordatorios de vencimiento",
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

/// Title and body of the notification grouping one reminder tier: "12 permits reach 30 days".
pub fn reminder_group(lang: Language, tier: u32, count: usize, first: &str) -> (String, String) {
    let title = match (lang, count) {
        (Language::En, 1) => format!("1 permit reaches {tier} days before expiry"),
        (Language::En, n) => format!("{n} permits reach {tier} days before expiry"),
        (Language::Id, n) => format!("{n} izin tinggal {tier} hari sebelum kedaluwarsa"),
        (Language::Es, 1) => format!("1 permiso llega a {tier} días de su vencimiento"),
        (Language::Es, n) => format!("{n} permisos llegan a {tier} días de su vencimiento"),
    };
    let body = match (lang, count) {
        (_, 1) => first.to_string(),
        (Language::En, n) => format!("{first} and {} more. Open Loket to see them.", n - 1),
        (Language::Id, n) => format!(
            "{first} dan {} lainnya. Buka Loket untuk melihatnya.",
            n - 1
        ),
        (Language::Es, n) => format!("{first} y {} más. Abra Loket para verlos.", n - 1),
    };
    (title, body)
}
