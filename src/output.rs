//! The printer: every command's result goes through here, as a human table or as JSON.
//!
//! Data goes to stdout, diagnostics (notes, warnings) to stderr. Colour only on a terminal and
//! never with `NO_COLOR` set. Commands hand over values that implement [`Human`] and
//! `Serialize`; they never write to stdout themselves, except streams, which borrow the
//! printer's buffered stdout.

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

use crate::error::Result;

/// Human rendering of a command's result.
pub trait Human {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()>;
}

/// Styles text when colour is on, and passes it through untouched otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub color: bool,
}

impl Paint {
    fn styled(&self, style: Style, text: impl Display) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
    pub fn bold(&self, text: impl Display) -> String {
        self.styled(Style::new().bold(), text)
    }
    pub fn dim(&self, text: impl Display) -> String {
        self.styled(Style::new().dimmed(), text)
    }
    pub fn good(&self, text: impl Display) -> String {
        self.styled(AnsiColor::Green.on_default(), text)
    }
    pub fn warn(&self, text: impl Display) -> String {
        self.styled(AnsiColor::Yellow.on_default().bold(), text)
    }
    pub fn bad(&self, text: impl Display) -> String {
        self.styled(AnsiColor::Red.on_default().bold(), text)
    }
}

fn color_allowed(is_terminal: bool) -> bool {
    is_terminal
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Where results and diagnostics go, and in which form.
pub struct Printer {
    pub json: bool,
    pub out_paint: Paint,
    pub err_paint: Paint,
}

impl Printer {
    pub fn new(json: bool) -> Printer {
        Printer {
            json,
            out_paint: Paint {
                color: !json && color_allowed(io::stdout().is_terminal()),
            },
            err_paint: Paint {
                color: color_allowed(io::stderr().is_terminal()),
            },
        }
    }

    /// Prints a command's result: JSON with `--json`, else its human form.
    pub fn report<R: Human + Serialize>(&self, value: &R) -> Result<()> {
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        if self.json {
            serde_json::to_writer_pretty(&mut out, value)
                .map_err(|e| crate::error::Error::from(io::Error::from(e)))?;
            writeln!(out)?;
        } else {
            value.human(&mut out, &self.out_paint)?;
        }
        out.flush()?;
        Ok(())
    }

    /// A diagnostic line on stderr: something done on the side, worth knowing. With `--json`
    /// stderr is kept for the error object, and the result itself shows what was done.
    pub fn note(&self, message: impl Display) {
        if !self.json {
            let _ = writeln!(io::stderr(), "{} {message}", self.err_paint.bold("note:"));
        }
    }

    /// A warning on stderr: it does not stop the command. With `--json` it is one JSON object
    /// a line, `{"warning": "..."}`.
    pub fn warn(&self, message: impl Display) {
        if self.json {
            let line = serde_json::json!({ "warning": message.to_string() });
            let _ = writeln!(io::stderr(), "{line}");
        } else {
            let _ = writeln!(
                io::stderr(),
                "{} {message}",
                self.err_paint.warn("warning:")
            );
        }
    }
}

/// A table in the style of `docker ps`: no borders, a header, columns sized to the content.
/// Cells stay plain text: comfy-table (without its tty feature) would count colour codes as width.
pub fn table<I, S>(header: I, _paint: &Paint) -> Table
where
    I: IntoIterator<Item = S>,
    S: Display,
{
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.into_iter().map(|h| h.to_string()));
    table
}

/// Writes a table: two spaces between columns, none at the line ends.
pub fn write_table(out: &mut dyn Write, mut table: Table) -> io::Result<()> {
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A message-only result, such as "removed server 'main'".
#[derive(Debug, Serialize)]
pub struct Done {
    pub message: String,
    #[serde(flatten)]
    pub object: serde_json::Value,
}

impl Human for Done {
    fn human(&self, out: &mut dyn Write, _paint: &Paint) -> io::Result<()> {
        writeln!(out, "{}", self.message)
    }
}

/// Renders `key  value` lines with the keys aligned.
pub fn write_fields(
    out: &mut dyn Write,
    paint: &Paint,
    fields: &[(&str, String)],
) -> io::Result<()> {
    let width = fields
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (key, value) in fields {
        let pad = width - key.chars().count();
        writeln!(out, "{}{}  {value}", paint.bold(key), " ".repeat(pad))?;
    }
    Ok(())
}
