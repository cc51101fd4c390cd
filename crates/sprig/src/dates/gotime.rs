//! Go's `time.Time` and `time.Duration` as sprig reaches them: the same
//! wall/ext representation (so overflow and wrap-around behave as in Go),
//! Go 1.25's calendar arithmetic, layout-driven `Format` and `Parse` with
//! Go's error texts, `Duration.String` and `ParseDuration`.

use std::sync::LazyLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::zoneinfo::Loc;

pub(crate) type Duration = i64;

pub(crate) const NANOSECOND: Duration = 1;
pub(crate) const MICROSECOND: Duration = 1000 * NANOSECOND;
pub(crate) const MILLISECOND: Duration = 1000 * MICROSECOND;
pub(crate) const SECOND: Duration = 1000 * MILLISECOND;
pub(crate) const MINUTE: Duration = 60 * SECOND;
pub(crate) const HOUR: Duration = 60 * MINUTE;
const MIN_DURATION: Duration = i64::MIN;
const MAX_DURATION: Duration = i64::MAX;

const SECONDS_PER_MINUTE: i64 = 60;
const SECONDS_PER_HOUR: i64 = 3600;
const SECONDS_PER_DAY: i64 = 86400;
const MARCH_THRU_DECEMBER: i64 = 306;
const ABSOLUTE_YEARS: u64 = 292277022400;
const ABSOLUTE_TO_INTERNAL: i64 = -9223371966606163200;
pub(crate) const UNIX_TO_INTERNAL: i64 = 62135596800;
const INTERNAL_TO_UNIX: i64 = -UNIX_TO_INTERNAL;
const ABSOLUTE_TO_UNIX: i64 = ABSOLUTE_TO_INTERNAL + INTERNAL_TO_UNIX;
pub(crate) const UNIX_TO_ABSOLUTE: i64 = -ABSOLUTE_TO_UNIX;
const WALL_TO_INTERNAL: i64 = 59453308800;

const HAS_MONOTONIC: u64 = 1 << 63;
const MIN_WALL: i64 = WALL_TO_INTERNAL;
const NSEC_MASK: u64 = (1 << 30) - 1;
const NSEC_SHIFT: u32 = 30;

pub(crate) const LONG_DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const SHORT_DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const SHORT_MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub(crate) const LONG_MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Go's `Month.String()`.
pub(crate) fn month_string(m: i64) -> String {
    if (1..=12).contains(&m) {
        LONG_MONTH_NAMES[(m - 1) as usize].to_string()
    } else {
        format!("%!Month({})", m as u64)
    }
}

/// Go's `Weekday.String()`.
pub(crate) fn weekday_string(d: i64) -> String {
    if (0..=6).contains(&d) {
        LONG_DAY_NAMES[d as usize].to_string()
    } else {
        format!("%!Weekday({})", d as u64)
    }
}

// ---------------------------------------------------------------------------
// Calendar arithmetic (Go 1.25, Neri–Schneider)

fn date_to_abs_days(year: i64, month: i64, day: i64) -> u64 {
    let mut amonth = month as u32;
    let jan_feb: u32 = if amonth < 3 { 1 } else { 0 };
    amonth = amonth.wrapping_add(12 * jan_feb);
    let y = (year as u64)
        .wrapping_sub(jan_feb as u64)
        .wrapping_add(ABSOLUTE_YEARS);
    let ayday = (979u32.wrapping_mul(amonth)).wrapping_sub(2919) >> 5;
    let century = y / 100;
    let cyear = (y % 100) as u32;
    let cday = 1461 * cyear / 4;
    let centurydays = 146097u64.wrapping_mul(century) / 4;
    centurydays.wrapping_add(
        ((cday.wrapping_add(ayday)) as i64)
            .wrapping_add(day)
            .wrapping_sub(1) as u64,
    )
}

fn split_days(days: u64) -> (u64, u64, u64) {
    let d = 4u64.wrapping_mul(days).wrapping_add(3);
    let century = d / 146097;
    let cd = ((d % 146097) as u32) | 3;
    let prod = 2939745u64 * cd as u64;
    let hi = prod >> 32;
    let lo = prod as u32;
    let cyear = hi;
    let ayday = (lo / 2939745 / 4) as u64;
    (century, cyear, ayday)
}

fn split_yday(ayday: u64) -> (i64, i64) {
    let d = 2141u32 * ayday as u32 + 197913;
    ((d >> 16) as i64, 1 + ((d & 0xFFFF) / 2141) as i64)
}

fn jan_feb(ayday: u64) -> i64 {
    i64::from(ayday >= MARCH_THRU_DECEMBER as u64)
}

fn leap(century: u64, cyear: u64) -> i64 {
    let y4ok = i64::from(cyear & 3 == 0);
    let y100ok = i64::from(cyear != 0);
    let y400ok = i64::from(century & 3 == 0);
    y4ok & (y100ok | y400ok)
}

fn year_of(century: u64, cyear: u64, jf: i64) -> i64 {
    (century.wrapping_mul(100).wrapping_sub(ABSOLUTE_YEARS) as i64)
        .wrapping_add(cyear as i64)
        .wrapping_add(jf)
}

/// `absDays.date()`: (year, month, day).
pub(crate) fn abs_date(days: u64) -> (i64, i64, i64) {
    let (century, cyear, ayday) = split_days(days);
    let (amonth, day) = split_yday(ayday);
    let jf = jan_feb(ayday);
    (year_of(century, cyear, jf), amonth - jf * 12, day)
}

/// `absDays.yearYday()`: (year, 1-based yday).
pub(crate) fn year_yday(days: u64) -> (i64, i64) {
    let (century, cyear, ayday) = split_days(days);
    let jf = jan_feb(ayday);
    let yday = ayday as i64 + (1 + 31 + 28) + (leap(century, cyear) & !jf) - 365 * jf;
    (year_of(century, cyear, jf), yday)
}

fn abs_weekday(days: u64) -> i64 {
    (days.wrapping_add(3) % 7) as i64
}

fn abs_clock(abs: u64) -> (i64, i64, i64) {
    let mut sec = (abs % SECONDS_PER_DAY as u64) as i64;
    let hour = sec / SECONDS_PER_HOUR;
    sec -= hour * SECONDS_PER_HOUR;
    let min = sec / SECONDS_PER_MINUTE;
    sec -= min * SECONDS_PER_MINUTE;
    (hour, min, sec)
}

pub(crate) fn is_leap(year: i64) -> bool {
    let mask = if year % 25 != 0 { 3 } else { 0xf };
    year & mask == 0
}

pub(crate) fn days_before(m: i64) -> i64 {
    let adj = if m >= 3 { -2 } else { 0 };
    (214 * m - 211) / 7 + adj
}

pub(crate) fn days_in(m: i64, year: i64) -> i64 {
    if m == 2 {
        return if is_leap(year) { 29 } else { 28 };
    }
    30 + ((m + (m >> 3)) & 1)
}

fn norm(hi: i64, lo: i64, base: i64) -> (i64, i64) {
    let (mut hi, mut lo) = (hi, lo);
    if lo < 0 {
        let n = (lo.wrapping_neg().wrapping_sub(1)) / base + 1;
        hi = hi.wrapping_sub(n);
        lo = lo.wrapping_add(n.wrapping_mul(base));
    }
    if lo >= base {
        let n = lo / base;
        hi = hi.wrapping_add(n);
        lo -= n * base;
    }
    (hi, lo)
}

// ---------------------------------------------------------------------------
// Time

#[derive(Clone, Debug)]
pub(crate) struct Time {
    wall: u64,
    ext: i64,
    pub loc: Loc,
}

static START: LazyLock<Instant> = LazyLock::new(Instant::now);

impl Time {
    /// Go's `==`: the same wall and monotonic readings and the same
    /// location pointer (UTC, Local, or the very same other location).
    pub fn go_eq(&self, other: &Time) -> bool {
        self.wall == other.wall
            && self.ext == other.ext
            && match (&self.loc, &other.loc) {
                (Loc::Utc, Loc::Utc) | (Loc::Local, Loc::Local) => true,
                (Loc::Other(a), Loc::Other(b)) => std::sync::Arc::ptr_eq(a, b),
                _ => false,
            }
    }

    /// The zero `time.Time`.
    pub fn zero() -> Time {
        Time {
            wall: 0,
            ext: 0,
            loc: Loc::Utc,
        }
    }

    pub fn nsec(&self) -> i64 {
        (self.wall & NSEC_MASK) as i64
    }

    fn sec(&self) -> i64 {
        if self.wall & HAS_MONOTONIC != 0 {
            return WALL_TO_INTERNAL + ((self.wall << 1) >> (NSEC_SHIFT + 1)) as i64;
        }
        self.ext
    }

    pub fn unix_sec(&self) -> i64 {
        self.sec().wrapping_add(INTERNAL_TO_UNIX)
    }

