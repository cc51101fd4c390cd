//! Sprig's date functions (`now`, `date`, `dateInZone`, `toDate`,
//! `dateModify`, `ago`, `duration`, `durationRound`, `unixEpoch`, …) over a
//! port of Go's `time` package: Go layouts, Go's `Time.String()` and
//! `Duration.String()`, zones from the system tz database.
//!
//! `date`/`now` use the machine's local zone as Go's `time.Local` does
//! (`$TZ`, then `/etc/localtime`).

pub(crate) mod gotime;
pub(crate) mod zoneinfo;

use gotmpl::{
    Call, FuncError, FuncMap, FuncResult, Function, IntKind, Kind, Object, Str, Type, UintKind,
    Value,
};

use gotime::{Duration, Time};
use zoneinfo::Loc;

use crate::context::{self, ContextOf};

/// The render's clock reading.
fn now(of: ContextOf, call: &mut Call<'_>) -> Time {
    context::with(of, call, |ctx| ctx.now())
}

pub(crate) fn register(m: &mut FuncMap, of: ContextOf) {
    // Go takes the monotonic clock's origin at process start.
    let _ = Time::now();

    m.insert(
        "now",
        Function::new(vec![], move |c, _| Ok(TimeValue::value(now(of, c)))),
    );
    m.insert(
        "date",
        Function::new(vec![Type::String, Type::Interface], move |c, a| {
            Ok(Value::from(date_in_zone(
                str_arg(&a[0]),
                &a[1],
                "Local",
                || now(of, c),
            )))
        }),
    );
    let in_zone = || {
        Function::new(
            vec![Type::String, Type::Interface, Type::String],
            move |c, a| {
                Ok(Value::from(date_in_zone(
                    str_arg(&a[0]),
                    &a[1],
                    str_arg(&a[2]),
                    || now(of, c),
                )))
            },
        )
    };
    m.insert("dateInZone", in_zone());
    m.insert("date_in_zone", in_zone());
    m.insert(
        "htmlDate",
        Function::new(vec![Type::Interface], move |c, a| {
            Ok(Value::from(date_in_zone(
                "2006-01-02",
                &a[0],
                "Local",
                || now(of, c),
            )))
        }),
    );
    m.insert(
        "htmlDateInZone",
        Function::new(vec![Type::Interface, Type::String], move |c, a| {
            Ok(Value::from(date_in_zone(
                "2006-01-02",
                &a[0],
                str_arg(&a[1]),
                || now(of, c),
            )))
        }),
    );
    let modify = || {
        Function::new(vec![Type::String, time_type()], |_, a| {
            let t = time_arg(&a[1]);
            Ok(TimeValue::value(
                match gotime::parse_duration(str_arg(&a[0])) {
                    Ok(d) => t.add(d),
                    Err(_) => t,
                },
            ))
        })
    };
    m.insert("dateModify", modify());
    m.insert("date_modify", modify());
    let must_modify = || {
        Function::new(vec![Type::String, time_type()], |_, a| {
            let t = time_arg(&a[1]);
            let d = gotime::parse_duration(str_arg(&a[0])).map_err(FuncError::from)?;
            Ok(TimeValue::value(t.add(d)))
        })
    };
    m.insert("mustDateModify", must_modify());
    m.insert("must_date_modify", must_modify());
    m.insert(
        "ago",
        Function::new(vec![Type::Interface], move |c, a| {
            let now = now(of, c);
            let t = match &a[0] {
                Value::Int(n, IntKind::Int | IntKind::Int64) => Time::unix(*n),
                v => match v.downcast_ref::<TimeValue>() {
                    Some(t) => t.0.clone(),
                    None => now.clone(),
                },
            };
            let d = gotime::duration_round(now.sub(&t), gotime::SECOND);
            Ok(Value::from(gotime::duration_string(d)))
        }),
    );
    m.insert(
        "duration",
        Function::new(vec![Type::Interface], |_, a| {
            let n: i64 = match &a[0] {
                Value::String(s) => parse_int64(s),
                Value::Int(n, IntKind::Int64) => *n,
                _ => 0,
            };
            Ok(Value::from(gotime::duration_string(
                n.wrapping_mul(gotime::SECOND),
            )))
        }),
    );
    m.insert(
        "durationRound",
        Function::new(vec![Type::Interface], move |c, a| {
            let d: Duration = match &a[0] {
                Value::String(s) => gotime::parse_duration(s).unwrap_or(0),
                Value::Int(n, IntKind::Int64) => *n,
                v => match v.downcast_ref::<TimeValue>() {
                    Some(t) => now(of, c).sub(&t.0),
                    None => 0,
                },
            };
            Ok(Value::from(duration_round_text(d)))
        }),
    );
    m.insert(
        "toDate",
        Function::new(vec![Type::String, Type::String], |_, a| {
            let t = gotime::parse_in_location(str_arg(&a[0]), str_arg(&a[1]), &Loc::Local)
                .unwrap_or_else(|_| Time::zero());
            Ok(TimeValue::value(t))
        }),
    );
    m.insert(
        "mustToDate",
        Function::new(vec![Type::String, Type::String], |_, a| {
            let t = gotime::parse_in_location(str_arg(&a[0]), str_arg(&a[1]), &Loc::Local)?;
            Ok(TimeValue::value(t))
        }),
    );
    m.insert(
        "unixEpoch",
        Function::new(vec![time_type()], |_, a| {
            Ok(Value::from(time_arg(&a[0]).unix_sec().to_string()))
        }),
    );
}

