//! The commands: each turns its clap arguments into plain values, calls the store or the routing
//! core, and hands a result to the printer. No command prints directly, none knows SQL.

pub mod company;
pub mod compose;
pub mod doctor;
pub mod domain;
pub mod local_parts;
pub mod queue;
pub mod route;
pub mod send;
pub mod server;
pub mod settings;
pub mod setup;
pub mod test_connection;
pub mod transfer;

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::error::{Error, ErrorKind, Result};
use crate::output::Printer;
use crate::store::{self, Store};

/// What every command gets: how to print, how to ask, where the store is.
pub struct Ctx {
    pub printer: Printer,
    pub yes: bool,
    pub db: Option<PathBuf>,
}

impl Ctx {
    pub fn open_store(&self) -> Result<Store> {
        let path = match &self.db {
            Some(path) => path.clone(),
            None => store::default_path()?,
        };
        Store::open(&path)
    }

    /// Whether a person is there to answer a prompt.
    pub fn interactive(&self) -> bool {
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }

    /// Asks a yes/no question on a terminal; `--yes` answers it; without a terminal the answer
    /// must come from `--yes`, and its absence is a usage error that says so.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.yes {
            return Ok(());
        }
        if !self.interactive() {
            return Err(Error::usage(format!(
                "{question} This needs confirmation: pass --yes (stdin is not a terminal, so mailroute does not ask)"
            )));
        }
        let answer = dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
            .map_err(|e| Error::internal(format!("cannot read the answer: {e}")))?;
        if answer {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Cancelled,
                "cancelled: nothing was changed",
            ))
        }
    }
}
