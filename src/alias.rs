//! Alias domain names and alias values (routing.md §1): validating the name of an alias domain
//! and cleaning the bounce, catchall and default-from aliases the way Odoo's
//! `_sanitize_alias_name` does.
//!
//! Pure string functions: no I/O, no clap, no SQLite, and no knowledge of how domains are
//! stored or which aliases they already have.

use thiserror::Error;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// The characters besides ASCII letters and digits that a dot-atom may contain (RFC 5322 atext).
const ATEXT_SYMBOLS: &str = "!#$%&'*+-/=?^_`{|}~";

/// Why an alias domain name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainNameError {
    #[error("the domain name is empty: give a name such as example.com")]
    Empty,
    #[error(
        "the domain name {name:?} contains {found} at position {position}: {hint}only unaccented ASCII letters, digits and !#$%&'*+-/=?^_`{{|}}~ are allowed, in labels separated by single dots (example.com)"
    )]
    InvalidCharacter {
        name: String,
        found: String,
        position: usize,
        hint: &'static str,
    },
    #[error("the domain name {name:?} starts with a dot: remove it (example.com)")]
    LeadingDot { name: String },
    #[error("the domain name {name:?} ends with a dot: remove it (example.com)")]
    TrailingDot { name: String },
    #[error(
        "the domain name {name:?} has two dots in a row at position {position}: labels are separated by single dots (mail.example.com)"
    )]
    ConsecutiveDots { name: String, position: usize },
}

/// Checks that `name` is a dot-atom of unaccented ASCII. The name is never rewritten: what the
/// administrator typed is what their mail server knows, so a silent fix would hide a typo.
pub fn validate_domain_name(name: &str) -> Result<(), DomainNameError> {
    if name.is_empty() {
        return Err(DomainNameError::Empty);
    }
    let owned = || name.to_string();
    let char_count = name.chars().count();
    let mut previous_was_dot = false;
    for (index, c) in name.chars().enumerate() {
        let position = index + 1;
        if c == '.' {
            if index == 0 {
                return Err(DomainNameError::LeadingDot { name: owned() });
            }
            if previous_was_dot {
                return Err(DomainNameError::ConsecutiveDots {
                    name: owned(),
                    position,
                });
            }
            if position == char_count {
                return Err(DomainNameError::TrailingDot { name: owned() });
            }
            previous_was_dot = true;
            continue;
        }
        previous_was_dot = false;
        if !(c.is_ascii_alphanumeric() || ATEXT_SYMBOLS.contains(c)) {
            return Err(DomainNameError::InvalidCharacter {
                name: owned(),
                found: describe_char(c),
                position,
                hint: hint_for(c),
            });
        }
    }
    Ok(())
}

/// Cleans a bounce or catchall alias. `None` means "no alias".
pub fn clean_alias(value: &str) -> Option<String> {
    let trimmed = value.trim();
    let local = trimmed.split_once('@').map_or(trimmed, |(local, _)| local);
    clean_local_part(local)
}

/// Cleans a default-from value: its local part like an alias, and a lower-cased `@domain` part
/// kept when one was given, because a full address there switches on "unique sender" mode.
/// The domain part is not otherwise checked, as in Odoo.
pub fn clean_default_from(value: &str) -> Option<String> {
    let trimmed = value.trim();
    let (local, domain) = trimmed.split_once('@').unwrap_or((trimmed, ""));
    let cleaned_local = clean_local_part(local)?;
    if domain.is_empty() {
        Some(cleaned_local)
    } else {
        Some(format!("{cleaned_local}@{}", domain.to_lowercase()))
    }
}

/// Odoo's `_sanitize_alias_name` applied to a local part that holds no `@`.
fn clean_local_part(local: &str) -> Option<String> {
    // Odoo's `remove_accents` drops what `unicodedata.combining` flags, that is a non-zero
    // canonical combining class, not the Mark categories; the same test keeps results equal.
    let unaccented: String = local
        .nfkd()
        .filter(|&c| canonical_combining_class(c) == 0)
        .collect();
    let lowered = unaccented.to_lowercase();
    let dots_tidied = tidy_dots(&lowered);
    let mut cleaned = String::with_capacity(dots_tidied.len());
    let mut in_replaced_run = false;
    for c in dots_tidied.chars() {
        if is_alias_char(c) {
            in_replaced_run = false;
            // Like Python's `encode('ascii', errors='replace')`: one '?' per non-ASCII character.
            cleaned.push(if c.is_ascii() { c } else { '?' });
        } else if !in_replaced_run {
            in_replaced_run = true;
            cleaned.push('-');
        }
    }
    if cleaned.trim().is_empty() {
        None
    } else {
        Some(cleaned)
    }
}

