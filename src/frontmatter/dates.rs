//! Front-matter dates as each generator reads them.
//!
//! - Hexo (and plain Markdown tools built on js-yaml / gray-matter): a plain YAML
//!   timestamp becomes a date; any other string goes through JavaScript's
//!   `new Date(string)`: V8 first tries the ISO form, then a lenient legacy parser
//!   (RFC 2822, `2013/7/13 20:46:25`, `June 14, 2022`, numeric dates month first).
//!   When both fail Hexo silently uses the file's creation time.
//! - Hugo: YAML/TOML timestamps and the layouts of `cast.ToTime` (RFC 3339 and its
//!   variants, RFC 1123/822/850, ANSIC, Unix and Ruby dates, `02 Jan 2006`); other
//!   strings fail the build. Numeric dates with slashes are not among them.
//! - Jekyll: YAML timestamps, then Ruby's `Time.parse` (lenient; numeric dates
//!   with the year last are day first, `10/11/2012` is 10 November).
//!
//! Each is modelled by one small hand-written scanner (no regex, linear) that
//! resolves a string to a [`ParsedDate`], and a per-generator verdict saying
//! whether the form is the generator's documented one, a fallback it still
//! understands, or something it cannot read.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;

use crate::config::Generator;

/// The zone a date was written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// No zone: the site's local time.
    Local,
    /// `Z`, `UTC`, `GMT`: written as `Z` when rewritten.
    Utc,
    /// A numeric offset or a named zone such as `EST`, rewritten as `±HH:MM`.
    Offset(Offset),
}

/// A date resolved to its parts, as the generator would read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedDate {
    pub date: Date,
    /// `None` for a date without a time of day.
    pub time: Option<Time>,
    pub zone: Zone,
}

/// What a generator makes of a date value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateVerdict {
    /// The generator's documented form.
    Canonical,
    /// Understood only through a fallback parser; the parts it reads.
    Fallback(ParsedDate),
    /// An unquoted YAML timestamp with a zone on Hexo: hexo-front-matter adds the
    /// build machine's UTC offset to it, so the post shows another instant on
    /// every machine not on UTC. Quoted, `new Date()` reads it exactly.
    ShiftedByMachineZone,
    /// The generator cannot read it (Hexo then uses the file's creation time;
    /// Hugo and Jekyll stop the build).
    Invalid,
}

/// Judges `text` as the value of a date field. `yaml_plain` says the value is an
/// unquoted YAML scalar (YAML's own timestamp type applies only to those).
pub fn judge(generator: Generator, text: &str, yaml_plain: bool) -> DateVerdict {
    let text = text.trim();
    let iso = parse_iso(text);
    match generator {
        Generator::Hexo | Generator::Plain => {
            if let Some((_, shape)) = iso {
                if yaml_plain && shape.is_yaml_timestamp() && shape.zone != ZoneForm::None {
                    return DateVerdict::ShiftedByMachineZone;
                }
                // js-yaml's timestamp for plain scalars, ES's ISO format, or Hexo's
                // documented `YYYY-MM-DD HH:mm:ss`.
                if (yaml_plain && shape.is_yaml_timestamp()) || shape.is_hexo_documented() {
                    return DateVerdict::Canonical;
                }
            }
            fallback(iso.map(|(date, _)| date), || {
                parse_loose(text, NumericOrder::MonthFirst)
            })
        }
        Generator::Hugo => match iso {
            Some((_, shape)) if shape.is_hugo_documented() => DateVerdict::Canonical,
            // Hugo (0.16x) reads an unpadded hour (`2019-09-02T7:15:43+08:00`,
            // `2025-01-09 8:52:07`) but stops the build on missing seconds, hour-only
            // offsets (`+08`) and words after the time (`… GMT`).
            Some((date, shape)) if shape.is_hugo_readable(month_day_padded(text)) => {
                DateVerdict::Fallback(date)
            }
            Some(_) => DateVerdict::Invalid,
            // Go's layouts that are not ISO spell the month as a word: RFC 1123 and
            // its kin (weekday, month, time with seconds), or `02 Jan 2006`.
            None => match parse_loose(text, NumericOrder::MonthFirst) {
                Some(loose) if loose.is_go_layout() => DateVerdict::Fallback(loose.date),
                _ => DateVerdict::Invalid,
            },
        },
        Generator::Jekyll => {
            if let Some((_, shape)) = iso
                && (shape.is_jekyll_documented() || yaml_plain && shape.is_psych_timestamp())
            {
                return DateVerdict::Canonical;
            }
            fallback(iso.map(|(date, _)| date), || {
                parse_loose(text, NumericOrder::DayFirst)
            })
        }
    }
}

