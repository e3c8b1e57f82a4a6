//! What an unquoted scalar becomes in each generator's reader, and the text the
//! generator prints it back as when it files a post under it (a category, tag or
//! author name). Checked against Hexo 8 (js-yaml 4.3), Hugo 0.16x and Jekyll 4.3
//! (Psych 4) by `tests/differential.rs`.
//!
//! - Hexo (js-yaml, YAML 1.2 core; JSON for `;;;`): `0x10`, `0o17`, `0b11`,
//!   `010` (decimal), `2.0`, `1e3`, `.5` are numbers, printed the JavaScript way
//!   (`2`, `1000`, `0.5`); `true`/`false` booleans; `1_000`, `yes` stay text;
//!   dates become `Date` objects whose text depends on the build machine's zone.
//! - Hugo (Go YAML): a float needs a dot (`1e3` stays text); `010` is octal,
//!   `1_000` is 1000; `yes` stays text; timestamps stay as written; printed the
//!   Go way (`2`, `1500`, `-0`). TOML and JSON numbers are read in full.
//! - Jekyll (Psych, YAML 1.1): `yes`/`on`/`no`/`off` are booleans, `010` octal,
//!   `1_000` and `1,000` are 1000, a float needs a dot (`2.0` stays `2.0`),
//!   `2020-1-2` is the date `2020-01-02`; timestamps are shown in the build
//!   machine's zone. Printed the Ruby way.

use super::Format;
use crate::config::Generator;

/// How the generator reads an unquoted scalar as a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reading {
    /// A null: the generator files nothing under it.
    Null,
    /// The name the generator prints (equal to the text when nothing changes).
    Name(String),
    /// Another text this model does not reproduce: a date or timestamp printed
    /// in the build machine's time zone.
    Other,
}

/// What a plain (unquoted) `text` is filed under on `generator`. Plain Markdown
/// has no reader of its own: the text is the name.
pub fn plain_name(generator: Generator, format: Format, text: &str) -> Reading {
    typed(generator, format, text).unwrap_or_else(|| Reading::Name(text.to_owned()))
}

/// How `generator` reads a plain `text` that is not a string (a number, a
/// boolean, a null, a date); `None` for a string.
pub fn typed(generator: Generator, format: Format, text: &str) -> Option<Reading> {
    match (generator, format) {
        (Generator::Plain, _) => None,
        (Generator::Hexo, _) => hexo(text),
        (Generator::Hugo, Format::Yaml) => hugo_yaml(text),
        (Generator::Hugo, Format::Toml | Format::Json) => hugo_data(text),
        (Generator::Jekyll, _) => jekyll(text),
    }
}

fn name(text: impl Into<String>) -> Option<Reading> {
    Some(Reading::Name(text.into()))
}

/// `text` without a leading sign, and whether it was negative.
fn sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

fn all(text: &str, allowed: impl Fn(u8) -> bool) -> bool {
    !text.is_empty() && text.bytes().all(allowed)
}

/// An integer in `radix` from `digits` (separators already removed), signed.
fn integer(negative: bool, digits: &str, radix: u32) -> Option<i128> {
    // `from_str_radix` would take a sign after the prefix (`0x+1`); no reader does.
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let value = i128::from_str_radix(digits, radix).ok()?;
    Some(if negative { -value } else { value })
}

