//! The configuration objects as plain data: alias domains, companies, outgoing servers, settings.
//!
//! These types are shared by the store (which persists them) and the routing core (which reads
//! them through a snapshot). They hold already-validated values and derive what the rules derive
//! (bounce, catchall and notification addresses). No I/O here, no SQL, no clap.

use serde::Serialize;

use crate::address::FromFilter;
use crate::smtp_url::Security;

/// An alias domain (routing.md §1). Alias values are stored cleaned; `None` means "no alias".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AliasDomain {
    pub id: i64,
    pub name: String,
    pub bounce: Option<String>,
    pub catchall: Option<String>,
    /// A local part, or a full address ("unique sender" mode).
    pub default_from: Option<String>,
    pub priority: i64,
}

impl AliasDomain {
    pub fn bounce_address(&self) -> Option<String> {
        self.bounce
            .as_ref()
            .map(|local| format!("{local}@{}", self.name))
    }

    pub fn catchall_address(&self) -> Option<String> {
        self.catchall
            .as_ref()
            .map(|local| format!("{local}@{}", self.name))
    }

    pub fn notification_address(&self) -> Option<String> {
        self.default_from.as_ref().map(|value| {
            if value.contains('@') {
                value.clone()
            } else {
                format!("{value}@{}", self.name)
            }
        })
    }

    /// `default-from` given as a full address: every message of this context is sent as it.
    pub fn is_unique_sender(&self) -> bool {
        self.default_from
            .as_deref()
            .is_some_and(|v| v.contains('@'))
    }

    /// How a user refers to this domain when its name alone is ambiguous.
    pub fn reference(&self) -> String {
        format!("#{}", self.id)
    }
}

/// The order routing uses for alias domains and servers: priority, then name, then id.
pub fn priority_order_key(priority: i64, name: &str, id: i64) -> (i64, String, String, i64) {
    (priority, name.to_lowercase(), name.to_string(), id)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub alias_domain_id: Option<i64>,
}

/// A secret value. It can be written to the store and handed to an SMTP client, but it has no
/// `Display`, no `Serialize`, and its `Debug` is redacted, so it cannot leak into output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where a server's password (or OAuth token) comes from. Only references are ever shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    None,
    /// Stored in the database (given once with `--password-stdin`).
    Stored(Secret),
    /// A command whose first line of output is the password, run when needed (msmtp's passwordeval).
    Command(String),
    /// An environment variable read when needed.
    Env(String),
}

impl PasswordSource {
    /// A description safe to print: never the secret itself.
    pub fn describe(&self) -> String {
        match self {
            PasswordSource::None => "none".into(),
            PasswordSource::Stored(_) => "stored in the database".into(),
            PasswordSource::Command(cmd) => format!("command: {cmd}"),
            PasswordSource::Env(var) => format!("environment variable {var}"),
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            PasswordSource::None => "none",
            PasswordSource::Stored(_) => "stored",
            PasswordSource::Command(_) => "command",
            PasswordSource::Env(_) => "env",
        }
    }
}

/// An outgoing SMTP server record, with everything connecting to it will need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub id: i64,
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    pub password: PasswordSource,
    pub from_filter: FromFilter,
    pub priority: i64,
    pub enabled: bool,
    /// Extra CA certificates (PEM) trusted for this server, besides the system roots.
    pub ca_file: Option<String>,
    /// Certificate verification turned off on purpose; warned about on every use.
    pub insecure: bool,
    pub timeout_secs: Option<u32>,
    /// AUTH over an unencrypted connection, allowed on purpose (a trusted network only).
    pub allow_plaintext_auth: bool,
    /// PLAIN, LOGIN or XOAUTH2; `None` picks PLAIN, then LOGIN, whichever the server offers.
    pub auth_mechanism: Option<String>,
    /// A TLS client certificate (PEM) and its private key (PEM), for servers that authenticate
    /// clients by certificate. Paths: the key stays in its file, never in the store.
    pub client_cert: Option<String>,
    pub client_key: Option<String>,
    /// Bulk sending: connections at once, attempts before a temporary failure is final,
    /// quotas, and whether to fail over to the next acceptable server when this one is down.
    pub limits: SendingLimits,
}

/// How a server may be used by the outbox.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SendingLimits {
    pub max_connections: u32,
    pub max_attempts: u32,
    pub per_minute: Option<u32>,
    pub per_day: Option<u32>,
    pub failover: bool,
}

impl Default for SendingLimits {
    fn default() -> Self {
        SendingLimits {
            max_connections: 4,
            max_attempts: 5,
            per_minute: None,
            per_day: None,
            failover: false,
        }
    }
}

/// The settings keys of `mailroute settings`, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKey {
    EmailFrom,
    FallbackServer,
    FallbackFromFilter,
    MassMailingServer,
}

impl SettingKey {
    pub const ALL: [SettingKey; 4] = [
        SettingKey::EmailFrom,
        SettingKey::FallbackServer,
        SettingKey::FallbackFromFilter,
        SettingKey::MassMailingServer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SettingKey::EmailFrom => "email-from",
            SettingKey::FallbackServer => "fallback-server",
            SettingKey::FallbackFromFilter => "fallback-from-filter",
            SettingKey::MassMailingServer => "mass-mailing-server",
        }
    }

    pub fn parse(text: &str) -> Option<SettingKey> {
        SettingKey::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn description(self) -> &'static str {
        match self {
            SettingKey::EmailFrom => "address used when no alias domain applies",
            SettingKey::FallbackServer => "SMTP URL used when no server is enabled",
            SettingKey::FallbackFromFilter => "from-filter of the fallback server",
            SettingKey::MassMailingServer => "server forced for --mass messages",
        }
    }
}

pub const DEFAULT_FALLBACK_SERVER: &str = "smtp://localhost:25";

/// The settings as routing reads them (values already validated when they were set).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub email_from: Option<String>,
    pub fallback_server: Option<String>,
    pub fallback_from_filter: Option<String>,
    pub mass_mailing_server: Option<String>,
}

impl Settings {
    pub fn get(&self, key: SettingKey) -> Option<&str> {
        match key {
            SettingKey::EmailFrom => self.email_from.as_deref(),
            SettingKey::FallbackServer => self.fallback_server.as_deref(),
            SettingKey::FallbackFromFilter => self.fallback_from_filter.as_deref(),
            SettingKey::MassMailingServer => self.mass_mailing_server.as_deref(),
        }
    }

    pub fn slot(&mut self, key: SettingKey) -> &mut Option<String> {
        match key {
            SettingKey::EmailFrom => &mut self.email_from,
            SettingKey::FallbackServer => &mut self.fallback_server,
            SettingKey::FallbackFromFilter => &mut self.fallback_from_filter,
            SettingKey::MassMailingServer => &mut self.mass_mailing_server,
        }
    }

    pub fn fallback_server_url(&self) -> &str {
        self.fallback_server
            .as_deref()
            .unwrap_or(DEFAULT_FALLBACK_SERVER)
    }
}