/// Whether Hexo reads an impossible day such as `2022-02-30` as a rolled-over
/// date (2 March) rather than replacing it with the file's time: js-yaml builds
/// any `YYYY-MM-DD` plain scalar with `Date.UTC`, which carries the excess into
/// the next month; `new Date()` does the same for days up to 31 of months 1–12.
pub fn hexo_rolls_over(text: &str, yaml_plain: bool) -> bool {
    let text = text.trim();
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| {
        let digits = text.get(range)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse::<u32>().ok())?
    };
    if !month_day_padded(text) {
        return false;
    }
    let (Some(_), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let day_only = bytes.len() == 10;
    if yaml_plain && day_only {
        return true;
    }
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn fallback(iso: Option<ParsedDate>, loose: impl FnOnce() -> Option<Loose>) -> DateVerdict {
    match iso.or_else(|| loose().map(|l| l.date)) {
        Some(date) => DateVerdict::Fallback(date),
        None => DateVerdict::Invalid,
    }
}

impl ParsedDate {
    /// The generator's documented form of the same instant: RFC 3339 when the
    /// value carries a zone (`2022-06-14T15:00:49Z`, offsets kept), otherwise
    /// `YYYY-MM-DD HH:mm:ss` in the site's local time, or `YYYY-MM-DD` for a bare date.
    pub fn canonical(&self) -> String {
        self.render()
    }

    /// [`ParsedDate::canonical`] as the rewrite of a fallback value on a
    /// `generator` site, quoted when [`ParsedDate::needs_quotes`] says so.
    /// JavaScript reads a quoted bare day (`"2022-06-14"`) as UTC midnight where
    /// the fallback read local midnight, so it gets a time.
    pub fn canonical_for(&self, generator: Generator) -> String {
        let mut text = self.render();
        if self.is_javascript(generator) && self.time.is_none() {
            text.push_str(" 00:00:00");
        }
        text
    }

    /// Whether the rewrite must be a quoted string for the generator to read the
    /// same instant on a build machine in any time zone. On Hexo a fallback value
    /// is a string that `new Date()` reads; as a string the rewrite takes the same
    /// path, while an unquoted timestamp goes through js-yaml and
    /// hexo-front-matter's shift by the machine's offset. On Jekyll Psych reads an
    /// unquoted zone-less timestamp as UTC, a string (what the fallback was) as
    /// local time.
    pub fn needs_quotes(&self, generator: Generator) -> bool {
        match generator {
            Generator::Hexo | Generator::Plain => true,
            Generator::Jekyll => self.time.is_some() && self.zone == Zone::Local,
            Generator::Hugo => false,
        }
    }

    fn is_javascript(&self, generator: Generator) -> bool {
        matches!(generator, Generator::Hexo | Generator::Plain)
    }

    fn render(&self) -> String {
        let date = self.date;
        let Some(time) = self.time else {
            return format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
        };
        let clock = format!(
            "{:02}:{:02}:{:02}{}",
            time.hour(),
            time.minute(),
            time.second(),
            fraction(time.subsec_nanosecond())
        );
        let day = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
        match self.zone {
            Zone::Local => format!("{day} {clock}"),
            Zone::Utc => format!("{day}T{clock}Z"),
            Zone::Offset(offset) => {
                let seconds = offset.seconds();
                let sign = if seconds < 0 { '-' } else { '+' };
                let minutes = seconds.unsigned_abs() / 60;
                format!("{day}T{clock}{sign}{:02}:{:02}", minutes / 60, minutes % 60)
            }
        }
    }
}

/// `.5` → `.5`, `.250` → `.25`; nothing for whole seconds.
fn fraction(nanos: i32) -> String {
    if nanos <= 0 {
        return String::new();
    }
    let digits = format!(".{nanos:09}");
    digits.trim_end_matches('0').to_owned()
}

/// How the zone of an ISO-like value was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum ZoneForm {
    #[default]
    None,
    /// `Z` or `z`.
    Zulu,
    /// `UTC`, `GMT`.
    Word,
    /// `+08:00`.
    Colon,
    /// `+0800`.
    FourDigits,
    /// `+08`, `-5`.
    Hours,
}

/// How an ISO-like value was written, for the per-generator verdicts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct IsoShape {
    /// Two-digit month, day and hour.
    padded: bool,
    has_time: bool,
    /// `T` (or `t`) between date and time rather than spaces.
    t_separator: bool,
    has_seconds: bool,
    zone: ZoneForm,
    /// Spaces between the time and its zone.
    space_before_zone: bool,
}

