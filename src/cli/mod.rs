//! The command line: `check`, `fix`, `rules`, `explain`, `taxonomy`, `lsp`.

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    eprintln!("copydesk: not yet implemented");
    2
}
