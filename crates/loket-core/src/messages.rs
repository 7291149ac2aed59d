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
        (En, EinvoiceSign) => "Sign e-invoices",
        (Id, EinvoiceSign) => "Tanda tangani faktur elektronik",
        (Es, EinvoiceSign) => "Firmar comprobantes",
        (En, EinvoiceSubmit) => "Send e-invoices",
        (Id, EinvoiceSubmit) => "Kirim faktur elektronik",
        (Es, EinvoiceSubmit) => "Enviar comprobantes",
        (En, EinvoiceStatus) => "Check e-invoice status",
        (Id, EinvoiceStatus) => "Periksa status faktur elektronik",
        (Es, EinvoiceStatus) => "Consultar estado de comprobantes",
        (En, EinvoicePoll) => "Poll pending e-invoices",
        (Id, EinvoicePoll) => "Tanyakan faktur elektronik yang tertunda",
        (Es, EinvoicePoll) => "Consultar comprobantes pendientes",
        (En, EinvoiceRetries) => "E-invoice retry queue",
        (Id, EinvoiceRetries) => "Antrean ulang faktur elektronik",
        (Es, EinvoiceRetries) => "Cola de reintentos de comprobantes",
        (En, EinvoiceResponseCleanup) => "Clean up Hacienda answers",
        (Id, EinvoiceResponseCleanup) => "Bersihkan jawaban Hacienda",
        (Es, EinvoiceResponseCleanup) => "Limpiar respuestas de Hacienda",
        (En, EinvoiceRetryCleanup) => "Clean up the retry queue",
        (Id, EinvoiceRetryCleanup) => "Bersihkan antrean ulang",
        (Es, EinvoiceRetryCleanup) => "Limpiar la cola de reintentos",
        (En, EinvoiceCertificateCheck) => "Certificate expiry check",
        (Id, EinvoiceCertificateCheck) => "Periksa masa berlaku sertifikat",
        (Es, EinvoiceCertificateCheck) => "Revisar vencimiento del certificado",
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
/// The notification sent when a document's retries are used up: title and body.
pub fn einvoice_gave_up(
    lang: Language,
    document: &str,
    operation: crate::einvoice::RetryOperation,
    attempts: u32,
    error: &str,
) -> (String, String) {
    use crate::einvoice::RetryOperation::*;
    let title = match lang {
        Language::En => "Loket: an e-invoice needs you",
        Language::Id => "Loket: faktur elektronik perlu ditangani",
        Language::Es => "Loket: un comprobante necesita atención",
    };
    let body = match (lang, operation) {
        (Language::En, Sign) => format!("{document} could not be signed after {attempts} attempts: {error}"),
        (Language::En, Submit) => format!("{document} could not be sent after {attempts} attempts: {error}"),
        (Language::En, Poll) => format!("{document}: Hacienda's answer could not be fetched after {attempts} attempts: {error}"),
        (Language::Id, Sign) => format!("{document} gagal ditandatangani setelah {attempts} percobaan: {error}"),
        (Language::Id, Submit) => format!("{document} gagal dikirim setelah {attempts} percobaan: {error}"),
        (Language::Id, Poll) => format!("{document}: jawaban Hacienda gagal diambil setelah {attempts} percobaan: {error}"),
        (Language::Es, Sign) => format!("{document} no se pudo firmar tras {attempts} intentos: {error}"),
        (Language::Es, Submit) => format!("{document} no se pudo enviar tras {attempts} intentos: {error}"),
        (Language::Es, Poll) => format!("{document}: no se pudo consultar la respuesta de Hacienda tras {attempts} intentos: {error}"),
    };
    (title.to_string(), body)
}

/// The notification sent when a bulk e-invoice run (sign, send, status check) ends: title and
/// body. `done`, `failed` and `skipped` count documents.
pub fn bulk_run_ended(
    lang: Language,
    job: JobKind,
    status: crate::run::RunStatus,
    done: u32,
    failed: u32,
    skipped: u32,
) -> (String, String) {
    use crate::run::RunStatus;
    let label = job_label(lang, job);
    let title = match (lang, status) {
        (Language::En, RunStatus::Cancelled) => format!("Loket: {label} cancelled"),
        (Language::Id, RunStatus::Cancelled) => format!("Loket: {label} dibatalkan"),
        (Language::Es, RunStatus::Cancelled) => format!("Loket: {label} cancelado"),
        (Language::En, RunStatus::Failed) => format!("Loket: {label} stopped"),
        (Language::Id, RunStatus::Failed) => format!("Loket: {label} berhenti"),
        (Language::Es, RunStatus::Failed) => format!("Loket: {label} se detuvo"),
        (Language::En, _) => format!("Loket: {label} finished"),
        (Language::Id, _) => format!("Loket: {label} selesai"),
        (Language::Es, _) => format!("Loket: {label} terminado"),
    };
    let body = match lang {
        Language::En => format!("{done} done, {failed} failed, {skipped} left as they were."),
        Language::Id => format!("{done} berhasil, {failed} gagal, {skipped} dibiarkan."),
        Language::Es => format!("{done} listos, {failed} con error, {skipped} sin cambios."),
    };
    (title, body)
}

/// The notification sent when a signing certificate comes within `tier` days of expiry (0:
/// expired): title and body.
pub fn certificate_expiry(
    lang: Language,
    connection: &str,
    subject: &str,
    days_left: i64,
    expires: &str,
) -> (String, String) {
    let title = match (lang, days_left < 0) {
        (Language::En, false) => "Loket: the signing certificate expires soon",
        (Language::Id, false) => "Loket: sertifikat tanda tangan segera kedaluwarsa",
        (Language::Es, false) => "Loket: el certificado de firma vence pronto",
        (Language::En, true) => "Loket: the signing certificate has expired",
        (Language::Id, true) => "Loket: sertifikat tanda tangan sudah kedaluwarsa",
        (Language::Es, true) => "Loket: el certificado de firma venció",
    };
    let body = match (lang, days_left < 0) {
        (Language::En, false) => format!("{connection}: {subject} expires on {expires} ({days_left} days). Load the renewed .p12 before then, or signing stops."),
        (Language::Id, false) => format!("{connection}: {subject} kedaluwarsa pada {expires} ({days_left} hari). Muat .p12 yang baru sebelum itu, atau penandatanganan berhenti."),
        (Language::Es, false) => format!("{connection}: {subject} vence el {expires} ({days_left} días). Cargue el .p12 renovado antes, o no se podrá firmar."),
        (Language::En, true) => format!("{connection}: {subject} expired on {expires}. Documents cannot be signed until a valid .p12 is loaded."),
        (Language::Id, true) => format!("{connection}: {subject} kedaluwarsa pada {expires}. Dokumen tidak dapat ditandatangani sampai .p12 yang berlaku dimuat."),
        (Language::Es, true) => format!("{connection}: {subject} venció el {expires}. No se pueden firmar comprobantes hasta cargar un .p12 vigente."),
    };
    (title.to_string(), body)
}