    fn add_sec(&mut self, d: i64) {
        if self.wall & HAS_MONOTONIC != 0 {
            let sec = ((self.wall << 1) >> (NSEC_SHIFT + 1)) as i64;
            let dsec = sec.wrapping_add(d);
            if (0..=(1 << 33) - 1).contains(&dsec) {
                self.wall = (self.wall & NSEC_MASK) | ((dsec as u64) << NSEC_SHIFT) | HAS_MONOTONIC;
                return;
            }
            self.strip_mono();
        }
        let sum = self.ext.wrapping_add(d);
        if (sum > self.ext) == (d > 0) {
            self.ext = sum;
        } else if d > 0 {
            self.ext = i64::MAX;
        } else {
            self.ext = -i64::MAX;
        }
    }

    pub fn set_loc(&mut self, loc: Loc) {
        self.strip_mono();
        self.loc = loc;
    }

    fn strip_mono(&mut self) {
        if self.wall & HAS_MONOTONIC != 0 {
            self.ext = self.sec();
            self.wall &= NSEC_MASK;
        }
    }

    /// `time.Now()`, with a monotonic reading relative to process start.
    pub fn now() -> Time {
        let start = *START;
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let sec = since.as_secs() as i64;
        let nsec = since.subsec_nanos() as u64;
        let mono = start.elapsed().as_nanos() as i64 + 1;
        let wsec = sec + UNIX_TO_INTERNAL - MIN_WALL;
        if (wsec as u64) >> 33 != 0 {
            return Time {
                wall: nsec,
                ext: wsec + MIN_WALL,
                loc: Loc::Local,
            };
        }
        Time {
            wall: HAS_MONOTONIC | ((wsec as u64) << NSEC_SHIFT) | nsec,
            ext: mono,
            loc: Loc::Local,
        }
    }

    fn unix_time(sec: i64, nsec: i64) -> Time {
        Time {
            wall: nsec as u64,
            ext: sec.wrapping_add(UNIX_TO_INTERNAL),
            loc: Loc::Local,
        }
    }

    /// `time.Unix(sec, 0)`.
    pub fn unix(sec: i64) -> Time {
        Time::unix_time(sec, 0)
    }

    /// `time.Date`.
    #[allow(clippy::too_many_arguments)]
    pub fn date(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
        nsec: i64,
        loc: Loc,
    ) -> Time {
        let (year, m) = norm(year, month.wrapping_sub(1), 12);
        let month = m + 1;
        let (sec, nsec) = norm(sec, nsec, 1_000_000_000);
        let (min, sec) = norm(min, sec, 60);
        let (hour, min) = norm(hour, min, 60);
        let (day, hour) = norm(day, hour, 24);
        let mut unix = (date_to_abs_days(year, month, day) as i64)
            .wrapping_mul(SECONDS_PER_DAY)
            .wrapping_add(
                hour.wrapping_mul(SECONDS_PER_HOUR)
                    .wrapping_add(min.wrapping_mul(SECONDS_PER_MINUTE))
                    .wrapping_add(sec),
            )
            .wrapping_add(ABSOLUTE_TO_UNIX);
        let l = loc.lookup(unix);
        if l.offset != 0 {
            let utc = unix.wrapping_sub(l.offset);
            let mut offset = l.offset;
            if utc < l.start || utc >= l.end {
                offset = loc.lookup(utc).offset;
            }
            unix = unix.wrapping_sub(offset);
        }
        let mut t = Time::unix_time(unix, nsec);
        t.set_loc(loc);
        t
    }

    /// `locabs`: zone name, offset and absolute seconds.
    fn locabs(&self) -> (String, i64, u64) {
        let mut sec = self.unix_sec();
        let (name, offset) = if self.loc.is_utc() {
            ("UTC".to_string(), 0)
        } else {
            let l = self.loc.lookup(sec);
            sec = sec.wrapping_add(l.offset);
            (l.name, l.offset)
        };
        (name, offset, (sec.wrapping_add(UNIX_TO_ABSOLUTE)) as u64)
    }

    fn abs_sec(&self) -> u64 {
        self.locabs().2
    }

    pub fn ymd(&self) -> (i64, i64, i64) {
        abs_date(self.abs_sec() / SECONDS_PER_DAY as u64)
    }

    pub fn clock(&self) -> (i64, i64, i64) {
        abs_clock(self.abs_sec())
    }

    pub fn weekday(&self) -> i64 {
        abs_weekday(self.abs_sec() / SECONDS_PER_DAY as u64)
    }

    pub fn year_day(&self) -> i64 {
        year_yday(self.abs_sec() / SECONDS_PER_DAY as u64).1
    }

    pub fn is_dst(&self) -> bool {
        self.loc.lookup(self.unix_sec()).is_dst
    }

    pub fn is_zero(&self) -> bool {
        self.sec() == 0 && self.nsec() == 0
    }

    /// `Add`.
    pub fn add(&self, d: Duration) -> Time {
        let mut t = self.clone();
        let mut dsec = d / 1_000_000_000;
        let mut nsec = t.nsec() + d % 1_000_000_000;
        if nsec >= 1_000_000_000 {
            dsec += 1;
            nsec -= 1_000_000_000;
        } else if nsec < 0 {
            dsec -= 1;
            nsec += 1_000_000_000;
        }
        t.wall = (t.wall & !NSEC_MASK) | nsec as u64;
        t.add_sec(dsec);
        if t.wall & HAS_MONOTONIC != 0 {
            let te = t.ext.wrapping_add(d);
            if d < 0 && te > t.ext || d > 0 && te < t.ext {
                t.strip_mono();
            } else {
                t.ext = te;
            }
        }
        t
    }

    /// `Sub`.
    pub fn sub(&self, u: &Time) -> Duration {
        if self.wall & u.wall & HAS_MONOTONIC != 0 {
            return sub_mono(self.ext, u.ext);
        }
        let d = (self.sec().wrapping_sub(u.sec()))
            .wrapping_mul(SECOND)
            .wrapping_add(self.nsec() - u.nsec());
        if u.add(d).equal(self) {
            d
        } else if self.before(u) {
            MIN_DURATION
        } else {
            MAX_DURATION
        }
    }

    pub fn equal(&self, u: &Time) -> bool {
        if self.wall & u.wall & HAS_MONOTONIC != 0 {
            return self.ext == u.ext;
        }
        self.sec() == u.sec() && self.nsec() == u.nsec()
    }

    pub fn before(&self, u: &Time) -> bool {
        if self.wall & u.wall & HAS_MONOTONIC != 0 {
            return self.ext < u.ext;
        }
        let (ts, us) = (self.sec(), u.sec());
        ts < us || ts == us && self.nsec() < u.nsec()
    }

    pub fn after(&self, u: &Time) -> bool {
        if self.wall & u.wall & HAS_MONOTONIC != 0 {
            return self.ext > u.ext;
        }
        let (ts, us) = (self.sec(), u.sec());
        ts > us || ts == us && self.nsec() > u.nsec()
    }

    pub fn compare(&self, u: &Time) -> i64 {
        let (tc, uc) = if self.wall & u.wall & HAS_MONOTONIC != 0 {
            (self.ext, u.ext)
        } else if self.sec() == u.sec() {
            (self.nsec(), u.nsec())
        } else {
            (self.sec(), u.sec())
        };
        (tc > uc) as i64 - (tc < uc) as i64
    }

    /// `AddDate`.
    pub fn add_date(&self, years: i64, months: i64, days: i64) -> Time {
        let (year, month, day) = self.ymd();
        let (hour, min, sec) = self.clock();
        Time::date(
            year.wrapping_add(years),
            month.wrapping_add(months),
            day.wrapping_add(days),
            hour,
            min,
            sec,
            self.nsec(),
            self.loc.clone(),
        )
    }

    pub fn truncate(&self, d: Duration) -> Time {
        let mut t = self.clone();
        t.strip_mono();
        if d <= 0 {
            return t;
        }
        let (_, r) = div(&t, d);
        t.add(-r)
    }

    pub fn round(&self, d: Duration) -> Time {
        let mut t = self.clone();
        t.strip_mono();
        if d <= 0 {
            return t;
        }
        let (_, r) = div(&t, d);
        if less_than_half(r, d) {
            return t.add(-r);
        }
        t.add(d - r)
    }

