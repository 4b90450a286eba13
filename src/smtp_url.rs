//! SMTP server URLs (`smtp://`, `smtps://`, lettre's `?tls=required`) and the connection
//! security they select.
//!
//! Parsing and printing only: no I/O, no clap, no SQLite, no connecting. Passwords never come
//! through here: a URL holding one is refused, and no error message repeats any part of the
//! URL that could hold a secret (only the scheme, the host and query keys are ever quoted).

use std::fmt;
use std::net::Ipv6Addr;

use thiserror::Error;
use url::{Host, Url};

/// How the connection to the server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Security {
    /// Plain SMTP.
    None,
    /// Plain SMTP upgraded with STARTTLS, which must succeed.
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::None, Security::Starttls, Security::Tls];

    pub fn default_port(self) -> u16 {
        match self {
            Security::None => 25,
            Security::Starttls => 587,
            Security::Tls => 465,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Security::None => "none",
            Security::Starttls => "starttls",
            Security::Tls => "tls",
        }
    }

    pub fn parse(text: &str) -> Result<Security, UrlError> {
        let wanted = text.trim();
        Security::ALL
            .into_iter()
            .find(|security| security.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UrlError::UnknownSecurity {
                given: wanted.to_string(),
            })
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a server URL or security name was refused. No message contains a password.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlError {
    #[error(
        "not an SMTP URL: write smtp://host[:port] (plain, or STARTTLS with ?tls=required) or smtps://host[:port] (implicit TLS)"
    )]
    NotAUrl,
    #[error(
        "malformed SMTP URL ({reason}): write smtp://[user@]host[:port] or smtps://[user@]host[:port]"
    )]
    Malformed { reason: String },
    #[error(
        "unsupported URL scheme {scheme:?}: use smtp:// (plain or STARTTLS) or smtps:// (implicit TLS)"
    )]
    UnsupportedScheme { scheme: String },
    #[error(
        "the URL contains a password, which is refused because URLs end up in shell history and in `ps` output: remove it from the URL and give it with --password-stdin, --password-cmd or --password-env instead"
    )]
    PasswordInUrl,
    #[error("the URL has no host: write smtp://host[:port], e.g. smtp://mail.example.com:25")]
    MissingHost,
    #[error("the host {host:?} is not a valid host name: check its spelling")]
    InvalidHost { host: String },
    #[error("the user name in the URL is not valid UTF-8 once percent-decoded: fix its %-escapes")]
    InvalidUser,
    #[error("an SMTP URL has no path: remove what follows the host and port (smtp://host:port)")]
    PathNotAllowed,
    #[error("an SMTP URL has no fragment: remove the '#' and what follows it")]
    FragmentNotAllowed,
    #[error(
        "port 0 is not a usable port: give the server's port (25, 587 or 465 usually) or leave it out"
    )]
    ZeroPort,
    #[error(
        "unsupported URL query parameter {key:?}: the only query accepted is ?tls=required on smtp:// (STARTTLS)"
    )]
    UnknownQueryKey { key: String },
    #[error(
        "unsupported value for tls in the URL query: the only value accepted is ?tls=required (STARTTLS)"
    )]
    UnknownTlsValue,
    #[error(
        "?tls=required goes with smtp:// (STARTTLS); smtps:// already means implicit TLS: drop the query"
    )]
    TlsQueryOnSmtps,
    #[error(
        "passwords are not accepted in the URL, where they end up in shell history and in `ps` output: give them with --password-stdin, --password-cmd or --password-env instead"
    )]
    PasswordInQuery,
    #[error("unknown security {given:?}: choose none, starttls or tls")]
    UnknownSecurity { given: String },
}

/// Where and how to reach an SMTP server. The password is not part of it on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    /// A lower-cased ASCII (IDNA) domain name, an IPv4 address, or an IPv6 address without
    /// brackets.
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Percent-decoded.
    pub user: Option<String>,
}