impl IsoShape {
    /// js-yaml's timestamp: `YYYY-MM-DD`, or date and time with seconds, `T` or
    /// spaces between, optional fraction and zone (`Z`, `±H`, `±HH:MM`).
    fn is_yaml_timestamp(self) -> bool {
        if !self.has_time {
            return self.padded;
        }
        self.has_seconds
            && matches!(
                self.zone,
                ZoneForm::None | ZoneForm::Zulu | ZoneForm::Colon | ZoneForm::Hours
            )
    }

    /// After a `T` separator: no zone, `Z` or `±HH:MM`, written right after the time
    /// (the zone forms ISO 8601 / RFC 3339 and ES share).
    fn is_iso_t_zone(self) -> bool {
        !self.space_before_zone
            && matches!(self.zone, ZoneForm::None | ZoneForm::Zulu | ZoneForm::Colon)
    }

    /// ES's date-time format (`T`, `Z` or `±HH:MM`; V8 takes any fraction) or Hexo's
    /// documented `YYYY-MM-DD HH:mm:ss`.
    fn is_hexo_documented(self) -> bool {
        if !self.padded {
            return false;
        }
        if !self.has_time {
            return true;
        }
        if self.t_separator {
            self.is_iso_t_zone()
        } else {
            self.has_seconds && self.zone == ZoneForm::None
        }
    }

    /// RFC 3339, `2006-01-02T15:04:05`, `2006-01-02 15:04:05` or `2006-01-02`.
    fn is_hugo_documented(self) -> bool {
        if !self.padded {
            return false;
        }
        if !self.has_time {
            return true;
        }
        if !self.has_seconds {
            return false;
        }
        if self.t_separator {
            self.is_iso_t_zone()
        } else {
            self.zone == ZoneForm::None
        }
    }

    /// One of the ISO-like layouts of `cast.ToTime`: two-digit month and day, an
    /// hour of one or two digits, seconds, and a zone written as Go's layouts
    /// spell it (`Z07:00` or `-0700` right after the time, ` -07:00` or ` -0700`
    /// after a space).
    fn is_hugo_readable(self, month_day_padded: bool) -> bool {
        if !month_day_padded || !self.has_time || !self.has_seconds {
            return false;
        }
        match (self.space_before_zone, self.zone) {
            (_, ZoneForm::None) => true,
            (false, ZoneForm::Zulu | ZoneForm::Colon) => true,
            (false, ZoneForm::FourDigits) => self.t_separator,
            (true, ZoneForm::Colon | ZoneForm::FourDigits) => !self.t_separator,
            _ => false,
        }
    }

    /// Psych's (YAML 1.1) timestamp: a day with one- or two-digit month and day,
    /// optionally a time with seconds (`T` or spaces) and a zone (`Z`, `±H`,
    /// `±HH:MM`, `±HHMM`, spaces allowed before it): `2020-1-20 10:09:32 +0800`.
    fn is_psych_timestamp(self) -> bool {
        !self.has_time || self.has_seconds && self.zone != ZoneForm::Word
    }

    /// `YYYY-MM-DD HH:MM:SS +/-TTTT` (Jekyll's docs) or ISO 8601 with `T`.
    fn is_jekyll_documented(self) -> bool {
        if !self.padded {
            return false;
        }
        if !self.has_time {
            return true;
        }
        if self.t_separator {
            self.is_iso_t_zone()
        } else {
            match self.zone {
                ZoneForm::None => true,
                ZoneForm::FourDigits | ZoneForm::Colon => self.space_before_zone,
                _ => false,
            }
        }
    }
}

/// A cursor over ASCII bytes.
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Up to `max` digits; returns the number and how many digits were read.
    fn digits(&mut self, max: usize) -> Option<(i64, usize)> {
        let start = self.at;
        let mut value: i64 = 0;
        while self.at - start < max {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    // Saturates: an overlong run of digits is out of range, not a panic.
                    value = value.saturating_mul(10).saturating_add(i64::from(b - b'0'));
                    self.at += 1;
                }
                _ => break,
            }
        }
        let count = self.at - start;
        (count > 0).then_some((value, count))
    }

    fn spaces(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
        self.at - start
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }
}