/// Why Go's `time.Time.UnmarshalJSON` refuses a JSON string holding
/// `text` (`None`: it parses): Go parses it with the RFC 3339 layout, whose
/// error names the layout and the part that did not fit. (A JSON value that
/// is not a string fails with `Time.UnmarshalJSON: input is not a JSON
/// string`, null leaves the time unchanged.)
pub fn time_unmarshal_json_error(text: &str) -> Option<String> {
    gotime::parse_in_location("2006-01-02T15:04:05Z07:00", text, &Loc::Utc)
        .err()
        .map(|e| e.to_string())
}

/// A TOML datetime's text (RFC 3339 forms, as the TOML parser gives them)
/// as BurntSushi/toml decodes it for helm's `fromToml` (`valueDatetime`):
/// a `time.Time` from the first of its layouts that parses, in the zone
/// that layout implies: an offset datetime in `Local` (where `Local` has that
/// offset then, else a nameless fixed zone; `Z` is UTC), the local forms in
/// fixed zones of offset 0 named `datetime-local`, `date-local` and
/// `time-local` (a local time falls on 0000-01-01). `None` when no layout
/// parses the text.
pub fn toml_datetime(text: &str) -> Option<Value> {
    const LAYOUTS: [(&str, Option<&str>); 7] = [
        ("2006-01-02T15:04:05.999999999Z07:00", None),
        ("2006-01-02T15:04:05.999999999", Some("datetime-local")),
        ("2006-01-02", Some("date-local")),
        ("15:04:05.999999999", Some("time-local")),
        ("2006-01-02T15:04Z07:00", None),
        ("2006-01-02T15:04", Some("datetime-local")),
        ("15:04", Some("time-local")),
    ];
    // BurntSushi's `datetimeRepl`.
    let text = text.replace('z', "Z").replace(['t', ' '], "T");
    LAYOUTS.iter().find_map(|&(layout, zone)| {
        let loc = zone.map_or(Loc::Local, |name| Loc::fixed(name, 0));
        gotime::parse_in_location(layout, &text, &loc)
            .ok()
            .map(TimeValue::value)
    })
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn time_type() -> Type {
    Type::Other {
        name: "time.Time".into(),
        kind: Kind::Struct,
    }
}

fn duration_type() -> Type {
    Type::Other {
        name: "time.Duration".into(),
        kind: Kind::Int64,
    }
}

fn time_arg(v: &Value) -> Time {
    v.downcast_ref::<TimeValue>()
        .map(|t| t.0.clone())
        .unwrap_or_else(Time::zero)
}

/// Go's `strconv.ParseInt(s, 10, 64)` with the error ignored: 0 for bad
/// syntax, the clamped bound for out-of-range values.
fn parse_int64(s: &str) -> i64 {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let digits = digits.replace('_', "");
    if s.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        // Go also accepts `_` only between digits with a base prefix, which
        // base 10 has not; anything but plain digits is a syntax error.
        return 0;
    }
    if s.contains('_') {
        return 0;
    }
    let mut v: u128 = 0;
    for b in digits.bytes() {
        v = (v * 10 + (b - b'0') as u128).min(1 << 64);
    }
    if neg {
        if v > 1 << 63 {
            i64::MIN
        } else {
            (v as i64).wrapping_neg()
        }
    } else if v > i64::MAX as u128 {
        i64::MAX
    } else {
        v as i64
    }
}

