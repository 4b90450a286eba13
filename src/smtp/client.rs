//! The SMTP session: connect, read replies, send commands, upgrade to TLS, authenticate, send.
//!
//! Blocking I/O with a timeout on every read and write; TCP_NODELAY so that a command or the
//! end of a message leaves at once. Every failure is an [`SmtpError`] naming its stage.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rustls::{ClientConnection, StreamOwned};
use serde::Serialize;

use super::tls::{self, TlsInfo, TlsSettings};
use super::{Direction, FailureClass, SmtpError, Stage, Transcript};
use crate::smtp_url::Security;

/// Where to connect and how.
#[derive(Debug, Clone)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub timeout: Duration,
    pub tls: TlsSettings,
}

/// A reply: its code and its lines (without the code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reply {
    pub code: u16,
    pub lines: Vec<String>,
}

impl Reply {
    /// The reply as the server wrote it, lines joined with newlines.
    pub fn text(&self) -> String {
        let last = self.lines.len().saturating_sub(1);
        self.lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let sep = if i == last { ' ' } else { '-' };
                format!("{}{sep}{line}", self.code)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The replies to a pipelined envelope: MAIL FROM, each RCPT TO, DATA.
#[derive(Debug)]
pub struct Pipelined {
    pub mail: Result<Reply, SmtpError>,
    pub rcpt: Vec<Result<Reply, SmtpError>>,
    pub data: Result<Reply, SmtpError>,
}

/// What EHLO said the server can do.
#[derive(Debug, Clone, Serialize)]
pub struct Ehlo {
    pub reply: Reply,
    /// The capability lines (after the greeting line), e.g. "SIZE 35882577", "AUTH PLAIN LOGIN".
    pub capabilities: Vec<String>,
}

impl Ehlo {
    pub fn has(&self, keyword: &str) -> bool {
        self.capabilities.iter().any(|c| {
            c.split_whitespace()
                .next()
                .is_some_and(|k| k.eq_ignore_ascii_case(keyword))
        })
    }

    pub fn auth_mechanisms(&self) -> Vec<String> {
        self.capabilities
            .iter()
            .filter_map(|c| {
                let mut words = c.split_whitespace();
                let first = words.next()?;
                (first.eq_ignore_ascii_case("AUTH") || first.eq_ignore_ascii_case("AUTH="))
                    .then(|| words.map(str::to_ascii_uppercase).collect::<Vec<_>>())
            })
            .flatten()
            .collect()
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
    /// Only while the socket moves from plain to TLS.
    Moving,
}

fn moving() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotConnected,
        "the connection is being upgraded to TLS",
    )
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
            Stream::Moving => Err(moving()),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
            Stream::Moving => Err(moving()),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
            Stream::Moving => Err(moving()),
        }
    }
}

/// An open SMTP connection.
pub struct Session {
    stream: Stream,
    unread: Vec<u8>,
    host: String,
    port: u16,
    timeout: Duration,
    pub transcript: Transcript,
    pub tls: Option<TlsInfo>,
}

/// Resolves a host name within the timeout (the resolver itself has no timeout to give).
pub fn resolve(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, SmtpError> {
    let (sender, receiver) = mpsc::channel();
    let name = host.to_string();
    std::thread::spawn(move || {
        let _ = sender.send(
            (name.as_str(), port)
                .to_socket_addrs()
                .map(Iterator::collect::<Vec<_>>),
        );
    });
    match receiver.recv_timeout(timeout) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) | Ok(Err(_)) => Err(SmtpError::new(
            Stage::Resolve,
            FailureClass::UnknownHost,
            format!(
                "cannot resolve the host name '{host}': check the spelling, or give an IP address"
            ),
        )),
        Err(_) => Err(SmtpError::new(
            Stage::Resolve,
            FailureClass::Timeout,
            format!(
                "resolving '{host}' took longer than {} s",
                timeout.as_secs()
            ),
        )),
    }
}

fn io_error(
    error: &io::Error,
    stage: Stage,
    host: &str,
    port: u16,
    timeout: Duration,
) -> SmtpError {
    match error.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => SmtpError::new(
            stage,
            FailureClass::Timeout,
            format!(
                "no answer from {host}:{port} within {} s",
                timeout.as_secs()
            ),
        ),
        io::ErrorKind::UnexpectedEof
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe => SmtpError::new(
            stage,
            FailureClass::ConnectionLost,
            format!("{host}:{port} closed the connection"),
        ),
        _ => SmtpError::new(
            stage,
            FailureClass::ConnectionLost,
            format!("{host}:{port}: {error}"),
        ),
    }
}

