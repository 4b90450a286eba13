//! The command-line interface as clap types, and nothing else: no behaviour lives here.
//!
//! This is the contract of `../shared/design/cli.md`. Completions and man pages are generated
//! from these definitions (`generate`), so a change here is a change to them too.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Explain and test outbound mail routing: which SMTP server, From header, envelope sender and Reply-To a message gets, and why";

const AFTER_HELP: &str = "\
Getting started on an empty store:
  mailroute domain add example.com
  mailroute server add main --url smtp://mail.example.com:587?tls=required --user me --password-env SMTP_PASSWORD --from-filter example.com
  mailroute route 'Alice <alice@example.com>'

The store is $XDG_DATA_HOME/mailroute/mailroute.db unless --db or MAILROUTE_DB names another.";

#[derive(Debug, Parser)]
#[command(
    name = "mailroute",
    version,
    about = ABOUT,
    after_help = AFTER_HELP,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]
    #[arg(long, global = true, env = "MAILROUTE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr
    #[arg(long, global = true)]
    pub json: bool,

    /// Answer yes to confirmations (needed for them when stdin is not a terminal)
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Alias domains: bounce, catchall and default-From addresses per domain
    #[command(subcommand)]
    Domain(DomainCommand),
    /// Companies and the alias domain each one uses
    #[command(subcommand)]
    Company(CompanyCommand),
    /// Outgoing SMTP servers, their priorities and From-filters
    #[command(subcommand)]
    Server(ServerCommand),
    /// Global settings: email-from, fallback-server, fallback-from-filter, mass-mailing-server
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Show which server, From, envelope and Reply-To a sender gets, and why
    #[command(after_help = ROUTE_EXAMPLES)]
    Route(RouteArgs),
    /// List the local parts this configuration sends from, per domain, to whitelist or redirect
    #[command(
        after_help = "Examples:\n  mailroute local-parts\n  mailroute local-parts --domain example.com --json | jq -r '.[].address'"
    )]
    LocalParts(LocalPartsArgs),
    /// Test SMTP servers stage by stage, as swaks does; no message is ever delivered
    #[command(after_help = TEST_EXAMPLES)]
    TestConnection(TestConnectionArgs),
    /// Send a message exactly as `route` decides: server, From, envelope, Reply-To
    #[command(after_help = SEND_EXAMPLES)]
    Send(SendArgs),
    /// Check the whole configuration for mistakes a tool can see before a message bounces
    #[command(
        after_help = "Examples:\n  mailroute doctor\n  mailroute doctor --strict --json   # in CI: exit 1 on warnings\n  mailroute doctor --connect         # also test-connection every enabled server"
    )]
    Doctor(DoctorArgs),
    /// Write the whole configuration as TOML or JSON (secrets never), or as an msmtprc
    #[command(
        after_help = "Examples:\n  mailroute export > mailroute.toml\n  mailroute export --format json --output config.json\n  mailroute export --msmtprc > ~/.msmtprc"
    )]
    Export(ExportArgs),
    /// The outbox: queue messages, send them in bulk, see what failed and retry it
    #[command(subcommand)]
    Queue(QueueCommand),
    /// Apply a configuration file (merge, or --replace), or an Odoo server configuration
    #[command(
        after_help = "Examples:\n  mailroute import mailroute.toml --dry-run\n  mailroute import mailroute.toml --replace --yes\n  mailroute import --odoo-conf /etc/odoo/odoo.conf"
    )]
    Import(ImportArgs),
}