/// Parses `smtp://[user@]host[:port][?tls=required]` or `smtps://[user@]host[:port]`.
pub fn parse_smtp_url(text: &str) -> Result<SmtpUrl, UrlError> {
    let text = text.trim();
    // Without "://" the url crate would read `host:587` as scheme "host" and path "587".
    if !text.contains("://") {
        return Err(UrlError::NotAUrl);
    }
    let url = Url::parse(text).map_err(|e| UrlError::Malformed {
        reason: e.to_string(),
    })?;
    // Checked first so that no other error can be the one the user sees and fixes while the
    // password stays in the command line.
    if url.password().is_some() {
        return Err(UrlError::PasswordInUrl);
    }
    let scheme_security = match url.scheme() {
        "smtp" => Security::None,
        "smtps" => Security::Tls,
        other => {
            return Err(UrlError::UnsupportedScheme {
                scheme: other.to_string(),
            });
        }
    };
    let security = security_from_query(&url, scheme_security)?;
    let host = match url.host() {
        None => return Err(UrlError::MissingHost),
        Some(Host::Ipv6(address)) => address.to_string(),
        Some(Host::Ipv4(address)) => address.to_string(),
        Some(Host::Domain(domain)) => ascii_host(domain)?,
    };
    if !matches!(url.path(), "" | "/") {
        return Err(UrlError::PathNotAllowed);
    }
    if url.fragment().is_some() {
        return Err(UrlError::FragmentNotAllowed);
    }
    let port = match url.port() {
        Some(0) => return Err(UrlError::ZeroPort),
        Some(port) => port,
        None => security.default_port(),
    };
    let user = match url.username() {
        "" => None,
        encoded => Some(percent_decode(encoded).ok_or(UrlError::InvalidUser)?),
    };
    Ok(SmtpUrl {
        host,
        port,
        security,
        user,
    })
}

/// Applies lettre's `?tls=required` convention. Query values are never quoted back: someone
/// may well have tried `?password=...`.
fn security_from_query(url: &Url, scheme_security: Security) -> Result<Security, UrlError> {
    let mut security = scheme_security;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "tls" if scheme_security == Security::Tls => return Err(UrlError::TlsQueryOnSmtps),
            "tls" if value == "required" && security == Security::None => {
                security = Security::Starttls;
            }
            "tls" => return Err(UrlError::UnknownTlsValue),
            key if key.to_ascii_lowercase().starts_with("pass") => {
                return Err(UrlError::PasswordInQuery);
            }
            key => {
                return Err(UrlError::UnknownQueryKey {
                    key: key.to_string(),
                });
            }
        }
    }
    Ok(security)
}

/// For `smtp` the url crate keeps the host opaque: case as typed and non-ASCII percent-encoded.
/// SMTP clients and DNS want the lower-cased ASCII form, which IDNA gives.
fn ascii_host(opaque: &str) -> Result<String, UrlError> {
    let invalid = || UrlError::InvalidHost {
        host: opaque.to_string(),
    };
    let decoded = percent_decode(opaque).ok_or_else(invalid)?;
    // The idna crate follows the URL standard, which lets spaces and most punctuation through;
    // a host name for DNS is letters, digits, hyphens and dots (underscores seen in the wild).
    let is_host_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    match idna::domain_to_ascii(&decoded) {
        Ok(ascii) if !ascii.is_empty() && ascii.chars().all(is_host_char) => Ok(ascii),
        _ => Err(UrlError::InvalidHost { host: decoded }),
    }
}

/// Decodes `%XX` escapes; `None` when the bytes are not UTF-8. A `%` not followed by two hex
/// digits is kept as is, as browsers and the url crate do.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

