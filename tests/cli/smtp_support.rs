//! Real SMTP servers for the tests: `tests/smtp_server.py` (Python's aiosmtpd) started on
//! 127.0.0.1 with a free port, and stopped when the handle drops.
//!
//! ```ignore
//! let certs = Certs::generate();
//! let server = SmtpServer::start(SmtpOptions::starttls(&certs).auth("alice", "secret"));
//! // ... run mailroute against 127.0.0.1:server.port() ...
//! let msgs = server.messages();
//! assert_eq!(msgs[0].rcpt_tos, ["bob@example.org"]);
//! assert!(server.commands().iter().any(|c| c == "1 AUTH PLAIN <auth data>"));
//! ```
//!
//! What the server records is written before it sends the reply the client waits for, so it
//! can be read as soon as the client is done. Needs `python3` with aiosmtpd
//! (`python3 -m pip install aiosmtpd`; `.ci/run` installs it); without them a test panics
//! with that command, it never skips.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use crate::certs::{Certs, ServerCert};

pub const SERVER_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_server.py");
const INSTALL_HINT: &str = "install it with: python3 -m pip install aiosmtpd";
const START_LIMIT: Duration = Duration::from_secs(10);

/// How the server speaks TLS.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// No TLS at all (and no STARTTLS offer).
    #[default]
    Plain,
    /// Plain greeting, STARTTLS offered in EHLO.
    StartTls,
    /// Implicit TLS from the first byte (like port 465).
    Tls,
}

/// What server to start. Fill the fields, or use the builder methods:
/// `SmtpOptions::starttls(&certs).auth("u", "p").reject("rcpt:550")`.
#[derive(Clone, Debug, Default)]
pub struct SmtpOptions {
    pub mode: Mode,
    /// Certificate for `StartTls`/`Tls` (required there), e.g. `certs.server()`.
    pub cert: Option<ServerCert>,
    /// Accounts for AUTH PLAIN/LOGIN; empty: no AUTH offered, AUTH answered 502.
    pub auth: Vec<(String, String)>,
    /// Offer and accept AUTH without TLS (default: AUTH only after TLS, 538 before).
    pub allow_plaintext_auth: bool,
    /// `STAGE:CODE[:TEXT]`: STAGE is a command (`helo`, `ehlo`, `mail`, `rcpt`, `data`, `auth`,
    /// `starttls`, `rset`, `quit`...) or `data-end` (after the body). 421 also closes.
    pub reject: Vec<String>,
    /// `(address, code)`: refuse only that recipient.
    pub reject_rcpt: Vec<(String, u16)>,
    /// Greet with this code (e.g. 421 or 554) instead of 220, then close.
    pub greeting: Option<u16>,
    /// Accept TCP connections and never say anything.
    pub hang: bool,
    /// Close the connection without a reply when this stage (as in `reject`) arrives.
    pub drop_at: Option<String>,
    /// More arguments for tests/smtp_server.py, e.g. `--auth-required`, `--require-starttls`,
    /// `--smtputf8`, `--max-size N`, `--verbose` (see its --help).
    pub extra: Vec<String>,
}

impl SmtpOptions {
    pub fn plain() -> SmtpOptions {
        SmtpOptions::default()
    }

    /// STARTTLS with the CA-signed `localhost` certificate.
    pub fn starttls(certs: &Certs) -> SmtpOptions {
        SmtpOptions {
            mode: Mode::StartTls,
            cert: Some(certs.server()),
            ..Default::default()
        }
    }

    /// Implicit TLS with the CA-signed `localhost` certificate.
    pub fn tls(certs: &Certs) -> SmtpOptions {
        SmtpOptions {
            mode: Mode::Tls,
            cert: Some(certs.server()),
            ..Default::default()
        }
    }

    /// Use another certificate (`certs.self_signed()`, `certs.wrong_host()`).
    pub fn cert(mut self, cert: ServerCert) -> SmtpOptions {
        self.cert = Some(cert);
        self
    }

    pub fn auth(mut self, user: &str, password: &str) -> SmtpOptions {
        self.auth.push((user.to_string(), password.to_string()));
        self
    }

