//! `mailroute settings show|set|unset`.

use std::io::{self, Write};

use serde::Serialize;

use super::Ctx;
use crate::address::{self, FromFilter};
use crate::cli::SettingsCommand;
use crate::error::{Error, Result};
use crate::model::{SettingKey, Settings, DEFAULT_FALLBACK_SERVER};
use crate::output::{table, write_table, Human, Paint};
use crate::smtp_url;
use crate::store;

pub fn run(command: SettingsCommand, ctx: &Ctx) -> Result<()> {
    match command {
        SettingsCommand::Show => show(ctx),
        SettingsCommand::Set { key, value } => set(&key, Some(&value), ctx),
        SettingsCommand::Unset { key } => set(&key, None, ctx),
    }
}

#[derive(Debug, Serialize)]
struct SettingView {
    key: &'static str,
    value: Option<String>,
    default: Option<&'static str>,
    description: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
struct SettingsView(Vec<SettingView>);

impl SettingsView {
    fn new(settings: &Settings) -> SettingsView {
        SettingsView(
            SettingKey::ALL
                .iter()
                .map(|&key| SettingView {
                    key: key.as_str(),
                    value: settings.get(key).map(str::to_string),
                    default: (key == SettingKey::FallbackServer).then_some(DEFAULT_FALLBACK_SERVER),
                    description: key.description(),
                })
                .collect(),
        )
    }
}

impl Human for SettingsView {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        let mut t = table(["KEY", "VALUE", "MEANING"], paint);
        for s in &self.0 {
            let value = match (&s.value, s.default) {
                (Some(v), _) => v.clone(),
                (None, Some(d)) => format!("{d} (default)"),
                (None, None) => "(unset)".to_string(),
            };
            t.add_row(vec![s.key.to_string(), value, s.description.to_string()]);
        }
        write_table(out, t)
    }
}

fn parse_key(text: &str) -> Result<SettingKey> {
    SettingKey::parse(text).ok_or_else(|| {
        let keys: Vec<&str> = SettingKey::ALL.iter().map(|k| k.as_str()).collect();
        Error::not_found("setting", text, "settings", &keys)
    })
}

/// Checks a value for a key, and returns what to store.
pub(crate) fn validate(key: SettingKey, value: &str, servers: &[String]) -> Result<String> {
    let value = value.trim();
    match key {
        SettingKey::EmailFrom => match address::parse_from(value) {
            Ok(address::ParsedFrom::Single(_)) => Ok(value.to_string()),
            Ok(address::ParsedFrom::Several(_)) => Err(Error::bad_input(format!(
                "email-from must be one address, not several: {value}"
            ))),
            Err(e) => Err(Error::bad_input(format!("email-from: {e}"))),
        },
        SettingKey::FallbackServer => {
            let url = smtp_url::parse_smtp_url(value).map_err(|e| match e {
                smtp_url::UrlError::PasswordInUrl => Error::bad_input(
                    "fallback-server: the URL contains a password, and a URL ends up in shell history and `ps`; give the fallback server without one (credentials for it are not supported yet: add a server with `mailroute server add` instead)",
                ),
                e => Error::bad_input(format!("fallback-server: {e}")),
            })?;
            Ok(url.to_string())
        }
        SettingKey::FallbackFromFilter => {
            let filter = FromFilter::parse(value)
                .map_err(|e| Error::bad_input(format!("fallback-from-filter: {e}")))?;
            Ok(filter.as_str().to_string())
        }
        SettingKey::MassMailingServer => servers
            .iter()
            .find(|s| s.eq_ignore_ascii_case(value))
            .cloned()
            .ok_or_else(|| Error::not_found("server", value, "servers", servers)),
    }
}

fn show(ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let settings = store::settings(store.conn())?;
    ctx.printer.report(&SettingsView::new(&settings))
}

fn set(key: &str, value: Option<&str>, ctx: &Ctx) -> Result<()> {
    let key = parse_key(key)?;
    let mut store = ctx.open_store()?;
    let settings = store.write(|tx| {
        let stored = match value {
            Some(value) => Some(validate(key, value, &store::server_names(tx)?)?),
            None => None,
        };
        store::set_setting(tx, key, stored.as_deref())?;
        store::settings(tx)
    })?;
    if key == SettingKey::MassMailingServer {
        if let Some(name) = &settings.mass_mailing_server {
            let server = store::find_server(store.conn(), name)?;
            if !server.enabled {
                ctx.printer.warn(format!(
                    "server '{name}' is disabled: --mass messages fail until `mailroute server enable {name}`"
                ));
            }
        }
    }
    ctx.printer.report(&SettingsView::new(&settings))
}
