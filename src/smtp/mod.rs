//! SMTP: a small blocking client that does one stage at a time and says how each went.
//!
//! `test-connection` drives it stage by stage to report and classify failures the way swaks
//! does; `send` drives it to deliver exactly what routing decided. We write our own client
//! instead of using lettre's transport for three reasons: lettre does not expose a transcript or
//! per-stage replies, it cannot stop after DATA's 354 without sending a message, and lettre
//! 0.11.23 writes the body and the final dot in two writes without TCP_NODELAY, which costs a
//! delayed ACK (~40 ms) per message. Messages are still built with lettre (`message`).
//!
//! Secrets: AUTH exchanges are recorded in the transcript as `<redacted>`; nothing here prints.

mod client;
mod conversation;
mod failure;
mod tls;

pub use client::{resolve, Ehlo, Pipelined, Reply, Session, Target};
pub use conversation::{ehlo_name, open, Endpoint, StageLog, StageReport, DEFAULT_TIMEOUT};
pub use failure::{FailureClass, SmtpError};
pub use tls::{TlsInfo, TlsSettings};

use serde::Serialize;

/// The stages of an SMTP conversation, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Resolve,
    Connect,
    Tls,
    Greeting,
    Ehlo,
    Starttls,
    Auth,
    Mail,
    Rcpt,
    Data,
    Rset,
    Quit,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Resolve => "resolve",
            Stage::Connect => "connect",
            Stage::Tls => "tls",
            Stage::Greeting => "greeting",
            Stage::Ehlo => "ehlo",
            Stage::Starttls => "starttls",
            Stage::Auth => "auth",
            Stage::Mail => "mail",
            Stage::Rcpt => "rcpt",
            Stage::Data => "data",
            Stage::Rset => "rset",
            Stage::Quit => "quit",
        }
    }
}

/// Who said a transcript line, and whether it went over TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

/// The conversation, line by line, as swaks shows it: `->`/`<-` in clear, `~>`/`<~` under TLS.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    lines: Vec<(Direction, bool, String)>,
    /// Not recording: a connection that sends thousands of messages shows no transcript, and
    /// would otherwise keep every line of it until it closes.
    stopped: bool,
}

impl Transcript {
    pub fn push(&mut self, direction: Direction, tls: bool, line: impl Into<String>) {
        if !self.stopped {
            self.lines.push((direction, tls, line.into()));
        }
    }

    /// Stops recording; what was recorded stays.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    pub fn note(&mut self, line: impl Into<String>) {
        if self.stopped {
            return;
        }
        self.lines
            .push((Direction::Received, false, format!("=== {}", line.into())));
    }

    /// The lines with their swaks-style prefixes.
    pub fn lines(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|(direction, tls, text)| {
                if text.starts_with("=== ") {
                    return text.clone();
                }
                let prefix = match (direction, tls) {
                    (Direction::Sent, false) => "->",
                    (Direction::Received, false) => "<-",
                    (Direction::Sent, true) => "~>",
                    (Direction::Received, true) => "<~",
                };
                format!("{prefix} {text}")
            })
            .collect()
    }
}