/// sprig's `dateInZone`: the date argument is a `time.Time` or unix seconds
/// (`int`, `int32`, `int64`); anything else means now.
fn date_in_zone(fmt: &str, date: &Value, zone: &str, now: impl FnOnce() -> Time) -> String {
    let t = match date {
        Value::Int(n, IntKind::Int | IntKind::Int64 | IntKind::Int32) => Time::unix(*n),
        v => match v.downcast_ref::<TimeValue>() {
            Some(t) => t.0.clone(),
            None => now(),
        },
    };
    let loc = zoneinfo::load(zone).unwrap_or(Loc::Utc);
    let mut t = t;
    t.set_loc(loc);
    t.format(fmt)
}

/// sprig's `durationRound` text: the largest whole unit, `y`/`mo`/`d`/`h`/`m`/`s`.
fn duration_round_text(d: Duration) -> String {
    let mut u = d as u64;
    if d < 0 {
        u = u.wrapping_neg();
    }
    let hour = gotime::HOUR as u64;
    let units: [(u64, &str); 6] = [
        (hour * 24 * 365, "y"),
        (hour * 24 * 30, "mo"),
        (hour * 24, "d"),
        (hour, "h"),
        (gotime::MINUTE as u64, "m"),
        (gotime::SECOND as u64, "s"),
    ];
    for (size, suffix) in units {
        if u > size {
            return format!("{}{suffix}", u / size);
        }
    }
    "0s".into()
}

// ---------------------------------------------------------------------------
// Template objects

/// A `time.Time` value.
#[derive(Debug)]
pub(crate) struct TimeValue(Time);

impl TimeValue {
    fn value(t: Time) -> Value {
        Value::object(TimeValue(t))
    }
}

/// A `time.Duration` (what `Sub` returns), printed by its `String` method.
#[derive(Debug)]
struct DurationValue(Duration);

/// A `time.Month`, `time.Weekday` or `*time.Location`: a named value
/// printed through its `String` method.
#[derive(Debug)]
struct Named {
    ty: &'static str,
    kind: Kind,
    text: String,
    int: i64,
    /// A `*time.Location`'s location (`==` compares which it is).
    loc: Option<Loc>,
}

fn int(n: i64) -> Value {
    Value::Int(n, IntKind::Int)
}

fn int64(n: i64) -> Value {
    Value::Int(n, IntKind::Int64)
}

