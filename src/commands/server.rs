//! `mailroute server add|set|enable|disable|list|show|remove`.
//!
//! Secrets: a password is read from stdin (or a hidden prompt), or referenced as a command or
//! an environment variable; it is never an argument value and never printed back.

use std::io::{self, BufRead, IsTerminal, Write};

use serde::Serialize;

use super::{setup, test_connection, Ctx};
use crate::address::FromFilter;
use crate::cli::{
    AuthArg, SecurityArg, ServerAddArgs, ServerCommand, ServerSetArgs, ServerValues,
    TestConnectionArgs,
};
use crate::error::{Error, Result};
use crate::model::{PasswordSource, Secret, Server};
use crate::output::{table, write_fields, write_table, Done, Human, Paint};
use crate::routing;
use crate::smtp_url::{self, Security, SmtpUrl};
use crate::store;

pub fn run(command: ServerCommand, ctx: &Ctx) -> Result<()> {
    match command {
        ServerCommand::Add(args) => add(args, ctx),
        ServerCommand::Set(args) => set(args, ctx),
        ServerCommand::Enable { name } => set_enabled(&name, true, ctx),
        ServerCommand::Disable { name } => set_enabled(&name, false, ctx),
        ServerCommand::List => list(ctx),
        ServerCommand::Show { name } => show(&name, ctx),
        ServerCommand::Remove { name } => remove(&name, ctx),
    }
}

/// A server as printed: the password appears only as where it comes from.
#[derive(Debug, Serialize)]
pub struct ServerView {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub host: String,
    pub port: u16,
    pub security: &'static str,
    pub user: Option<String>,
    /// "none", "stored", "command" or "env".
    pub password: &'static str,
    pub password_command: Option<String>,
    pub password_env: Option<String>,
    pub from_filter: String,
    pub priority: i64,
    pub enabled: bool,
    pub ca_file: Option<String>,
    pub insecure: bool,
    pub timeout: Option<u32>,
    pub auth_mechanism: Option<String>,
    pub allow_plaintext_auth: bool,
    pub client_cert: Option<String>,
    pub client_key: Option<String>,
    pub limits: crate::model::SendingLimits,
}

impl ServerView {
    pub fn new(server: &Server) -> ServerView {
        ServerView {
            id: server.id,
            name: server.name.clone(),
            url: url_of(server).to_string(),
            host: server.host.clone(),
            port: server.port,
            security: server.security.as_str(),
            user: server.user.clone(),
            password: server.password.kind(),
            password_command: match &server.password {
                PasswordSource::Command(c) => Some(c.clone()),
                _ => None,
            },
            password_env: match &server.password {
                PasswordSource::Env(v) => Some(v.clone()),
                _ => None,
            },
            from_filter: server.from_filter.as_str().to_string(),
            priority: server.priority,
            enabled: server.enabled,
            ca_file: server.ca_file.clone(),
            insecure: server.insecure,
            timeout: server.timeout_secs,
            auth_mechanism: server.auth_mechanism.clone(),
            allow_plaintext_auth: server.allow_plaintext_auth,
            client_cert: server.client_cert.clone(),
            client_key: server.client_key.clone(),
            limits: server.limits.clone(),
        }
    }

    fn auth(&self) -> String {
        match (&self.user, self.password) {
            (None, _) => "none".into(),
            (Some(user), "none") => format!("{user} (no password)"),
            (Some(user), kind) => format!("{user} ({kind})"),
        }
    }
}

fn url_of(server: &Server) -> SmtpUrl {
    SmtpUrl {
        host: server.host.clone(),
        port: server.port,
        security: server.security,
        user: server.user.clone(),
    }
}

