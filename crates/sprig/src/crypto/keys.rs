//! Private keys as sprig handles them: generation (`genPrivateKey`), PEM
//! parsing with Go's x509 dispatch and error texts (`parsePrivateKeyPEM`),
//! re-encoding (`pemBlockForKey`), public keys and certificate signing.

use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::BigUint;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::der::{self, Field, Kind, Schema, Val};
use super::pem;
use crate::context::Entropy;

pub(crate) const OID_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 1];
pub(crate) const OID_EC: &[u64] = &[1, 2, 840, 10045, 2, 1];
pub(crate) const OID_ED25519: &[u64] = &[1, 3, 101, 112];
pub(crate) const OID_X25519: &[u64] = &[1, 3, 101, 110];
pub(crate) const OID_DSA: &[u64] = &[1, 2, 840, 10040, 4, 1];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Curve {
    P224,
    P256,
    P384,
    P521,
}

impl Curve {
    pub fn oid(self) -> &'static [u64] {
        match self {
            Curve::P224 => &[1, 3, 132, 0, 33],
            Curve::P256 => &[1, 2, 840, 10045, 3, 1, 7],
            Curve::P384 => &[1, 3, 132, 0, 34],
            Curve::P521 => &[1, 3, 132, 0, 35],
        }
    }

    pub fn from_oid(o: &[i64]) -> Option<Curve> {
        [Curve::P224, Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| c.oid().iter().map(|&x| x as i64).eq(o.iter().copied()))
    }

    /// Byte length of the group order (`(N.BitLen()+7)/8`).
    fn scalar_len(self) -> usize {
        match self {
            Curve::P224 => 28,
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }
}

/// A private key of one of the types Go's x509 package parses.
pub(crate) enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    Dsa {
        p: Vec<u8>,
        q: Vec<u8>,
        g: Vec<u8>,
        y: Vec<u8>,
        x: Vec<u8>,
    },
    Ec {
        curve: Curve,
        /// The scalar, left-padded to the curve's order length.
        d: Vec<u8>,
        /// The uncompressed public point.
        point: Vec<u8>,
    },
    Ed25519(Box<ed25519_dalek::SigningKey>),
    X25519 {
        private: [u8; 32],
        public: [u8; 32],
    },
}

/// A public key as Go's x509 sees it (for SPKI and key equality).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PublicKey {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec { curve: Curve, point: Vec<u8> },
    Ed25519(Vec<u8>),
    X25519(Vec<u8>),
    Dsa,
}

impl PublicKey {
    /// `marshalPublicKey`: (subjectPublicKey bytes, AlgorithmIdentifier DER).
    pub fn marshal(&self) -> Result<(Vec<u8>, Vec<u8>), String> {
        Ok(match self {
            PublicKey::Rsa { n, e } => (
                der::seq(&[&der::uint(n), &der::uint(e)]),
                der::seq(&[&der::oid(OID_RSA), &der::null()]),
            ),
            PublicKey::Ec { curve, point } => (
                point.clone(),
                der::seq(&[&der::oid(OID_EC), &der::oid(curve.oid())]),
            ),
            PublicKey::Ed25519(k) => (k.clone(), der::seq(&[&der::oid(OID_ED25519)])),
            PublicKey::X25519(_) => {
                return Err("x509: unsupported public key type: *ecdh.PublicKey".into())
            }
            PublicKey::Dsa => {
                return Err("x509: unsupported public key type: *dsa.PublicKey".into())
            }
        })
    }
}

fn rsa_public(k: &rsa::RsaPrivateKey) -> PublicKey {
    PublicKey::Rsa {
        n: k.n().to_bytes_be(),
        e: k.e().to_bytes_be(),
    }
}

impl PrivateKey {
    /// `getPublicKey` (never fails for the types parsed here).
    pub fn public(&self) -> PublicKey {
        match self {
            PrivateKey::Rsa(k) => rsa_public(k),
            PrivateKey::Dsa { .. } => PublicKey::Dsa,
            PrivateKey::Ec { curve, point, .. } => PublicKey::Ec {
                curve: *curve,
                point: point.clone(),
            },
            PrivateKey::Ed25519(k) => PublicKey::Ed25519(k.verifying_key().to_bytes().to_vec()),
            PrivateKey::X25519 { public, .. } => PublicKey::X25519(public.to_vec()),
        }
    }

