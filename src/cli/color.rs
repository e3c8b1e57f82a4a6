//! Whether to colour stdout: `--color`, then the environment conventions
//! (<https://no-color.org>, <https://bixense.com/clicolors/>, `FORCE_COLOR`), then
//! whether stdout is a terminal.

use std::io::IsTerminal;

use super::ColorWhen;

/// Whether stdout gets colour under `when` and the process environment.
pub fn stdout_color(when: ColorWhen) -> bool {
    let terminal = std::io::stdout().is_terminal();
    decide(when, terminal, |name| std::env::var(name).ok())
}

/// The decision, with the environment passed in so it can be tested.
fn decide(when: ColorWhen, terminal: bool, env: impl Fn(&str) -> Option<String>) -> bool {
    match when {
        ColorWhen::Always => return true,
        ColorWhen::Never => return false,
        ColorWhen::Auto => {}
    }
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    // NO_COLOR: any non-empty value disables colour, whatever else is set.
    if set("NO_COLOR").is_some() {
        return false;
    }
    // CLICOLOR_FORCE: any value other than `0` forces colour; `0` forces nothing.
    if set("CLICOLOR_FORCE").is_some_and(|value| value != "0") {
        return true;
    }
    // FORCE_COLOR (Node, Python tools): set and not `0`/`false` forces colour.
    if set("FORCE_COLOR").is_some_and(|value| value != "0" && value != "false") {
        return true;
    }
    if env("CLICOLOR").as_deref() == Some("0") {
        return false;
    }
    terminal && env("TERM").as_deref() != Some("dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)], terminal: bool) -> bool {
        decide(ColorWhen::Auto, terminal, |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn follows_the_colour_conventions() {
        assert!(with(&[], true));
        assert!(!with(&[], false));
        assert!(!with(&[("NO_COLOR", "1")], true));
        assert!(
            with(&[("NO_COLOR", "")], true),
            "an empty NO_COLOR is unset"
        );
        assert!(!with(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")], false));
        assert!(with(&[("CLICOLOR_FORCE", "1")], false));
        assert!(!with(&[("CLICOLOR_FORCE", "0")], false), "0 does not force");
        assert!(with(&[("FORCE_COLOR", "1")], false));
        assert!(!with(&[("FORCE_COLOR", "0")], false));
        assert!(!with(&[("CLICOLOR", "0")], true));
        assert!(!with(&[("TERM", "dumb")], true));
        assert!(decide(ColorWhen::Always, false, |_| Some("1".into())));
        assert!(!decide(ColorWhen::Never, true, |_| None));
    }
}