    pub fn allow_plaintext_auth(mut self) -> SmtpOptions {
        self.allow_plaintext_auth = true;
        self
    }

    pub fn reject(mut self, spec: &str) -> SmtpOptions {
        self.reject.push(spec.to_string());
        self
    }

    pub fn reject_rcpt(mut self, address: &str, code: u16) -> SmtpOptions {
        self.reject_rcpt.push((address.to_string(), code));
        self
    }

    pub fn greeting(mut self, code: u16) -> SmtpOptions {
        self.greeting = Some(code);
        self
    }

    pub fn hang(mut self) -> SmtpOptions {
        self.hang = true;
        self
    }

    pub fn drop_at(mut self, stage: &str) -> SmtpOptions {
        self.drop_at = Some(stage.to_string());
        self
    }

    pub fn arg(mut self, arg: &str) -> SmtpOptions {
        self.extra.push(arg.to_string());
        self
    }

    fn args(&self, outdir: &Path) -> Vec<String> {
        let mut args: Vec<String> = vec![
            SERVER_SCRIPT.into(),
            "--host".into(),
            "127.0.0.1".into(),
            "--port".into(),
            "0".into(),
            "--exit-on-stdin-eof".into(),
            "--outdir".into(),
            outdir.display().to_string(),
            "--mode".into(),
            match self.mode {
                Mode::Plain => "plain",
                Mode::StartTls => "starttls",
                Mode::Tls => "tls",
            }
            .into(),
        ];
        match (&self.cert, self.mode) {
            (Some(cert), _) => {
                args.extend(["--cert".into(), cert.cert.display().to_string()]);
                args.extend(["--key".into(), cert.key.display().to_string()]);
            }
            (None, Mode::Plain) => {}
            (None, mode) => panic!(
                "SmtpOptions: mode {mode:?} needs a certificate, e.g. \
                 SmtpOptions::starttls(&certs) or cert: Some(certs.server())"
            ),
        }
        for (user, password) in &self.auth {
            args.extend(["--auth".into(), format!("{user}:{password}")]);
        }
        if self.allow_plaintext_auth {
            args.push("--allow-plaintext-auth".into());
        }
        for spec in &self.reject {
            args.extend(["--reject".into(), spec.clone()]);
        }
        for (address, code) in &self.reject_rcpt {
            args.extend(["--reject-rcpt".into(), format!("{address}:{code}")]);
        }
        if let Some(code) = self.greeting {
            args.extend(["--greeting".into(), code.to_string()]);
        }
        if self.hang {
            args.push("--hang".into());
        }
        if let Some(stage) = &self.drop_at {
            args.extend(["--drop-at".into(), stage.clone()]);
        }
        args.extend(self.extra.iter().cloned());
        args
    }
}

/// One accepted message.
#[derive(Clone, Debug)]
pub struct Delivered {
    /// 1, 2, ... in the order the server accepted them.
    pub number: usize,
    /// Which connection (see `SmtpServer::sessions`) delivered it.
    pub session: usize,
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// The message as received (after SMTP dot un-stuffing; CRLF line ends), lossily UTF-8.
    pub raw: String,
    pub raw_bytes: Vec<u8>,
    /// MAIL FROM parameters as aiosmtpd parsed them, e.g. `SIZE=123`, `BODY=8BITMIME`.
    pub mail_options: Vec<String>,
    /// The user that authenticated on that connection, if any.
    pub auth_user: Option<String>,
    /// Whether the connection was under TLS (STARTTLS done, or implicit TLS).
    pub tls: bool,
    /// The client's address, `127.0.0.1:PORT`.
    pub peer: String,
}

/// A running tests/smtp_server.py; killed (and waited for) on drop.
pub struct SmtpServer {
    child: Child,
    port: u16,
    outdir: TempDir,
}

