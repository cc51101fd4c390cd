//! The slice of Go's `crypto/x509` sprig uses: `CreateCertificate` for
//! sprig's certificate template (same structure, extensions and order as Go
//! 1.25 writes them) and `ParseCertificate` for a signing CA (structure
//! checks with Go's error texts; extension contents beyond the subject key
//! ID are not validated).

use sha2::Digest;

use super::der::{self, Reader};
use super::keys::{self, Curve, PrivateKey, PublicKey};
use crate::context::Entropy;
use crate::dates::gotime::Time;

/// sprig's `getBaseCertTemplate` result (plus the CA overrides).
pub(crate) struct Template {
    pub cn: String,
    pub ips: Vec<Vec<u8>>,
    pub dns: Vec<String>,
    pub days_valid: i64,
    pub is_ca: bool,
}

/// A parsed signing certificate.
pub(crate) struct Parent {
    pub raw_subject: Vec<u8>,
    pub subject_key_id: Vec<u8>,
    pub public_key: Option<PublicKey>,
}

fn is_printable(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || (b'\''..=b')').contains(&b)
        || (b'+'..=b'/').contains(&b)
        || matches!(b, b' ' | b':' | b'=' | b'?')
}

/// `asn1.Marshal(pkix.Name{CommonName: cn}.ToRDNSequence())`.
fn subject(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return der::seq(&[]);
    }
    let tag = if cn.bytes().all(is_printable) {
        0x13
    } else {
        0x0c
    };
    let atv = der::seq(&[&der::oid(&[2, 5, 4, 3]), &der::tlv(tag, cn.as_bytes())]);
    der::seq(&[&der::tlv(der::TAG_SET, &atv)])
}

/// Go's `%q` for a string (used in the IA5String error).
fn go_quote(s: &str) -> String {
    gotmpl::strconv::quote(s)
}

/// A certificate validity time: UTCTime for 1950–2049, GeneralizedTime else.
fn asn1_time(t: &Time) -> Result<Vec<u8>, String> {
    let (year, month, day) = t.ymd();
    let (h, m, s) = t.clock();
    let common = format!("{month:02}{day:02}{h:02}{m:02}{s:02}Z");
    if (1950..2050).contains(&year) {
        Ok(der::tlv(
            0x17,
            format!("{:02}{common}", year % 100).as_bytes(),
        ))
    } else if (0..=9999).contains(&year) {
        Ok(der::tlv(0x18, format!("{year:04}{common}").as_bytes()))
    } else {
        Err("asn1: structure error: cannot represent time as GeneralizedTime".into())
    }
}

fn extension(oid: &[u64], critical: bool, value: &[u8]) -> Vec<u8> {
    if critical {
        der::seq(&[&der::oid(oid), &[0x01, 0x01, 0xff], &der::octets(value)])
    } else {
        der::seq(&[&der::oid(oid), &der::octets(value)])
    }
}