impl Human for ServerView {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        let password = match (self.password, &self.password_command, &self.password_env) {
            (_, Some(cmd), _) => format!("from the command `{cmd}`"),
            (_, _, Some(var)) => format!("from the environment variable {var}"),
            ("stored", _, _) => "stored in the database (never shown)".into(),
            _ => "none".into(),
        };
        let filter = if self.from_filter.is_empty() {
            "(none: any sender)".to_string()
        } else {
            self.from_filter.clone()
        };
        let mut tls = if self.insecure {
            paint.warn("certificate NOT verified (--insecure)")
        } else {
            "certificate verified".to_string()
        };
        if let Some(cert) = &self.client_cert {
            tls.push_str(&format!(", client certificate {cert}"));
        }
        if let Some(ca) = &self.ca_file {
            tls.push_str(&format!(", also trusting {ca}"));
        }
        let fields = [
            ("server", self.name.clone()),
            (
                "state",
                if self.enabled {
                    paint.good("enabled")
                } else {
                    paint.dim("disabled")
                },
            ),
            ("url", self.url.clone()),
            ("security", self.security.to_string()),
            ("user", self.user.clone().unwrap_or_else(|| "(none)".into())),
            ("password", password),
            ("from-filter", filter),
            ("priority", self.priority.to_string()),
            ("tls", tls),
            ("timeout", format!("{} s", self.timeout.unwrap_or(30))),
            (
                "outbox",
                format!(
                    "{} connections, {} attempts, {} a minute, {} a day{}",
                    self.limits.max_connections,
                    self.limits.max_attempts,
                    self.limits
                        .per_minute
                        .map_or("no limit".into(), |n| n.to_string()),
                    self.limits
                        .per_day
                        .map_or("no limit".into(), |n| n.to_string()),
                    if self.limits.failover {
                        ", fails over"
                    } else {
                        ""
                    }
                ),
            ),
        ];
        write_fields(out, paint, &fields)
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
struct ServerList(Vec<ServerView>);

impl Human for ServerList {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        if self.0.is_empty() {
            return writeln!(
                out,
                "No servers yet: add one with `mailroute server add NAME --url URL` (until then mail goes to the fallback-server)."
            );
        }
        let mut t = table(
            ["NAME", "PRIORITY", "URL", "AUTH", "FROM FILTER", "STATE"],
            paint,
        );
        for s in &self.0 {
            t.add_row(vec![
                s.name.clone(),
                s.priority.to_string(),
                s.url.clone(),
                s.auth(),
                if s.from_filter.is_empty() {
                    "(any)".into()
                } else {
                    s.from_filter.clone()
                },
                if s.enabled {
                    "enabled".into()
                } else {
                    "disabled".into()
                },
            ]);
        }
        write_table(out, t)
    }
}

pub(crate) fn validate_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if valid {
        Ok(())
    } else {
        Err(Error::bad_input(format!(
            "invalid server name {name:?}: use 1 to 64 letters, digits, '.', '_' or '-'"
        )))
    }
}

fn security_of(arg: SecurityArg) -> Security {
    match arg {
        SecurityArg::None => Security::None,
        SecurityArg::Starttls => Security::Starttls,
        SecurityArg::Tls => Security::Tls,
    }
}

/// Reads the password for `--password-stdin`: a hidden prompt on a terminal, else the first line.
fn read_password() -> Result<Secret> {
    let password = if io::stdin().is_terminal() && io::stderr().is_terminal() {
        dialoguer::Password::new()
            .with_prompt("Password")
            .interact()
            .map_err(|e| Error::internal(format!("cannot read the password: {e}")))?
    } else {
        let mut line = String::new();
        io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::bad_input(format!("cannot read the password from stdin: {e}")))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.is_empty() {
        return Err(Error::bad_input(
            "--password-stdin read an empty password: pipe it in, e.g. `printf '%s' \"$PASS\" | mailroute server add ...`",
        ));
    }
    Ok(Secret::new(password))
}

pub(crate) fn validate_env_name(var: &str) -> Result<()> {
    let mut chars = var.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(Error::bad_input(format!(
            "--password-env {var:?} is not an environment variable name: use letters, digits and '_'"
        )))
    }
}

/// Everything of `ServerValues` that can be checked before the store is opened.
struct Parsed {
    url: Option<SmtpUrl>,
    password: Option<PasswordSource>,
    from_filter: Option<FromFilter>,
    ca_file: Option<String>,
    client_cert: Option<String>,
    client_key: Option<String>,
}