/// `YYYY-M-D`, optionally followed by a time of day `H:MM[:SS[.f]]` (after `T` or
/// spaces) and a zone (`Z`, `±H`, `±HH:MM`, `±HHMM`, `UTC`, `GMT`).
fn parse_iso(text: &str) -> Option<(ParsedDate, IsoShape)> {
    let mut s = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    let mut shape = IsoShape {
        padded: true,
        ..IsoShape::default()
    };
    let (year, 4) = s.digits(4)? else {
        return None;
    };
    if !s.eat(b'-') {
        return None;
    }
    let (month, month_len) = s.digits(2)?;
    if !s.eat(b'-') {
        return None;
    }
    let (day, day_len) = s.digits(2)?;
    shape.padded = month_len == 2 && day_len == 2;
    let date = Date::new(i16::try_from(year).ok()?, small(month)?, small(day)?).ok()?;
    if s.done() {
        return Some((
            ParsedDate {
                date,
                time: None,
                zone: Zone::Local,
            },
            shape,
        ));
    }
    shape.t_separator = s.eat(b'T') || s.eat(b't');
    if !shape.t_separator && s.spaces() == 0 {
        return None;
    }
    shape.has_time = true;
    let (hour, hour_len) = s.digits(2)?;
    shape.padded &= hour_len == 2;
    if !s.eat(b':') {
        return None;
    }
    let (minute, 2) = s.digits(2)? else {
        return None;
    };
    let (mut second, mut nanos) = (0, 0);
    if s.eat(b':') {
        let (value, 2) = s.digits(2)? else {
            return None;
        };
        second = value;
        shape.has_seconds = true;
        if s.eat(b'.') {
            let start = s.at;
            let (digits, count) = s.digits(usize::MAX)?;
            nanos = scale_fraction(digits, count, &text[start..s.at]);
        }
    }
    let time = Time::new(small(hour)?, small(minute)?, small(second)?, nanos).ok()?;
    shape.space_before_zone = s.spaces() > 0;
    let zone = if s.done() {
        shape.space_before_zone = false;
        Zone::Local
    } else {
        let rest = &text[s.at..];
        if rest == "Z" || rest == "z" {
            shape.zone = ZoneForm::Zulu;
            Zone::Utc
        } else if rest.eq_ignore_ascii_case("UTC") || rest.eq_ignore_ascii_case("GMT") {
            shape.zone = ZoneForm::Word;
            Zone::Utc
        } else {
            let (offset, form) = parse_offset(rest)?;
            shape.zone = form;
            Zone::Offset(offset)
        }
    };
    Some((
        ParsedDate {
            date,
            time: Some(time),
            zone,
        },
        shape,
    ))
}

/// Nanoseconds of a fraction written with `count` digits (extra digits dropped).
fn scale_fraction(digits: i64, count: usize, written: &str) -> i32 {
    if count > 9 {
        let nine = written.get(..9).and_then(|d| d.parse::<i32>().ok());
        return nine.unwrap_or(0);
    }
    let scaled = digits * 10_i64.pow(u32::try_from(9 - count).unwrap_or(0));
    i32::try_from(scaled).unwrap_or(0)
}

/// `+08:00`, `+0800`, `+08`, `-5`: the offset and how it was written.
fn parse_offset(text: &str) -> Option<(Offset, ZoneForm)> {
    let mut s = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    let sign: i32 = if s.eat(b'+') {
        1
    } else if s.eat(b'-') {
        -1
    } else {
        return None;
    };
    let (first, first_len) = s.digits(4)?;
    let (hours, minutes, form) = if first_len == 4 {
        (first / 100, first % 100, ZoneForm::FourDigits)
    } else if s.eat(b':') {
        let (minutes, 2) = s.digits(2)? else {
            return None;
        };
        (first, minutes, ZoneForm::Colon)
    } else if first_len <= 2 {
        (first, 0, ZoneForm::Hours)
    } else {
        return None;
    };
    if !s.done() || hours > 23 || minutes > 59 {
        return None;
    }
    let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()? * sign;
    Some((Offset::from_seconds(seconds).ok()?, form))
}

/// `YYYY-MM-DD…`: Go's `01` and `02` need two digits.
fn month_day_padded(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10 && bytes[4] == b'-' && bytes[7] == b'-'
}

fn small(value: i64) -> Option<i8> {
    i8::try_from(value).ok()
}

/// How a generator orders an all-numeric date whose year comes last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumericOrder {
    /// JavaScript: `7/13/2013`.
    MonthFirst,
    /// Ruby: `13/7/2013`.
    DayFirst,
}

/// What the lenient parser read.
struct Loose {
    date: ParsedDate,
    /// The month was a word (`Jun`, `June`): Go's layouts need that.
    month_word: bool,
    weekday: bool,
    /// The day came before the month's name (`14 Jun 2022`).
    day_before_month: bool,
    /// A date number came after the time (`Mon Jan 2 15:04:05 2006`).
    number_after_time: bool,
    seconds: bool,
}

impl Loose {
    /// One of the `cast.ToTime` layouts Hugo reads: RFC 1123/822/850, ANSIC, Unix
    /// and Ruby dates (weekday, month name, time with seconds) or `02 Jan 2006`.
    fn is_go_layout(&self) -> bool {
        // RFC 1123/850 put the day before the month; ANSIC, Unix and Ruby dates
        // the year after the time (JavaScript's `Tue Jun 14 2022 15:00:49` neither).
        let rfc_like = self.weekday
            && self.month_word
            && self.seconds
            && (self.day_before_month || self.number_after_time);
        let day_month_year =
            self.month_word && !self.weekday && self.day_before_month && self.date.time.is_none();
        rfc_like || day_month_year
    }
}