/// `x509.CreateCertificate(rand, template, parent, pub, signer)`; `parent`
/// None means self-signed (parent = template).
pub(crate) fn create_certificate(
    rng: &mut Entropy,
    now: Time,
    tmpl: &Template,
    public: &PublicKey,
    parent: Option<&Parent>,
    signer: &PrivateKey,
) -> Result<Vec<u8>, String> {
    let sig_alg = signer.signing_algorithm()?;
    let (public_bytes, public_alg) = public.marshal()?;

    let asn1_subject = subject(&tmpl.cn);
    let asn1_issuer = match parent {
        Some(p) => p.raw_subject.clone(),
        None => asn1_subject.clone(),
    };
    let mut authority_key_id = Vec::new();
    if let Some(p) = parent {
        if asn1_issuer != asn1_subject && !p.subject_key_id.is_empty() {
            authority_key_id = p.subject_key_id.clone();
        }
    }
    let subject_key_id = if tmpl.is_ca {
        sha2::Sha256::digest(&public_bytes)[..20].to_vec()
    } else {
        Vec::new()
    };
    if let Some(p) = parent {
        if let Some(parent_key) = &p.public_key {
            if *parent_key != signer.public() {
                return Err("x509: provided PrivateKey doesn't match parent's PublicKey".into());
            }
        }
    }

    // Extensions, in Go's order.
    let mut exts = Vec::new();
    let key_usage: &[u8] = if tmpl.is_ca {
        &[0x03, 0x02, 0x02, 0xa4]
    } else {
        &[0x03, 0x02, 0x05, 0xa0]
    };
    exts.push(extension(&[2, 5, 29, 15], true, key_usage));
    exts.push(extension(
        &[2, 5, 29, 37],
        false,
        &der::seq(&[
            &der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 1]),
            &der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 2]),
        ]),
    ));
    let basic: &[u8] = if tmpl.is_ca {
        &[0x30, 0x03, 0x01, 0x01, 0xff]
    } else {
        &[0x30, 0x00]
    };
    exts.push(extension(&[2, 5, 29, 19], true, basic));
    if !subject_key_id.is_empty() {
        exts.push(extension(
            &[2, 5, 29, 14],
            false,
            &der::octets(&subject_key_id),
        ));
    }
    if !authority_key_id.is_empty() {
        exts.push(extension(
            &[2, 5, 29, 35],
            false,
            &der::seq(&[&der::tlv(0x80, &authority_key_id)]),
        ));
    }
    if !tmpl.dns.is_empty() || !tmpl.ips.is_empty() {
        let mut names = Vec::new();
        for d in &tmpl.dns {
            if !d.is_ascii() {
                return Err(format!(
                    "x509: {} cannot be encoded as an IA5String",
                    go_quote(d)
                ));
            }
            names.extend_from_slice(&der::tlv(0x82, d.as_bytes()));
        }
        for ip in &tmpl.ips {
            names.extend_from_slice(&der::tlv(0x87, ip));
        }
        let critical = asn1_subject == der::seq(&[]);
        exts.push(extension(
            &[2, 5, 29, 17],
            critical,
            &der::tlv(der::TAG_SEQUENCE, &names),
        ));
    }

    let mut serial = [0u8; 16];
    rand::RngCore::fill_bytes(rng, &mut serial);
    let mut not_before = now.clone();
    not_before.set_loc(crate::dates::zoneinfo::Loc::Utc);
    let mut not_after = now.add((24 * 3600 * 1_000_000_000i64).wrapping_mul(tmpl.days_valid));
    not_after.set_loc(crate::dates::zoneinfo::Loc::Utc);
    let validity = der::seq(&[&asn1_time(&not_before)?, &asn1_time(&not_after)?]);

    let tbs = der::seq(&[
        &der::explicit(0, &der::small_int(2)),
        &der::uint(&serial),
        &sig_alg,
        &asn1_issuer,
        &validity,
        &asn1_subject,
        &der::seq(&[&public_alg, &der::bits(&public_bytes)]),
        &der::explicit(3, &der::tlv(der::TAG_SEQUENCE, &exts.concat())),
    ]);
    let signature = signer.sign(&tbs)?;
    Ok(der::seq(&[&tbs, &sig_alg, &der::bits(&signature)]))
}

// ---------------------------------------------------------------------------
// Parsing

fn malformed(what: &str) -> String {
    format!("x509: malformed {what}")
}

/// `parseAI`: the algorithm OID and the raw parameters.
/// An algorithm's parameters: (tag, content).
type Params = Option<(u8, Vec<u8>)>;

fn parse_ai(mut der: Reader<'_>) -> Result<(Vec<i64>, Params), String> {
    let oid = der.read(der::TAG_OID).ok_or_else(|| malformed("OID"))?;
    let oid = der::unmarshal_oid(&der::tlv(der::TAG_OID, oid)).map_err(|_| malformed("OID"))?;
    if der.is_empty() {
        return Ok((oid, None));
    }
    let tag = der.peek_tag().unwrap_or(0);
    let params = der.read(tag).ok_or_else(|| malformed("parameters"))?;
    Ok((oid, Some((tag, params.to_vec()))))
}