#[derive(Debug, Subcommand)]
pub enum QueueCommand {
    /// Add messages from a JSONL file (one JSON object per line), all or none
    #[command(
        after_help = "Examples:\n  mailroute queue add --file invoices.jsonl\n  mailroute queue add --file campaign.jsonl --skip-invalid\n\nEach line: {\"from\", \"to\", \"cc\", \"bcc\" (a string or a list), \"subject\", \"body\", \"html\", \"attachments\" (paths), \"company\", \"domain\", \"mass\", \"send_at\" (RFC 3339 or unix seconds)}"
    )]
    Add {
        /// The JSONL file ('-' for stdin)
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// Enqueue the valid lines and report the others (default: nothing is enqueued if one is invalid)
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Send everything due, reusing one connection per group of messages
    ///
    /// One run sends from a store at a time: while it runs, its messages show as `sending`, and
    /// a second `queue run` exits 75 without touching anything. Each delivery is recorded in the
    /// send log (DB-sendlog) before its content leaves and when the server accepts it, so a run
    /// that dies loses nothing: the next queue command finds what it left.
    #[command(
        after_help = "Examples:\n  mailroute queue run\n  mailroute queue run --json | jq -c 'select(.state != \"sent\")'\n  mailroute queue run --resend-unknown   # after a crash: resend what may not have been delivered"
    )]
    Run {
        /// Also resend messages whose delivery is unknown (a run was killed during their DATA); they keep their Message-ID
        #[arg(long)]
        resend_unknown: bool,
        /// Messages sent over one connection before it is renewed
        #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10000))]
        per_connection: u32,
    },
    /// List messages in the outbox
    #[command(
        after_help = "Examples:\n  mailroute queue list\n  mailroute queue list --state failed --json"
    )]
    List {
        /// Only messages in this state
        #[arg(long, value_enum, value_name = "STATE")]
        state: Option<QueueState>,
    },
    /// Show one message: its routing, attempts and last reply
    #[command(after_help = "Examples:\n  mailroute queue show 42")]
    Show { id: i64 },
    /// Queue messages again now (failed, deferred, unknown or cancelled ones)
    #[command(after_help = "Examples:\n  mailroute queue retry 42 43")]
    Retry {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Cancel messages that are not sent yet
    #[command(after_help = "Examples:\n  mailroute queue cancel 42")]
    Cancel {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Delete sent messages older than a duration
    #[command(after_help = "Examples:\n  mailroute queue purge --sent --older-than 30d")]
    Purge {
        /// Sent messages (the only kind purged)
        #[arg(long, required = true)]
        sent: bool,
        /// 90s, 15m, 12h, 30d
        #[arg(long, value_name = "DURATION")]
        older_than: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueueState {
    Queued,
    Sending,
    Sent,
    Deferred,
    Failed,
    Cancelled,
    Unknown,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Also run test-connection on every enabled server
    #[arg(long)]
    pub connect: bool,
    /// Exit 1 when there are warnings (errors always exit 78)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Toml,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format [default: toml]
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "msmtprc")]
    pub format: Option<FormatArg>,
    /// Write an msmtp configuration instead: one account per server, with from patterns
    #[arg(long)]
    pub msmtprc: bool,
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file written by `mailroute export` (TOML or JSON, by its extension or --format)
    #[arg(
        value_name = "FILE",
        required_unless_present = "odoo_conf",
        conflicts_with = "odoo_conf"
    )]
    pub file: Option<PathBuf>,
    /// An Odoo server configuration file: its smtp_* options, email_from and from_filter become the fallback server and settings
    #[arg(long, value_name = "FILE")]
    pub odoo_conf: Option<PathBuf>,
    /// The format of FILE [default: from its extension, else toml]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Remove what the file does not have (default: merge, adding and changing only)
    #[arg(long)]
    pub replace: bool,
    /// Print what would be added, changed and removed, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

const SEND_EXAMPLES: &str = "\
Examples:
  mailroute send --to bob@example.com --from 'Alice <alice@example.com>' --subject Hi --body 'Hello'
  mailroute send --to ops@example.com --subject Report --body-file report.txt --attach report.pdf
  mailroute send --to bob@example.com --from alice@example.com --dry-run < body.txt
  mailroute send --raw < message.eml        # like sendmail -t";

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Recipients (repeat the flag, or give several)
    #[arg(long, value_name = "ADDR", num_args = 1.., action = clap::ArgAction::Append)]
    pub to: Vec<String>,
    /// Copy recipients
    #[arg(long, value_name = "ADDR", num_args = 1.., action = clap::ArgAction::Append, conflicts_with = "raw")]
    pub cc: Vec<String>,
    /// Blind copy recipients (never in the headers)
    #[arg(long, value_name = "ADDR", num_args = 1.., action = clap::ArgAction::Append, conflicts_with = "raw")]
    pub bcc: Vec<String>,
    /// The sender [default: the notification address]
    #[arg(long, value_name = "ADDR", conflicts_with = "raw")]
    pub from: Option<String>,
    #[arg(long, value_name = "TEXT", conflicts_with = "raw")]
    pub subject: Option<String>,
    /// The text body [default: read from stdin when it is not a terminal]
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["body_file", "raw"])]
    pub body: Option<String>,
    /// Read the text body from a file
    #[arg(long, value_name = "FILE", conflicts_with = "raw")]
    pub body_file: Option<PathBuf>,
    /// An HTML body (sent as multipart/alternative with the text)
    #[arg(long, value_name = "FILE", conflicts_with = "raw")]
    pub html_file: Option<PathBuf>,
    /// Attach files
    #[arg(long, value_name = "FILE", num_args = 1.., action = clap::ArgAction::Append, conflicts_with = "raw")]
    pub attach: Vec<PathBuf>,
    /// Read a complete message on stdin (recipients from To/Cc/Bcc unless --to is given)
    #[arg(long)]
    pub raw: bool,
    /// Print the decision, the envelope and the message instead of sending
    #[arg(long)]
    pub dry_run: bool,
    /// Put the message in the outbox instead of sending it now (`mailroute queue run` sends it)
    #[arg(long, conflicts_with = "dry_run")]
    pub queue: bool,
    /// Seconds to wait for the server at each step [default: the server's, else 30]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub timeout: Option<u32>,
    #[command(flatten)]
    pub context: RouteContext,
}