/// A lenient parser in the spirit of V8's legacy date parser and Ruby's
/// `Date._parse`: ASCII words (month and weekday names, AM/PM, UTC/GMT and US zone
/// names), a time `H:MM[:SS[.f]]`, numeric offsets, and up to three date numbers
/// separated by `/ - . ,` or spaces; text in parentheses is a comment. Anything
/// else (other words, non-ASCII text) makes the value unreadable.
fn parse_loose(text: &str, order: NumericOrder) -> Option<Loose> {
    let bytes = text.as_bytes();
    let mut s = Scanner { bytes, at: 0 };
    let mut numbers: [(i64, usize); 3] = [(0, 0); 3];
    let mut number_count = 0;
    let mut month_word: Option<i8> = None;
    let mut time: Option<(i64, i64, i64, i32)> = None;
    let mut pm: Option<bool> = None;
    let mut zone = Zone::Local;
    let mut saw_weekday = false;
    let mut day_before_month = false;
    let mut seconds = false;
    let mut number_after_time = false;
    while let Some(byte) = s.peek() {
        match byte {
            b' ' | b'\t' | b',' | b'/' | b'.' => s.at += 1,
            b'(' => {
                let close = text[s.at..].find(')')?;
                s.at += close + 1;
            }
            // A dash after the whole day that starts no number (`2012-07-12- 19:30`):
            // Ruby skips it, V8 gives up on the value.
            b'-' if number_count == 3 && !matches!(bytes.get(s.at + 1), Some(b'0'..=b'9')) => {
                if order == NumericOrder::MonthFirst {
                    return None;
                }
                s.at += 1;
            }
            b'+' | b'-'
                if time.is_some()
                    || zone == Zone::Utc
                    || order == NumericOrder::DayFirst && number_count == 3 =>
            {
                // An offset after the time (`+0800`, `GMT+08:00`).
                let start = s.at;
                s.at += 1;
                while matches!(s.peek(), Some(b'0'..=b'9' | b':')) {
                    s.at += 1;
                }
                let (offset, _) = parse_offset(&text[start..s.at])?;
                zone = Zone::Offset(offset);
            }
            b'-' => s.at += 1,
            b'0'..=b'9' => {
                let (first, first_len) = s.digits(usize::MAX)?;
                if s.peek() == Some(b':') {
                    if time.is_some() {
                        return None;
                    }
                    s.at += 1;
                    let (minute, 2) = s.digits(2)? else {
                        return None;
                    };
                    let (mut second, mut nanos) = (0, 0);
                    if s.eat(b':') {
                        let (value, 2) = s.digits(2)? else {
                            return None;
                        };
                        second = value;
                        seconds = true;
                        if s.eat(b'.') {
                            let start = s.at;
                            let (digits, count) = s.digits(usize::MAX)?;
                            nanos = scale_fraction(digits, count, &text[start..s.at]);
                        }
                    }
                    time = Some((first, minute, second, nanos));
                } else {
                    *numbers.get_mut(number_count)? = (first, first_len);
                    number_count += 1;
                    day_before_month |= number_count == 1 && month_word.is_none();
                    number_after_time |= time.is_some();
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                let start = s.at;
                while matches!(s.peek(), Some(b'a'..=b'z' | b'A'..=b'Z')) {
                    s.at += 1;
                }
                let word = text[start..s.at].to_ascii_lowercase();
                if let Some(month) = month_number(&word) {
                    if month_word.replace(month).is_some() {
                        return None;
                    }
                } else if weekday(&word) {
                    saw_weekday = true;
                } else if word == "t" && time.is_none() {
                } else if word == "am" || word == "pm" {
                    pm = Some(word == "pm");
                } else if let Some(named) = named_zone(&word) {
                    zone = named;
                } else {
                    return None;
                }
            }
            _ => return None,
        }
    }
    let numbers = numbers.get(..number_count)?;
    let (year, month, day) = match (month_word, numbers) {
        (Some(month), [(a, a_len), (b, _)]) => {
            // `14 Jun 2022`, `Jun 14 2022`, `June 14, 2022`.
            if *a_len >= 3 || *a > 31 {
                (*a, i64::from(month), *b)
            } else {
                (*b, i64::from(month), *a)
            }
        }
        (None, [(a, a_len), (b, _), (c, _)]) => {
            if *a_len >= 3 {
                (*a, *b, *c)
            } else {
                match order {
                    NumericOrder::MonthFirst => (*c, *a, *b),
                    NumericOrder::DayFirst => (*c, *b, *a),
                }
            }
        }
        _ => return None,
    };
    let year = match year {
        0..=49 => year + 2000,
        50..=99 => year + 1900,
        _ => year,
    };
    let date = Date::new(i16::try_from(year).ok()?, small(month)?, small(day)?).ok()?;
    let time = match time {
        None => None,
        Some((hour, minute, second, nanos)) => {
            let hour = match pm {
                Some(_) if !(1..=12).contains(&hour) => return None,
                Some(true) if hour < 12 => hour + 12,
                Some(false) if hour == 12 => 0,
                _ => hour,
            };
            Some(Time::new(small(hour)?, small(minute)?, small(second)?, nanos).ok()?)
        }
    };
    // Ruby ignores a zone after a bare day: `2018-12-21 +0800` is local midnight.
    if time.is_none() && order == NumericOrder::DayFirst && pm.is_none() {
        zone = Zone::Local;
    }
    if time.is_none() && (pm.is_some() || zone != Zone::Local) {
        return None;
    }
    Some(Loose {
        date: ParsedDate { date, time, zone },
        month_word: month_word.is_some(),
        weekday: saw_weekday,
        day_before_month: day_before_month && month_word.is_some(),
        number_after_time,
        seconds,
    })
}

fn month_number(word: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS
        .iter()
        .position(|month| month.starts_with(word) || (word == "sept" && *month == "september"))?;
    small(i64::try_from(index).ok()? + 1)
}

fn weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    word.len() >= 3 && DAYS.iter().any(|day| day.starts_with(word))
}