fn parse_public_key(oid: &[i64], params: &Params, key: &[u8]) -> Result<Option<PublicKey>, String> {
    let is = |o: &[u64]| o.iter().map(|&x| x as i64).eq(oid.iter().copied());
    if is(keys::OID_RSA) {
        if !matches!(params, Some((0x05, p)) if p.is_empty()) {
            return Err("x509: RSA key missing NULL parameters".into());
        }
        let mut r = Reader::new(key);
        let mut inner = Reader::new(
            r.read(der::TAG_SEQUENCE)
                .ok_or("x509: invalid RSA public key")?,
        );
        if !r.is_empty() {
            return Err("x509: invalid RSA public key".into());
        }
        let n = inner.read_integer().ok_or("x509: invalid RSA modulus")?;
        let e = inner
            .read_integer()
            .ok_or("x509: invalid RSA public exponent")?;
        if der::big_not_positive(n) {
            return Err("x509: RSA modulus is not a positive number".into());
        }
        if der::big_not_positive(e) {
            return Err("x509: RSA public exponent is not a positive number".into());
        }
        return Ok(Some(PublicKey::Rsa {
            n: der::big_magnitude(n).to_vec(),
            e: der::big_magnitude(e).to_vec(),
        }));
    }
    if is(keys::OID_EC) {
        let curve_oid = match params {
            Some((der::TAG_OID, p)) => der::unmarshal_oid(&der::tlv(der::TAG_OID, p)).ok(),
            _ => None,
        }
        .ok_or("x509: invalid ECDSA parameters")?;
        let curve = Curve::from_oid(&curve_oid).ok_or("x509: unsupported elliptic curve")?;
        let len = match curve {
            Curve::P224 => 57,
            Curve::P256 => 65,
            Curve::P384 => 97,
            Curve::P521 => 133,
        };
        if key.len() != len || key[0] != 4 {
            return Err("x509: failed to unmarshal elliptic curve point".into());
        }
        return Ok(Some(PublicKey::Ec {
            curve,
            point: key.to_vec(),
        }));
    }
    if is(keys::OID_ED25519) {
        if params.is_some() {
            return Err("x509: Ed25519 key encoded with illegal parameters".into());
        }
        if key.len() != 32 {
            return Err("x509: wrong Ed25519 public key size".into());
        }
        return Ok(Some(PublicKey::Ed25519(key.to_vec())));
    }
    if is(keys::OID_X25519) {
        if params.is_some() {
            return Err("x509: X25519 key encoded with illegal parameters".into());
        }
        if key.len() != 32 {
            return Err("x509: invalid X25519 public key".into());
        }
        return Ok(Some(PublicKey::X25519(key.to_vec())));
    }
    if is(keys::OID_DSA) {
        return Ok(Some(PublicKey::Dsa));
    }
    Ok(None)
}

