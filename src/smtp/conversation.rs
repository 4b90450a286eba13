//! Opening a conversation the way every command needs it — resolve, connect, TLS, greeting,
//! EHLO, STARTTLS, AUTH — timing and recording each stage.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::client::{resolve, Ehlo, Session, Target};
use super::TlsSettings;
use super::{SmtpError, Stage};
use crate::model::{Secret, Server};
use crate::smtp_url::{Security, SmtpUrl};

/// One stage's outcome, as `test-connection` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct StageReport {
    pub stage: &'static str,
    pub ok: bool,
    pub reply: Option<String>,
    pub ms: u64,
}

/// Records each stage run through it.
#[derive(Debug, Default)]
pub struct StageLog {
    pub reports: Vec<StageReport>,
}

impl StageLog {
    pub fn run<T>(
        &mut self,
        stage: Stage,
        step: impl FnOnce() -> Result<T, SmtpError>,
        describe: impl FnOnce(&T) -> Option<String>,
    ) -> Result<T, SmtpError> {
        let started = Instant::now();
        let result = step();
        let ms = started.elapsed().as_millis() as u64;
        let (ok, reply) = match &result {
            Ok(value) => (true, describe(value)),
            Err(error) => (
                false,
                error.reply.clone().or_else(|| Some(error.message.clone())),
            ),
        };
        self.reports.push(StageReport {
            stage: stage.as_str(),
            ok,
            reply,
            ms,
        });
        result
    }
}

/// A server to talk to, with what authenticating needs.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub target: Target,
    pub user: Option<String>,
    pub secret: Option<Secret>,
    pub mechanism: Option<String>,
    pub allow_plaintext_auth: bool,
}

impl Endpoint {
    /// A server record, with its secret already fetched.
    pub fn for_server(server: &Server, secret: Option<Secret>, timeout: Duration) -> Endpoint {
        Endpoint {
            target: Target {
                host: server.host.clone(),
                port: server.port,
                security: server.security,
                timeout,
                tls: TlsSettings::of(server),
            },
            user: server.user.clone(),
            secret,
            mechanism: server.auth_mechanism.clone(),
            allow_plaintext_auth: server.allow_plaintext_auth,
        }
    }

    /// The fallback server of the settings: a URL, no authentication.
    pub fn fallback(url: &SmtpUrl, timeout: Duration) -> Endpoint {
        Endpoint {
            target: Target {
                host: url.host.clone(),
                port: url.port,
                security: url.security,
                timeout,
                tls: TlsSettings::default(),
            },
            user: None,
            secret: None,
            mechanism: None,
            allow_plaintext_auth: false,
        }
    }
}

/// The name this machine gives in EHLO.
pub fn ehlo_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        })
        .unwrap_or_else(|| "localhost".to_string())
}

/// Connects and gets the session ready for MAIL FROM.
pub fn open(endpoint: &Endpoint, log: &mut StageLog) -> Result<(Session, Ehlo), SmtpError> {
    let target = &endpoint.target;
    let addrs = log.run(
        Stage::Resolve,
        || resolve(&target.host, target.port, target.timeout),
        |addrs| {
            Some(
                addrs
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        },
    )?;
    let mut session = log.run(
        Stage::Connect,
        || Session::connect(target, &addrs),
        |_| None,
    )?;
    if target.security == Security::Tls {
        log.run(
            Stage::Tls,
            || session.handshake(&target.tls, Stage::Tls),
            |()| None,
        )?;
    }
    log.run(
        Stage::Greeting,
        || session.greeting(target.security),
        |r| Some(r.text()),
    )?;
    let name = ehlo_name();
    let mut ehlo = log.run(
        Stage::Ehlo,
        || session.ehlo(&name),
        |e| Some(e.reply.text()),
    )?;
    if target.security == Security::Starttls {
        log.run(
            Stage::Starttls,
            || session.starttls(&ehlo, &target.tls),
            |r| Some(r.text()),
        )?;
        ehlo = log.run(
            Stage::Ehlo,
            || session.ehlo(&name),
            |e| Some(e.reply.text()),
        )?;
    }
    if let (Some(user), Some(secret)) = (&endpoint.user, &endpoint.secret) {
        log.run(
            Stage::Auth,
            || {
                session.auth(
                    &ehlo,
                    user,
                    secret.expose(),
                    endpoint.mechanism.as_deref(),
                    endpoint.allow_plaintext_auth,
                )
            },
            |r| Some(r.text()),
        )?;
    }
    Ok((session, ehlo))
}

/// The per-server timeout when neither the record nor the command gives one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