    pub fn unix_nano(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000_000_000)
            .wrapping_add(self.nsec())
    }

    pub fn unix_milli(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1000)
            .wrapping_add(self.nsec() / 1_000_000)
    }

    pub fn unix_micro(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000_000)
            .wrapping_add(self.nsec() / 1000)
    }

    /// `String()`: `2006-01-02 15:04:05.999999999 -0700 MST` plus `m=±s` for
    /// a monotonic reading.
    pub fn string(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if self.wall & HAS_MONOTONIC != 0 {
            let mut m2 = self.ext as u64;
            let mut sign = '+';
            if self.ext < 0 {
                sign = '-';
                m2 = m2.wrapping_neg();
            }
            let (m1, m2) = (m2 / 1_000_000_000, m2 % 1_000_000_000);
            let (m0, m1) = (m1 / 1_000_000_000, m1 % 1_000_000_000);
            s.push_str(" m=");
            s.push(sign);
            let mut wid = 0;
            if m0 != 0 {
                append_int(&mut s, m0 as i64, 0);
                wid = 9;
            }
            append_int(&mut s, m1 as i64, wid);
            s.push('.');
            append_int(&mut s, m2 as i64, 9);
        }
        s
    }

    /// `appendStrictRFC3339` (MarshalJSON/MarshalText).
    pub fn strict_rfc3339(&self) -> Result<String, &'static str> {
        let b = self.format("2006-01-02T15:04:05.999999999Z07:00");
        let bytes = b.as_bytes();
        if bytes.get(4) != Some(&b'-') {
            return Err("year outside of range [0,9999]");
        }
        if !b.ends_with('Z') {
            let c = bytes[bytes.len() - 6];
            let num2 = (bytes[bytes.len() - 5] - b'0') * 10 + (bytes[bytes.len() - 4] - b'0');
            if c.is_ascii_digit() || num2 >= 24 {
                return Err("timezone hour outside of range [0,23]");
            }
        }
        Ok(b)
    }

    /// `Format`.
    pub fn format(&self, layout: &str) -> String {
        let (name, offset, abs) = self.locabs();
        let days = abs / SECONDS_PER_DAY as u64;
        let mut b = String::with_capacity(layout.len() + 10);
        let mut date: Option<(i64, i64, i64)> = None;
        let mut yday: Option<i64> = None;
        let mut clock: Option<(i64, i64, i64)> = None;
        let mut layout = layout;
        while !layout.is_empty() {
            let (prefix, std, suffix) = next_std_chunk(layout);
            b.push_str(prefix);
            if std == 0 {
                break;
            }
            layout = suffix;
            let (year, month, day) = if std & STD_NEED_DATE != 0 {
                *date.get_or_insert_with(|| abs_date(days))
            } else {
                date.unwrap_or((-1, 0, 0))
            };
            let yd = if std & STD_NEED_YDAY != 0 {
                *yday.get_or_insert_with(|| year_yday(days).1)
            } else {
                yday.unwrap_or(-1)
            };
            let (hour, min, sec) = if std & STD_NEED_CLOCK != 0 {
                *clock.get_or_insert_with(|| abs_clock(abs))
            } else {
                clock.unwrap_or((-1, 0, 0))
            };
            match std & STD_MASK {
                STD_YEAR => {
                    let y = if year < 0 { year.wrapping_neg() } else { year };
                    append_int(&mut b, y % 100, 2);
                }
                STD_LONG_YEAR => append_int(&mut b, year, 4),
                STD_MONTH => b.push_str(&month_string(month)[..3]),
                STD_LONG_MONTH => b.push_str(&month_string(month)),
                STD_NUM_MONTH => append_int(&mut b, month, 0),
                STD_ZERO_MONTH => append_int(&mut b, month, 2),
                STD_WEEK_DAY => b.push_str(&weekday_string(abs_weekday(days))[..3]),
                STD_LONG_WEEK_DAY => b.push_str(&weekday_string(abs_weekday(days))),
                STD_DAY => append_int(&mut b, day, 0),
                STD_UNDER_DAY => {
                    if day < 10 {
                        b.push(' ');
                    }
                    append_int(&mut b, day, 0);
                }
                STD_ZERO_DAY => append_int(&mut b, day, 2),
                STD_UNDER_YEAR_DAY => {
                    if yd < 100 {
                        b.push(' ');
                        if yd < 10 {
                            b.push(' ');
                        }
                    }
                    append_int(&mut b, yd, 0);
                }
                STD_ZERO_YEAR_DAY => append_int(&mut b, yd, 3),
                STD_HOUR => append_int(&mut b, hour, 2),
                STD_HOUR12 | STD_ZERO_HOUR12 => {
                    let mut hr = hour % 12;
                    if hr == 0 {
                        hr = 12;
                    }
                    append_int(&mut b, hr, if std == STD_HOUR12 { 0 } else { 2 });
                }
                STD_MINUTE => append_int(&mut b, min, 0),
                STD_ZERO_MINUTE => append_int(&mut b, min, 2),
                STD_SECOND => append_int(&mut b, sec, 0),
                STD_ZERO_SECOND => append_int(&mut b, sec, 2),
                STD_PM => b.push_str(if hour >= 12 { "PM" } else { "AM" }),
                STD_LOWER_PM => b.push_str(if hour >= 12 { "pm" } else { "am" }),
                STD_ISO8601_TZ
                | STD_ISO8601_COLON_TZ
                | STD_ISO8601_SECONDS_TZ
                | STD_ISO8601_SHORT_TZ
                | STD_ISO8601_COLON_SECONDS_TZ
                | STD_NUM_TZ
                | STD_NUM_COLON_TZ
                | STD_NUM_SECONDS_TZ
                | STD_NUM_SHORT_TZ
                | STD_NUM_COLON_SECONDS_TZ => {
                    let iso = matches!(
                        std,
                        STD_ISO8601_TZ
                            | STD_ISO8601_COLON_TZ
                            | STD_ISO8601_SECONDS_TZ
                            | STD_ISO8601_SHORT_TZ
                            | STD_ISO8601_COLON_SECONDS_TZ
                    );
                    if offset == 0 && iso {
                        b.push('Z');
                        continue;
                    }
                    let mut zone = offset / 60;
                    let mut absoffset = offset;
                    if zone < 0 {
                        b.push('-');
                        zone = -zone;
                        absoffset = -absoffset;
                    } else {
                        b.push('+');
                    }
                    append_int(&mut b, zone / 60, 2);
                    if matches!(
                        std,
                        STD_ISO8601_COLON_TZ
                            | STD_NUM_COLON_TZ
                            | STD_ISO8601_COLON_SECONDS_TZ
                            | STD_NUM_COLON_SECONDS_TZ
                    ) {
                        b.push(':');
                    }
                    if std != STD_NUM_SHORT_TZ && std != STD_ISO8601_SHORT_TZ {
                        append_int(&mut b, zone % 60, 2);
                    }
                    if matches!(
                        std,
                        STD_ISO8601_SECONDS_TZ
                            | STD_NUM_SECONDS_TZ
                            | STD_NUM_COLON_SECONDS_TZ
                            | STD_ISO8601_COLON_SECONDS_TZ
                    ) {
                        if std == STD_NUM_COLON_SECONDS_TZ || std == STD_ISO8601_COLON_SECONDS_TZ {
                            b.push(':');
                        }
                        append_int(&mut b, absoffset % 60, 2);
                    }
                }
                STD_TZ => {
                    if !name.is_empty() {
                        b.push_str(&name);
                        continue;
                    }
                    let mut zone = offset / 60;
                    if zone < 0 {
                        b.push('-');
                        zone = -zone;
                    } else {
                        b.push('+');
                    }
                    append_int(&mut b, zone / 60, 2);
                    append_int(&mut b, zone % 60, 2);
                }
                STD_FRAC_SECOND0 | STD_FRAC_SECOND9 => append_nano(&mut b, self.nsec(), std),
                _ => {}
            }
        }
        b
    }
}

fn sub_mono(t: i64, u: i64) -> Duration {
    let d = t.wrapping_sub(u);
    if d < 0 && t > u {
        return MAX_DURATION;
    }
    if d > 0 && t < u {
        return MIN_DURATION;
    }
    d
}

fn less_than_half(x: Duration, y: Duration) -> bool {
    (x as u64).wrapping_add(x as u64) < y as u64
}

