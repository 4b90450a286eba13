//! `mailroute import --odoo-conf`: an Odoo server configuration's mail options as settings.

use super::super::Ctx;
use crate::error::{Error, Result};
use crate::model::SettingKey;
use crate::smtp_url::{self, Security, SmtpUrl};

/// Reads the `[options]` section of an Odoo configuration file (Python `configparser` syntax:
/// `key = value` or `key: value`, `;` and `#` comment lines, indented continuation lines).
fn odoo_options(text: &str) -> Result<Vec<(String, String)>> {
    let mut section: Option<String> = None;
    let mut seen_options = false;
    let mut options: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(';') || trimmed.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) && section.as_deref() == Some("options") {
            if let Some((_, value)) = options.last_mut() {
                value.push('\n');
                value.push_str(trimmed);
                continue;
            }
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            section = Some(name.trim().to_string());
            seen_options |= name.trim() == "options";
            continue;
        }
        if section.as_deref() != Some("options") {
            continue;
        }
        let split = trimmed.find(['=', ':']);
        let Some(at) = split else {
            return Err(Error::bad_input(format!(
                "line {trimmed:?} of [options] is not `key = value`"
            )));
        };
        let key = trimmed[..at].trim().to_lowercase();
        let value = trimmed[at + 1..].trim().to_string();
        options.retain(|(k, _)| *k != key);
        options.push((key, value));
    }
    if !seen_options {
        return Err(Error::bad_input(
            "no [options] section: this is not an Odoo server configuration file",
        ));
    }
    Ok(options)
}

/// Odoo's false values: the option is unset.
fn odoo_unset(value: &str) -> bool {
    value.is_empty() || ["false", "none"].contains(&value.to_lowercase().as_str())
}

/// Maps an Odoo configuration's `[options]` to settings, as Odoo uses them when no mail server
/// record exists (`ir.mail_server.connect` falling back on `tools.config`):
///
/// - `smtp_server` (default `localhost`), `smtp_port` (default 25), `smtp_ssl` and `smtp_user`
///   become `fallback-server`, as `smtp[s]://user@host:port`. `smtp_ssl`: `False` is plain
///   SMTP; `True` (or any other true value, and `starttls`) is STARTTLS, on any port, exactly
///   as Odoo has done since version 7 ("smtp_ssl => STARTTLS"), with a warning on port 465
///   where servers expect implicit TLS; `ssl` (not an Odoo value, but written by people who
///   mean it) is implicit TLS.
/// - `smtp_password` is a secret and is never imported (nor put in the URL): a warning says
///   to add a server with a password source instead.
/// - `email_from` becomes `email-from`; `from_filter` becomes `fallback-from-filter`.
/// - `False` (or an empty value) unsets a setting. An option that is absent leaves its
///   setting as it is, or unsets it with `--replace`. `mass-mailing-server` is never touched.
///   No `smtp_*` option at all leaves `fallback-server` alone (Odoo's default is the same).
pub fn odoo_settings(
    text: &str,
    replace: bool,
    ctx: &Ctx,
) -> Result<Vec<(SettingKey, Option<String>)>> {
    let options = odoo_options(text)?;
    let get = |key: &str| {
        options
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let set = |key: &str| get(key).filter(|v| !odoo_unset(v));
    let mut settings = Vec::new();

    if set("smtp_password").is_some() {
        ctx.printer.warn(
            "smtp_password is not imported: mailroute never takes a password from a file, and the fallback server cannot have one; add a server instead, e.g. `mailroute server add odoo --url URL --user USER --password-stdin`",
        );
    }
    for (option, what) in [
        ("smtp_ssl_certificate_filename", "client certificate"),
        ("smtp_ssl_private_key_filename", "client key"),
    ] {
        if set(option).is_some() {
            ctx.printer.warn(format!(
                "{option} is not imported: the fallback server has no {what}; add a server with --client-cert and --client-key instead"
            ));
        }
    }
    let smtp_keys = ["smtp_server", "smtp_port", "smtp_ssl", "smtp_user"];
    if smtp_keys.iter().any(|k| get(k).is_some()) {
        let host = set("smtp_server").unwrap_or("localhost").to_string();
        let port = match set("smtp_port") {
            None => 25,
            Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                Error::bad_input(format!("smtp_port {p:?} is not a port number (1 to 65535)"))
            })?,
        };
        let security = match set("smtp_ssl").map(str::to_lowercase) {
            None => Security::None,
            Some(v) if v == "ssl" || v == "tls" => Security::Tls,
            Some(v) if ["true", "1", "yes", "on", "starttls"].contains(&v.as_str()) => {
                if port == 465 {
                    ctx.printer.warn(
                        "smtp_ssl = True on port 465: Odoo uses STARTTLS whatever the port, and so does the imported fallback-server; servers on port 465 usually expect implicit TLS (smtps://)",
                    );
                }
                Security::Starttls
            }
            Some(v) => {
                return Err(Error::bad_input(format!(
                    "smtp_ssl {v:?}: expected True or False (or starttls, ssl)"
                )))
            }
        };
        let url = SmtpUrl {
            host,
            port,
            security,
            user: set("smtp_user").map(str::to_string),
        };
        // Through the parser, so that the host is checked (and IDNA-encoded) as everywhere else.
        let url = smtp_url::parse_smtp_url(&url.to_string())
            .map_err(|e| Error::bad_input(format!("smtp_server: {e}")))?;
        settings.push((SettingKey::FallbackServer, Some(url.to_string())));
    } else if replace {
        settings.push((SettingKey::FallbackServer, None));
    }
    for (option, key) in [
        ("email_from", SettingKey::EmailFrom),
        ("from_filter", SettingKey::FallbackFromFilter),
    ] {
        match get(option) {
            Some(v) if odoo_unset(v) => settings.push((key, None)),
            Some(v) => settings.push((key, Some(v.to_string()))),
            None if replace => settings.push((key, None)),
            None => {}
        }
    }
    Ok(settings)
}