/// Percent-encodes everything but RFC 3986 unreserved characters, which is always safe in the
/// userinfo of a URL.
fn percent_encode_user(user: &str) -> String {
    let mut encoded = String::with_capacity(user.len());
    for byte in user.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

impl fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.security {
            Security::Tls => "smtps",
            Security::None | Security::Starttls => "smtp",
        };
        write!(f, "{scheme}://")?;
        if let Some(user) = &self.user {
            write!(f, "{}@", percent_encode_user(user))?;
        }
        if self.host.parse::<Ipv6Addr>().is_ok() {
            write!(f, "[{}]", self.host)?;
        } else {
            f.write_str(&self.host)?;
        }
        write!(f, ":{}", self.port)?;
        if self.security == Security::Starttls {
            f.write_str("?tls=required")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn url(host: &str, port: u16, security: Security, user: Option<&str>) -> SmtpUrl {
        SmtpUrl {
            host: host.to_string(),
            port,
            security,
            user: user.map(str::to_string),
        }
    }

    #[test]
    fn security_names_and_ports() {
        let cases = [
            ("none", Security::None, 25),
            ("STARTTLS", Security::Starttls, 587),
            (" Tls ", Security::Tls, 465),
        ];
        for (text, security, port) in cases {
            assert_eq!(Security::parse(text), Ok(security), "{text:?}");
            assert_eq!(security.default_port(), port);
            assert_eq!(Security::parse(security.as_str()), Ok(security));
        }
        let message = Security::parse("ssl").unwrap_err().to_string();
        assert!(message.contains("none, starttls or tls"), "{message}");
    }

    #[test]
    fn parses_server_urls() {
        let cases = [
            (
                "smtp://localhost",
                url("localhost", 25, Security::None, None),
            ),
            (
                "smtp://localhost:25",
                url("localhost", 25, Security::None, None),
            ),
            (
                "smtp://Mail.Example.COM/",
                url("mail.example.com", 25, Security::None, None),
            ),
            (
                "smtps://mail.example.com",
                url("mail.example.com", 465, Security::Tls, None),
            ),
            (
                "smtp://mail.example.com?tls=required",
                url("mail.example.com", 587, Security::Starttls, None),
            ),
            (
                "smtp://bob%40corp@mail.example.com:2525?tls=required",
                url(
                    "mail.example.com",
                    2525,
                    Security::Starttls,
                    Some("bob@corp"),
                ),
            ),
            ("smtp://[::1]:2525", url("::1", 2525, Security::None, None)),
            (
                "smtps://127.0.0.1",
                url("127.0.0.1", 465, Security::Tls, None),
            ),
            (
                "  smtp://éxample.com  ",
                url("xn--xample-9ua.com", 25, Security::None, None),
            ),
            (
                "smtp://user:@host",
                url("host", 25, Security::None, Some("user")),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_smtp_url(text), Ok(expected), "{text:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_usable_server_url() {
        let cases = [
            ("mail.example.com:25", "not an SMTP URL"),
            ("http://mail.example.com", "smtp:// "),
            (
                "smtp://user:hunter2@mail.example.com",
                "--password-stdin, --password-cmd or --password-env",
            ),
            ("smtp://", "no host"),
            ("smtp:///", "no host"),
            ("smtp://host/path", "no path"),
            ("smtp://host#frag", "no fragment"),
            ("smtp://host:0", "port 0"),
            ("smtp://host:70000", "malformed"),
            (
                "smtp://host?tls=opportunistic",
                "only value accepted is ?tls=required",
            ),
            ("smtps://host?tls=required", "already means implicit TLS"),
            ("smtp://host?timeout=5", "\"timeout\""),
            ("smtp://host?password=hunter2", "--password-env"),
            ("smtp://exa%20mple.com", "not a valid host name"),
            ("smtp://exa!mple.com", "not a valid host name"),
            ("smtp://%FF", "not a valid host name"),
        ];
        for (text, expected) in cases {
            let message = parse_smtp_url(text).unwrap_err().to_string();
            assert!(message.contains(expected), "{text:?}: {message}");
            assert!(!message.contains("hunter2"), "{text:?}: {message}");
        }
    }

    #[test]
    fn displays_in_a_form_that_parses_back() {
        let cases = [
            (
                url("localhost", 25, Security::None, None),
                "smtp://localhost:25",
            ),
            (
                url("mail.example.com", 465, Security::Tls, Some("bob")),
                "smtps://bob@mail.example.com:465",
            ),
            (
                url("mail.example.com", 587, Security::Starttls, None),
                "smtp://mail.example.com:587?tls=required",
            ),
            (
                url("::1", 2525, Security::None, Some("a b@c")),
                "smtp://a%20b%40c@[::1]:2525",
            ),
        ];
        for (parsed, text) in cases {
            assert_eq!(parsed.to_string(), text);
            assert_eq!(parse_smtp_url(text), Ok(parsed));
        }
    }

    fn any_security() -> impl Strategy<Value = Security> {
        prop::sample::select(Security::ALL.to_vec())
    }

    fn any_host() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){0,3}",
            any::<Ipv6Addr>().prop_map(|address| address.to_string()),
            any::<std::net::Ipv4Addr>().prop_map(|address| address.to_string()),
        ]
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in any::<String>()) {
            let _ = parse_smtp_url(&text);
            let _ = parse_smtp_url(&format!("smtp://{text}"));
            let _ = Security::parse(&text);
        }

        #[test]
        fn errors_never_echo_the_password(
            user in "[^:@/?#\\[\\]]{0,10}",
            secret in "[a-zA-Z0-9!$&'()*+,;=._~-]{4,16}",
            host in "[a-zA-Z0-9.\\[\\]:-]{0,15}",
            tail in "(:[0-9]{0,6})?(/[a-z]{0,3})?(\\?[a-z=]{0,8})?",
        ) {
            let text = format!("smtp://{user}:{secret}@{host}{tail}");
            if let Err(error) = parse_smtp_url(&text) {
                let message = error.to_string();
                prop_assert!(!message.contains(&secret), "{}", message);
            } else {
                prop_assert!(false, "a URL with a password was accepted: {}", text);
            }
        }

        #[test]
        fn display_round_trips(
            host in any_host(),
            port in 1u16..,
            security in any_security(),
            user in proptest::option::of("\\PC{1,12}"),
        ) {
            let original = SmtpUrl { host, port, security, user };
            prop_assert_eq!(parse_smtp_url(&original.to_string()), Ok(original.clone()));
        }
    }
}
