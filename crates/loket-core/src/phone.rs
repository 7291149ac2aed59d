//! WhatsApp numbers in E.164, read as an Indonesian office writes them (`0812…`, `62812…`,
//! `+62 812-…`), parsed and validated with libphonenumber's metadata.

use phonenumber::country::Id as Country;
use phonenumber::Mode;

/// Why a number cannot be used for WhatsApp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("no phone number given")]
    Empty,
    #[error("\"{0}\" is not a phone number")]
    Unreadable(String),
    #[error("\"{0}\" is not a valid number for its country")]
    Invalid(String),
}

/// Normalises a number to E.164 (`+628123456789`), reading national numbers as Indonesian.
pub fn normalize_whatsapp(raw: &str) -> Result<String, PhoneError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(PhoneError::Empty);
    }
    // "62812…" without the plus is common in exports: read it as international.
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let candidate = if !trimmed.starts_with('+') && digits.starts_with("62") && digits.len() >= 10 {
        format!("+{digits}")
    } else {
        trimmed.to_string()
    };
    let number = phonenumber::parse(Some(Country::ID), &candidate)
        .map_err(|_| PhoneError::Unreadable(trimmed.to_string()))?;
    if !phonenumber::is_valid(&number) {
        return Err(PhoneError::Invalid(trimmed.to_string()));
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_forms_become_e164() {
        for raw in [
            "0812-3456-7890",
            "081234567890",
            "+62 812 3456 7890",
            "6281234567890",
            "(0812) 3456 7890",
        ] {
            assert_eq!(
                normalize_whatsapp(raw).as_deref(),
                Ok("+6281234567890"),
                "{raw}"
            );
        }
    }

    #[test]
    fn foreign_numbers_keep_their_country() {
        assert_eq!(
            normalize_whatsapp("+506 8312 3456").as_deref(),
            Ok("+50683123456")
        );
    }

    #[test]
    fn bad_numbers_are_refused_with_a_reason() {
        assert_eq!(normalize_whatsapp("  "), Err(PhoneError::Empty));
        assert!(matches!(
            normalize_whatsapp("call me"),
            Err(PhoneError::Unreadable(_))
        ));
        assert!(matches!(
            normalize_whatsapp("0812"),
            Err(PhoneError::Invalid(_) | PhoneError::Unreadable(_))
        ));
    }
}