    /// `signingParamsForKey` + `signTBS`: the AlgorithmIdentifier and a
    /// signature over `tbs`. DSA and X25519 keys are not `crypto.Signer`s.
    pub fn signing_algorithm(&self) -> Result<Vec<u8>, String> {
        Ok(match self {
            PrivateKey::Rsa(_) => {
                der::seq(&[&der::oid(&[1, 2, 840, 113549, 1, 1, 11]), &der::null()])
            }
            PrivateKey::Ec { curve, .. } => {
                let last = match curve {
                    Curve::P224 | Curve::P256 => 2,
                    Curve::P384 => 3,
                    Curve::P521 => 4,
                };
                der::seq(&[&der::oid(&[1, 2, 840, 10045, 4, 3, last])])
            }
            PrivateKey::Ed25519(_) => der::seq(&[&der::oid(OID_ED25519)]),
            PrivateKey::Dsa { .. } | PrivateKey::X25519 { .. } => {
                return Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        })
    }

    pub fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(k) => {
                let bits = k.n().bits();
                if bits < 1024 {
                    return Err(format!(
                        "crypto/rsa: {bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)"
                    ));
                }
                let digest = Sha256::digest(tbs);
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    k.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest)
                        .map_err(|e| format!("crypto/rsa: {e}"))
                }))
                .unwrap_or_else(|_| Err("crypto/rsa: invalid key".into()))
            }
            PrivateKey::Ec { curve, d, .. } => sign_ecdsa(*curve, d, tbs),
            PrivateKey::Ed25519(k) => {
                use ed25519_dalek::Signer;
                Ok(k.sign(tbs).to_bytes().to_vec())
            }
            PrivateKey::Dsa { .. } | PrivateKey::X25519 { .. } => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }

    /// `pemBlockForKey`: the PEM text sprig writes for a key.
    pub fn to_pem(&self) -> String {
        match self {
            PrivateKey::Rsa(k) => pem::encode("RSA PRIVATE KEY", &marshal_pkcs1(k)),
            PrivateKey::Dsa { p, q, g, y, x } => pem::encode(
                "DSA PRIVATE KEY",
                &der::seq(&[
                    &der::small_int(0),
                    &der::uint(p),
                    &der::uint(q),
                    &der::uint(g),
                    &der::uint(y),
                    &der::uint(x),
                ]),
            ),
            PrivateKey::Ec { curve, d, point } => pem::encode(
                "EC PRIVATE KEY",
                &der::seq(&[
                    &der::small_int(1),
                    &der::octets(d),
                    &der::explicit(0, &der::oid(curve.oid())),
                    &der::explicit(1, &der::bits(point)),
                ]),
            ),
            PrivateKey::Ed25519(k) => pem::encode(
                "PRIVATE KEY",
                &der::seq(&[
                    &der::small_int(0),
                    &der::seq(&[&der::oid(OID_ED25519)]),
                    &der::octets(&der::octets(&k.to_bytes())),
                ]),
            ),
            PrivateKey::X25519 { private, .. } => pem::encode(
                "PRIVATE KEY",
                &der::seq(&[
                    &der::small_int(0),
                    &der::seq(&[&der::oid(OID_X25519)]),
                    &der::octets(&der::octets(private)),
                ]),
            ),
        }
    }
}

fn marshal_pkcs1(k: &rsa::RsaPrivateKey) -> Vec<u8> {
    let primes = k.primes();
    let (p, q) = (&primes[0], &primes[1]);
    let one = BigUint::from(1u8);
    let d = k.d();
    let dp = k.dp().cloned().unwrap_or_else(|| d % (p - &one));
    let dq = k.dq().cloned().unwrap_or_else(|| d % (q - &one));
    let qinv = k.crt_coefficient().unwrap_or_else(|| BigUint::from(0u8));
    der::seq(&[
        &der::small_int(0),
        &der::uint(&k.n().to_bytes_be()),
        &der::uint(&k.e().to_bytes_be()),
        &der::uint(&d.to_bytes_be()),
        &der::uint(&p.to_bytes_be()),
        &der::uint(&q.to_bytes_be()),
        &der::uint(&dp.to_bytes_be()),
        &der::uint(&dq.to_bytes_be()),
        &der::uint(&qinv.to_bytes_be()),
    ])
}