fn parse_values(values: &ServerValues) -> Result<Parsed> {
    let url = match &values.url {
        Some(text) => {
            Some(smtp_url::parse_smtp_url(text).map_err(|e| Error::bad_input(e.to_string()))?)
        }
        None => None,
    };
    if let Some(host) = &values.host {
        if host.trim().is_empty() || host.chars().any(|c| c.is_whitespace() || c == '/') {
            return Err(Error::bad_input(format!(
                "invalid --host {host:?}: give a host name or an IP address"
            )));
        }
    }
    let password = if let Some(typed) = &values.typed_password {
        Some(PasswordSource::Stored(typed.clone()))
    } else if values.password_stdin {
        Some(PasswordSource::Stored(read_password()?))
    } else if let Some(cmd) = &values.password_cmd {
        if cmd.trim().is_empty() {
            return Err(Error::bad_input(
                "--password-cmd is empty: give the command that prints the password",
            ));
        }
        Some(PasswordSource::Command(cmd.clone()))
    } else if let Some(var) = &values.password_env {
        validate_env_name(var)?;
        Some(PasswordSource::Env(var.clone()))
    } else {
        None
    };
    let from_filter = match &values.from_filter {
        Some(text) => Some(
            FromFilter::parse(text).map_err(|e| Error::bad_input(format!("--from-filter: {e}")))?,
        ),
        None => None,
    };
    let readable = |path: &std::path::PathBuf, flag: &str| {
        std::fs::canonicalize(path)
            .and_then(|p| std::fs::File::open(&p).map(|_| p))
            .map(|p| p.to_string_lossy().into_owned())
            .map_err(|e| {
                Error::bad_input(format!(
                    "{flag} {}: {e}; give a readable PEM file",
                    path.display()
                ))
            })
    };
    let client_cert = values
        .client_cert
        .as_ref()
        .map(|p| readable(p, "--client-cert"))
        .transpose()?;
    let client_key = values
        .client_key
        .as_ref()
        .map(|p| readable(p, "--client-key"))
        .transpose()?;
    let ca_file = match &values.ca_file {
        Some(path) => {
            let absolute = std::fs::canonicalize(path).map_err(|e| {
                Error::bad_input(format!(
                    "--ca-file {}: {e}; give a readable PEM file",
                    path.display()
                ))
            })?;
            Some(absolute.to_string_lossy().into_owned())
        }
        None => None,
    };
    Ok(Parsed {
        url,
        password,
        from_filter,
        ca_file,
        client_cert,
        client_key,
    })
}

/// Applies the given values to a record (a new one for `add`, the stored one for `set`).
fn apply(server: &mut Server, values: &ServerValues, parsed: Parsed) -> Result<()> {
    if let Some(url) = parsed.url {
        server.host = url.host;
        server.port = url.port;
        server.security = url.security;
        if url.user.is_some() {
            server.user = url.user;
        }
    }
    if let Some(host) = &values.host {
        server.host = host.trim().to_lowercase();
    }
    if let Some(security) = values.security.map(security_of) {
        // Keep the port in step with the mode unless it was chosen on purpose.
        if values.port.is_none() && server.port == server.security.default_port() {
            server.port = security.default_port();
        }
        server.security = security;
    }
    if let Some(port) = values.port {
        server.port = port;
    }
    if let Some(user) = &values.user {
        server.user = Some(user.clone()).filter(|u| !u.is_empty());
    }
    if let Some(password) = parsed.password {
        server.password = password;
    }
    if values.no_auth {
        server.user = None;
        server.password = PasswordSource::None;
    }
    if let Some(filter) = parsed.from_filter {
        server.from_filter = filter;
    }
    if let Some(priority) = values.priority {
        server.priority = priority;
    }
    if parsed.ca_file.is_some() {
        server.ca_file = parsed.ca_file;
    }
    if values.insecure {
        server.insecure = true;
    }
    if values.verify {
        server.insecure = false;
    }
    if values.timeout.is_some() {
        server.timeout_secs = values.timeout;
    }
    if let Some(mechanism) = values.auth {
        server.auth_mechanism = Some(
            match mechanism {
                AuthArg::Plain => "PLAIN",
                AuthArg::Login => "LOGIN",
                AuthArg::Xoauth2 => "XOAUTH2",
            }
            .to_string(),
        );
    }
    if values.allow_plaintext_auth {
        server.allow_plaintext_auth = true;
    }
    if parsed.client_cert.is_some() {
        server.client_cert = parsed.client_cert;
        server.client_key = parsed.client_key;
    }
    let limits = &mut server.limits;
    if let Some(n) = values.max_connections {
        limits.max_connections = n;
    }
    if let Some(n) = values.max_attempts {
        limits.max_attempts = n;
    }
    if let Some(n) = values.per_minute {
        limits.per_minute = Some(n).filter(|&n| n > 0);
    }
    if let Some(n) = values.per_day {
        limits.per_day = Some(n).filter(|&n| n > 0);
    }
    if let Some(failover) = values.failover {
        limits.failover = failover;
    }
    if values.no_client_cert {
        server.client_cert = None;
        server.client_key = None;
    }
    if server.user.is_none() && server.password != PasswordSource::None {
        return Err(Error::usage(format!(
            "server '{}' has a password but no user: add --user USER",
            server.name
        )));
    }
    Ok(())
}

fn warn_about(server: &Server, ctx: &Ctx) {
    if server.insecure {
        ctx.printer.warn(format!(
            "certificate verification is off for server '{}': anyone on the path can read the mail and the password (undo with --verify)",
            server.name
        ));
    }
}

