//! How an SMTP attempt failed, in classes callers branch on, with the exit code of each.

use serde::Serialize;

use super::Stage;
use crate::error::{Error, ErrorKind, ExitCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureClass {
    /// The host name does not resolve.
    UnknownHost,
    /// Nothing listens on that port.
    ConnectionRefused,
    /// The server did not answer in time.
    Timeout,
    /// The server closed the connection.
    ConnectionLost,
    /// TLS handshake failed, or the certificate is not trusted or not for this host.
    Tls,
    /// STARTTLS is configured but the server does not offer it.
    StarttlsNotOffered,
    /// The server refused the credentials.
    Auth,
    /// A 5xx reply.
    Permanent,
    /// A 4xx reply.
    Temporary,
    /// A reply that makes no sense at this point.
    Protocol,
    /// Something to fix on our side (a password command failed, AUTH over plain text refused).
    Config,
}

impl FailureClass {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::UnknownHost => "unknown-host",
            FailureClass::ConnectionRefused => "connection-refused",
            FailureClass::Timeout => "timeout",
            FailureClass::ConnectionLost => "connection-lost",
            FailureClass::Tls => "tls",
            FailureClass::StarttlsNotOffered => "starttls-not-offered",
            FailureClass::Auth => "auth",
            FailureClass::Permanent => "permanent",
            FailureClass::Temporary => "temporary",
            FailureClass::Protocol => "protocol",
            FailureClass::Config => "config",
        }
    }

    /// The exit codes of cli.md.
    pub fn exit_code(self) -> ExitCode {
        match self {
            FailureClass::UnknownHost => ExitCode::NoHost,
            FailureClass::ConnectionRefused | FailureClass::Permanent => ExitCode::Unavailable,
            FailureClass::Timeout | FailureClass::Temporary | FailureClass::ConnectionLost => {
                ExitCode::TempFail
            }
            FailureClass::Tls | FailureClass::StarttlsNotOffered | FailureClass::Protocol => {
                ExitCode::Protocol
            }
            FailureClass::Auth => ExitCode::NoPerm,
            FailureClass::Config => ExitCode::Config,
        }
    }
}

/// A failed stage: what, where, and what to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpError {
    pub stage: Stage,
    pub class: FailureClass,
    pub message: String,
    /// The server's reply, when it gave one.
    pub reply: Option<String>,
}

impl SmtpError {
    pub fn new(stage: Stage, class: FailureClass, message: impl Into<String>) -> SmtpError {
        SmtpError {
            stage,
            class,
            message: message.into(),
            reply: None,
        }
    }
}

impl std::fmt::Display for SmtpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed: {}", self.stage.as_str(), self.message)
    }
}

impl std::error::Error for SmtpError {}

impl From<SmtpError> for Error {
    fn from(error: SmtpError) -> Error {
        Error::new(ErrorKind::Smtp(error.class), error.to_string())
    }
}