const TEST_EXAMPLES: &str = "\
Examples:
  mailroute test-connection main --transcript
  mailroute test-connection --all --json | jq '.[] | select(.ok | not) | .server'
  mailroute test-connection bulk --from news@example.com --to me@example.com --data";

#[derive(Debug, Args)]
pub struct TestConnectionArgs {
    /// Servers to test [default: every enabled server, or the fallback server when none is]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Test every enabled server
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    /// Sender for MAIL FROM [default: from the server's from-filter, see routing.md §6]
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
    /// Recipient for RCPT TO [default: the sender]
    #[arg(long, value_name = "ADDR")]
    pub to: Option<String>,
    /// Also send DATA and expect 354, then hang up without sending a message
    #[arg(long)]
    pub data: bool,
    /// Print the whole SMTP conversation (AUTH is always redacted)
    #[arg(long)]
    pub transcript: bool,
    /// Seconds to wait for each server at each step [default: the server's, else 30]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub timeout: Option<u32>,
}

const ROUTE_EXAMPLES: &str = "\
Examples:
  mailroute route 'Alice <alice@example.com>'
  mailroute route bob@partner.example --company Acme --json
  mailroute route news@example.com --mass
  cut -f1 senders.tsv | mailroute route --stdin --json | jq -r .server";

#[derive(Debug, Subcommand)]
pub enum DomainCommand {
    /// Add an alias domain
    #[command(
        after_help = "Examples:\n  mailroute domain add example.com\n  mailroute domain add example.com --bounce bounce-b --catchall catchall-b --default-from 'info@example.com'"
    )]
    Add(DomainAddArgs),
    /// Change an alias domain (alias changes ask for confirmation and are kept in a history)
    #[command(
        after_help = "Examples:\n  mailroute domain set example.com --priority 5\n  mailroute domain set example.com --bounce bounces --yes   # the old bounce@ stays in local-parts"
    )]
    Set(DomainSetArgs),
    /// List alias domains in routing order
    #[command(
        after_help = "Examples:\n  mailroute domain list\n  mailroute domain list --json | jq -r '.[].notification_address'"
    )]
    List,
    /// Show one alias domain, its addresses, companies and alias history
    #[command(
        after_help = "Examples:\n  mailroute domain show example.com\n  mailroute domain show '#2'     # when two domains share a name"
    )]
    Show(DomainRef),
    /// Remove an alias domain that no company uses
    #[command(after_help = "Examples:\n  mailroute domain remove old.example --yes")]
    Remove(DomainRef),
}

#[derive(Debug, Args)]
pub struct DomainRef {
    /// The domain name, or #ID when several domains share the name
    pub name: String,
}

#[derive(Debug, Args)]
pub struct DomainAddArgs {
    /// The domain name, e.g. example.com (a dot-atom of unaccented ASCII; asked for on a terminal when missing)
    pub name: Option<String>,
    #[command(flatten)]
    pub values: DomainValues,
}

#[derive(Debug, Args)]
pub struct DomainSetArgs {
    /// The domain name, or #ID when several domains share the name
    pub name: String,
    #[command(flatten)]
    pub values: DomainValues,
}

#[derive(Debug, Args)]
pub struct DomainValues {
    /// Bounce alias (local part) [default on add: bounce]; '' for none
    #[arg(long, value_name = "LOCAL")]
    pub bounce: Option<String>,
    /// Catchall alias (local part), used for Reply-To [default on add: catchall]; '' for none
    #[arg(long, value_name = "LOCAL")]
    pub catchall: Option<String>,
    /// Default From: a local part, or a full address to send everything as it [default on add: notifications]
    #[arg(long, value_name = "LOCAL|ADDR")]
    pub default_from: Option<String>,
    /// Priority: lower comes first [default on add: 10]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub priority: Option<i64>,
}