fn add(mut args: ServerAddArgs, ctx: &Ctx) -> Result<()> {
    let prompted = setup::server_needs_prompts(&args);
    if prompted {
        setup::complete_server(&mut args, ctx)?;
    }
    let name = args.name.clone().unwrap_or_default();
    validate_name(&name)?;
    let values = &args.values;
    if values.url.is_none() && values.host.is_none() {
        return Err(Error::usage(
            "server add needs where the server is: --url smtp[s]://[user@]host[:port] or --host HOST",
        ));
    }
    let parsed = parse_values(values)?;
    let mut server = Server {
        id: 0,
        name: name.clone(),
        host: String::new(),
        port: Security::None.default_port(),
        security: Security::None,
        user: None,
        password: PasswordSource::None,
        from_filter: FromFilter::empty(),
        priority: 10,
        enabled: !args.disabled,
        ca_file: None,
        insecure: false,
        timeout_secs: None,
        allow_plaintext_auth: false,
        auth_mechanism: None,
        client_cert: None,
        client_key: None,
        limits: Default::default(),
    };
    apply(&mut server, values, parsed)?;
    let mut store = ctx.open_store()?;
    let server = store.write(|tx| store::add_server(tx, &server))?;
    warn_about(&server, ctx);
    ctx.printer.report(&ServerView::new(&server))?;
    if prompted {
        after_interactive_add(&store, &server, ctx)?;
    }
    Ok(())
}

/// After an interactive add: offer a connection test, and show what routing now does for a
/// sample sender of the new server.
fn after_interactive_add(store: &store::Store, server: &Server, ctx: &Ctx) -> Result<()> {
    if setup::offer(ctx, "Test the connection now?") {
        let args = TestConnectionArgs {
            names: vec![server.name.clone()],
            all: false,
            from: None,
            to: None,
            data: false,
            transcript: false,
            timeout: None,
        };
        // The result is printed; a failed test does not undo the add.
        let _ = test_connection::run(args, ctx).map_err(|e| ctx.printer.warn(e));
    }
    let settings = store::settings(store.conn())?;
    let domains = store::domains(store.conn())?;
    if let Some(sender) = test_connection::test_sender(&server.from_filter, &domains, &settings) {
        let request = routing::Request {
            from: Some(&sender),
            ..routing::Request::default()
        };
        let snapshot = store.snapshot_for(&request)?;
        if let Ok(decision) = routing::decide(&snapshot, &request) {
            ctx.printer.note(format!(
                "a message from {sender} now goes through {} (rule {}), From {}, envelope {}; see `mailroute route {sender}`",
                decision.server.unwrap_or("the fallback server"),
                decision.rule.as_str(),
                decision.header_from,
                decision.envelope_from
            ));
        }
    }
    Ok(())
}

fn set(args: ServerSetArgs, ctx: &Ctx) -> Result<()> {
    let values = &args.values;
    let parsed = parse_values(values)?;
    let mut store = ctx.open_store()?;
    let server = store.write(|tx| {
        let mut server = store::find_server(tx, &args.name)?;
        apply(&mut server, values, parsed)?;
        store::update_server(tx, &server)?;
        Ok(server)
    })?;
    warn_about(&server, ctx);
    ctx.printer.report(&ServerView::new(&server))
}

fn set_enabled(name: &str, enabled: bool, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open_store()?;
    let (server, settings) = store.write(|tx| {
        let mut server = store::find_server(tx, name)?;
        server.enabled = enabled;
        store::update_server(tx, &server)?;
        Ok((server, store::settings(tx)?))
    })?;
    if !enabled
        && settings
            .mass_mailing_server
            .is_some_and(|m| m.eq_ignore_ascii_case(&server.name))
    {
        ctx.printer.warn(format!(
            "server '{}' is the mass-mailing-server: --mass messages fail until it is enabled again",
            server.name
        ));
    }
    ctx.printer.report(&ServerView::new(&server))
}

fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let views = store::servers(store.conn())?
        .iter()
        .map(ServerView::new)
        .collect();
    ctx.printer.report(&ServerList(views))
}

fn show(name: &str, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let server = store::find_server(store.conn(), name)?;
    warn_about(&server, ctx);
    ctx.printer.report(&ServerView::new(&server))
}

fn remove(name: &str, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open_store()?;
    let server = store::find_server(store.conn(), name)?;
    store::check_server_removable(store.conn(), &server)?;
    ctx.confirm(&format!(
        "Remove server '{}' ({})?",
        server.name,
        url_of(&server)
    ))?;
    store.write(|tx| store::remove_server(tx, &server))?;
    ctx.printer.report(&Done {
        message: format!("Removed server '{}'.", server.name),
        object: serde_json::json!({ "removed": { "id": server.id, "name": server.name } }),
    })
}
