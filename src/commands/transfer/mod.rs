//! `mailroute export` and `mailroute import`: the whole configuration as one file, and back.
//! The msmtp form is in `msmtprc`, the Odoo configuration file in `odoo`.
//!
//! # The file (TOML by default, or JSON with the same keys)
//!
//! ```toml
//! version = 1
//!
//! [settings]                      # keys as `mailroute settings set` names them; "" = unset
//! email-from = "noreply@example.com"
//! fallback-server = "smtp://localhost:25"
//! fallback-from-filter = "example.com"
//! mass-mailing-server = "bulk"
//!
//! [[domain]]                      # identity: name, and bounce when several share the name
//! name = "example.com"
//! bounce = "bounce"               # "" = no alias
//! catchall = "catchall"           # "" = no alias
//! default_from = "notifications"  # a local part or a full address; "" = none
//! priority = 10
//!
//! [[company]]                     # identity: name
//! name = "Acme"
//! domain = "example.com"          # omitted: no alias domain
//! domain_bounce = "bounce-b"      # only when several domains share the name
//!
//! [[server]]                      # identity: name
//! name = "main"
//! host = "mail.example.com"
//! port = 587
//! security = "starttls"           # none, starttls or tls
//! user = "me"
//! password_cmd = "pass show smtp" # or password_env = "SMTP_PASSWORD"; never a password
//! from_filter = "example.com"
//! priority = 10
//! enabled = true
//! insecure = false
//! allow_plaintext_auth = false
//! # optional: ca_file, timeout, auth_mechanism, client_cert, client_key,
//! # max_connections, max_attempts, per_minute, per_day, failover
//! ```
//!
//! An entry describes the whole object: a field left out takes its default, as on `add`. The
//! one exception is a server's stored password, which no export contains: a server in the file
//! without `password_cmd` or `password_env` keeps the password stored for it. Values are
//! validated and cleaned exactly as the `domain`, `company`, `server` and `settings` commands
//! do, all before anything is written; the changes are then applied in one transaction.
//! Merge (the default) keeps what the file does not mention; `--replace` removes it (after a
//! confirmation, as do alias changes, which lose mail still sent to the old address).
//!
//! `import --odoo-conf` maps an Odoo server configuration's `[options]` to settings, see
//! [`odoo_settings`]; `export --msmtprc` writes an msmtp configuration, see [`msmtprc`].

use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::path::Path;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Ctx;
use crate::address::FromFilter;
use crate::alias;
use crate::cli::{ExportArgs, FormatArg, ImportArgs};
use crate::error::{Error, Result};
use crate::model::{AliasDomain, Company, PasswordSource, Server, SettingKey, Settings};
use crate::output::{Done, Human, Paint};
use crate::smtp_url::Security;
use crate::store::{self, DomainChanges, NewDomain};
use msmtprc::msmtprc;
use odoo::odoo_settings;

/// The version of the file format this mailroute writes and reads.
mod import;
mod msmtprc;
mod odoo;

pub use import::import;

const FORMAT_VERSION: u32 = 1;

// ---------------------------------------------------------------------------------------------
// The file

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    version: u32,
    #[serde(default)]
    settings: SettingsEntry,
    #[serde(default, rename = "domain")]
    domains: Vec<DomainEntry>,
    #[serde(default, rename = "company")]
    companies: Vec<CompanyEntry>,
    #[serde(default, rename = "server")]
    servers: Vec<ServerEntry>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SettingsEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    email_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback_server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback_from_filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mass_mailing_server: Option<String>,
}