/// The class of a reply that is not the expected one.
fn refusal(stage: Stage, reply: &Reply, what: &str) -> SmtpError {
    let class = match reply.code {
        530 | 534 | 535 | 538 if stage == Stage::Auth => FailureClass::Auth,
        400..=499 => FailureClass::Temporary,
        500..=599 => FailureClass::Permanent,
        _ => FailureClass::Protocol,
    };
    let hint = match (class, reply.code) {
        (_, 421) => " (the server is closing the connection; try again later)".to_string(),
        (FailureClass::Temporary, _) => " (temporary: worth retrying)".to_string(),
        (FailureClass::Auth, _) => " (check the user and password)".to_string(),
        _ => String::new(),
    };
    let mut error = SmtpError::new(
        stage,
        class,
        format!(
            "{what}: the server answered {}{hint}",
            reply.text().replace('\n', " / ")
        ),
    );
    error.reply = Some(reply.text());
    error
}

impl Session {
    /// Connects to the first address that answers.
    pub fn connect(target: &Target, addrs: &[SocketAddr]) -> Result<Session, SmtpError> {
        let mut last = None;
        for addr in addrs {
            match TcpStream::connect_timeout(addr, target.timeout) {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    stream
                        .set_read_timeout(Some(target.timeout))
                        .and_then(|()| stream.set_write_timeout(Some(target.timeout)))
                        .map_err(|e| {
                            io_error(
                                &e,
                                Stage::Connect,
                                &target.host,
                                target.port,
                                target.timeout,
                            )
                        })?;
                    return Ok(Session {
                        stream: Stream::Plain(stream),
                        unread: Vec::new(),
                        host: target.host.clone(),
                        port: target.port,
                        timeout: target.timeout,
                        transcript: Transcript::default(),
                        tls: None,
                    });
                }
                Err(e) => last = Some(e),
            }
        }
        let error = last.unwrap_or_else(|| io::Error::other("no address"));
        Err(match error.kind() {
            io::ErrorKind::ConnectionRefused => SmtpError::new(
                Stage::Connect,
                FailureClass::ConnectionRefused,
                format!(
                    "connection to {}:{} refused: nothing listens there (check the port)",
                    target.host, target.port
                ),
            ),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => SmtpError::new(
                Stage::Connect,
                FailureClass::Timeout,
                format!(
                    "connecting to {}:{} took longer than {} s (a firewall may drop the packets)",
                    target.host,
                    target.port,
                    target.timeout.as_secs()
                ),
            ),
            _ => SmtpError::new(
                Stage::Connect,
                FailureClass::ConnectionRefused,
                format!("cannot connect to {}:{}: {error}", target.host, target.port),
            ),
        })
    }

    fn is_tls(&self) -> bool {
        matches!(self.stream, Stream::Tls(_))
    }

    /// Wraps the connection in TLS (implicit TLS, or after STARTTLS).
    pub fn handshake(&mut self, settings: &TlsSettings, stage: Stage) -> Result<(), SmtpError> {
        if !self.unread.is_empty() {
            // Bytes sent before the handshake must not be read as if they came under TLS.
            return Err(SmtpError::new(
                stage,
                FailureClass::Protocol,
                "the server sent data before the TLS handshake (a STARTTLS injection?)",
            ));
        }
        let config = tls::client_config(settings, stage)?;
        let name = tls::server_name(&self.host, stage)?;
        let connection = ClientConnection::new(config, name)
            .map_err(|e| SmtpError::new(stage, FailureClass::Tls, format!("TLS set-up: {e}")))?;
        let plain = match std::mem::replace(&mut self.stream, Stream::Moving) {
            Stream::Plain(tcp) => tcp,
            other => {
                self.stream = other;
                return Err(SmtpError::new(
                    stage,
                    FailureClass::Protocol,
                    "the connection is already encrypted",
                ));
            }
        };
        let mut stream = StreamOwned::new(connection, plain);
        while stream.conn.is_handshaking() {
            if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
                return Err(tls::handshake_error(&e, &self.host, self.port, stage));
            }
        }
        self.tls = Some(tls::info(&stream.conn, !settings.insecure));
        self.stream = Stream::Tls(Box::new(stream));
        self.transcript.note(match &self.tls {
            Some(info) => format!("TLS started: {} {}", info.protocol, info.cipher),
            None => "TLS started".into(),
        });
        Ok(())
    }

    fn read_line(&mut self, stage: Stage) -> Result<String, SmtpError> {
        loop {
            if let Some(end) = self.unread.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.unread.drain(..=end).collect();
                let text = String::from_utf8_lossy(&line);
                return Ok(text.trim_end_matches(['\r', '\n']).to_string());
            }
            if self.unread.len() > 64 * 1024 {
                return Err(SmtpError::new(
                    stage,
                    FailureClass::Protocol,
                    "the server sent a line longer than 64 KiB",
                ));
            }
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    return Err(io_error(
                        &io::Error::from(io::ErrorKind::UnexpectedEof),
                        stage,
                        &self.host,
                        self.port,
                        self.timeout,
                    ))
                }
                Ok(n) => self.unread.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(&e, stage, &self.host, self.port, self.timeout)),
            }
        }
    }

    /// Reads one reply, all its lines.
    pub fn read_reply(&mut self, stage: Stage) -> Result<Reply, SmtpError> {
        let mut lines = Vec::new();
        loop {
            let line = self.read_line(stage)?;
            self.transcript
                .push(Direction::Received, self.is_tls(), line.clone());
            let code = line.get(..3).and_then(|c| c.parse::<u16>().ok());
            let Some(code) = code.filter(|c| (200..=599).contains(c)) else {
                return Err(SmtpError::new(
                    stage,
                    FailureClass::Protocol,
                    format!(
                        "{}:{} answered something that is not SMTP: {:?}",
                        self.host,
                        self.port,
                        line.chars().take(60).collect::<String>()
                    ),
                ));
            };
            let more = line.as_bytes().get(3) == Some(&b'-');
            lines.push(line.get(4..).unwrap_or("").to_string());
            if !more {
                return Ok(Reply { code, lines });
            }
        }
    }

    fn write_line(&mut self, stage: Stage, line: &str, shown: &str) -> Result<(), SmtpError> {
        self.transcript.push(Direction::Sent, self.is_tls(), shown);
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.stream
            .write_all(&bytes)
            .and_then(|()| self.stream.flush())
            .map_err(|e| io_error(&e, stage, &self.host, self.port, self.timeout))
    }

    /// Sends a command and reads its reply; `expect` is the first digit of a positive reply.
    pub fn command(
        &mut self,
        stage: Stage,
        line: &str,
        expect: u16,
        what: &str,
    ) -> Result<Reply, SmtpError> {
        self.command_shown(stage, line, line, expect, what)
    }

    fn command_shown(
        &mut self,
        stage: Stage,
        line: &str,
        shown: &str,
        expect: u16,
        what: &str,
    ) -> Result<Reply, SmtpError> {
        self.write_line(stage, line, shown)?;
        let reply = self.read_reply(stage)?;
        if reply.code / 100 == expect {
            Ok(reply)
        } else {
            Err(refusal(stage, &reply, what))
        }
    }

    /// The server's greeting (220).
    pub fn greeting(&mut self, security: Security) -> Result<Reply, SmtpError> {
        let reply = self.read_reply(Stage::Greeting).map_err(|mut e| {
            if self.port == 465
                && security != Security::Tls
                && matches!(e.class, FailureClass::Timeout | FailureClass::Protocol)
            {
                e.message
                    .push_str("; port 465 expects implicit TLS: use --security tls");
            }
            e
        })?;
        if reply.code == 220 {
            Ok(reply)
        } else {
            Err(refusal(Stage::Greeting, &reply, "the greeting"))
        }
    }

    pub fn ehlo(&mut self, name: &str) -> Result<Ehlo, SmtpError> {
        let reply = self.command(Stage::Ehlo, &format!("EHLO {name}"), 2, "EHLO")?;
        let capabilities = reply.lines.iter().skip(1).cloned().collect();
        Ok(Ehlo {
            reply,
            capabilities,
        })
    }

    /// STARTTLS: required once configured, never a silent fall back to plain text.
    pub fn starttls(&mut self, ehlo: &Ehlo, settings: &TlsSettings) -> Result<Reply, SmtpError> {
        if !ehlo.has("STARTTLS") {
            return Err(SmtpError::new(
                Stage::Starttls,
                FailureClass::StarttlsNotOffered,
                format!(
                    "{}:{} does not offer STARTTLS, and this server is configured to require it (if it uses implicit TLS, use --security tls; mailroute never falls back to plain text)",
                    self.host, self.port
                ),
            ));
        }
        let reply = self.command(Stage::Starttls, "STARTTLS", 2, "STARTTLS")?;
        self.handshake(settings, Stage::Starttls)?;
        Ok(reply)
    }

    /// Authenticates with the best mechanism both sides know (PLAIN, then LOGIN), or XOAUTH2
    /// when asked. The secrets never reach the transcript.
    pub fn auth(
        &mut self,
        ehlo: &Ehlo,
        user: &str,
        secret: &str,
        mechanism: Option<&str>,
        allow_plaintext: bool,
    ) -> Result<Reply, SmtpError> {
        if !self.is_tls() && !allow_plaintext {
            return Err(SmtpError::new(
                Stage::Auth,
                FailureClass::Config,
                "refusing to send the password over an unencrypted connection: use --security starttls or tls (or --allow-plaintext-auth, on a trusted network only)",
            ));
        }
        let offered = ehlo.auth_mechanisms();
        let wanted: Vec<&str> = match mechanism {
            Some(m) => vec![m],
            None => vec!["PLAIN", "LOGIN"],
        };
        let Some(chosen) = wanted
            .iter()
            .find(|m| offered.iter().any(|o| o.eq_ignore_ascii_case(m)))
        else {
            return Err(SmtpError::new(
                Stage::Auth,
                FailureClass::Auth,
                format!(
                    "the server offers no usable AUTH mechanism (offered: {}; mailroute uses {})",
                    if offered.is_empty() {
                        "none".to_string()
                    } else {
                        offered.join(" ")
                    },
                    wanted.join(", ")
                ),
            ));
        };
        match chosen.to_ascii_uppercase().as_str() {
            "PLAIN" => {
                let payload = BASE64.encode(format!("\0{user}\0{secret}"));
                self.command_shown(
                    Stage::Auth,
                    &format!("AUTH PLAIN {payload}"),
                    "AUTH PLAIN <redacted>",
                    2,
                    "AUTH",
                )
            }
            "LOGIN" => {
                self.command(Stage::Auth, "AUTH LOGIN", 3, "AUTH LOGIN")?;
                self.command_shown(
                    Stage::Auth,
                    &BASE64.encode(user),
                    "<redacted user>",
                    3,
                    "AUTH LOGIN",
                )?;
                self.command_shown(Stage::Auth, &BASE64.encode(secret), "<redacted>", 2, "AUTH")
            }
            "XOAUTH2" => {
                let payload = BASE64.encode(format!("user={user}\x01auth=Bearer {secret}\x01\x01"));
                self.command_shown(
                    Stage::Auth,
                    &format!("AUTH XOAUTH2 {payload}"),
                    "AUTH XOAUTH2 <redacted>",
                    2,
                    "AUTH",
                )
            }
            other => Err(SmtpError::new(
                Stage::Auth,
                FailureClass::Config,
                format!("unsupported AUTH mechanism {other}"),
            )),
        }
    }

    pub fn mail_from(&mut self, address: &str) -> Result<Reply, SmtpError> {
        self.command(
            Stage::Mail,
            &format!("MAIL FROM:<{address}>"),
            2,
            &format!("MAIL FROM {address}"),
        )
    }

    pub fn rcpt_to(&mut self, address: &str) -> Result<Reply, SmtpError> {
        self.command(
            Stage::Rcpt,
            &format!("RCPT TO:<{address}>"),
            2,
            &format!("RCPT TO {address}"),
        )
    }

    /// DATA, expecting 354.
    pub fn data(&mut self) -> Result<Reply, SmtpError> {
        self.command(Stage::Data, "DATA", 3, "DATA")
    }

    /// MAIL FROM, every RCPT TO and DATA in one write, then their replies in order (RFC 2920
    /// PIPELINING, for servers that offer it): one round trip instead of two or more per
    /// message. The replies are all read whatever they say, so the session stays in step.
    pub fn envelope_pipelined(
        &mut self,
        envelope: &str,
        recipients: &[String],
    ) -> Result<Pipelined, SmtpError> {
        let commands = self.envelope_commands(envelope, recipients);
        self.stream
            .write_all(commands.as_bytes())
            .and_then(|()| self.stream.flush())
            .map_err(|e| io_error(&e, Stage::Mail, &self.host, self.port, self.timeout))?;
        self.envelope_replies(envelope, recipients)
    }

    /// The pipelined envelope's commands, recorded in the transcript as they will be sent.
    fn envelope_commands(&mut self, envelope: &str, recipients: &[String]) -> String {
        let mut commands = format!("MAIL FROM:<{envelope}>\r\n");
        for recipient in recipients {
            commands.push_str("RCPT TO:<");
            commands.push_str(recipient);
            commands.push_str(">\r\n");
        }
        commands.push_str("DATA\r\n");
        for line in commands.split_terminator("\r\n") {
            self.transcript.push(Direction::Sent, self.is_tls(), line);
        }
        commands
    }

    /// Reads the replies to a pipelined envelope already written (by [`Self::envelope_pipelined`],
    /// or after the previous message by [`Self::write_message_then`]).
    pub fn envelope_replies(
        &mut self,
        envelope: &str,
        recipients: &[String],
    ) -> Result<Pipelined, SmtpError> {
        let check = |reply: Reply, stage: Stage, expect: u16, what: &dyn Fn() -> String| {
            if reply.code / 100 == expect {
                Ok(reply)
            } else {
                Err(refusal(stage, &reply, &what()))
            }
        };
        let mail = self.read_reply(Stage::Mail)?;
        let mail = check(mail, Stage::Mail, 2, &|| format!("MAIL FROM {envelope}"));
        let mut rcpt = Vec::with_capacity(recipients.len());
        for recipient in recipients {
            let reply = self.read_reply(Stage::Rcpt)?;
            rcpt.push(check(reply, Stage::Rcpt, 2, &|| {
                format!("RCPT TO {recipient}")
            }));
        }
        let data = self.read_reply(Stage::Data)?;
        let data = check(data, Stage::Data, 3, &|| "DATA".to_string());
        Ok(Pipelined { mail, rcpt, data })
    }

    /// Sends the message after DATA's 354: dot-stuffed, CRLF line ends, and the final dot in the
    /// same write, so that nothing waits for a delayed ACK.
    pub fn message(&mut self, message: &[u8]) -> Result<Reply, SmtpError> {
        self.write_message(message)?;
        self.final_reply()
    }

    /// Writes the message after DATA's 354. An error here means the server cannot have
    /// accepted it (the final dot did not leave).
    pub fn write_message(&mut self, message: &[u8]) -> Result<(), SmtpError> {
        self.write_message_then(message, None)
    }

    /// Writes the message and, with PIPELINING, the next message's envelope in the same write
    /// (RFC 2920 lets a group begin with a message's content), so that a connection sending
    /// many messages needs one round trip per message. Its replies follow the message's final
    /// reply: read them with [`Self::envelope_replies`].
    pub fn write_message_then(
        &mut self,
        message: &[u8],
        next_envelope: Option<(&str, &[String])>,
    ) -> Result<(), SmtpError> {
        let mut wire = Vec::with_capacity(message.len() + message.len() / 32 + 256);
        let mut at_line_start = true;
        let mut previous = 0u8;
        for &b in message {
            if at_line_start && b == b'.' {
                wire.push(b'.');
            }
            if b == b'\n' && previous != b'\r' {
                wire.push(b'\r');
            }
            wire.push(b);
            at_line_start = b == b'\n';
            previous = b;
        }
        if !wire.ends_with(b"\r\n") {
            wire.extend_from_slice(b"\r\n");
        }
        wire.extend_from_slice(b".\r\n");
        self.transcript.push(
            Direction::Sent,
            self.is_tls(),
            format!("<message of {} bytes>", message.len()),
        );
        self.transcript.push(Direction::Sent, self.is_tls(), ".");
        if let Some((envelope, recipients)) = next_envelope {
            let commands = self.envelope_commands(envelope, recipients);
            wire.extend_from_slice(commands.as_bytes());
        }
        self.stream
            .write_all(&wire)
            .and_then(|()| self.stream.flush())
            .map_err(|e| io_error(&e, Stage::Data, &self.host, self.port, self.timeout))
    }

    /// The server's verdict on a message just written. An error without a reply means the
    /// message may or may not have been accepted.
    pub fn final_reply(&mut self) -> Result<Reply, SmtpError> {
        let reply = self.read_reply(Stage::Data)?;
        if reply.code / 100 == 2 {
            Ok(reply)
        } else {
            Err(refusal(Stage::Data, &reply, "the message"))
        }
    }

    pub fn rset(&mut self) -> Result<Reply, SmtpError> {
        self.command(Stage::Rset, "RSET", 2, "RSET")
    }

    /// QUIT; the connection is closed afterwards whatever the server says.
    pub fn quit(&mut self) -> Result<Reply, SmtpError> {
        self.command(Stage::Quit, "QUIT", 2, "QUIT")
    }
}