impl SmtpServer {
    /// Starts the server and waits (at most 10 s) for it to listen. Panics, with the install
    /// command, if python3 or aiosmtpd is missing.
    pub fn start(options: SmtpOptions) -> SmtpServer {
        let outdir = tempfile::Builder::new()
            .prefix("mailroute-smtp-")
            .tempdir()
            .expect("create a temporary directory for the SMTP server");
        let log_path = outdir.path().join("server.log");
        let log = std::fs::File::create(&log_path).expect("create server.log");
        let mut child = Command::new("python3")
            .args(options.args(outdir.path()))
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            // The server exits when this pipe closes, so it cannot outlive a killed test run.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run python3 for the SMTP test server ({e}); it needs Python 3 with aiosmtpd: {INSTALL_HINT}")
            });

        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let started = Instant::now();
        let line = rx.recv_timeout(START_LIMIT).unwrap_or_default();
        let port = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse::<u16>().ok());
        match port {
            Some(port) => SmtpServer {
                child,
                port,
                outdir,
            },
            None => {
                let _ = child.kill();
                let status = child.wait().ok();
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                if log.contains("aiosmtpd") && log.contains("No module named")
                    || status.and_then(|s| s.code()) == Some(3)
                {
                    panic!("the SMTP test server needs Python's aiosmtpd: {INSTALL_HINT}\n{log}");
                }
                panic!(
                    "the SMTP test server did not print READY within {:?} (got {line:?}, exit \
                     {status:?}); args: {:?}\nits stderr:\n{log}",
                    started.elapsed(),
                    options.args(Path::new("OUTDIR")),
                );
            }
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Where the server writes what it records (NNNN.eml/.json, sessions, commands.log,
    /// server.log = its stderr).
    pub fn outdir(&self) -> &Path {
        self.outdir.path()
    }

    /// The accepted messages, in order.
    pub fn messages(&self) -> Vec<Delivered> {
        let mut jsons: Vec<PathBuf> = std::fs::read_dir(self.outdir())
            .expect("read the SMTP server's outdir")
            .map(|e| e.expect("outdir entry").path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json")
                    && p.file_stem()
                        .is_some_and(|s| s.to_string_lossy().parse::<usize>().is_ok())
            })
            .collect();
        jsons.sort();
        jsons
            .iter()
            .map(|json_path| {
                let text = std::fs::read_to_string(json_path).expect("read message .json");
                let meta: Value = serde_json::from_str(&text).expect("message .json parses");
                let raw_bytes =
                    std::fs::read(json_path.with_extension("eml")).expect("read message .eml");
                let strings = |key: &str| -> Vec<String> {
                    meta[key]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(String::from))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                Delivered {
                    number: json_path
                        .file_stem()
                        .unwrap()
                        .to_string_lossy()
                        .parse()
                        .unwrap(),
                    session: meta["session"].as_u64().unwrap_or(0) as usize,
                    mail_from: meta["mail_from"].as_str().unwrap_or_default().to_string(),
                    rcpt_tos: strings("rcpt_tos"),
                    raw: String::from_utf8_lossy(&raw_bytes).into_owned(),
                    raw_bytes,
                    mail_options: strings("mail_options"),
                    auth_user: meta["auth_user"].as_str().map(String::from),
                    tls: meta["tls"].as_bool().unwrap_or(false),
                    peer: meta["peer"].as_str().unwrap_or_default().to_string(),
                }
            })
            .collect()
    }

    /// How many TCP connections the server accepted (in `Tls` mode this includes connections
    /// whose TLS handshake failed).
    /// How many messages arrived, without reading them (cheap to poll).
    pub fn messages_count(&self) -> usize {
        std::fs::read_dir(self.outdir())
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                    .count()
            })
            .unwrap_or(0)
    }

    pub fn sessions(&self) -> usize {
        std::fs::read_to_string(self.outdir().join("sessions"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Waits (at most 5 s) until at least `n` connections were accepted; returns the count.
    /// For a client that connects and gives up before the server had a chance to count it.
    pub fn wait_for_sessions(&self, n: usize) -> usize {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let count = self.sessions();
            if count >= n || Instant::now() > deadline {
                return count;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every command line received, as `"<session> <line>"`, e.g. `"1 EHLO client.example"`,
    /// `"2 AUTH PLAIN <auth data>"`, `"2 <auth data>"` (AUTH continuation lines). Message
    /// bodies are not included.
    pub fn commands(&self) -> Vec<String> {
        std::fs::read_to_string(self.outdir().join("commands.log"))
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }

    /// The command lines of one session (1-based), without the session prefix.
    pub fn session_commands(&self, session: usize) -> Vec<String> {
        let prefix = format!("{session} ");
        self.commands()
            .iter()
            .filter_map(|line| line.strip_prefix(&prefix).map(String::from))
            .collect()
    }

    /// The server's stderr so far (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.outdir().join("server.log")).unwrap_or_default()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A 127.0.0.1 port with nothing listening on it: port 1 (tcpmux), which nothing here serves.
/// Not a just-released ephemeral port: the tests run in parallel, and a test server binding
/// port 0 can be given that same port a moment later.
pub fn closed_port() -> u16 {
    1
}

// The harness's own tests: raw SMTP over std::net::TcpStream, no mailroute involved.

use std::io::{Read, Write};
use std::net::TcpStream;

/// A line-at-a-time SMTP conversation over a plain TCP stream.
struct RawClient {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl RawClient {
    fn connect(port: u16) -> RawClient {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the SMTP server");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        RawClient {
            writer: stream.try_clone().unwrap(),
            reader: BufReader::new(stream),
        }
    }

    /// One full reply (all its `NNN-` lines and the final `NNN ` line), joined with '\n'.
    fn reply(&mut self) -> String {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            self.reader
                .read_line(&mut line)
                .expect("read an SMTP reply");
            assert!(!line.is_empty(), "connection closed; got so far: {lines:?}");
            let line = line.trim_end().to_string();
            let last = line.as_bytes().get(3) != Some(&b'-');
            lines.push(line);
            if last {
                return lines.join("\n");
            }
        }
    }

    fn send(&mut self, line: &str) -> String {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .unwrap();
        self.reply()
    }
}

fn code(reply: &str) -> &str {
    &reply[..3]
}

#[test]
fn smtp_support_plain_server_accepts_a_message() {
    let server = SmtpServer::start(SmtpOptions::plain());
    let mut c = RawClient::connect(server.port());
    assert_eq!(code(&c.reply()), "220");
    let ehlo = c.send("EHLO client.test");
    assert_eq!(code(&ehlo), "250", "{ehlo}");
    assert!(
        !ehlo.contains("STARTTLS") && !ehlo.contains("AUTH"),
        "{ehlo}"
    );
    assert_eq!(code(&c.send("MAIL FROM:<alice@example.com>")), "250");
    assert_eq!(code(&c.send("RCPT TO:<bob@example.org>")), "250");
    assert_eq!(code(&c.send("RCPT TO:<carol@example.net>")), "250");
    assert_eq!(code(&c.send("DATA")), "354");
    let end = c.send("Subject: hello\r\n\r\nline one\r\n..leading dot\r\n.");
    assert_eq!(code(&end), "250", "{end}");
    assert_eq!(code(&c.send("QUIT")), "221");

    let messages = server.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert_eq!((m.number, m.session), (1, 1));
    assert_eq!(m.mail_from, "alice@example.com");
    assert_eq!(m.rcpt_tos, ["bob@example.org", "carol@example.net"]);
    assert_eq!(m.raw, "Subject: hello\r\n\r\nline one\r\n.leading dot\r\n");
    assert!(!m.tls && m.auth_user.is_none());
    assert_eq!(
        server.session_commands(1),
        [
            "EHLO client.test",
            "MAIL FROM:<alice@example.com>",
            "RCPT TO:<bob@example.org>",
            "RCPT TO:<carol@example.net>",
            "DATA",
            "QUIT"
        ]
    );
}

#[test]
fn smtp_support_rejects_rcpt_and_one_recipient() {
    let server = SmtpServer::start(SmtpOptions::plain().reject("rcpt:550:5.1.1 No such user"));
    let mut c = RawClient::connect(server.port());
    c.reply();
    c.send("EHLO client.test");
    assert_eq!(code(&c.send("MAIL FROM:<a@example.com>")), "250");
    assert_eq!(c.send("RCPT TO:<b@example.org>"), "550 5.1.1 No such user");
    assert_eq!(code(&c.send("DATA")), "503"); // no accepted recipient
    drop(server);

    let server = SmtpServer::start(SmtpOptions::plain().reject_rcpt("bad@example.org", 551));
    let mut c = RawClient::connect(server.port());
    c.reply();
    c.send("HELO client.test");
    c.send("MAIL FROM:<a@example.com>");
    assert_eq!(code(&c.send("RCPT TO:<good@example.org>")), "250");
    assert_eq!(code(&c.send("RCPT TO:<Bad@Example.org>")), "551");
}

#[test]
fn smtp_support_hang_accepts_and_says_nothing() {
    let server = SmtpServer::start(SmtpOptions::plain().hang());
    let mut stream = TcpStream::connect(("127.0.0.1", server.port())).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let mut buf = [0u8; 64];
    let err = stream
        .read(&mut buf)
        .map(|n| buf[..n].to_vec())
        .expect_err("no greeting");
    assert!(
        matches!(
            err.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{err:?}"
    );
    assert_eq!(server.wait_for_sessions(1), 1);
}

#[test]
fn smtp_support_implicit_tls_sends_no_plain_greeting_and_counts_sessions() {
    let certs = Certs::generate();
    let server = SmtpServer::start(SmtpOptions::tls(&certs));
    for _ in 0..2 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port())).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut buf = [0u8; 64];
        // Timeout or reset is fine too: the server waits for a ClientHello.
        if let Ok(n) = stream.read(&mut buf) {
            let got = String::from_utf8_lossy(&buf[..n]);
            assert!(
                !got.contains("220"),
                "plain greeting from a TLS server: {got:?}"
            );
        }
    }
    assert_eq!(server.wait_for_sessions(2), 2);
    assert!(server.messages().is_empty());
}

#[test]
fn smtp_support_greeting_drop_and_auth() {
    let server = SmtpServer::start(SmtpOptions::plain().greeting(421));
    let mut c = RawClient::connect(server.port());
    assert_eq!(code(&c.reply()), "421");
    let mut rest = String::new();
    assert_eq!(
        c.reader.read_line(&mut rest).unwrap(),
        0,
        "closed after the greeting: {rest:?}"
    );
    drop(server);

    let server = SmtpServer::start(SmtpOptions::plain().drop_at("mail"));
    let mut c = RawClient::connect(server.port());
    c.reply();
    c.send("EHLO client.test");
    c.writer
        .write_all(b"MAIL FROM:<a@example.com>\r\n")
        .unwrap();
    let mut rest = String::new();
    assert_eq!(
        c.reader.read_line(&mut rest).unwrap_or(0),
        0,
        "no reply: {rest:?}"
    );
    drop(server);

    // AUTH PLAIN over plain text (allowed here); the secret never reaches commands.log.
    let server = SmtpServer::start(
        SmtpOptions::plain()
            .auth("alice", "s3cret")
            .allow_plaintext_auth(),
    );
    let mut c = RawClient::connect(server.port());
    c.reply();
    assert!(c.send("EHLO client.test").contains("AUTH LOGIN PLAIN"));
    // base64("\0alice\0wrong"), then base64("\0alice\0s3cret") as a continuation line
    assert_eq!(code(&c.send("AUTH PLAIN AGFsaWNlAHdyb25n")), "535");
    assert_eq!(code(&c.send("AUTH PLAIN")), "334");
    assert_eq!(code(&c.send("AGFsaWNlAHMzY3JldA==")), "235");
    c.send("MAIL FROM:<alice@example.com>");
    c.send("RCPT TO:<b@example.org>");
    c.send("DATA");
    assert_eq!(code(&c.send("Subject: x\r\n\r\nhi\r\n.")), "250");
    assert_eq!(server.messages()[0].auth_user.as_deref(), Some("alice"));
    let commands = server.commands();
    assert_eq!(
        commands[1..4],
        ["1 AUTH PLAIN <auth data>", "1 AUTH PLAIN", "1 <auth data>"]
    );
    assert!(
        !commands.iter().any(|c| c.contains("AGFsaWNl")),
        "{commands:?}"
    );
}

#[test]
fn smtp_support_closed_port_refuses() {
    let port = closed_port();
    let err = TcpStream::connect(("127.0.0.1", port)).expect_err("nothing listens");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
}

/// A rustls client config that trusts only the test CA.
fn client_config(certs: &Certs) -> std::sync::Arc<rustls::ClientConfig> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(certs.ca_pem()).expect("read ca.pem"))
        .unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    std::sync::Arc::new(config)
}

