//! mailroute: outbound mail routing for Odoo-style multi-company setups, as a command-line tool.
//!
//! Where things are:
//! - `routing`: the pure core (which server, From, envelope, Reply-To, and why);
//! - `address`, `alias`, `smtp_url`: parsing and validation of the values it works on;
//! - `model`: the configuration objects as plain data;
//! - `store`: the SQLite store, its migrations, and the snapshot adapter for routing;
//! - `cli`: clap types; `commands`: one module per command; `output`: the printer;
//! - `error`: error kinds and exit codes; `app`: the edge that ties them together.

pub mod address;
pub mod alias;
pub mod app;
pub mod cli;
pub mod commands;
pub mod error;
pub mod generate;
pub mod message;
pub mod model;
pub mod outbox;
pub mod output;
pub mod routing;
pub mod secrets;
pub mod smtp;
pub mod smtp_url;
pub mod store;