/// A date `YYYY-MM-DD` (`loose_digits`: `2020-1-2` too) or a timestamp starting with one (YAML's timestamp type).
pub(crate) fn is_timestamp(text: &str, loose_digits: bool) -> bool {
    let mut parts = text.splitn(3, '-');
    let (Some(year), Some(month), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let day_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let digits = |part: &str, len: usize| {
        all(part, |b| b.is_ascii_digit()) && (part.len() == len || loose_digits && part.len() < len)
    };
    let tail = &rest[day_len..];
    year.len() == 4
        && digits(year, 4)
        && digits(month, 2)
        && digits(&rest[..day_len], 2)
        && (tail.is_empty() || is_time(tail))
}

/// `T10:00:00…` or ` 10:00:00…`: the time of a YAML timestamp.
fn is_time(tail: &str) -> bool {
    let Some(time) = tail
        .strip_prefix(['T', 't'])
        .or_else(|| tail.starts_with([' ', '\t']).then(|| tail.trim_start()))
    else {
        return false;
    };
    let hour = time.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &time.as_bytes()[hour..];
    (1..=2).contains(&hour)
        && rest.len() >= 6
        && rest[0] == b':'
        && rest[3] == b':'
        && [1, 2, 4, 5].iter().all(|&at| rest[at].is_ascii_digit())
}

/// js-yaml's core schema, printed as JavaScript's `String(value)`.
fn hexo(text: &str) -> Option<Reading> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Reading::Null),
        "true" | "True" | "TRUE" => return name("true"),
        "false" | "False" | "FALSE" => return name("false"),
        _ => {}
    }
    if is_timestamp(text, false) {
        return Some(Reading::Other);
    }
    let (negative, unsigned) = sign(text);
    let radix = [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find_map(|(prefix, radix)| Some((unsigned.strip_prefix(prefix)?, radix)));
    if let Some((digits, radix)) = radix {
        let value = integer(negative, digits, radix)?;
        return name(javascript_number(value as f64));
    }
    let special = match unsigned {
        ".inf" | ".Inf" | ".INF" if negative => Some("-Infinity"),
        ".inf" | ".Inf" | ".INF" => Some("Infinity"),
        ".nan" | ".NaN" | ".NAN" if unsigned.len() == text.len() => Some("NaN"),
        _ => None,
    };
    if let Some(special) = special {
        return name(special);
    }
    if !javascript_float_shape(text) {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    name(javascript_number(value))
}

/// js-yaml's float: `[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?` or `\.[0-9]+` with
/// an exponent (no sign before the dot).
fn javascript_float_shape(text: &str) -> bool {
    let digits = |part: &str| all(part, |b| b.is_ascii_digit());
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    if exponent.is_some_and(|e| !digits(sign(e).1)) {
        return false;
    }
    if let Some(fraction) = mantissa.strip_prefix('.') {
        return digits(fraction);
    }
    let (whole, fraction) = sign(mantissa)
        .1
        .split_once('.')
        .unwrap_or((sign(mantissa).1, ""));
    digits(whole) && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// JavaScript's `Number.prototype.toString()`: the shortest text that reads
/// back, in exponent form from 1e21 and below 1e-6.
fn javascript_number(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-Infinity" } else { "Infinity" }.into();
    }
    if value == 0.0 {
        return "0".into();
    }
    let size = value.abs();
    if (1e-6..1e21).contains(&size) {
        return format!("{value}");
    }
    let scientific = format!("{value:e}");
    match scientific.split_once('e') {
        Some((mantissa, exponent)) if !exponent.starts_with('-') => {
            format!("{mantissa}e+{exponent}")
        }
        _ => scientific,
    }
}

/// The digits after Go's `0x`, `0o` or `0b` prefix, with their radix.
fn go_radix(clean: &str) -> Option<(&str, u32)> {
    [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find_map(|(prefix, radix)| Some((clean.strip_prefix(prefix)?, radix)))
}

/// Hugo's YAML reader, printed by Go's `cast.ToString` (`FormatFloat 'f'`).
fn hugo_yaml(text: &str) -> Option<Reading> {
    match text {
        "~" | "null" | "Null" | "NULL" => return Some(Reading::Null),
        "true" | "True" | "TRUE" => return name("true"),
        "false" | "False" | "FALSE" => return name("false"),
        _ => {}
    }
    let (negative, unsigned) = sign(text);
    let clean = unsigned.replace('_', "");
    let radix = go_radix(&clean);
    let digit = |b: u8| b.is_ascii_digit() || b == b'_';
    let int = match radix {
        Some((digits, radix)) => integer(negative, digits, radix),
        None if all(unsigned, digit) && unsigned.as_bytes()[0].is_ascii_digit() => {
            if clean.len() > 1 && clean.starts_with('0') {
                // A leading zero is octal; `09` is no number at all.
                integer(negative, &clean[1..], 8)
            } else {
                integer(negative, &clean, 10)
            }
        }
        None => None,
    };
    if let Some(int) = int {
        return name(int.to_string());
    }
    // A float needs a dot (`1e3` is text): digits, `.`, digits, an exponent.
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let float = mantissa.split_once('.').is_some_and(|(whole, fraction)| {
        (all(whole, digit) || whole.is_empty())
            && (all(fraction, digit) || fraction.is_empty())
            && whole.len() + fraction.len() > 0
            && exponent.is_none_or(|e| all(sign(e).1, |b| b.is_ascii_digit()))
    });
    if float {
        let value: f64 = text.replace('_', "").parse().ok()?;
        return name(format!("{value}"));
    }
    None
}

/// Hugo's TOML and JSON values: every number is read, printed the Go way.
fn hugo_data(text: &str) -> Option<Reading> {
    match text {
        "null" => return Some(Reading::Null),
        "true" | "false" => return name(text),
        _ => {}
    }
    let (negative, unsigned) = sign(text);
    let clean = unsigned.replace('_', "");
    let radix = go_radix(&clean);
    if let Some((digits, radix)) = radix {
        return name(integer(negative, digits, radix)?.to_string());
    }
    if all(&clean, |b| b.is_ascii_digit()) {
        return name(integer(negative, &clean, 10)?.to_string());
    }
    let value: f64 = text.replace('_', "").parse().ok()?;
    value.is_finite().then(|| Reading::Name(format!("{value}")))
}

/// Psych's YAML 1.1 resolution, printed by Ruby's `to_s`.
fn jekyll(text: &str) -> Option<Reading> {
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "" | "~" | "null" => return Some(Reading::Null),
        "yes" | "true" | "on" => return name("true"),
        "no" | "false" | "off" => return name("false"),
        _ => {}
    }
    if is_timestamp(text, true) {
        let (year, rest) = text.split_at(4);
        let mut parts = rest[1..].splitn(2, '-');
        let month = parts.next().unwrap_or_default();
        let day = parts.next().unwrap_or_default();
        if day.bytes().all(|b| b.is_ascii_digit()) {
            // A date alone is a `Date`, printed zero-padded.
            return name(format!("{year}-{month:0>2}-{day:0>2}"));
        }
        return Some(Reading::Other);
    }
    let (negative, unsigned) = sign(text);
    let clean = unsigned.replace([',', '_'], "");
    let int = if let Some(digits) = clean.strip_prefix("0x") {
        all(digits, |b| b.is_ascii_hexdigit()).then(|| integer(negative, digits, 16))
    } else if let Some(digits) = clean.strip_prefix("0b") {
        all(digits, |b| b == b'0' || b == b'1').then(|| integer(negative, digits, 2))
    } else if unsigned.starts_with('0') && unsigned.len() > 1 {
        all(&unsigned[1..], |b| {
            (b'0'..=b'7').contains(&b) || b == b'_' || b == b','
        })
        .then(|| integer(negative, clean.get(1..).unwrap_or("0"), 8))
    } else {
        // Decimal: `_` and `,` only between digits.
        let bytes = unsigned.as_bytes();
        let separated = bytes
            .windows(2)
            .all(|pair| !matches!(pair[0], b'_' | b',') || pair[1].is_ascii_digit());
        (all(unsigned, |b| b.is_ascii_digit() || b == b'_' || b == b',')
            && bytes[0].is_ascii_digit()
            && bytes[bytes.len() - 1].is_ascii_digit()
            && separated)
            .then(|| integer(negative, &clean, 10))
    };
    if let Some(int) = int {
        return name(int?.to_string());
    }
    // A float needs a dot; an exponent needs its sign (`1.5e+3`).
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let digit = |b: u8| b.is_ascii_digit() || b == b'_' || b == b',';
    let float = mantissa.split_once('.').is_some_and(|(whole, fraction)| {
        (whole.is_empty() || all(whole, digit) && whole.as_bytes()[0].is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && whole.len() + fraction.len() > 0
            && exponent
                .is_none_or(|e| e.starts_with(['+', '-']) && all(&e[1..], |b| b.is_ascii_digit()))
    });
    if float {
        let value: f64 = format!("{}{clean}", if negative { "-" } else { "" })
            .trim_end_matches('.')
            .replace(".e", "e")
            .replace(".E", "E")
            .parse()
            .ok()?;
        return name(ruby_float(value));
    }
    None
}

/// Ruby's `Float#to_s`: at least one decimal (`2.0`), exponent form from 1e16
/// and below 1e-4 (`1.0e+16`, `1.0e-05`).
fn ruby_float(value: f64) -> String {
    let size = value.abs();
    if value == 0.0 || (1e-4..1e16).contains(&size) {
        let text = format!("{value}");
        return if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        };
    }
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_owned()
    } else {
        format!("{mantissa}.0")
    };
    let (exp_sign, digits) = match exponent.strip_prefix('-') {
        Some(digits) => ('-', digits),
        None => ('+', exponent),
    };
    format!("{mantissa}e{exp_sign}{digits:0>2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(generator: Generator, text: &str) -> String {
        match plain_name(generator, Format::Yaml, text) {
            Reading::Null => "null".into(),
            Reading::Name(name) => name,
            Reading::Other => "other".into(),
        }
    }

    /// The names each generator filed a post under (tests/generators/cases/
    /// tax-typed-*.md, read by Hexo 8, Hugo 0.168 and Jekyll 4.3.1).
    #[test]
    fn each_reader_prints_numbers_its_own_way() {
        let cases: &[(&str, &str, &str, &str)] = &[
            // written, Hexo, Hugo, Jekyll
            ("2.0", "2", "2", "2.0"),
            ("0x10", "16", "16", "16"),
            ("1e3", "1000", "1e3", "1e3"),
            ("1.5e3", "1500", "1500", "1.5e3"),
            ("1.5e+3", "1500", "1500", "1500.0"),
            ("010", "10", "8", "8"),
            ("1_000", "1_000", "1000", "1000"),
            ("0o17", "15", "15", "0o17"),
            ("0b11", "3", "3", "3"),
            (".5", "0.5", "0.5", "0.5"),
            ("+1", "1", "1", "1"),
            ("-010", "-10", "-8", "-8"),
            ("09", "9", "09", "09"),
            ("1.", "1", "1", "1.0"),
            ("true", "true", "true", "true"),
            ("True", "true", "true", "true"),
            ("yes", "yes", "yes", "true"),
            ("Off", "Off", "Off", "false"),
            ("null", "null", "null", "null"),
            ("~", "null", "null", "null"),
            ("2020-01-02", "other", "2020-01-02", "2020-01-02"),
            ("2020-1-2", "2020-1-2", "2020-1-2", "2020-01-02"),
            (
                "2020-01-02 10:00:00",
                "other",
                "2020-01-02 10:00:00",
                "other",
            ),
            (
                "1.0e+20",
                "100000000000000000000",
                "100000000000000000000",
                "1.0e+20",
            ),
            ("0X1F", "0X1F", "0X1F", "0X1F"),
            ("0x+1", "0x+1", "0x+1", "0x+1"),
            ("rust", "rust", "rust", "rust"),
            ("1:30", "1:30", "1:30", "1:30"),
        ];
        for (written, hexo, hugo, jekyll) in cases {
            assert_eq!(
                read(Generator::Hexo, written),
                *hexo,
                "Hexo reads {written}"
            );
            assert_eq!(
                read(Generator::Hugo, written),
                *hugo,
                "Hugo reads {written}"
            );
            assert_eq!(
                read(Generator::Jekyll, written),
                *jekyll,
                "Jekyll reads {written}"
            );
            assert_eq!(read(Generator::Plain, written), *written);
        }
    }

    #[test]
    fn hugo_reads_toml_and_json_numbers_in_full() {
        let toml = |text| plain_name(Generator::Hugo, Format::Toml, text);
        assert_eq!(toml("2.0"), Reading::Name("2".into()));
        assert_eq!(toml("1e3"), Reading::Name("1000".into()));
        assert_eq!(toml("1_000"), Reading::Name("1000".into()));
        assert_eq!(toml("-0.0"), Reading::Name("-0".into()));
        assert_eq!(toml("2020-01-02"), Reading::Name("2020-01-02".into()));
    }

    #[test]
    fn number_printing() {
        assert_eq!(javascript_number(1e21), "1e+21");
        assert_eq!(javascript_number(1e-7), "1e-7");
        assert_eq!(javascript_number(-0.0), "0");
        assert_eq!(ruby_float(1e16), "1.0e+16");
        assert_eq!(ruby_float(1e-5), "1.0e-05");
        assert_eq!(ruby_float(-0.0), "-0.0");
        assert_eq!(ruby_float(1500.0), "1500.0");
    }
}