fn named_zone(word: &str) -> Option<Zone> {
    let hours = match word {
        "z" | "ut" | "utc" | "gmt" => return Some(Zone::Utc),
        "est" | "cdt" => -5,
        "edt" => -4,
        "cst" | "mdt" => -6,
        "mst" | "pdt" => -7,
        "pst" => -8,
        _ => return None,
    };
    Some(Zone::Offset(Offset::constant(hours)))
}

/// Today's date-time in the site's format for a new `date:` value: Hexo and plain
/// `YYYY-MM-DD HH:mm:ss`, Jekyll `YYYY-MM-DD HH:MM:SS +0800`, Hugo RFC 3339.
pub fn format_now(generator: Generator, now: &jiff::Zoned) -> String {
    let civil: DateTime = now.datetime();
    let local = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        civil.year(),
        civil.month(),
        civil.day(),
        civil.hour(),
        civil.minute(),
        civil.second()
    );
    let seconds = now.offset().seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    let (hh, mm) = (minutes / 60, minutes % 60);
    match generator {
        Generator::Hexo | Generator::Plain => local,
        Generator::Jekyll => format!("{local} {sign}{hh:02}{mm:02}"),
        Generator::Hugo => format!("{}{sign}{hh:02}:{mm:02}", local.replacen(' ', "T", 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(generator: Generator, text: &str) -> String {
        match judge(generator, text, false) {
            DateVerdict::Canonical => "canonical".into(),
            DateVerdict::Fallback(date) => format!("fallback {}", date.canonical()),
            DateVerdict::Invalid => "invalid".into(),
            DateVerdict::ShiftedByMachineZone => "shifted".into(),
        }
    }

    #[test]
    fn a_dangling_dash_after_the_day_is_read_by_ruby_only() {
        let text = "2012-07-12- 19:30:00 +0800";
        assert_eq!(verdict(Generator::Hexo, text), "invalid");
        assert_eq!(
            verdict(Generator::Jekyll, text),
            "fallback 2012-07-12T19:30:00+08:00"
        );
        assert_eq!(verdict(Generator::Hugo, text), "invalid");
    }

    #[test]
    fn hexo_shifts_unquoted_zoned_timestamps() {
        for text in [
            "2022-06-14T15:00:49+08:00",
            "2022-06-14T15:00:49Z",
            "2022-06-14 15:00:49 +8",
        ] {
            assert_eq!(
                judge(Generator::Hexo, text, true),
                DateVerdict::ShiftedByMachineZone,
                "{text:?}"
            );
        }
        // Quoted, `new Date()` reads the instant written; zone-less is local time.
        assert_eq!(
            judge(Generator::Hexo, "2022-06-14T15:00:49+08:00", false),
            DateVerdict::Canonical
        );
        assert_eq!(
            judge(Generator::Hexo, "2022-06-14 15:00:49", true),
            DateVerdict::Canonical
        );
    }

    #[test]
    fn rewrites_are_quoted_where_the_generator_would_move_them() {
        let zoned = ParsedDate {
            date: Date::constant(2022, 8, 30),
            time: Some(Time::constant(7, 39, 56, 0)),
            zone: Zone::Utc,
        };
        let local = ParsedDate {
            zone: Zone::Local,
            ..zoned
        };
        let day = ParsedDate {
            time: None,
            ..local
        };
        assert!(zoned.needs_quotes(Generator::Hexo) && local.needs_quotes(Generator::Hexo));
        assert!(local.needs_quotes(Generator::Jekyll));
        assert!(!zoned.needs_quotes(Generator::Jekyll) && !day.needs_quotes(Generator::Jekyll));
        assert!(!local.needs_quotes(Generator::Hugo));
        assert_eq!(day.canonical_for(Generator::Hexo), "2022-08-30 00:00:00");
        assert_eq!(day.canonical_for(Generator::Jekyll), "2022-08-30");
    }

    #[test]
    fn jekyll_takes_psych_timestamps_natively() {
        for text in [
            "2020-1-20 10:09:32 +0800",
            "2022-06-14T15:00:49+08",
            "2022-6-4",
        ] {
            assert_eq!(
                judge(Generator::Jekyll, text, true),
                DateVerdict::Canonical,
                "{text:?}"
            );
        }
        assert!(matches!(
            judge(Generator::Jekyll, "2020-1-20 10:09:32 +0800", false),
            DateVerdict::Fallback(_)
        ));
    }

    #[test]
    fn hugo_reads_go_layouts_and_stops_on_the_rest() {
        let cases = [
            (
                "2019-09-02T7:15:43+08:00",
                "fallback 2019-09-02T07:15:43+08:00",
            ),
            ("2025-01-09 8:52:07", "fallback 2025-01-09 08:52:07"),
            ("2022-06-14 15:00", "invalid"),
            ("2022-06-14T15:00:49+08", "invalid"),
            ("2022-06-14 15:00:49 GMT", "invalid"),
            ("June 14, 2022", "invalid"),
            ("30 Aug 2022 07:39:56 GMT", "invalid"),
            (
                "Tue Jun 14 2022 15:00:49 GMT+0800 (China Standard Time)",
                "invalid",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(verdict(Generator::Hugo, text), expected, "{text:?}");
        }
    }

    #[test]
    fn hexo_rolls_impossible_days_over() {
        assert!(hexo_rolls_over("2022-02-30", true));
        assert!(hexo_rolls_over("2022-13-45", true));
        assert!(hexo_rolls_over("2022-02-30", false));
        assert!(!hexo_rolls_over("2022-13-45", false));
        assert!(!hexo_rolls_over("Invalid Date", true));
    }

    #[test]
    fn hexo_reads_strings_like_v8() {
        let cases = [
            ("2022-06-14 15:00:49", "canonical"),
            ("2022-06-14T15:00:49+08:00", "canonical"),
            ("2022-06-14T15:00:49.123Z", "canonical"),
            ("2022-06-14", "canonical"),
            (
                "Tue, 14 Jun 2022 15:00:49 GMT",
                "fallback 2022-06-14T15:00:49Z",
            ),
            (
                "Tue, 14 Jun 2022 15:00:49 +0800",
                "fallback 2022-06-14T15:00:49+08:00",
            ),
            ("2013/7/13 20:46:25", "fallback 2013-07-13 20:46:25"),
            ("7/13/2013", "fallback 2013-07-13"),
            ("June 14, 2022", "fallback 2022-06-14"),
            ("Jun 14 2022 3:05 PM", "fallback 2022-06-14 15:05:00"),
            ("2022-6-14", "fallback 2022-06-14"),
            (
                "2022-06-14T15:00:49+0800",
                "fallback 2022-06-14T15:00:49+08:00",
            ),
            (
                "Tue Jun 14 2022 15:00:49 GMT+0800 (China Standard Time)",
                "fallback 2022-06-14T15:00:49+08:00",
            ),
            ("Invalid Date", "invalid"),
            ("2022-13-45", "invalid"),
            ("2022-02-30", "invalid"),
            ("", "invalid"),
            ("2022年6月14日", "invalid"),
            ("tomorrow", "invalid"),
            ("25:00", "invalid"),
        ];
        for (text, expected) in cases {
            assert_eq!(verdict(Generator::Hexo, text), expected, "{text:?}");
        }
    }

    #[test]
    fn overlong_digit_runs_do_not_overflow() {
        // Found by the `fix` fuzz target: an hour of 26 digits.
        let text = "1009-01-01 33333333333333333333333300:0";
        for generator in [
            Generator::Hexo,
            Generator::Hugo,
            Generator::Jekyll,
            Generator::Plain,
        ] {
            judge(generator, text, true);
            judge(generator, text, false);
        }
    }

    #[test]
    fn yaml_timestamps_are_canonical_only_when_plain() {
        // js-yaml reads `2022-6-14 1:02:03` as a timestamp, but a quoted one goes
        // through `new Date`, which needs the legacy path.
        assert_eq!(
            judge(Generator::Hexo, "2022-6-14 1:02:03", true),
            DateVerdict::Canonical
        );
        assert!(matches!(
            judge(Generator::Hexo, "2022-6-14 1:02:03", false),
            DateVerdict::Fallback(_)
        ));
    }

    #[test]
    fn hugo_accepts_go_layouts_only() {
        let cases = [
            ("2022-06-14T15:00:49+08:00", "canonical"),
            ("2022-06-14T15:00:49Z", "canonical"),
            ("2022-06-14", "canonical"),
            ("2022-06-14 15:00:49", "canonical"),
            (
                "Tue, 14 Jun 2022 15:00:49 GMT",
                "fallback 2022-06-14T15:00:49Z",
            ),
            ("14 Jun 2022", "fallback 2022-06-14"),
            (
                "2022-06-14 15:00:49 +0800",
                "fallback 2022-06-14T15:00:49+08:00",
            ),
            ("2013/7/13 20:46:25", "invalid"),
            ("2022-6-14", "invalid"),
            ("Invalid Date", "invalid"),
        ];
        for (text, expected) in cases {
            assert_eq!(verdict(Generator::Hugo, text), expected, "{text:?}");
        }
    }

    #[test]
    fn jekyll_reads_like_ruby() {
        let cases = [
            ("2022-06-14 15:00:49 +0800", "canonical"),
            ("2022-06-14 15:00:49", "canonical"),
            ("2022-06-14", "canonical"),
            ("10/11/2012", "fallback 2012-11-10"),
            ("2013/7/13 20:46:25", "fallback 2013-07-13 20:46:25"),
            (
                "Tue, 14 Jun 2022 15:00:49 GMT",
                "fallback 2022-06-14T15:00:49Z",
            ),
            ("Invalid Date", "invalid"),
            ("2022-13-45", "invalid"),
            ("2018-12-21 +0800", "fallback 2018-12-21"),
        ];
        for (text, expected) in cases {
            assert_eq!(verdict(Generator::Jekyll, text), expected, "{text:?}");
        }
    }

    proptest::proptest! {
        /// Whatever a fallback reads, its rewrite is canonical for the same
        /// generator, so FM009's fix settles in one pass; and nothing panics.
        #[test]
        fn rewrites_are_canonical(
            text in "(Mon, |June |[0-9]{1,4}[-/. ])?[0-9]{1,4}([-/ ][0-9]{1,2}){0,2}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,4})?)?)?( ?(pm|GMT|Z|[+-][0-9]{2}:?[0-9]{2}|EST))?",
            plain in proptest::bool::ANY,
        ) {
            for generator in [Generator::Hexo, Generator::Hugo, Generator::Jekyll, Generator::Plain] {
                if let DateVerdict::Fallback(parsed) = judge(generator, &text, plain) {
                    let rewritten = parsed.canonical_for(generator);
                    let still_plain = plain && !parsed.needs_quotes(generator);
                    proptest::prop_assert_eq!(
                        judge(generator, &rewritten, still_plain),
                        DateVerdict::Canonical,
                        "{:?} {} -> {}", generator, text, rewritten
                    );
                }
            }
        }

        #[test]
        fn never_panics(text in "\\PC{0,40}", plain in proptest::bool::ANY) {
            for generator in [Generator::Hexo, Generator::Hugo, Generator::Jekyll] {
                let _ = judge(generator, &text, plain);
            }
        }
    }

    #[test]
    fn canonical_forms_keep_fractions_and_negative_offsets() {
        let parsed = parse_iso("2022-06-14T15:00:49.250-05:30").map(|(date, _)| date);
        assert_eq!(
            parsed.map(|d| d.canonical()).as_deref(),
            Some("2022-06-14T15:00:49.25-05:30")
        );
    }

    #[test]
    fn now_in_each_generators_format() {
        let now: jiff::Zoned = "2026-11-27T19:15:53+08:00[Asia/Shanghai]"
            .parse()
            .expect("valid zoned time");
        assert_eq!(format_now(Generator::Hexo, &now), "2026-11-27 19:15:53");
        assert_eq!(
            format_now(Generator::Jekyll, &now),
            "2026-11-27 19:15:53 +0800"
        );
        assert_eq!(
            format_now(Generator::Hugo, &now),
            "2026-11-27T19:15:53+08:00"
        );
    }
}
