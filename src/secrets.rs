//! Fetching a server's password (or OAuth token) at the moment a connection needs it.
//!
//! A command (msmtp's `passwordeval`) is run with `sh -c`, its stdin closed and its stderr left
//! to the terminal (a password manager may ask for a passphrase there); the first line of its
//! output is the secret. Nothing here prints the secret, and errors never contain it.

use std::process::{Command, Stdio};

use crate::error::{Error, Result};
use crate::model::{PasswordSource, Secret};

/// The secret of a server, or `None` when it has no password.
pub fn fetch(server: &str, source: &PasswordSource) -> Result<Option<Secret>> {
    match source {
        PasswordSource::None => Ok(None),
        PasswordSource::Stored(secret) => Ok(Some(secret.clone())),
        PasswordSource::Env(var) => match std::env::var(var) {
            Ok(value) if !value.is_empty() => Ok(Some(Secret::new(value))),
            _ => Err(Error::config(format!(
                "the environment variable {var} (the password of server '{server}') is not set or empty"
            ))),
        },
        PasswordSource::Command(command) => {
            let output = Command::new("sh")
                .arg("-c")
                .arg(command)
                .stdin(Stdio::null())
                .stderr(Stdio::inherit())
                .output()
                .map_err(|e| {
                    Error::config(format!("cannot run the password command of server '{server}': {e}"))
                })?;
            if !output.status.success() {
                return Err(Error::config(format!(
                    "the password command of server '{server}' failed ({}); run it by hand to see why",
                    output.status
                )));
            }
            let text = String::from_utf8_lossy(&output.stdout);
            let first = text.lines().next().unwrap_or("").trim_end_matches('\r').to_string();
            if first.is_empty() {
                return Err(Error::config(format!(
                    "the password command of server '{server}' printed nothing"
                )));
            }
            Ok(Some(Secret::new(first)))
        }
    }
}

/// Replaces every appearance of a secret (and of the base64 forms AUTH would use) in `text`:
/// a last line of defence for anything that echoes what a server said.
pub fn scrub(text: &str, user: Option<&str>, secret: Option<&Secret>) -> String {
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine;
    let Some(secret) = secret.map(Secret::expose).filter(|s| !s.is_empty()) else {
        return text.to_string();
    };
    let user = user.unwrap_or("");
    let mut forms = vec![
        secret.to_string(),
        BASE64.encode(secret),
        BASE64.encode(format!("\0{user}\0{secret}")),
        BASE64.encode(format!("user={user}\x01auth=Bearer {secret}\x01\x01")),
    ];
    forms.retain(|f| !f.is_empty());
    let mut scrubbed = text.to_string();
    for form in forms {
        scrubbed = scrubbed.replace(&form, "<redacted>");
    }
    scrubbed
}