fn tls_connect(
    certs: &Certs,
    stream: TcpStream,
    name: &str,
) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    let name = rustls::pki_types::ServerName::try_from(name.to_string()).unwrap();
    let conn = rustls::ClientConnection::new(client_config(certs), name).unwrap();
    rustls::StreamOwned::new(conn, stream)
}

fn tls_reply(tls: &mut rustls::StreamOwned<rustls::ClientConnection, TcpStream>) -> String {
    let mut reader = BufReader::new(tls);
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read a reply over TLS");
        assert!(!line.is_empty(), "TLS connection closed; got {lines:?}");
        let last = line.as_bytes().get(3) != Some(&b'-');
        lines.push(line.trim_end().to_string());
        if last {
            return lines.join("\n");
        }
    }
}

fn tls_send(
    tls: &mut rustls::StreamOwned<rustls::ClientConnection, TcpStream>,
    line: &str,
) -> String {
    tls.write_all(format!("{line}\r\n").as_bytes()).unwrap();
    tls_reply(tls)
}

#[test]
fn smtp_support_starttls_and_implicit_tls_verify_against_the_test_ca() {
    let certs = Certs::generate();
    let server = SmtpServer::start(SmtpOptions::starttls(&certs).auth("alice", "s3cret"));
    let mut c = RawClient::connect(server.port());
    c.reply();
    let ehlo = c.send("EHLO client.test");
    assert!(
        ehlo.contains("STARTTLS") && !ehlo.contains("AUTH"),
        "{ehlo}"
    );
    assert_eq!(code(&c.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==")), "538"); // TLS first
    assert_eq!(code(&c.send("STARTTLS")), "220");
    let mut tls = tls_connect(&certs, c.writer, "localhost");
    let ehlo = tls_send(&mut tls, "EHLO client.test");
    assert!(
        ehlo.contains("AUTH LOGIN PLAIN") && !ehlo.contains("STARTTLS"),
        "{ehlo}"
    );
    assert_eq!(
        code(&tls_send(&mut tls, "AUTH PLAIN AGFsaWNlAHMzY3JldA==")),
        "235"
    );
    tls_send(&mut tls, "MAIL FROM:<alice@example.com>");
    tls_send(&mut tls, "RCPT TO:<b@example.org>");
    tls_send(&mut tls, "DATA");
    assert_eq!(
        code(&tls_send(&mut tls, "Subject: x\r\n\r\nhi\r\n.")),
        "250"
    );
    let m = &server.messages()[0];
    assert!(m.tls && m.auth_user.as_deref() == Some("alice"), "{m:?}");
    drop(server);

    // Implicit TLS: the CA-signed localhost certificate verifies (also by IP); the wrong-host
    // and self-signed ones do not.
    let server = SmtpServer::start(SmtpOptions::tls(&certs));
    for name in ["localhost", "127.0.0.1"] {
        let stream = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut tls = tls_connect(&certs, stream, name);
        assert_eq!(code(&tls_reply(&mut tls)), "220");
    }
    for cert in [certs.wrong_host(), certs.self_signed()] {
        let server = SmtpServer::start(SmtpOptions::tls(&certs).cert(cert.clone()));
        let stream = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut tls = tls_connect(&certs, stream, "localhost");
        let mut buf = [0u8; 16];
        let err = tls.read(&mut buf).expect_err("certificate must not verify");
        assert!(err.to_string().contains("certificate"), "{cert:?}: {err}");
    }
}

/// A store with the alias domain example.com and one server, `main`, that takes its mail and
/// sends it to `server`.
pub fn env_sending_to(server: &SmtpServer) -> crate::support::Env {
    let env = crate::support::Env::new();
    env.run(["domain", "add", "example.com"]).ok();
    let port = server.port().to_string();
    env.run([
        "server",
        "add",
        "main",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--from-filter",
        "example.com",
    ])
    .ok();
    env
}