impl SettingsEntry {
    fn get(&self, key: SettingKey) -> Option<&String> {
        match key {
            SettingKey::EmailFrom => self.email_from.as_ref(),
            SettingKey::FallbackServer => self.fallback_server.as_ref(),
            SettingKey::FallbackFromFilter => self.fallback_from_filter.as_ref(),
            SettingKey::MassMailingServer => self.mass_mailing_server.as_ref(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainEntry {
    name: String,
    bounce: Option<String>,
    catchall: Option<String>,
    default_from: Option<String>,
    priority: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompanyEntry {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain_bounce: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServerEntry {
    name: String,
    host: String,
    port: Option<u16>,
    security: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_cmd: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_env: Option<String>,
    from_filter: Option<String>,
    priority: Option<i64>,
    enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ca_file: Option<String>,
    insecure: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout: Option<u32>,
    allow_plaintext_auth: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_mechanism: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_cert: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_key: Option<String>,
    max_connections: Option<u32>,
    max_attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_minute: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_day: Option<u32>,
    failover: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Export

fn format_of(args_format: Option<FormatArg>, path: Option<&Path>, json: bool) -> FormatArg {
    args_format.unwrap_or_else(|| {
        let by_extension = path
            .and_then(|p| p.extension())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if by_extension || json {
            FormatArg::Json
        } else {
            FormatArg::Toml
        }
    })
}

pub fn export(args: ExportArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let conn = store.conn();
    let domains = store::domains(conn)?;
    let companies = store::companies(conn)?;
    let servers = store::servers(conn)?;
    let settings = store::settings(conn)?;
    let (text, what) = if args.msmtprc {
        (msmtprc(&servers), "an msmtp configuration")
    } else {
        for server in &servers {
            if let PasswordSource::Stored(_) = server.password {
                ctx.printer.warn(format!(
                    "the stored password of server '{0}' is not exported (secrets never are): after importing, give it again with `mailroute server set {0} --password-stdin`",
                    server.name
                ));
            }
        }
        let file = to_file(&domains, &companies, &servers, &settings);
        match format_of(args.format, args.output.as_deref(), ctx.printer.json) {
            FormatArg::Toml => (
                toml::to_string(&file)
                    .map_err(|e| Error::internal(format!("cannot write TOML: {e}")))?,
                "TOML",
            ),
            FormatArg::Json => (
                serde_json::to_string_pretty(&file)
                    .map_err(|e| Error::internal(format!("cannot write JSON: {e}")))?
                    + "\n",
                "JSON",
            ),
        }
    };
    match &args.output {
        None => {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
        Some(path) => {
            write_file(path, &text, args.msmtprc)?;
            ctx.printer.report(&Done {
                message: format!("Wrote the configuration as {what} to {}.", path.display()),
                object: serde_json::json!({ "output": path, "servers": servers.len(), "domains": domains.len(), "companies": companies.len() }),
            })
        }
    }
}

fn write_file(path: &Path, text: &str, private: bool) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    if private {
        // msmtp refuses a configuration others can read when it holds credentials.
        options.mode(0o600);
    }
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| Error::bad_input(format!("cannot write {}: {e}", path.display())))
}

fn text_or_empty(value: &Option<String>) -> Option<String> {
    Some(value.clone().unwrap_or_default())
}

fn to_file(
    domains: &[AliasDomain],
    companies: &[Company],
    servers: &[Server],
    settings: &Settings,
) -> ConfigFile {
    let shared = |name: &str| {
        domains
            .iter()
            .filter(|d| d.name.eq_ignore_ascii_case(name))
            .count()
            > 1
    };
    ConfigFile {
        version: FORMAT_VERSION,
        settings: SettingsEntry {
            email_from: settings.email_from.clone(),
            fallback_server: settings.fallback_server.clone(),
            fallback_from_filter: settings.fallback_from_filter.clone(),
            mass_mailing_server: settings.mass_mailing_server.clone(),
        },
        domains: domains
            .iter()
            .map(|d| DomainEntry {
                name: d.name.clone(),
                bounce: text_or_empty(&d.bounce),
                catchall: text_or_empty(&d.catchall),
                default_from: text_or_empty(&d.default_from),
                priority: Some(d.priority),
            })
            .collect(),
        companies: companies
            .iter()
            .map(|c| {
                let domain = domains.iter().find(|d| Some(d.id) == c.alias_domain_id);
                CompanyEntry {
                    name: c.name.clone(),
                    domain: domain.map(|d| d.name.clone()),
                    domain_bounce: domain
                        .filter(|d| shared(&d.name))
                        .map(|d| d.bounce.clone().unwrap_or_default()),
                }
            })
            .collect(),
        servers: servers
            .iter()
            .map(|s| ServerEntry {
                name: s.name.clone(),
                host: s.host.clone(),
                port: Some(s.port),
                security: Some(s.security.as_str().to_string()),
                user: s.user.clone(),
                password_cmd: match &s.password {
                    PasswordSource::Command(c) => Some(c.clone()),
                    _ => None,
                },
                password_env: match &s.password {
                    PasswordSource::Env(v) => Some(v.clone()),
                    _ => None,
                },
                from_filter: Some(s.from_filter.as_str().to_string()),
                priority: Some(s.priority),
                enabled: Some(s.enabled),
                ca_file: s.ca_file.clone(),
                insecure: Some(s.insecure),
                timeout: s.timeout_secs,
                allow_plaintext_auth: Some(s.allow_plaintext_auth),
                auth_mechanism: s.auth_mechanism.clone(),
                client_cert: s.client_cert.clone(),
                client_key: s.client_key.clone(),
                max_connections: Some(s.limits.max_connections),
                max_attempts: Some(s.limits.max_attempts),
                per_minute: s.limits.per_minute,
                per_day: s.limits.per_day,
                failover: Some(s.limits.failover),
            })
            .collect(),
    }
}