#[derive(Debug, Subcommand)]
pub enum CompanyCommand {
    /// Add a company (it gets the first alias domain unless --domain says otherwise)
    #[command(
        after_help = "Examples:\n  mailroute company add Acme\n  mailroute company add 'Acme Shop' --domain shop.example"
    )]
    Add {
        name: String,
        /// Its alias domain: a name, or #ID
        #[arg(long, value_name = "DOMAIN")]
        domain: Option<String>,
    },
    /// Change a company's alias domain
    #[command(after_help = "Examples:\n  mailroute company set Acme --domain example.com")]
    Set {
        name: String,
        /// Its alias domain: a name, or #ID
        #[arg(long, value_name = "DOMAIN", required_unless_present = "no_domain")]
        domain: Option<String>,
        /// Leave the company without an alias domain
        #[arg(long, conflicts_with = "domain")]
        no_domain: bool,
    },
    /// List companies and their alias domains
    #[command(after_help = "Examples:\n  mailroute company list --json")]
    List,
    /// Remove a company
    #[command(after_help = "Examples:\n  mailroute company remove 'Old Co' --yes")]
    Remove { name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecurityArg {
    /// Plain SMTP (port 25)
    None,
    /// STARTTLS, required once configured (port 587)
    Starttls,
    /// Implicit TLS (port 465)
    Tls,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthArg {
    Plain,
    Login,
    Xoauth2,
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Add an outgoing SMTP server
    #[command(
        after_help = "Examples:\n  mailroute server add main --url smtp://mail.example.com:587?tls=required --user me --password-env SMTP_PASSWORD --from-filter example.com\n  mailroute server add relay --host 127.0.0.1 --port 2525 --security none --priority 20\n  printf '%s' \"$PASS\" | mailroute server add bulk --url smtps://me@smtp.example.com --password-stdin"
    )]
    Add(ServerAddArgs),
    /// Change an outgoing SMTP server
    #[command(
        after_help = "Examples:\n  mailroute server set main --priority 5\n  mailroute server set main --from-filter 'example.com, shop.example'\n  mailroute server set main --password-cmd 'pass show smtp/main'"
    )]
    Set(ServerSetArgs),
    /// Enable a server
    #[command(after_help = "Examples:\n  mailroute server enable backup")]
    Enable { name: String },
    /// Disable a server (it is then never chosen)
    #[command(after_help = "Examples:\n  mailroute server disable backup")]
    Disable { name: String },
    /// List servers in routing order
    #[command(
        after_help = "Examples:\n  mailroute server list\n  mailroute server list --json | jq -r '.[] | select(.enabled) | .name'"
    )]
    List,
    /// Show one server (secrets are never shown)
    #[command(after_help = "Examples:\n  mailroute server show main --json")]
    Show { name: String },
    /// Remove a server
    #[command(after_help = "Examples:\n  mailroute server remove old-relay --yes")]
    Remove { name: String },
}

#[derive(Debug, Args)]
pub struct ServerAddArgs {
    /// A short name: letters, digits, '.', '_' and '-' (asked for on a terminal when missing)
    pub name: Option<String>,
    #[command(flatten)]
    pub values: ServerValues,
    /// Add it disabled
    #[arg(long)]
    pub disabled: bool,
}

#[derive(Debug, Args)]
pub struct ServerSetArgs {
    pub name: String,
    #[command(flatten)]
    pub values: ServerValues,
}