fn m0(f: impl Fn() -> FuncResult + Send + Sync + 'static) -> Function {
    Function::new(vec![], move |_: &mut Call<'_>, _| f())
}

fn m_time(t: &Time, f: fn(&Time, &Time) -> Value) -> Function {
    let t = t.clone();
    Function::new(vec![time_type()], move |_, a| Ok(f(&t, &time_arg(&a[0]))))
}

fn m_duration(t: &Time, f: fn(&Time, Duration) -> Value) -> Function {
    let t = t.clone();
    Function::new(vec![duration_type()], move |_, a| {
        let d = match &a[0] {
            Value::Int(n, _) => *n,
            v => v.downcast_ref::<DurationValue>().map_or(0, |d| d.0),
        };
        Ok(f(&t, d))
    })
}

/// Go's `Time.MarshalBinary`: version, seconds since year 1, nanoseconds,
/// zone offset in minutes (-1 for UTC), and its seconds if any.
fn marshal_binary(t: &Time) -> Result<Vec<u8>, FuncError> {
    const UNIX_TO_INTERNAL: i64 = 62_135_596_800;
    let (offset_min, offset_sec) = if t.loc.is_utc() {
        (-1i16, None)
    } else {
        let offset = t.loc.lookup(t.unix_sec()).offset;
        let minutes = offset / 60;
        if !(-32768..=32767).contains(&minutes) || minutes == -1 {
            return Err(FuncError::from(
                "Time.MarshalBinary: unexpected zone offset".to_string(),
            ));
        }
        (
            minutes as i16,
            (offset % 60 != 0).then_some((offset % 60) as i8),
        )
    };
    let sec = t.unix_sec().wrapping_add(UNIX_TO_INTERNAL);
    let mut b = vec![if offset_sec.is_some() { 2u8 } else { 1u8 }];
    b.extend_from_slice(&sec.to_be_bytes());
    b.extend_from_slice(&(t.nsec() as i32).to_be_bytes());
    b.extend_from_slice(&offset_min.to_be_bytes());
    if let Some(s) = offset_sec {
        b.push(s as u8);
    }
    Ok(b)
}

fn bytes_value(b: &[u8]) -> Value {
    Value::typed_list(
        Type::Uint(UintKind::Uint8),
        b.iter()
            .map(|&x| Value::Uint(x as u64, UintKind::Uint8))
            .collect(),
    )
}

impl Object for TimeValue {
    fn go_type(&self) -> Type {
        time_type()
    }

    fn unexported_field(&self, name: &str) -> bool {
        matches!(name, "wall" | "ext" | "loc")
    }

    fn go_eq(&self, other: &dyn Object) -> Option<bool> {
        let other = other.as_any().downcast_ref::<TimeValue>()?;
        Some(self.0.go_eq(&other.0))
    }

    fn go_syntax(&self) -> Option<String> {
        // Go's Time.GoString.
        let t = &self.0;
        let (year, month, day) = t.ymd();
        let (hour, min, sec) = t.clock();
        let month = match month {
            1..=12 => format!("time.{}", gotime::month_string(month)),
            m => m.to_string(),
        };
        let loc = match &t.loc {
            Loc::Utc => "time.UTC".to_string(),
            Loc::Local => "time.Local".to_string(),
            other => format!("time.Location({})", gotime::quote(other.name())),
        };
        Some(format!(
            "time.Date({year}, {month}, {day}, {hour}, {min}, {sec}, {}, {loc})",
            t.nsec()
        ))
    }

    fn method(&self, name: &str) -> Option<Function> {
        let t = self.0.clone();
        Some(match name {
            "String" => m0(move || Ok(Value::from(t.string()))),
            "Format" => Function::new(vec![Type::String], move |_, a| {
                Ok(Value::from(t.format(str_arg(&a[0]))))
            }),
            "Year" => m0(move || Ok(int(t.ymd().0))),
            "Month" => m0(move || {
                let m = t.ymd().1;
                Ok(Named::value("time.Month", gotime::month_string(m), m))
            }),
            "Day" => m0(move || Ok(int(t.ymd().2))),
            "Hour" => m0(move || Ok(int(t.clock().0))),
            "Minute" => m0(move || Ok(int(t.clock().1))),
            "Second" => m0(move || Ok(int(t.clock().2))),
            "Nanosecond" => m0(move || Ok(int(t.nsec()))),
            "YearDay" => m0(move || Ok(int(t.year_day()))),
            "Weekday" => m0(move || {
                let d = t.weekday();
                Ok(Named::value("time.Weekday", gotime::weekday_string(d), d))
            }),
            "Unix" => m0(move || Ok(int64(t.unix_sec()))),
            "UnixNano" => m0(move || Ok(int64(t.unix_nano()))),
            "UnixMilli" => m0(move || Ok(int64(t.unix_milli()))),
            "UnixMicro" => m0(move || Ok(int64(t.unix_micro()))),
            "IsZero" => m0(move || Ok(Value::Bool(t.is_zero()))),
            "IsDST" => m0(move || Ok(Value::Bool(t.is_dst()))),
            "UTC" | "Local" => {
                let loc = if name == "UTC" { Loc::Utc } else { Loc::Local };
                m0(move || {
                    let mut t = t.clone();
                    t.set_loc(loc.clone());
                    Ok(TimeValue::value(t))
                })
            }
            // Methods text/template cannot call (`goodFunc`).
            "Zone" | "ISOWeek" => Function::unusable(
                vec![],
                &format!("invalid function signature for {name}: second return value should be error; is int"),
            ),
            "ZoneBounds" => Function::unusable(
                vec![],
                "invalid function signature for ZoneBounds: second return value should be error; is time.Time",
            ),
            "Clock" | "Date" => Function::unusable(
                vec![],
                &format!("function {name} has 3 return values; should be 1 or 2"),
            ),
            "GoString" => {
                let text = self.go_syntax().unwrap_or_default();
                m0(move || Ok(Value::from(text.as_str())))
            }
            "MarshalBinary" | "GobEncode" => m0(move || Ok(bytes_value(&marshal_binary(&t)?))),
            "AppendFormat" => Function::new(
                vec![Type::slice_of(Type::Uint(UintKind::Uint8)), Type::String],
                move |_, a| {
                    let mut b: Vec<u8> = match &a[0] {
                        Value::List(l) => l
                            .items
                            .iter()
                            .map(|x| match x {
                                Value::Uint(u, _) => *u as u8,
                                _ => 0,
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    b.extend_from_slice(t.format(str_arg(&a[1])).as_bytes());
                    Ok(bytes_value(&b))
                },
            ),
            "In" => Function::new(
                vec![Type::Other {
                    name: "*time.Location".into(),
                    kind: Kind::Pointer,
                }],
                move |_, a| match a[0].downcast_ref::<Named>().and_then(|n| n.loc.clone()) {
                    Some(loc) => {
                        let mut t = t.clone();
                        t.set_loc(loc);
                        Ok(TimeValue::value(t))
                    }
                    // A nil location: Go's panic.
                    None => Err(FuncError::from(
                        "time: missing Location in call to Time.In".to_string(),
                    )),
                },
            ),
            "Location" => m0(move || {
                Ok(Value::object(Named {
                    ty: "*time.Location",
                    kind: Kind::Pointer,
                    text: t.loc.name(),
                    int: 0,
                    // `==` compares the pointers.
                    loc: Some(t.loc.clone()),
                }))
            }),
            "Equal" => m_time(&t, |a, b| Value::Bool(a.equal(b))),
            "Before" => m_time(&t, |a, b| Value::Bool(a.before(b))),
            "After" => m_time(&t, |a, b| Value::Bool(a.after(b))),
            "Compare" => m_time(&t, |a, b| int(a.compare(b))),
            "Sub" => m_time(&t, |a, b| Value::object(DurationValue(a.sub(b)))),
            "Add" => m_duration(&t, |a, d| TimeValue::value(a.add(d))),
            "Truncate" => m_duration(&t, |a, d| TimeValue::value(a.truncate(d))),
            "Round" => m_duration(&t, |a, d| TimeValue::value(a.round(d))),
            "AddDate" => Function::new(
                vec![
                    Type::Int(IntKind::Int),
                    Type::Int(IntKind::Int),
                    Type::Int(IntKind::Int),
                ],
                move |_, a| {
                    let n = |v: &Value| match v {
                        Value::Int(n, _) => *n,
                        _ => 0,
                    };
                    Ok(TimeValue::value(t.add_date(n(&a[0]), n(&a[1]), n(&a[2]))))
                },
            ),
            "MarshalJSON" | "MarshalText" => {
                let json = name == "MarshalJSON";
                m0(move || match t.strict_rfc3339() {
                    Ok(s) => Ok(bytes_value(
                        if json { format!("\"{s}\"") } else { s }.as_bytes(),
                    )),
                    Err(e) => Err(if json {
                        format!("Time.MarshalJSON: {e}")
                    } else {
                        format!("Time.MarshalText: {e}")
                    }
                    .into()),
                })
            }
            _ => return None,
        })
    }

    fn go_string(&self) -> Option<String> {
        Some(self.0.string())
    }

    fn struct_fields(&self) -> Vec<(Str, Value)> {
        // wall, ext, loc are unexported; fmt never reaches them for a Stringer.
        Vec::new()
    }

    fn marshal_json(&self) -> Option<String> {
        // Time.MarshalJSON (an out-of-range year is an error in Go; left to
        // the default encoding here).
        self.0.strict_rfc3339().ok().map(|s| format!("\"{s}\""))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Object for DurationValue {
    fn go_type(&self) -> Type {
        duration_type()
    }

    fn method(&self, name: &str) -> Option<Function> {
        let d = self.0;
        let float = |v: f64| Ok(Value::Float(v));
        Some(match name {
            "String" => m0(move || Ok(Value::from(gotime::duration_string(d)))),
            "Nanoseconds" => m0(move || Ok(int64(d))),
            "Microseconds" => m0(move || Ok(int64(d / 1000))),
            "Milliseconds" => m0(move || Ok(int64(d / 1_000_000))),
            "Seconds" => {
                m0(move || float((d / gotime::SECOND) as f64 + (d % gotime::SECOND) as f64 / 1e9))
            }
            "Minutes" => m0(move || {
                float((d / gotime::MINUTE) as f64 + (d % gotime::MINUTE) as f64 / (60.0 * 1e9))
            }),
            "Hours" => m0(move || {
                float((d / gotime::HOUR) as f64 + (d % gotime::HOUR) as f64 / (3600.0 * 1e9))
            }),
            "Abs" => m0(move || {
                Ok(Value::object(DurationValue(if d == i64::MIN {
                    i64::MAX
                } else {
                    d.abs()
                })))
            }),
            "Round" | "Truncate" => {
                let round = name == "Round";
                Function::new(vec![Type::Int(IntKind::Int64)], move |_, a| {
                    let m = match &a[0] {
                        Value::Int(n, _) => *n,
                        _ => 0,
                    };
                    Ok(Value::object(DurationValue(if round {
                        gotime::duration_round(d, m)
                    } else {
                        gotime::duration_truncate(d, m)
                    })))
                })
            }
            _ => return None,
        })
    }

    fn go_string(&self) -> Option<String> {
        Some(gotime::duration_string(self.0))
    }

    fn marshal_json(&self) -> Option<String> {
        // time.Duration has no MarshalJSON: an int64 of nanoseconds.
        Some(self.0.to_string())
    }

    fn integer(&self) -> Option<i64> {
        Some(self.0)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Named {
    fn value(ty: &'static str, text: String, n: i64) -> Value {
        Value::object(Named {
            ty,
            kind: Kind::Int,
            text,
            int: n,
            loc: None,
        })
    }
}

impl Object for Named {
    fn go_type(&self) -> Type {
        Type::Other {
            name: self.ty.into(),
            kind: self.kind,
        }
    }

    fn method(&self, name: &str) -> Option<Function> {
        let text = self.text.clone();
        (name == "String").then(|| m0(move || Ok(Value::from(text.as_str()))))
    }

    fn go_string(&self) -> Option<String> {
        Some(self.text.clone())
    }

    fn marshal_json(&self) -> Option<String> {
        // time.Month / time.Weekday are plain ints to encoding/json;
        // *time.Location is a struct of unexported fields.
        Some(match self.kind {
            Kind::Int => self.int.to_string(),
            _ => "{}".to_string(),
        })
    }

    fn integer(&self) -> Option<i64> {
        (self.kind == Kind::Int).then_some(self.int)
    }

    fn go_eq(&self, other: &dyn Object) -> Option<bool> {
        // A `*time.Location`: the same location.
        let other = other.as_any().downcast_ref::<Named>()?;
        let (a, b) = (self.loc.as_ref()?, other.loc.as_ref()?);
        Some(a.identity() == b.identity())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Named {
    #[allow(dead_code)]
    fn number(&self) -> i64 {
        self.int
    }
}