/// `x509.ParseCertificate`.
pub(crate) fn parse_certificate(der_bytes: &[u8]) -> Result<Parent, String> {
    let mut input = Reader::new(der_bytes);
    let cert = input
        .read_element(der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("certificate"))?;
    let raw_len = cert.len();
    let mut input = Reader::new(
        Reader::new(cert)
            .read(der::TAG_SEQUENCE)
            .ok_or_else(|| malformed("certificate"))?,
    );
    let tbs_full = input
        .read_element(der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("tbs certificate"))?;
    let mut tbs = Reader::new(
        Reader::new(tbs_full)
            .read(der::TAG_SEQUENCE)
            .ok_or_else(|| malformed("tbs certificate"))?,
    );

    let mut version = 0i64;
    match tbs.read_optional(0xa0) {
        Err(()) => return Err(malformed("version")),
        Ok(Some(v)) => {
            let mut r = Reader::new(v);
            let c = r.read_integer().ok_or_else(|| malformed("version"))?;
            if c.len() > 8 || !r.is_empty() {
                return Err(malformed("version"));
            }
            version = c
                .iter()
                .fold(if der::big_is_negative(c) { -1i64 } else { 0 }, |a, &b| {
                    (a << 8) | b as i64
                });
        }
        Ok(None) => {}
    }
    if version < 0 {
        return Err(malformed("version"));
    }
    version += 1;
    if version > 3 {
        return Err("x509: invalid version".into());
    }
    let serial = tbs
        .read_integer()
        .ok_or_else(|| malformed("serial number"))?;
    if der::big_is_negative(serial) {
        return Err("x509: negative serial number".into());
    }
    let sig_ai = tbs
        .read(der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("signature algorithm identifier"))?;
    let outer_ai = input
        .read(der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("algorithm identifier"))?;
    if outer_ai != sig_ai {
        return Err("x509: inner and outer signature algorithm identifiers don't match".into());
    }
    parse_ai(Reader::new(sig_ai))?;
    let issuer = tbs
        .read_element(der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("issuer"))?;
    parse_name(issuer)?;
    let mut validity = Reader::new(
        tbs.read(der::TAG_SEQUENCE)
            .ok_or_else(|| malformed("validity"))?,
    );
    for _ in 0..2 {
        let ok = match validity.peek_tag() {
            Some(0x17) => validity.read(0x17).is_some(),
            Some(0x18) => validity.read(0x18).is_some(),
            _ => false,
        };
        if !ok {
            return Err(malformed("validity"));
        }
    }
    let raw_subject = tbs
        .read_element(der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("issuer"))?;
    parse_name(raw_subject)?;
    let spki_full = tbs
        .read_element(der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("spki"))?;
    let mut spki = Reader::new(
        Reader::new(spki_full)
            .read(der::TAG_SEQUENCE)
            .ok_or_else(|| malformed("spki"))?,
    );
    let pk_ai = spki
        .read(der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("public key algorithm identifier"))?;
    let (pk_oid, pk_params) = parse_ai(Reader::new(pk_ai))?;
    let (spk, _) = spki
        .read_bit_string()
        .ok_or_else(|| malformed("subjectPublicKey"))?;
    let public_key = parse_public_key(&pk_oid, &pk_params, spk)?;

    let mut subject_key_id = Vec::new();
    if version > 1 {
        if tbs.read_optional(0x81).is_err() {
            return Err(malformed("issuerUniqueID"));
        }
        if tbs.read_optional(0x82).is_err() {
            return Err(malformed("subjectUniqueID"));
        }
        if version == 3 {
            let exts = tbs
                .read_optional(0xa3)
                .map_err(|_| malformed("extensions"))?;
            if let Some(exts) = exts {
                let mut exts = Reader::new(
                    Reader::new(exts)
                        .read(der::TAG_SEQUENCE)
                        .ok_or_else(|| malformed("extensions"))?,
                );
                let mut seen = Vec::new();
                while !exts.is_empty() {
                    let mut ext = Reader::new(
                        exts.read(der::TAG_SEQUENCE)
                            .ok_or_else(|| malformed("extension"))?,
                    );
                    let oid = ext
                        .read(der::TAG_OID)
                        .ok_or_else(|| malformed("extension OID field"))?;
                    let oid_val = der::unmarshal_oid(&der::tlv(der::TAG_OID, oid))
                        .map_err(|_| malformed("extension OID field"))?;
                    if ext.peek_tag() == Some(0x01) {
                        let b = ext
                            .read(0x01)
                            .ok_or_else(|| malformed("extension critical field"))?;
                        if b.len() != 1 || (b[0] != 0 && b[0] != 0xff) {
                            return Err(malformed("extension critical field"));
                        }
                    }
                    let value = ext
                        .read(der::TAG_OCTET_STRING)
                        .ok_or_else(|| malformed("extension value field"))?;
                    let name = der::oid_string(&oid_val);
                    if seen.contains(&name) {
                        return Err(format!(
                            "x509: certificate contains duplicate extension with OID {}",
                            go_quote(&name)
                        ));
                    }
                    if name == "2.5.29.14" {
                        let mut r = Reader::new(value);
                        let id = r
                            .read(der::TAG_OCTET_STRING)
                            .ok_or("x509: invalid subject key identifier")?;
                        subject_key_id = id.to_vec();
                    }
                    seen.push(name);
                }
            }
        }
    }
    if input.read_bit_string().is_none() {
        return Err(malformed("signature"));
    }
    if raw_len != der_bytes.len() {
        return Err("x509: trailing data".into());
    }
    Ok(Parent {
        raw_subject: raw_subject.to_vec(),
        subject_key_id,
        public_key,
    })
}

/// `parseName`: a SEQUENCE of SETs of (OID, value) pairs.
fn parse_name(raw: &[u8]) -> Result<(), String> {
    let mut r = Reader::new(raw);
    let mut seq = Reader::new(
        r.read(der::TAG_SEQUENCE)
            .ok_or("x509: invalid RDNSequence")?,
    );
    while !seq.is_empty() {
        let mut set = Reader::new(seq.read(der::TAG_SET).ok_or("x509: invalid RDNSequence")?);
        while !set.is_empty() {
            let mut atav = Reader::new(
                set.read(der::TAG_SEQUENCE)
                    .ok_or("x509: invalid RDNSequence: invalid attribute")?,
            );
            atav.read(der::TAG_OID)
                .ok_or("x509: invalid RDNSequence: invalid attribute type")?;
            let tag = atav
                .peek_tag()
                .ok_or("x509: invalid RDNSequence: invalid attribute value")?;
            atav.read(tag)
                .ok_or("x509: invalid RDNSequence: invalid attribute value")?;
        }
    }
    Ok(())
}