#[derive(Debug, Args)]
pub struct ServerValues {
    /// smtp://[user@]host[:port] (plain; ?tls=required for STARTTLS) or smtps://[user@]host[:port] (implicit TLS)
    #[arg(long, value_name = "URL", conflicts_with_all = ["host", "port", "security"])]
    pub url: Option<String>,
    /// Host name or IP address
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// Port [default: from the security mode: none 25, starttls 587, tls 465]
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
    /// Connection security
    #[arg(long, value_enum, value_name = "MODE")]
    pub security: Option<SecurityArg>,
    /// User name for authentication
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// Read the password from the first line of stdin (it is stored in the database)
    #[arg(long, group = "password")]
    pub password_stdin: bool,
    /// A command that prints the password, run when it is needed
    #[arg(long, value_name = "CMD", group = "password")]
    pub password_cmd: Option<String>,
    /// An environment variable holding the password, read when it is needed
    #[arg(long, value_name = "VAR", group = "password")]
    pub password_env: Option<String>,
    /// Remove the user and password
    #[arg(long, conflicts_with_all = ["user", "password"])]
    pub no_auth: bool,
    /// A password typed at the interactive set-up's prompt (never a flag).
    #[arg(skip)]
    pub typed_password: Option<crate::model::Secret>,
    /// AUTH mechanism [default: PLAIN, else LOGIN, as the server offers]; xoauth2 takes the token from the password source
    #[arg(long, value_enum, value_name = "MECHANISM")]
    pub auth: Option<AuthArg>,
    /// Allow AUTH over an unencrypted connection (a trusted network only)
    #[arg(long)]
    pub allow_plaintext_auth: bool,
    /// Comma-separated addresses and domains this server may send from; '' for any
    #[arg(long, value_name = "LIST")]
    pub from_filter: Option<String>,
    /// Priority: lower comes first [default on add: 10]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub priority: Option<i64>,
    /// Extra CA certificates (PEM file) trusted for this server, besides the system roots
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Do not verify the server's TLS certificate (warned about on every use)
    #[arg(long)]
    pub insecure: bool,
    /// A TLS client certificate (PEM) to present, for servers that authenticate by certificate
    #[arg(long, value_name = "PEM", requires = "client_key")]
    pub client_cert: Option<PathBuf>,
    /// The private key (PEM) of --client-cert; it stays in its file
    #[arg(long, value_name = "PEM", requires = "client_cert")]
    pub client_key: Option<PathBuf>,
    /// Stop presenting a client certificate
    #[arg(long, conflicts_with_all = ["client_cert", "client_key"])]
    pub no_client_cert: bool,
    /// Verify the server's TLS certificate again (undoes --insecure)
    #[arg(long, conflicts_with = "insecure")]
    pub verify: bool,
    /// Outbox: connections to this server at once [default: 4]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub max_connections: Option<u32>,
    /// Outbox: attempts before a temporary failure is final [default: 5]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_attempts: Option<u32>,
    /// Outbox: messages per minute at most (0: no limit); over it, messages wait
    #[arg(long, value_name = "N")]
    pub per_minute: Option<u32>,
    /// Outbox: messages per day at most (0: no limit); over it, messages wait
    #[arg(long, value_name = "N")]
    pub per_day: Option<u32>,
    /// Outbox: when this server is down, use the next server routing accepts for the sender
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub failover: Option<bool>,
    /// Seconds to wait for the server at each step [default: 30]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub timeout: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show every setting, with its default when unset
    #[command(
        after_help = "Examples:\n  mailroute settings show\n  mailroute settings show --json"
    )]
    Show,
    /// Set a setting
    #[command(
        after_help = "Examples:\n  mailroute settings set email-from 'Robot <robot@example.com>'\n  mailroute settings set fallback-server smtp://relay.internal:25\n\nKeys:\n  email-from            address used when no alias domain applies\n  fallback-server       SMTP URL used when no server is enabled (default smtp://localhost:25)\n  fallback-from-filter  from-filter of the fallback server\n  mass-mailing-server   server forced for --mass messages"
    )]
    Set {
        #[arg(value_name = "KEY")]
        key: String,
        #[arg(value_name = "VALUE")]
        value: String,
    },
    /// Unset a setting (back to its default)
    #[command(after_help = "Examples:\n  mailroute settings unset mass-mailing-server")]
    Unset {
        #[arg(value_name = "KEY")]
        key: String,
    },
}

#[derive(Debug, Args)]
pub struct RouteArgs {
    /// The sender: "Name <local@domain>" or local@domain
    #[arg(
        value_name = "FROM",
        required_unless_present = "stdin",
        conflicts_with = "stdin"
    )]
    pub from: Option<String>,
    /// Read one sender a line on stdin and print one decision a line
    #[arg(long)]
    pub stdin: bool,
    /// With --stdin --json: give each trace step its sentence (`detail`), as `route FROM` does; slower
    #[arg(long, requires = "stdin")]
    pub explain: bool,
    #[command(flatten)]
    pub context: RouteContext,
}

/// The routing options `route` and `send` share.
#[derive(Debug, Args)]
pub struct RouteContext {
    /// Route as this company (its alias domain applies)
    #[arg(long, value_name = "NAME", conflicts_with = "domain")]
    pub company: Option<String>,
    /// Route with this alias domain (a name, or #ID)
    #[arg(long, value_name = "NAME")]
    pub domain: Option<String>,
    /// A mass mailing: use the mass-mailing-server when it is set
    #[arg(long)]
    pub mass: bool,
    /// Force this server, whatever its from-filter
    #[arg(long, value_name = "NAME")]
    pub server: Option<String>,
    /// The Reply-To header to use
    #[arg(long, value_name = "ADDR")]
    pub reply_to: Option<String>,
}

#[derive(Debug, Args)]
pub struct LocalPartsArgs {
    /// Only this domain
    #[arg(long, value_name = "NAME")]
    pub domain: Option<String>,
}
