//! The `mailroute` binary: everything lives in the library; this only hands over the arguments.

fn main() {
    std::process::exit(mailroute::app::main_with_args(
        std::env::args_os().collect(),
    ));
}
