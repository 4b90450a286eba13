//! Error types where callers branch, and the one table that maps them to exit codes.
//!
//! Every failure the user can see ends up here as an [`Error`]: its [`ErrorKind`] decides the
//! sysexits code (cli.md "Exit status") and the `kind` string of `--json` errors. Modules below
//! the command layer return these (or their own small error enums converted into these); only
//! `app` turns them into text and a process exit status. Nothing here prints.

use std::fmt;

/// Process exit codes, as sendmail and msmtp use them (`sysexits.h`).
///
/// This is the only place the numbers are written down; the man page's EXIT STATUS section
/// is generated from [`ExitCode::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitCode {
    Success = 0,
    Cancelled = 1,
    Usage = 64,
    DataErr = 65,
    NoHost = 68,
    Unavailable = 69,
    Software = 70,
    TempFail = 75,
    Protocol = 76,
    NoPerm = 77,
    Config = 78,
}

impl ExitCode {
    pub const ALL: [ExitCode; 11] = [
        ExitCode::Success,
        ExitCode::Cancelled,
        ExitCode::Usage,
        ExitCode::DataErr,
        ExitCode::NoHost,
        ExitCode::Unavailable,
        ExitCode::Software,
        ExitCode::TempFail,
        ExitCode::Protocol,
        ExitCode::NoPerm,
        ExitCode::Config,
    ];

    pub fn code(self) -> i32 {
        self as i32
    }

    pub fn meaning(self) -> &'static str {
        match self {
            ExitCode::Success => "success",
            ExitCode::Cancelled => "cancelled at a confirmation prompt; nothing was changed",
            ExitCode::Usage => "usage error (bad flags, missing argument)",
            ExitCode::DataErr => {
                "bad input data (malformed address, filter, URL, header; unknown name)"
            }
            ExitCode::NoHost => "host name unknown",
            ExitCode::Unavailable => {
                "service unavailable: connection refused, or a permanent (5xx) refusal"
            }
            ExitCode::Software => "internal error",
            ExitCode::TempFail => "temporary failure: timeout, 4xx reply; worth retrying",
            ExitCode::Protocol => {
                "protocol error: unexpected reply, TLS handshake or certificate failure"
            }
            ExitCode::NoPerm => "authentication refused",
            ExitCode::Config => {
                "configuration error: no route, missing setting, disabled server forced"
            }
        }
    }
}

/// What went wrong, at the granularity callers (and scripts reading `--json`) branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad flags or a missing value that could not be asked for.
    Usage,
    /// Malformed input: address, filter, URL, name.
    BadInput,
    /// A named object does not exist.
    NotFound,
    /// The change would break a uniqueness rule or an object still in use.
    Conflict,
    /// No route, missing setting, disabled server forced, store from a newer version.
    Config,
    /// The store could not be opened or read.
    Store,
    /// A bug or an unexpected environment failure.
    Internal,
    /// The user declined a confirmation prompt: nothing was changed.
    Cancelled,
    /// Another process holds what this one needs (a `queue run` in progress): try again later.
    Busy,
    /// Whoever read our stdout stopped reading (`| head`): stop quietly, as a pipeline expects.
    OutputClosed,
    /// An SMTP conversation failed; the class says how (and decides the exit code).
    Smtp(crate::smtp::FailureClass),
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Usage => "usage",
            ErrorKind::BadInput => "bad-input",
            ErrorKind::NotFound => "not-found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Config => "config",
            ErrorKind::Store => "store",
            ErrorKind::Internal => "internal",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Busy => "busy",
            ErrorKind::OutputClosed => "output-closed",
            ErrorKind::Smtp(class) => class.as_str(),
        }
    }

    pub fn exit_code(self) -> ExitCode {
        match self {
            ErrorKind::Usage => ExitCode::Usage,
            ErrorKind::BadInput | ErrorKind::NotFound | ErrorKind::Conflict => ExitCode::DataErr,
            ErrorKind::Config | ErrorKind::Store => ExitCode::Config,
            ErrorKind::Internal => ExitCode::Software,
            ErrorKind::Cancelled => ExitCode::Cancelled,
            ErrorKind::Busy => ExitCode::TempFail,
            ErrorKind::OutputClosed => ExitCode::Success,
            ErrorKind::Smtp(class) => class.exit_code(),
        }
    }
}

/// A user-facing failure: a kind to branch on and a message that names the problem and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadInput, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// "no server 'smtp2'; servers: main, bulk" — an unknown name, with the valid choices.
    pub fn not_found<S: AsRef<str>>(what: &str, name: &str, plural: &str, valid: &[S]) -> Self {
        let choices = if valid.is_empty() {
            format!("there are no {plural} yet")
        } else {
            let names: Vec<&str> = valid.iter().map(AsRef::as_ref).collect();
            format!("{plural}: {}", names.join(", "))
        };
        Self::new(
            ErrorKind::NotFound,
            format!("no {what} '{name}'; {choices}"),
        )
    }

    pub fn exit_code(&self) -> ExitCode {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        // Busy errors only reach here once the busy timeout has run out: say so plainly.
        if let rusqlite::Error::SqliteFailure(code, _) = &error {
            if code.code == rusqlite::ErrorCode::DatabaseBusy
                || code.code == rusqlite::ErrorCode::DatabaseLocked
            {
                return Error::new(
                    ErrorKind::Store,
                    "the store is locked by another mailroute process; try again",
                );
            }
        }
        Error::new(ErrorKind::Store, format!("store error: {error}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return Error::new(ErrorKind::OutputClosed, "output closed");
        }
        Error::internal(format!("I/O error: {error}"))
    }
}