/// Go's `div(t, d)`: `t` modulo `d`, with the parity of the quotient.
fn div(t: &Time, d: Duration) -> (i64, Duration) {
    let mut neg = false;
    let mut nsec = t.nsec();
    let mut sec = t.sec();
    if sec < 0 {
        neg = true;
        sec = sec.wrapping_neg();
        nsec = -nsec;
        if nsec < 0 {
            nsec += 1_000_000_000;
            sec = sec.wrapping_sub(1);
        }
    }
    let mut qmod2;
    let mut r: Duration;
    if d < SECOND && SECOND % (d + d) == 0 {
        qmod2 = (nsec / d) & 1;
        r = nsec % d;
    } else if d % SECOND == 0 {
        let d1 = d / SECOND;
        qmod2 = (sec / d1) & 1;
        r = (sec % d1) * SECOND + nsec;
    } else {
        let sec = sec as u64;
        let mut tmp = (sec >> 32) * 1_000_000_000;
        let mut u1 = tmp >> 32;
        let mut u0 = tmp << 32;
        tmp = (sec & 0xFFFF_FFFF) * 1_000_000_000;
        let (mut u0x, mut u0n) = (u0, u0.wrapping_add(tmp));
        u0 = u0n;
        if u0 < u0x {
            u1 += 1;
        }
        u0x = u0;
        u0n = u0.wrapping_add(nsec as u64);
        u0 = u0n;
        if u0 < u0x {
            u1 += 1;
        }
        let mut d1 = d as u64;
        while d1 >> 63 != 1 {
            d1 <<= 1;
        }
        let mut d0 = 0u64;
        loop {
            qmod2 = 0;
            if u1 > d1 || u1 == d1 && u0 >= d0 {
                qmod2 = 1;
                let u0x = u0;
                u0 = u0.wrapping_sub(d0);
                if u0 > u0x {
                    u1 = u1.wrapping_sub(1);
                }
                u1 = u1.wrapping_sub(d1);
            }
            if d1 == 0 && d0 == d as u64 {
                break;
            }
            d0 >>= 1;
            d0 |= (d1 & 1) << 63;
            d1 >>= 1;
        }
        r = u0 as i64;
    }
    if neg && r != 0 {
        qmod2 ^= 1;
        r = d - r;
    }
    (qmod2, r)
}

// ---------------------------------------------------------------------------
// Durations

/// `Duration.String()`.
pub(crate) fn duration_string(d: Duration) -> String {
    let mut buf = [0u8; 32];
    let mut w = buf.len();
    let mut u = d as u64;
    let neg = d < 0;
    if neg {
        u = u.wrapping_neg();
    }
    if u < SECOND as u64 {
        let prec;
        w -= 1;
        buf[w] = b's';
        w -= 1;
        if u == 0 {
            buf[w] = b'0';
            return String::from_utf8_lossy(&buf[w..]).into_owned();
        } else if u < MICROSECOND as u64 {
            prec = 0;
            buf[w] = b'n';
        } else if u < MILLISECOND as u64 {
            prec = 3;
            w -= 1;
            buf[w..w + 2].copy_from_slice("µ".as_bytes());
        } else {
            prec = 6;
            buf[w] = b'm';
        }
        let (nw, nu) = fmt_frac(&mut buf[..w], u, prec);
        w = fmt_int(&mut buf[..nw], nu);
    } else {
        w -= 1;
        buf[w] = b's';
        let (nw, nu) = fmt_frac(&mut buf[..w], u, 9);
        w = nw;
        u = nu;
        w = fmt_int(&mut buf[..w], u % 60);
        u /= 60;
        if u > 0 {
            w -= 1;
            buf[w] = b'm';
            w = fmt_int(&mut buf[..w], u % 60);
            u /= 60;
            if u > 0 {
                w -= 1;
                buf[w] = b'h';
                w = fmt_int(&mut buf[..w], u);
            }
        }
    }
    if neg {
        w -= 1;
        buf[w] = b'-';
    }
    String::from_utf8_lossy(&buf[w..]).into_owned()
}

fn fmt_frac(buf: &mut [u8], v: u64, prec: usize) -> (usize, u64) {
    let mut w = buf.len();
    let mut v = v;
    let mut print = false;
    for _ in 0..prec {
        let digit = v % 10;
        print = print || digit != 0;
        if print {
            w -= 1;
            buf[w] = digit as u8 + b'0';
        }
        v /= 10;
    }
    if print {
        w -= 1;
        buf[w] = b'.';
    }
    (w, v)
}

fn fmt_int(buf: &mut [u8], v: u64) -> usize {
    let mut w = buf.len();
    let mut v = v;
    if v == 0 {
        w -= 1;
        buf[w] = b'0';
    } else {
        while v > 0 {
            w -= 1;
            buf[w] = (v % 10) as u8 + b'0';
            v /= 10;
        }
    }
    w
}

/// `Duration.Round`.
pub(crate) fn duration_round(d: Duration, m: Duration) -> Duration {
    if m <= 0 {
        return d;
    }
    let mut r = d % m;
    if d < 0 {
        r = -r;
        if less_than_half(r, m) {
            return d + r;
        }
        let d1 = d.wrapping_sub(m).wrapping_add(r);
        if d1 < d {
            return d1;
        }
        return MIN_DURATION;
    }
    if less_than_half(r, m) {
        return d - r;
    }
    let d1 = d.wrapping_add(m).wrapping_sub(r);
    if d1 > d {
        return d1;
    }
    MAX_DURATION
}

/// `Duration.Truncate`.
pub(crate) fn duration_truncate(d: Duration, m: Duration) -> Duration {
    if m <= 0 {
        return d;
    }
    d - d % m
}

/// `time.ParseDuration`.
pub(crate) fn parse_duration(orig: &str) -> Result<Duration, String> {
    let invalid = || format!("time: invalid duration {}", quote(orig));
    let mut s = orig.as_bytes();
    let mut d: u64 = 0;
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    while !s.is_empty() {
        let mut f: u64 = 0;
        let mut scale: f64 = 1.0;
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let pl = s.len();
        let (mut v, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let pre = pl != s.len();
        let mut post = false;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let pl = s.len();
            let (ff, sc, rest) = leading_fraction(s);
            f = ff;
            scale = sc;
            s = rest;
            post = pl != s.len();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let i = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if i == 0 {
            return Err(format!("time: missing unit in duration {}", quote(orig)));
        }
        let u = &s[..i];
        s = &s[i..];
        let unit: u64 = match u {
            b"ns" => NANOSECOND as u64,
            b"us" => MICROSECOND as u64,
            b"\xc2\xb5s" | b"\xce\xbcs" => MICROSECOND as u64,
            b"ms" => MILLISECOND as u64,
            b"s" => SECOND as u64,
            b"m" => MINUTE as u64,
            b"h" => HOUR as u64,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(u),
                    quote(orig)
                ))
            }
        };
        if v > (1u64 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v = v.wrapping_add((f as f64 * (unit as f64 / scale)) as u64);
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        d = d.wrapping_add(v);
        if d > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > (1 << 63) - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if !c.is_ascii_digit() {
            break;
        }
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + (c - b'0') as u64;
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let mut i = 0;
    let mut x: u64 = 0;
    let mut scale = 1.0;
    let mut overflow = false;
    while i < s.len() {
        let c = s[i];
        if !c.is_ascii_digit() {
            break;
        }
        i += 1;
        if overflow {
            continue;
        }
        if x > ((1u64 << 63) - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + (c - b'0') as u64;
        if y > 1 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[i..])
}

// ---------------------------------------------------------------------------
// Layouts

const STD_NEED_DATE: i64 = 1 << 8;
const STD_NEED_YDAY: i64 = 1 << 9;
const STD_NEED_CLOCK: i64 = 1 << 10;
const STD_ARG_SHIFT: i64 = 16;
const STD_SEPARATOR_SHIFT: i64 = 28;
const STD_MASK: i64 = (1 << STD_ARG_SHIFT) - 1;

const STD_LONG_MONTH: i64 = 1 + STD_NEED_DATE;
const STD_MONTH: i64 = 2 + STD_NEED_DATE;
const STD_NUM_MONTH: i64 = 3 + STD_NEED_DATE;
const STD_ZERO_MONTH: i64 = 4 + STD_NEED_DATE;
const STD_LONG_WEEK_DAY: i64 = 5 + STD_NEED_DATE;
const STD_WEEK_DAY: i64 = 6 + STD_NEED_DATE;
const STD_DAY: i64 = 7 + STD_NEED_DATE;
const STD_UNDER_DAY: i64 = 8 + STD_NEED_DATE;
const STD_ZERO_DAY: i64 = 9 + STD_NEED_DATE;
const STD_UNDER_YEAR_DAY: i64 = 10 + STD_NEED_YDAY;
const STD_ZERO_YEAR_DAY: i64 = 11 + STD_NEED_YDAY;
const STD_HOUR: i64 = 12 + STD_NEED_CLOCK;
const STD_HOUR12: i64 = 13 + STD_NEED_CLOCK;
const STD_ZERO_HOUR12: i64 = 14 + STD_NEED_CLOCK;
const STD_MINUTE: i64 = 15 + STD_NEED_CLOCK;
const STD_ZERO_MINUTE: i64 = 16 + STD_NEED_CLOCK;
const STD_SECOND: i64 = 17 + STD_NEED_CLOCK;
const STD_ZERO_SECOND: i64 = 18 + STD_NEED_CLOCK;
const STD_LONG_YEAR: i64 = 19 + STD_NEED_DATE;
const STD_YEAR: i64 = 20 + STD_NEED_DATE;
const STD_PM: i64 = 21 + STD_NEED_CLOCK;
const STD_LOWER_PM: i64 = 22 + STD_NEED_CLOCK;
const STD_TZ: i64 = 23;
const STD_ISO8601_TZ: i64 = 24;
const STD_ISO8601_SECONDS_TZ: i64 = 25;
const STD_ISO8601_SHORT_TZ: i64 = 26;
const STD_ISO8601_COLON_TZ: i64 = 27;
const STD_ISO8601_COLON_SECONDS_TZ: i64 = 28;
const STD_NUM_TZ: i64 = 29;
const STD_NUM_SECONDS_TZ: i64 = 30;
const STD_NUM_SHORT_TZ: i64 = 31;
const STD_NUM_COLON_TZ: i64 = 32;
const STD_NUM_COLON_SECONDS_TZ: i64 = 33;
const STD_FRAC_SECOND0: i64 = 34;
const STD_FRAC_SECOND9: i64 = 35;

const STD0X: [i64; 6] = [
    STD_ZERO_MONTH,
    STD_ZERO_DAY,
    STD_ZERO_HOUR12,
    STD_ZERO_MINUTE,
    STD_ZERO_SECOND,
    STD_YEAR,
];

fn starts_with_lower_case(s: &[u8]) -> bool {
    s.first().is_some_and(|c| c.is_ascii_lowercase())
}

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(|c| c.is_ascii_digit())
}