/// Drops leading and trailing dots and collapses runs of dots to one.
fn tidy_dots(text: &str) -> String {
    text.split('.')
        .filter(|segment| !segment.is_empty())
        .collect::<Vec<_>>()
        .join(".")
}

/// A word character (Unicode alphanumeric or `_`) or one of the atext symbols or a dot.
fn is_alias_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.' || ATEXT_SYMBOLS.contains(c)
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        c if c.is_whitespace() || c.is_control() => {
            format!("the character U+{:04X}", u32::from(c))
        }
        c => format!("'{c}'"),
    }
}

/// A pointer to the likely mistake behind a refused character.
fn hint_for(c: char) -> &'static str {
    match c {
        ',' | ';' => "give a single domain name, not a list; ",
        '@' => "give only the domain, without a local part; ",
        c if c.is_whitespace() => "spaces are not allowed; ",
        c if !c.is_ascii() => "accented and other non-ASCII characters are not allowed; ",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_dot_atoms() {
        for name in [
            "example.com",
            "Example.COM",
            "mail.test.mycompany.com",
            "localhost",
            "a-b_c.d",
            "x!#$%&'*+-/=?^_`{|}~.y",
        ] {
            assert_eq!(validate_domain_name(name), Ok(()), "{name:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_dot_atom() {
        let cases = [
            ("outlook.fr, gmail.com", "',' at position 11"),
            ("provaïder", "'ï' at position 6"),
            ("", "empty"),
            (" ", "a space at position 1"),
            ("a..b", "two dots in a row at position 3"),
            (".a", "starts with a dot"),
            ("a.", "ends with a dot"),
            ("me@example.com", "without a local part"),
            ("exa\tmple.com", "U+0009"),
        ];
        for (name, expected) in cases {
            let message = validate_domain_name(name).unwrap_err().to_string();
            assert!(message.contains(expected), "{name:?}: {message}");
        }
    }

    #[test]
    fn cleans_aliases_like_odoo() {
        let cases = [
            ("Bouncâïde 😊", Some("bouncaide-")),
            ("bounce@wrong.example", Some("bounce")),
            ("bidule...inc.", Some("bidule.inc")),
            ("ぁぁ", Some("??")),
            ("  ", None),
            ("", None),
            ("...", None),
            ("@example.com", None),
            ("  Catchall  ", Some("catchall")),
            ("..a..b..", Some("a.b")),
            ("a b  c", Some("a-b-c")),
            (
                "weird!#$%&'*+-/=?^_`{|}~.ok",
                Some("weird!#$%&'*+-/=?^_`{|}~.ok"),
            ),
            ("a(b)c", Some("a-b-c")),
        ];
        for (input, expected) in cases {
            assert_eq!(clean_alias(input).as_deref(), expected, "{input:?}");
        }
    }

    #[test]
    fn cleans_default_from_keeping_the_domain() {
        let cases = [
            (
                "Notifications@Example.COM",
                Some("notifications@example.com"),
            ),
            ("notifications", Some("notifications")),
            (" Nötifs ", Some("notifs")),
            ("Nötifs@Éxample.com", Some("notifs@éxample.com")),
            ("no reply@", Some("no-reply")),
            ("@example.com", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(clean_default_from(input).as_deref(), expected, "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn validation_never_panics(name in any::<String>()) {
            let _ = validate_domain_name(&name);
        }

        #[test]
        fn valid_names_are_dot_separated_atext(name in "[a-zA-Z0-9.!é ,-]{0,20}") {
            if validate_domain_name(&name).is_ok() {
                prop_assert!(name.split('.').all(|label| !label.is_empty()));
                prop_assert!(name.chars().all(|c| c == '.' || c.is_ascii_alphanumeric() || ATEXT_SYMBOLS.contains(c)));
            }
        }

        #[test]
        fn cleaning_never_panics(value in any::<String>()) {
            let _ = clean_alias(&value);
            let _ = clean_default_from(&value);
        }

        #[test]
        fn cleaned_aliases_are_stable_ascii(value in any::<String>()) {
            if let Some(cleaned) = clean_alias(&value) {
                prop_assert!(cleaned.chars().all(|c| c.is_ascii() && (is_alias_char(c) || c == '-')));
                prop_assert!(!cleaned.starts_with('.') && !cleaned.ends_with('.') && !cleaned.contains(".."));
                prop_assert_eq!(clean_alias(&cleaned), Some(cleaned.clone()));
            }
        }
    }
}
