//! The edge: parses the command line, runs the command, turns errors into messages and exit codes.
//!
//! This is the only place that decides what a failure looks like on stderr (text, or one JSON
//! object with `--json`) and which status the process exits with.

use std::ffi::OsString;
use std::io::{self, Write};

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::{self, Ctx};
use crate::error::{Error, ErrorKind, ExitCode};
use crate::output::Printer;

/// Runs mailroute with these arguments and returns the process exit status.
pub fn main_with_args(args: Vec<OsString>) -> i32 {
    // Known before parsing, so that even a usage error can be reported as JSON.
    let wants_json = args.iter().skip(1).any(|a| a == "--json");
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => return clap_error(error, wants_json),
    };
    let ctx = Ctx {
        printer: Printer::new(cli.json),
        yes: cli.yes,
        db: cli.db,
    };
    let result = match cli.command {
        None => overview(),
        Some(command) => dispatch(command, &ctx),
    };
    match result {
        Ok(code) => code.code(),
        Err(error) => report_error(&error, cli.json),
    }
}

fn dispatch(command: Command, ctx: &Ctx) -> Result<ExitCode, Error> {
    let success = |r: Result<(), Error>| r.map(|()| ExitCode::Success);
    match command {
        Command::Domain(c) => success(commands::domain::run(c, ctx)),
        Command::Company(c) => success(commands::company::run(c, ctx)),
        Command::Server(c) => success(commands::server::run(c, ctx)),
        Command::Settings(c) => success(commands::settings::run(c, ctx)),
        Command::Route(args) => commands::route::run(args, ctx),
        Command::LocalParts(args) => success(commands::local_parts::run(args, ctx)),
        Command::TestConnection(args) => commands::test_connection::run(args, ctx),
        Command::Send(args) => commands::send::run(args, ctx),
        Command::Doctor(args) => commands::doctor::run(args, ctx),
        Command::Queue(command) => commands::queue::run(command, ctx),
        Command::Export(args) => success(commands::transfer::export(args, ctx)),
        Command::Import(args) => success(commands::transfer::import(args, ctx)),
    }
}

fn overview() -> Result<ExitCode, Error> {
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "mailroute: which SMTP server, From, envelope sender and Reply-To a message gets, and why.

First steps on an empty store:
  mailroute domain add example.com                      # bounce@, catchall@, notifications@
  mailroute server add main --url smtp://mail.example.com:587?tls=required \\
      --user me --password-env SMTP_PASSWORD --from-filter example.com
  mailroute route 'Alice <alice@example.com>'           # the decision, step by step

Run `mailroute --help` for every command, `mailroute COMMAND --help` for one."
    )?;
    Ok(ExitCode::Success)
}

fn clap_error(error: clap::Error, json: bool) -> i32 {
    use clap::error::ErrorKind as ClapKind;
    match error.kind() {
        ClapKind::DisplayHelp | ClapKind::DisplayVersion => {
            let _ = error.print();
            ExitCode::Success.code()
        }
        ClapKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // `mailroute domain` alone: the help is the answer, but the command was incomplete.
            let _ = error.print();
            ExitCode::Usage.code()
        }
        _ if json => {
            let message = error.render().to_string();
            let message = message.trim().trim_start_matches("error: ").to_string();
            report_error(&Error::usage(message), true)
        }
        _ => {
            let _ = error.print();
            ExitCode::Usage.code()
        }
    }
}

fn report_error(error: &Error, json: bool) -> i32 {
    if error.kind == ErrorKind::OutputClosed {
        return ExitCode::Success.code();
    }
    let mut err = io::stderr().lock();
    if json {
        let body = serde_json::json!({
            "error": { "kind": error.kind.as_str(), "message": error.message }
        });
        let _ = writeln!(err, "{body}");
    } else {
        let printer = Printer::new(false);
        let _ = writeln!(err, "{} {}", printer.err_paint.bad("error:"), error.message);
    }
    error.exit_code().code()
}
