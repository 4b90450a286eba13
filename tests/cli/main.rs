//! Integration tests of the `mailroute` command line: one test binary, one module per area.
//! Each test runs the real binary against a store in a temporary directory (see `support`).

mod support;

mod certs;
mod company;
mod doctor;
mod domain;
mod generated;
mod local_parts;
mod prompts;
mod queue;
mod route;
mod route_stdin;
mod send;
mod server;
mod settings;
mod smtp_support;
mod snapshot;
mod store;
mod test_connection;
mod transfer;