fn std_frac_second(code: i64, n: usize, c: u8) -> i64 {
    let n = (n as i64) & 0xfff;
    if c == b'.' {
        code | (n << STD_ARG_SHIFT)
    } else {
        code | (n << STD_ARG_SHIFT) | (1 << STD_SEPARATOR_SHIFT)
    }
}

fn digits_len(std: i64) -> usize {
    ((std >> STD_ARG_SHIFT) & 0xfff) as usize
}

fn separator(std: i64) -> char {
    if std >> STD_SEPARATOR_SHIFT == 0 {
        '.'
    } else {
        ','
    }
}

/// `nextStdChunk`: (prefix, std, suffix). All split points are at ASCII bytes.
fn next_std_chunk(layout: &str) -> (&str, i64, &str) {
    let l = layout.as_bytes();
    let n = l.len();
    let has = |i: usize, s: &str| l.get(i..i + s.len()) == Some(s.as_bytes());
    for i in 0..n {
        match l[i] {
            b'J' if has(i, "Jan") => {
                if has(i, "January") {
                    return (&layout[..i], STD_LONG_MONTH, &layout[i + 7..]);
                }
                if !starts_with_lower_case(&l[i + 3..]) {
                    return (&layout[..i], STD_MONTH, &layout[i + 3..]);
                }
            }
            b'M' if n >= i + 3 => {
                if has(i, "Mon") {
                    if has(i, "Monday") {
                        return (&layout[..i], STD_LONG_WEEK_DAY, &layout[i + 6..]);
                    }
                    if !starts_with_lower_case(&l[i + 3..]) {
                        return (&layout[..i], STD_WEEK_DAY, &layout[i + 3..]);
                    }
                }
                if has(i, "MST") {
                    return (&layout[..i], STD_TZ, &layout[i + 3..]);
                }
            }
            b'0' => {
                if n >= i + 2 && (b'1'..=b'6').contains(&l[i + 1]) {
                    return (
                        &layout[..i],
                        STD0X[(l[i + 1] - b'1') as usize],
                        &layout[i + 2..],
                    );
                }
                if n >= i + 3 && l[i + 1] == b'0' && l[i + 2] == b'2' {
                    return (&layout[..i], STD_ZERO_YEAR_DAY, &layout[i + 3..]);
                }
            }
            b'1' => {
                if n >= i + 2 && l[i + 1] == b'5' {
                    return (&layout[..i], STD_HOUR, &layout[i + 2..]);
                }
                return (&layout[..i], STD_NUM_MONTH, &layout[i + 1..]);
            }
            b'2' => {
                if has(i, "2006") {
                    return (&layout[..i], STD_LONG_YEAR, &layout[i + 4..]);
                }
                return (&layout[..i], STD_DAY, &layout[i + 1..]);
            }
            b'_' => {
                if n >= i + 2 && l[i + 1] == b'2' {
                    if has(i + 1, "2006") {
                        return (&layout[..i + 1], STD_LONG_YEAR, &layout[i + 5..]);
                    }
                    return (&layout[..i], STD_UNDER_DAY, &layout[i + 2..]);
                }
                if n >= i + 3 && l[i + 1] == b'_' && l[i + 2] == b'2' {
                    return (&layout[..i], STD_UNDER_YEAR_DAY, &layout[i + 3..]);
                }
            }
            b'3' => return (&layout[..i], STD_HOUR12, &layout[i + 1..]),
            b'4' => return (&layout[..i], STD_MINUTE, &layout[i + 1..]),
            b'5' => return (&layout[..i], STD_SECOND, &layout[i + 1..]),
            b'P' if n >= i + 2 && l[i + 1] == b'M' => {
                return (&layout[..i], STD_PM, &layout[i + 2..]);
            }
            b'p' if n >= i + 2 && l[i + 1] == b'm' => {
                return (&layout[..i], STD_LOWER_PM, &layout[i + 2..]);
            }
            b'-' => {
                for (s, std) in [
                    ("-070000", STD_NUM_SECONDS_TZ),
                    ("-07:00:00", STD_NUM_COLON_SECONDS_TZ),
                    ("-0700", STD_NUM_TZ),
                    ("-07:00", STD_NUM_COLON_TZ),
                    ("-07", STD_NUM_SHORT_TZ),
                ] {
                    if has(i, s) {
                        return (&layout[..i], std, &layout[i + s.len()..]);
                    }
                }
            }
            b'Z' => {
                for (s, std) in [
                    ("Z070000", STD_ISO8601_SECONDS_TZ),
                    ("Z07:00:00", STD_ISO8601_COLON_SECONDS_TZ),
                    ("Z0700", STD_ISO8601_TZ),
                    ("Z07:00", STD_ISO8601_COLON_TZ),
                    ("Z07", STD_ISO8601_SHORT_TZ),
                ] {
                    if has(i, s) {
                        return (&layout[..i], std, &layout[i + s.len()..]);
                    }
                }
            }
            c @ (b'.' | b',') if i + 1 < n && (l[i + 1] == b'0' || l[i + 1] == b'9') => {
                let ch = l[i + 1];
                let mut j = i + 1;
                while j < n && l[j] == ch {
                    j += 1;
                }
                if !is_digit(l, j) {
                    let code = if l[i + 1] == b'9' {
                        STD_FRAC_SECOND9
                    } else {
                        STD_FRAC_SECOND0
                    };
                    let std = std_frac_second(code, j - (i + 1), c);
                    return (&layout[..i], std, &layout[j..]);
                }
            }
            _ => {}
        }
    }
    (layout, 0, "")
}

/// Go's time-package `appendInt`.
fn append_int(b: &mut String, x: i64, width: usize) {
    let mut u = x as u64;
    if x < 0 {
        b.push('-');
        u = (x as u64).wrapping_neg();
    }
    let digits = u.to_string();
    for _ in digits.len()..width {
        b.push('0');
    }
    b.push_str(&digits);
}

fn append_nano(b: &mut String, nanosec: i64, std: i64) {
    let trim = std & STD_MASK == STD_FRAC_SECOND9;
    let n = digits_len(std);
    if trim && (n == 0 || nanosec == 0) {
        return;
    }
    let dot = separator(std);
    let start = b.len();
    b.push(dot);
    append_int(b, nanosec, 9);
    if n < 9 {
        b.truncate(b.len() - 9 + n);
    }
    if trim {
        while b.len() > start && b.ends_with('0') {
            b.pop();
        }
        if b.len() > start && b.ends_with(dot) {
            b.pop();
        }
    }
}

/// The time package's own `quote` (used in its error messages): every byte
/// outside printable ASCII, including each byte of a multi-byte character,
/// is written as `\xNN`.
pub(crate) fn quote(s: impl AsRef<[u8]>) -> String {
    let s = s.as_ref();
    let mut buf = String::with_capacity(s.len() + 2);
    buf.push('"');
    for &b in s {
        if !(b' '..0x80).contains(&b) {
            buf.push_str(&format!("\\x{b:02x}"));
        } else {
            if b == b'"' || b == b'\\' {
                buf.push('\\');
            }
            buf.push(b as char);
        }
    }
    buf.push('"');
    buf
}

// ---------------------------------------------------------------------------
// Parsing

/// `time.ParseError`.
#[derive(Debug)]
pub(crate) struct ParseError {
    layout: String,
    value: String,
    layout_elem: String,
    value_elem: Vec<u8>,
    message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.message.is_empty() {
            write!(
                f,
                "parsing time {} as {}: cannot parse {} as {}",
                quote(&self.value),
                quote(&self.layout),
                quote(&self.value_elem),
                quote(&self.layout_elem)
            )
        } else {
            write!(f, "parsing time {}{}", quote(&self.value), self.message)
        }
    }
}