fn sign_ecdsa(curve: Curve, d: &[u8], tbs: &[u8]) -> Result<Vec<u8>, String> {
    use ecdsa::signature::hazmat::PrehashSigner;
    let bad = |_| "x509: invalid elliptic curve private key value".to_string();
    Ok(match curve {
        Curve::P224 => {
            let k = p224::ecdsa::SigningKey::from_slice(d).map_err(bad)?;
            let s: p224::ecdsa::Signature = k
                .sign_prehash(&Sha256::digest(tbs))
                .map_err(|e| e.to_string())?;
            s.to_der().as_bytes().to_vec()
        }
        Curve::P256 => {
            let k = p256::ecdsa::SigningKey::from_slice(d).map_err(bad)?;
            let s: p256::ecdsa::Signature = k
                .sign_prehash(&Sha256::digest(tbs))
                .map_err(|e| e.to_string())?;
            s.to_der().as_bytes().to_vec()
        }
        Curve::P384 => {
            let k = p384::ecdsa::SigningKey::from_slice(d).map_err(bad)?;
            let s: p384::ecdsa::Signature = k
                .sign_prehash(&Sha384::digest(tbs))
                .map_err(|e| e.to_string())?;
            s.to_der().as_bytes().to_vec()
        }
        Curve::P521 => {
            let k = p521::ecdsa::SigningKey::from_slice(d).map_err(bad)?;
            let s: p521::ecdsa::Signature = k
                .sign_prehash(&Sha512::digest(tbs))
                .map_err(|e| e.to_string())?;
            s.to_der().as_bytes().to_vec()
        }
    })
}

/// The uncompressed public point for scalar `d`, or None for an invalid scalar.
fn ec_point(curve: Curve, d: &[u8]) -> Option<Vec<u8>> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    Some(match curve {
        Curve::P224 => p224::SecretKey::from_slice(d)
            .ok()?
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
        Curve::P256 => p256::SecretKey::from_slice(d)
            .ok()?
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
        Curve::P384 => p384::SecretKey::from_slice(d)
            .ok()?
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
        Curve::P521 => p521::SecretKey::from_slice(d)
            .ok()?
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
    })
}

// ---------------------------------------------------------------------------
// Generation

/// sprig's `generatePrivateKey`: the PEM text, or sprig's message on failure.
pub(crate) fn generate(rng: &mut Entropy, typ: &str) -> String {
    let key = match typ {
        "" | "rsa" => match rsa::RsaPrivateKey::new(rng, 4096) {
            Ok(k) => PrivateKey::Rsa(Box::new(k)),
            Err(e) => return format!("failed to generate private key: {e}"),
        },
        "dsa" => {
            let components = dsa::Components::generate(rng, dsa::KeySize::DSA_2048_256);
            let k = dsa::SigningKey::generate(rng, components);
            let v = k.verifying_key();
            let c = v.components();
            PrivateKey::Dsa {
                p: c.p().to_bytes_be(),
                q: c.q().to_bytes_be(),
                g: c.g().to_bytes_be(),
                y: v.y().to_bytes_be(),
                x: k.x().to_bytes_be(),
            }
        }
        "ecdsa" => {
            let k = p256::SecretKey::random(rng);
            let d = k.to_bytes().to_vec();
            let point = ec_point(Curve::P256, &d).unwrap_or_default();
            PrivateKey::Ec {
                curve: Curve::P256,
                d,
                point,
            }
        }
        "ed25519" => PrivateKey::Ed25519(Box::new(ed25519_dalek::SigningKey::generate(rng))),
        _ => return format!("Unknown type {typ}"),
    };
    key.to_pem()
}

/// A 2048-bit RSA key, as sprig's certificate functions generate.
pub(crate) fn generate_rsa_2048(rng: &mut Entropy) -> Result<PrivateKey, String> {
    rsa::RsaPrivateKey::new(rng, 2048)
        .map(|k| PrivateKey::Rsa(Box::new(k)))
        .map_err(|e| format!("error generating rsa key: {e}"))
}

// ---------------------------------------------------------------------------
// Parsing

static ADDITIONAL_PRIME: Schema = Schema {
    name: "pkcs1AdditionalRSAPrime",
    fields: &[
        Field::new(Kind::BigInt),
        Field::new(Kind::BigInt),
        Field::new(Kind::BigInt),
    ],
};

static PKCS1_PRIVATE_KEY: Schema = Schema {
    name: "pkcs1PrivateKey",
    fields: &[
        Field::new(Kind::Int),
        Field::new(Kind::BigInt),
        Field::new(Kind::Int),
        Field::new(Kind::BigInt),
        Field::new(Kind::BigInt),
        Field::new(Kind::BigInt),
        Field::optional(Kind::BigInt),
        Field::optional(Kind::BigInt),
        Field::optional(Kind::BigInt),
        Field::optional_omit_empty(Kind::SliceOf(&ADDITIONAL_PRIME)),
    ],
};

static EC_PRIVATE_KEY: Schema = Schema {
    name: "ecPrivateKey",
    fields: &[
        Field::new(Kind::Int),
        Field::new(Kind::Bytes),
        Field::explicit_optional(Kind::Oid, 0),
        Field::explicit_optional(Kind::BitString, 1),
    ],
};