impl std::error::Error for ParseError {}

/// The rest of a value after consuming `n` bytes; a cut inside a UTF-8
/// sequence (Go slices bytes) keeps the remaining bytes lossily.
fn cut(s: &[u8], n: usize) -> &[u8] {
    &s[n.min(s.len())..]
}

fn lossy(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (q, rem) = leading_int(s)?;
    if !rem.is_empty() {
        return None;
    }
    let x = q as i64;
    Some(if neg { x.wrapping_neg() } else { x })
}

fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    if !is_digit(s, 0) {
        return None;
    }
    if !is_digit(s, 1) {
        if fixed {
            return None;
        }
        return Some(((s[0] - b'0') as i64, &s[1..]));
    }
    Some((((s[0] - b'0') * 10 + (s[1] - b'0')) as i64, &s[2..]))
}

fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let mut n = 0i64;
    let mut i = 0;
    while i < 3 && is_digit(s, i) {
        n = n * 10 + (s[i] - b'0') as i64;
        i += 1;
    }
    if i == 0 || fixed && i != 3 {
        return None;
    }
    Some((n, &s[i..]))
}

fn cutspace(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b' ').count();
    &s[n..]
}

fn skip<'a>(value: &'a [u8], prefix: &[u8]) -> Result<&'a [u8], &'a [u8]> {
    let mut value = value;
    let mut prefix = prefix;
    while !prefix.is_empty() {
        if prefix[0] == b' ' {
            if !value.is_empty() && value[0] != b' ' {
                return Err(value);
            }
            prefix = cutspace(prefix);
            value = cutspace(value);
            continue;
        }
        if value.is_empty() || value[0] != prefix[0] {
            return Err(value);
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Ok(value)
}

fn match_fold(s1: &[u8], s2: &[u8]) -> bool {
    for (&a, &b) in s1.iter().zip(s2) {
        if a != b {
            let (a, b) = (a | 0x20, b | 0x20);
            if a != b || !a.is_ascii_lowercase() {
                return false;
            }
        }
    }
    true
}

fn lookup_name<'a>(tab: &[&str], val: &'a [u8]) -> Option<(i64, &'a [u8])> {
    for (i, v) in tab.iter().enumerate() {
        if val.len() >= v.len() && match_fold(&val[..v.len()], v.as_bytes()) {
            return Some((i as i64, &val[v.len()..]));
        }
    }
    None
}

fn comma_or_period(b: u8) -> bool {
    b == b'.' || b == b','
}

/// `parseNanoseconds`: Err(None) is errBad, Err(Some) a range error.
fn parse_nanoseconds(value: &[u8], nbytes: usize) -> Result<i64, Option<&'static str>> {
    if !comma_or_period(value[0]) {
        return Err(None);
    }
    let nbytes = nbytes.min(10);
    let value = &value[..nbytes.min(value.len())];
    let mut ns = atoi(&value[1..]).ok_or(None)?;
    if ns < 0 {
        return Err(Some("fractional second"));
    }
    for _ in 0..10 - nbytes {
        ns *= 10;
    }
    Ok(ns)
}

fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.len() >= 4 && (&value[..4] == b"ChST" || &value[..4] == b"MeST") {
        return Some(4);
    }
    if &value[..3] == b"GMT" {
        return Some(parse_gmt(value));
    }
    if value[0] == b'+' || value[0] == b'-' {
        let l = parse_signed_offset(value);
        return (l > 0).then_some(l);
    }
    let mut n_upper = 0;
    while n_upper < 6 {
        if n_upper >= value.len() || !value[n_upper].is_ascii_uppercase() {
            break;
        }
        n_upper += 1;
    }
    match n_upper {
        0 | 1 | 2 | 6 => None,
        5 => (value[4] == b'T').then_some(5),
        4 => (value[3] == b'T' || &value[..4] == b"WITA").then_some(4),
        3 => Some(3),
        _ => None,
    }
}

fn parse_gmt(value: &[u8]) -> usize {
    let v = &value[3..];
    if v.is_empty() {
        return 3;
    }
    3 + parse_signed_offset(v)
}

fn parse_signed_offset(value: &[u8]) -> usize {
    let sign = value[0];
    if sign != b'-' && sign != b'+' {
        return 0;
    }
    match leading_int(&value[1..]) {
        Some((x, rem)) if rem.len() != value.len() - 1 && x <= 23 => value.len() - rem.len(),
        _ => 0,
    }
}

/// A numeric zone offset split as (sign, hours, minutes, seconds, rest).
type OffsetParts<'a> = (&'a [u8], &'a [u8], &'a [u8], &'a [u8], &'a [u8]);

/// `time.ParseInLocation` (and `Parse` with `default_loc` UTC).
pub(crate) fn parse_in_location(layout: &str, value: &str, loc: &Loc) -> Result<Time, ParseError> {
    if layout == "2006-01-02T15:04:05Z07:00" || layout == "2006-01-02T15:04:05.999999999Z07:00" {
        if let Some(t) = parse_rfc3339(value.as_bytes(), loc) {
            return Ok(t);
        }
    }
    parse(layout, value, loc, loc)
}

fn parse(alayout: &str, avalue: &str, default_loc: &Loc, local: &Loc) -> Result<Time, ParseError> {
    let perr = |layout_elem: &str, value_elem: &[u8], message: String| ParseError {
        layout: alayout.to_string(),
        value: avalue.to_string(),
        layout_elem: layout_elem.to_string(),
        value_elem: value_elem.to_vec(),
        message,
    };
    let mut layout = alayout;
    let mut value = avalue.as_bytes();
    let mut range_err: Option<&str> = None;
    let (mut am_set, mut pm_set) = (false, false);
    let mut year: i64 = 0;
    let mut month: i64 = -1;
    let mut day: i64 = -1;
    let mut yday: i64 = -1;
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut z: Option<Loc> = None;
    let mut zone_offset: i64 = -1;
    let mut zone_name: Vec<u8> = Vec::new();

    loop {
        let (prefix, std, suffix) = next_std_chunk(layout);
        let stdstr = &layout[prefix.len()..layout.len() - suffix.len()];
        value = match skip(value, prefix.as_bytes()) {
            Ok(v) => v,
            Err(v) => return Err(perr(prefix, v, String::new())),
        };
        if std == 0 {
            if !value.is_empty() {
                return Err(perr("", value, format!(": extra text: {}", quote(value))));
            }
            break;
        }
        layout = suffix;
        let hold = value;
        let mut ok = true;
        match std & STD_MASK {
            STD_YEAR => {
                if value.len() < 2 {
                    ok = false;
                } else {
                    let p = &value[..2];
                    value = &value[2..];
                    match atoi(p) {
                        Some(y) => year = if y >= 69 { y + 1900 } else { y + 2000 },
                        None => ok = false,
                    }
                }
            }
            STD_LONG_YEAR => {
                if value.len() < 4 || !is_digit(value, 0) {
                    ok = false;
                } else {
                    let p = &value[..4];
                    value = &value[4..];
                    match atoi(p) {
                        Some(y) => year = y,
                        None => ok = false,
                    }
                }
            }
            STD_MONTH | STD_LONG_MONTH => {
                let tab: &[&str] = if std == STD_MONTH {
                    &SHORT_MONTH_NAMES
                } else {
                    &LONG_MONTH_NAMES
                };
                match lookup_name(tab, value) {
                    Some((m, rest)) => {
                        month = m + 1;
                        value = rest;
                    }
                    None => {
                        month = 0;
                        ok = false;
                    }
                }
            }
            STD_NUM_MONTH | STD_ZERO_MONTH => match getnum(value, std == STD_ZERO_MONTH) {
                Some((m, rest)) => {
                    month = m;
                    value = rest;
                    if month <= 0 || 12 < month {
                        range_err = Some("month");
                    }
                }
                None => {
                    month = 0;
                    ok = false;
                }
            },
            STD_WEEK_DAY | STD_LONG_WEEK_DAY => {
                let tab: &[&str] = if std == STD_WEEK_DAY {
                    &SHORT_DAY_NAMES
                } else {
                    &LONG_DAY_NAMES
                };
                match lookup_name(tab, value) {
                    Some((_, rest)) => value = rest,
                    None => ok = false,
                }
            }
            STD_DAY | STD_UNDER_DAY | STD_ZERO_DAY => {
                if std == STD_UNDER_DAY && value.first() == Some(&b' ') {
                    value = &value[1..];
                }
                match getnum(value, std == STD_ZERO_DAY) {
                    Some((d, rest)) => {
                        day = d;
                        value = rest;
                    }
                    None => {
                        day = 0;
                        ok = false;
                    }
                }
            }
            STD_UNDER_YEAR_DAY | STD_ZERO_YEAR_DAY => {
                for _ in 0..2 {
                    if std == STD_UNDER_YEAR_DAY && value.first() == Some(&b' ') {
                        value = &value[1..];
                    }
                }
                match getnum3(value, std == STD_ZERO_YEAR_DAY) {
                    Some((d, rest)) => {
                        yday = d;
                        value = rest;
                    }
                    None => {
                        yday = 0;
                        ok = false;
                    }
                }
            }
            STD_HOUR => match getnum(value, false) {
                Some((h, rest)) => {
                    hour = h;
                    value = rest;
                    if !(0..24).contains(&hour) {
                        range_err = Some("hour");
                    }
                }
                None => {
                    hour = 0;
                    ok = false;
                }
            },
            STD_HOUR12 | STD_ZERO_HOUR12 => match getnum(value, std == STD_ZERO_HOUR12) {
                Some((h, rest)) => {
                    hour = h;
                    value = rest;
                    if !(0..=12).contains(&hour) {
                        range_err = Some("hour");
                    }
                }
                None => {
                    hour = 0;
                    ok = false;
                }
            },
            STD_MINUTE | STD_ZERO_MINUTE => match getnum(value, std == STD_ZERO_MINUTE) {
                Some((m, rest)) => {
                    min = m;
                    value = rest;
                    if !(0..60).contains(&min) {
                        range_err = Some("minute");
                    }
                }
                None => {
                    min = 0;
                    ok = false;
                }
            },
            STD_SECOND | STD_ZERO_SECOND => match getnum(value, std == STD_ZERO_SECOND) {
                Some((s, rest)) => {
                    sec = s;
                    value = rest;
                    if !(0..60).contains(&sec) {
                        range_err = Some("second");
                    } else if value.len() >= 2 && comma_or_period(value[0]) && is_digit(value, 1) {
                        let (_, std2, _) = next_std_chunk(layout);
                        let std2 = std2 & STD_MASK;
                        if std2 != STD_FRAC_SECOND0 && std2 != STD_FRAC_SECOND9 {
                            let mut n = 2;
                            while n < value.len() && is_digit(value, n) {
                                n += 1;
                            }
                            match parse_nanoseconds(value, n) {
                                Ok(ns) => nsec = ns,
                                Err(None) => ok = false,
                                Err(Some(r)) => range_err = Some(r),
                            }
                            value = cut(value, n);
                        }
                    }
                }
                None => {
                    sec = 0;
                    ok = false;
                }
            },
            STD_PM | STD_LOWER_PM => {
                if value.len() < 2 {
                    ok = false;
                } else {
                    let p = &value[..2];
                    value = &value[2..];
                    let (pm, am): (&[u8], &[u8]) = if std == STD_PM {
                        (b"PM", b"AM")
                    } else {
                        (b"pm", b"am")
                    };
                    if p == pm {
                        pm_set = true;
                    } else if p == am {
                        am_set = true;
                    } else {
                        ok = false;
                    }
                }
            }
            STD_ISO8601_TZ
            | STD_ISO8601_SHORT_TZ
            | STD_ISO8601_COLON_TZ
            | STD_ISO8601_SECONDS_TZ
            | STD_ISO8601_COLON_SECONDS_TZ
            | STD_NUM_TZ
            | STD_NUM_SHORT_TZ
            | STD_NUM_COLON_TZ
            | STD_NUM_SECONDS_TZ
            | STD_NUM_COLON_SECONDS_TZ => {
                let iso = matches!(
                    std,
                    STD_ISO8601_TZ
                        | STD_ISO8601_SHORT_TZ
                        | STD_ISO8601_COLON_TZ
                        | STD_ISO8601_SECONDS_TZ
                        | STD_ISO8601_COLON_SECONDS_TZ
                );
                if iso && value.first() == Some(&b'Z') {
                    value = &value[1..];
                    z = Some(Loc::Utc);
                } else {
                    let parts: Option<OffsetParts<'_>> = if std == STD_ISO8601_COLON_TZ
                        || std == STD_NUM_COLON_TZ
                    {
                        if value.len() < 6 || value[3] != b':' {
                            None
                        } else {
                            Some((&value[0..1], &value[1..3], &value[4..6], b"00", &value[6..]))
                        }
                    } else if std == STD_NUM_SHORT_TZ || std == STD_ISO8601_SHORT_TZ {
                        if value.len() < 3 {
                            None
                        } else {
                            Some((&value[0..1], &value[1..3], b"00", b"00", &value[3..]))
                        }
                    } else if std == STD_ISO8601_COLON_SECONDS_TZ || std == STD_NUM_COLON_SECONDS_TZ
                    {
                        if value.len() < 9 || value[3] != b':' || value[6] != b':' {
                            None
                        } else {
                            Some((
                                &value[0..1],
                                &value[1..3],
                                &value[4..6],
                                &value[7..9],
                                &value[9..],
                            ))
                        }
                    } else if std == STD_ISO8601_SECONDS_TZ || std == STD_NUM_SECONDS_TZ {
                        if value.len() < 7 {
                            None
                        } else {
                            Some((
                                &value[0..1],
                                &value[1..3],
                                &value[3..5],
                                &value[5..7],
                                &value[7..],
                            ))
                        }
                    } else if value.len() < 5 {
                        None
                    } else {
                        Some((&value[0..1], &value[1..3], &value[3..5], b"00", &value[5..]))
                    };
                    match parts {
                        None => ok = false,
                        Some((sign, h, m, s, rest)) => {
                            value = rest;
                            let mut hr = 0;
                            let mut mm = 0;
                            let mut ss = 0;
                            match getnum(h, true) {
                                Some((x, _)) => {
                                    hr = x;
                                    match getnum(m, true) {
                                        Some((x, _)) => {
                                            mm = x;
                                            match getnum(s, true) {
                                                Some((x, _)) => ss = x,
                                                None => ok = false,
                                            }
                                        }
                                        None => ok = false,
                                    }
                                }
                                None => ok = false,
                            }
                            if hr > 24 {
                                range_err = Some("time zone offset hour");
                            }
                            if mm > 60 {
                                range_err = Some("time zone offset minute");
                            }
                            if ss > 60 {
                                range_err = Some("time zone offset second");
                            }
                            zone_offset = (hr * 60 + mm) * 60 + ss;
                            match sign[0] {
                                b'+' => {}
                                b'-' => zone_offset = -zone_offset,
                                _ => ok = false,
                            }
                        }
                    }
                }
            }
            STD_TZ => {
                if value.len() >= 3 && &value[..3] == b"UTC" {
                    z = Some(Loc::Utc);
                    value = &value[3..];
                } else {
                    match parse_time_zone(value) {
                        Some(n) => {
                            zone_name = value[..n].to_vec();
                            value = &value[n..];
                        }
                        None => ok = false,
                    }
                }
            }
            STD_FRAC_SECOND0 => {
                let ndigit = 1 + digits_len(std);
                if value.len() < ndigit {
                    ok = false;
                } else {
                    match parse_nanoseconds(value, ndigit) {
                        Ok(ns) => nsec = ns,
                        Err(None) => ok = false,
                        Err(Some(r)) => range_err = Some(r),
                    }
                    value = &value[ndigit..];
                }
            }
            STD_FRAC_SECOND9 => {
                if value.len() < 2 || !comma_or_period(value[0]) || !value[1].is_ascii_digit() {
                    // Fractional second omitted.
                } else {
                    let mut i = 0;
                    while i + 1 < value.len() && value[i + 1].is_ascii_digit() {
                        i += 1;
                    }
                    match parse_nanoseconds(value, 1 + i) {
                        Ok(ns) => nsec = ns,
                        Err(None) => ok = false,
                        Err(Some(r)) => range_err = Some(r),
                    }
                    value = &value[1 + i..];
                }
            }
            _ => {}
        }
        if let Some(r) = range_err {
            return Err(perr(stdstr, value, format!(": {r} out of range")));
        }
        if !ok {
            return Err(perr(stdstr, hold, String::new()));
        }
    }
    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }

    if yday >= 0 {
        let mut d = 0;
        let mut m = 0;
        if is_leap(year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return Err(perr("", value, ": day-of-year out of range".into()));
        }
        if m == 0 {
            m = (yday - 1) / 31 + 1;
            if days_before(m + 1) < yday {
                m += 1;
            }
            d = yday - days_before(m);
        }
        if month >= 0 && month != m {
            return Err(perr("", value, ": day-of-year does not match month".into()));
        }
        month = m;
        if day >= 0 && day != d {
            return Err(perr("", value, ": day-of-year does not match day".into()));
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > days_in(month, year) {
        return Err(perr("", value, ": day out of range".into()));
    }

    if let Some(z) = z {
        return Ok(Time::date(year, month, day, hour, min, sec, nsec, z));
    }
    let zone_name = lossy(&zone_name);
    if zone_offset != -1 {
        let mut t = Time::date(year, month, day, hour, min, sec, nsec, Loc::Utc);
        t.add_sec(-zone_offset);
        let l = local.lookup(t.unix_sec());
        if l.offset == zone_offset && (zone_name.is_empty() || l.name == zone_name) {
            t.set_loc(local.clone());
            return Ok(t);
        }
        t.set_loc(Loc::fixed(&zone_name, zone_offset));
        return Ok(t);
    }
    if !zone_name.is_empty() {
        let mut t = Time::date(year, month, day, hour, min, sec, nsec, Loc::Utc);
        if let Some(offset) = local.lookup_name(&zone_name, t.unix_sec()) {
            t.add_sec(-offset);
            t.set_loc(local.clone());
            return Ok(t);
        }
        let mut offset = 0;
        if zone_name.len() > 3 && zone_name.starts_with("GMT") {
            offset = atoi(&zone_name.as_bytes()[3..]).unwrap_or(0) * 3600;
        }
        t.set_loc(Loc::fixed(&zone_name, offset));
        return Ok(t);
    }
    Ok(Time::date(
        year,
        month,
        day,
        hour,
        min,
        sec,
        nsec,
        default_loc.clone(),
    ))
}

/// `parseRFC3339`: the fast path for the RFC 3339 layouts.
fn parse_rfc3339(s: &[u8], local: &Loc) -> Option<Time> {
    let mut ok = true;
    let mut parse_uint = |s: &[u8], min: i64, max: i64| -> i64 {
        let mut x = 0i64;
        for &c in s {
            if !c.is_ascii_digit() {
                ok = false;
                return min;
            }
            x = x * 10 + (c - b'0') as i64;
        }
        if x < min || max < x {
            ok = false;
            return min;
        }
        x
    };
    if s.len() < "2006-01-02T15:04:05".len() {
        return None;
    }
    let year = parse_uint(&s[0..4], 0, 9999);
    let month = parse_uint(&s[5..7], 1, 12);
    let day = parse_uint(&s[8..10], 1, days_in(month, year));
    let hour = parse_uint(&s[11..13], 0, 23);
    let min = parse_uint(&s[14..16], 0, 59);
    let sec = parse_uint(&s[17..19], 0, 59);
    if !(ok && s[4] == b'-' && s[7] == b'-' && s[10] == b'T' && s[13] == b':' && s[16] == b':') {
        return None;
    }
    let mut s = &s[19..];
    let mut nsec = 0;
    if s.len() >= 2 && s[0] == b'.' && is_digit(s, 1) {
        let mut n = 2;
        while n < s.len() && is_digit(s, n) {
            n += 1;
        }
        nsec = parse_nanoseconds(s, n).unwrap_or(0);
        s = &s[n..];
    }
    let mut t = Time::date(year, month, day, hour, min, sec, nsec, Loc::Utc);
    if s.len() != 1 || s[0] != b'Z' {
        if s.len() != "-07:00".len() {
            return None;
        }
        let mut ok = true;
        let mut parse_uint = |s: &[u8], min: i64, max: i64| -> i64 {
            let mut x = 0i64;
            for &c in s {
                if !c.is_ascii_digit() {
                    ok = false;
                    return min;
                }
                x = x * 10 + (c - b'0') as i64;
            }
            if x < min || max < x {
                ok = false;
                return min;
            }
            x
        };
        let hr = parse_uint(&s[1..3], 0, 23);
        let mm = parse_uint(&s[4..6], 0, 59);
        if !ok || !((s[0] == b'-' || s[0] == b'+') && s[3] == b':') {
            return None;
        }
        let mut zone_offset = (hr * 60 + mm) * 60;
        if s[0] == b'-' {
            zone_offset = -zone_offset;
        }
        t.add_sec(-zone_offset);
        if local.lookup(t.unix_sec()).offset == zone_offset {
            t.set_loc(local.clone());
        } else {
            t.set_loc(Loc::fixed("", zone_offset));
        }
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }
    }

    #[test]
    fn hostile_inputs_never_panic() {
        let tokens = [
            "2006",
            "06",
            "01",
            "1",
            "Jan",
            "January",
            "02",
            "2",
            "_2",
            "__2",
            "002",
            "15",
            "3",
            "03",
            "4",
            "04",
            "5",
            "05",
            "PM",
            "pm",
            "MST",
            "Z0700",
            "Z07:00",
            "-07",
            "-07:00:00",
            ".000",
            ",999",
            ".9",
            "Mon",
            "Monday",
            " ",
            "-",
            ":",
            "+",
            "é",
            "\u{0}",
            "99",
            "GMT+",
            "ChST",
            "\n",
        ];
        let extremes = [
            i64::MIN,
            i64::MIN + 1,
            -1,
            0,
            1,
            i64::MAX,
            253402300800,
            -62135596801,
        ];
        let durations = [i64::MIN, -1, 0, 1, 999_999_999, i64::MAX];
        let zones = [
            Loc::Utc,
            Loc::Local,
            Loc::fixed("", -86399),
            Loc::fixed("X", 86399),
        ];
        let mut rng = Rng(0x2545F4914F6CDD1D);
        for _ in 0..20000 {
            let layout: String = (0..rng.next() % 6).map(|_| rng.pick(&tokens)).collect();
            let value: String = (0..rng.next() % 6).map(|_| rng.pick(&tokens)).collect();
            let loc = &zones[(rng.next() % 4) as usize];
            let _ = parse_in_location(&layout, &value, loc);
            let _ = parse_duration(&value);
            let mut t = Time::unix(extremes[(rng.next() % 8) as usize]);
            t.set_loc(loc.clone());
            let d = durations[(rng.next() % 6) as usize];
            let t = t.add(d);
            let _ = t.format(&layout);
            let _ = t.string();
            let _ = t.strict_rfc3339();
            let _ = t.round(d);
            let _ = t.truncate(d);
            let _ = t.add_date(d, d, d);
            let _ = t.sub(&Time::now());
            let _ = duration_string(d);
            let _ = duration_round(d, durations[(rng.next() % 6) as usize]);
        }
    }

    #[test]
    fn durations_print_like_go() {
        assert_eq!(duration_string(0), "0s");
        assert_eq!(duration_string(1), "1ns");
        assert_eq!(duration_string(1500), "1.5µs");
        assert_eq!(duration_string(3_723_500_000_000), "1h2m3.5s");
        assert_eq!(duration_string(i64::MIN), "-2562047h47m16.854775808s");
        assert_eq!(duration_string(i64::MAX), "2562047h47m16.854775807s");
    }

    #[test]
    fn parse_duration_like_go() {
        assert_eq!(parse_duration("1h2m3.5s"), Ok(3_723_500_000_000));
        assert_eq!(parse_duration("-1.5h"), Ok(-5_400_000_000_000));
        assert_eq!(parse_duration(".5us"), Ok(500));
        assert_eq!(parse_duration("-9223372036854775808ns"), Ok(i64::MIN));
        assert_eq!(
            parse_duration("9223372036854775808ns"),
            Err("time: invalid duration \"9223372036854775808ns\"".into())
        );
        assert_eq!(
            parse_duration("1"),
            Err("time: missing unit in duration \"1\"".into())
        );
        assert_eq!(
            parse_duration("1d"),
            Err("time: unknown unit \"d\" in duration \"1d\"".into())
        );
    }

    #[test]
    fn formats_unix_epoch() {
        let mut t = Time::unix(0);
        t.set_loc(Loc::Utc);
        assert_eq!(t.string(), "1970-01-01 00:00:00 +0000 UTC");
        assert_eq!(
            t.format("Mon Jan _2 15:04:05.000 MST 2006 __2 002 3PM pm Z07:00"),
            "Thu Jan  1 00:00:00.000 UTC 1970   1 001 12AM am Z"
        );
        assert_eq!(Time::zero().string(), "0001-01-01 00:00:00 +0000 UTC");
    }

    #[test]
    fn parses_layouts() {
        let t = parse_in_location(
            "2006-01-02 15:04:05 -0700",
            "2024-02-29 12:30:45 +0530",
            &Loc::Utc,
        )
        .unwrap();
        assert_eq!(t.unix_sec(), 1709190045);
        let e = parse_in_location("2006-01-02", "2024-02-30", &Loc::Utc).unwrap_err();
        assert_eq!(
            e.to_string(),
            "parsing time \"2024-02-30\": day out of range"
        );
        let e = parse_in_location("2006-01-02", "24-02-03", &Loc::Utc).unwrap_err();
        assert_eq!(
            e.to_string(),
            "parsing time \"24-02-03\" as \"2006-01-02\": cannot parse \"24-02-03\" as \"2006\""
        );
    }
}