static ALGORITHM_IDENTIFIER: Schema = Schema {
    name: "AlgorithmIdentifier",
    fields: &[Field::new(Kind::Oid), Field::optional(Kind::Raw)],
};

static PKCS8: Schema = Schema {
    name: "pkcs8",
    fields: &[
        Field::new(Kind::Int),
        Field::new(Kind::Struct(&ALGORITHM_IDENTIFIER)),
        Field::new(Kind::Bytes),
    ],
};

static DSA_KEY_FORMAT: Schema = Schema {
    name: "DSAKeyFormat",
    fields: &[
        Field::new(Kind::Int),
        Field::new(Kind::BigInt),
        Field::new(Kind::BigInt),
        Field::new(Kind::BigInt),
        Field::new(Kind::BigInt),
        Field::new(Kind::BigInt),
    ],
};

fn big(v: &Val) -> BigUint {
    BigUint::from_bytes_be(der::big_magnitude(v.big()))
}

/// `x509.ParsePKCS1PrivateKey`.
fn parse_pkcs1(der: &[u8]) -> Result<PrivateKey, String> {
    let parsed = der::unmarshal(&PKCS1_PRIVATE_KEY, der);
    let v = match parsed {
        Ok((_, rest)) if rest > 0 => return Err("asn1: syntax error: trailing data".into()),
        Ok((v, _)) => v,
        Err(e) => {
            if der::unmarshal(&EC_PRIVATE_KEY, der).is_ok() {
                return Err("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into());
            }
            if der::unmarshal(&PKCS8, der).is_ok() {
                return Err("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)".into());
            }
            return Err(e);
        }
    };
    let f = v.seq();
    if f[0].int() > 1 {
        return Err("x509: unsupported private key version".into());
    }
    let not_positive = |v: &Val| der::big_not_positive(v.big());
    if not_positive(&f[1])
        || not_positive(&f[3])
        || not_positive(&f[4])
        || not_positive(&f[5])
        || (6..9).any(|i| !f[i].is_absent() && not_positive(&f[i]))
    {
        return Err("x509: private key contains zero or negative value".into());
    }
    let one = BigUint::from(1u8);
    let mut primes = vec![big(&f[4]), big(&f[5])];
    for extra in f[9].seq() {
        let prime = &extra.seq()[0];
        if not_positive(prime) {
            return Err("x509: private key contains zero or negative prime".into());
        }
        primes.push(big(prime));
    }
    let e = f[2].int();
    if e < 2 {
        return Err("crypto/rsa: public exponent too small or negative".into());
    }
    if primes.iter().any(|p| *p <= one) {
        return Err("crypto/rsa: invalid prime value".into());
    }
    let n = big(&f[1]);
    if primes.iter().fold(BigUint::from(1u8), |acc, p| acc * p) != n {
        return Err("crypto/rsa: invalid modulus".into());
    }
    // The rsa crate asserts on some degenerate inputs; keep those an error.
    let d = big(&f[3]);
    let built = std::panic::catch_unwind(move || {
        let key = rsa::RsaPrivateKey::from_components(n, BigUint::from(e as u64), d, primes)
            .map_err(|e| format!("crypto/rsa: {e}"))?;
        key.validate().map_err(|e| format!("crypto/rsa: {e}"))?;
        Ok::<_, String>(key)
    })
    .unwrap_or_else(|_| Err("crypto/rsa: invalid key".into()))?;
    Ok(PrivateKey::Rsa(Box::new(built)))
}

/// `parseECPrivateKey(namedCurveOID, der)`.
fn parse_ec(curve_oid: Option<&[i64]>, der: &[u8]) -> Result<PrivateKey, String> {
    let v = match der::unmarshal(&EC_PRIVATE_KEY, der) {
        Ok((v, _)) => v,
        Err(e) => {
            if der::unmarshal(&PKCS8, der).is_ok() {
                return Err("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)".into());
            }
            if der::unmarshal(&PKCS1_PRIVATE_KEY, der).is_ok() {
                return Err("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)".into());
            }
            return Err(format!("x509: failed to parse EC private key: {e}"));
        }
    };
    let f = v.seq();
    if f[0].int() != 1 {
        return Err(format!(
            "x509: unknown EC private key version {}",
            f[0].int()
        ));
    }
    let curve = match curve_oid {
        Some(o) => Curve::from_oid(o),
        None => Curve::from_oid(f[2].oid()),
    }
    .ok_or("x509: unknown elliptic curve")?;
    let mut k = f[1].bytes();
    let n = curve.scalar_len();
    let magnitude = der::big_magnitude(k);
    let invalid = || "x509: invalid elliptic curve private key value".to_string();
    if magnitude.len() > n {
        return Err(invalid());
    }
    let mut d = vec![0u8; n];
    d[n - magnitude.len()..].copy_from_slice(magnitude);
    let point = ec_point(curve, &d).ok_or_else(invalid)?;
    while k.len() > n {
        if k[0] != 0 {
            return Err("x509: invalid private key length".into());
        }
        k = &k[1..];
    }
    Ok(PrivateKey::Ec { curve, d, point })
}

/// `x509.ParsePKCS8PrivateKey`.
fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    let v = match der::unmarshal(&PKCS8, der) {
        Ok((v, _)) => v,
        Err(e) => {
            if der::unmarshal(&EC_PRIVATE_KEY, der).is_ok() {
                return Err("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into());
            }
            if der::unmarshal(&PKCS1_PRIVATE_KEY, der).is_ok() {
                return Err("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)".into());
            }
            return Err(e);
        }
    };
    let f = v.seq();
    let algo = f[1].seq();
    let oid = algo[0].oid();
    let params_full: &[u8] = match &algo[1] {
        Val::Raw { full, .. } => full,
        _ => &[],
    };
    let private = f[2].bytes();
    let is = |o: &[u64]| o.iter().map(|&x| x as i64).eq(oid.iter().copied());
    if is(OID_RSA) {
        parse_pkcs1(private)
            .map_err(|e| format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}"))
    } else if is(OID_EC) {
        let curve = der::unmarshal_oid(params_full).ok();
        parse_ec(curve.as_deref(), private)
            .map_err(|e| format!("x509: failed to parse EC private key embedded in PKCS#8: {e}"))
    } else if is(OID_ED25519) {
        if !params_full.is_empty() {
            return Err("x509: invalid Ed25519 private key parameters".into());
        }
        let seed = der::unmarshal_octets(private)
            .map_err(|e| format!("x509: invalid Ed25519 private key: {e}"))?;
        let seed: [u8; 32] = seed
            .as_slice()
            .try_into()
            .map_err(|_| format!("x509: invalid Ed25519 private key length: {}", seed.len()))?;
        Ok(PrivateKey::Ed25519(Box::new(
            ed25519_dalek::SigningKey::from_bytes(&seed),
        )))
    } else if is(OID_X25519) {
        if !params_full.is_empty() {
            return Err("x509: invalid X25519 private key parameters".into());
        }
        let k = der::unmarshal_octets(private)
            .map_err(|e| format!("x509: invalid X25519 private key: {e}"))?;
        let private: [u8; 32] = k.as_slice().try_into().map_err(|_| {
            "x509: invalid X25519 private key: crypto/ecdh: invalid private key size".to_string()
        })?;
        let public = curve25519_dalek::MontgomeryPoint::mul_base_clamped(private).to_bytes();
        Ok(PrivateKey::X25519 { private, public })
    } else {
        Err(format!(
            "x509: PKCS#8 wrapping contained private key with unknown algorithm: {}",
            der::oid_string(oid)
        ))
    }
}

fn parse_dsa(der: &[u8]) -> Result<PrivateKey, String> {
    let (v, _) = der::unmarshal(&DSA_KEY_FORMAT, der)
        .map_err(|e| format!("parsing DSA private key from PEM: {e}"))?;
    let f = v.seq();
    let mag = |v: &Val| der::big_magnitude(v.big()).to_vec();
    Ok(PrivateKey::Dsa {
        p: mag(&f[1]),
        q: mag(&f[2]),
        g: mag(&f[3]),
        y: mag(&f[4]),
        x: mag(&f[5]),
    })
}

/// sprig's `parsePrivateKeyPEM`.
pub(crate) fn parse_private_key_pem(text: &str) -> Result<PrivateKey, String> {
    let Some(block) = pem::decode(text.as_bytes()) else {
        return Err("no PEM data in input".into());
    };
    if block.kind == "PRIVATE KEY" {
        return parse_pkcs8(&block.bytes).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(prefix) = block.kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!(
            "no private key data in PEM block of type {}",
            block.kind
        ));
    };
    match prefix {
        "RSA" => {
            parse_pkcs1(&block.bytes).map_err(|e| format!("parsing RSA private key from PEM: {e}"))
        }
        "EC" => parse_ec(None, &block.bytes)
            .map_err(|e| format!("parsing EC private key from PEM: {e}")),
        "DSA" => parse_dsa(&block.bytes),
        _ => Err(format!("invalid private key type {}", block.kind)),
    }
}
