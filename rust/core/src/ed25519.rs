//! Ed25519 signatures (RFC 8032), implementing docs/ed25519.md.
//!
//! Keys and signatures are fixed-size arrays, so every function here is total. Verification
//! follows one rule, the same for [`verify`] and [`verify_batch`] (and for the JVM twin):
//!
//! 1. `S` (the signature's second half, little-endian) is below the group order `L`;
//! 2. the encodings of `A` (the public key) and `R` (the signature's first half) are canonical:
//!    they decode to a curve point whose re-encoding is the same 32 bytes (so `y < p`, and no
//!    `x = 0` point with the sign bit set);
//! 3. neither `A` nor `R` is of small order (one of the 8 points of order 1, 2, 4 or 8);
//! 4. the cofactored equation `[8]([S]B - R - [k]A) = 0` holds, with
//!    `k = SHA-512(R || A || M) mod L` over the bytes as given.
//!
//! The equation is cofactored (RFC 8032, section 5.1.7, states it that way) so that a batch,
//! which can only ever check a random linear combination of the items' equations, answers
//! exactly what each item alone would: multiplying the combination by 8 removes the torsion
//! parts that a cofactorless batch would let cancel by chance.

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha512};

use crate::error::{vec_with_capacity, Error};
use crate::pool;

/// Bytes in a secret key (the RFC 8032 seed).
pub const SECRET_KEY_LENGTH: usize = 32;
/// Bytes in a public key (the encoding of `A`).
pub const PUBLIC_KEY_LENGTH: usize = 32;
/// Bytes in a signature (`R || S`).
pub const SIGNATURE_LENGTH: usize = 64;

/// Items verified together in one multiscalar multiplication. Larger batches amortise a bit
/// more, but a failing batch has to be searched for its failures, which costs more the larger
/// it is.
pub const BATCH: usize = 64;

/// Batches from which [`verify_batch`] spreads the work over hotpath's pool: below two
/// batches there is nothing to split, and a batch is about 1 ms of work, far above the cost of
/// waking a worker.
pub(crate) const PAR_MIN: usize = 2 * BATCH;

/// Batches at or below this size are searched for their failures one item at a time rather
/// than by halving.
const SINGLES: usize = 4;

/// One signature to check: the public key, the message and the signature, as given.
#[derive(Clone, Copy, Debug)]
pub struct Item<'a> {
    /// The signer's public key.
    pub public_key: &'a [u8; PUBLIC_KEY_LENGTH],
    /// The signed message.
    pub message: &'a [u8],
    /// The signature, `R || S`.
    pub signature: &'a [u8; SIGNATURE_LENGTH],
}

/// The public key of `secret_key`: `[a]B` encoded, where `a` is the clamped first half of
/// `SHA-512(secret_key)` (RFC 8032, section 5.1.5).
pub fn public_key(secret_key: &[u8; SECRET_KEY_LENGTH]) -> [u8; PUBLIC_KEY_LENGTH] {
    SigningKey::from_bytes(secret_key)
        .verifying_key()
        .to_bytes()
}

/// The deterministic RFC 8032 signature of `message` under `secret_key`.
pub fn sign(secret_key: &[u8; SECRET_KEY_LENGTH], message: &[u8]) -> [u8; SIGNATURE_LENGTH] {
    SigningKey::from_bytes(secret_key).sign(message).to_bytes()
}

/// Whether `signature` is a valid signature of `message` under `public_key`, by the rule in
/// the module documentation. Never panics; malformed inputs are simply `false`.
pub fn verify(
    public_key: &[u8; PUBLIC_KEY_LENGTH],
    message: &[u8],
    signature: &[u8; SIGNATURE_LENGTH],
) -> bool {
    prepare(&Item {
        public_key,
        message,
        signature,
    })
    .is_some_and(|p| p.holds())
}

/// [`verify`] of every item, in order: the answers are exactly the single answers. Items that
/// pass the encoding checks are verified [`BATCH`] at a time with one multiscalar
/// multiplication (about twice as fast per item); a batch that fails is searched for its
/// failures by halving, and by single checks once failures turn out to be dense. Batches of
/// more than [`PAR_MIN`] items run on hotpath's pool.
///
/// Memory: the answers (1 byte per item), fallibly, and per thread at work one batch's points
/// and multiscalar tables (under 256 KiB), whatever the number of items.
///
/// # Errors
/// [`Error::OutOfMemory`] when the answers cannot be allocated.
pub fn try_verify_batch(items: &[Item<'_>]) -> Result<Vec<bool>, Error> {
    let mut answers = vec_with_capacity("the answers of a signature batch", items.len())?;
    answers.resize(items.len(), false);
    let fill = |(out, chunk): (&mut [bool], &[Item<'_>])| {
        for (answer, ok) in out.iter_mut().zip(verify_chunk(chunk)) {
            *answer = ok;
        }
    };
    if items.len() >= PAR_MIN {
        // `share`, not `run`: the calling thread verifies from the start, so on busy cores,
        // where no worker is free, the batch costs what one thread costs.
        // Pieces of whole batches (so every batch is the one a sequential run checks), at most
        // `pool::MAX_PIECES` of them, so the bookkeeping stays small whatever the item count.
        let piece = BATCH * pool::piece_len(items.len().div_ceil(BATCH), 1);
        pool::share(
            answers.chunks_mut(piece).zip(items.chunks(piece)).collect(),
            |(out, chunk): (&mut [bool], &[Item<'_>])| {
                out.chunks_mut(BATCH)
                    .zip(chunk.chunks(BATCH))
                    .for_each(fill)
            },
        );
    } else {
        answers
            .chunks_mut(BATCH)
            .zip(items.chunks(BATCH))
            .for_each(fill);
    }
    Ok(answers)
}

/// [`try_verify_batch`], panicking (which the JNI bridge turns into an exception, never an
/// abort) where it returns [`Error::OutOfMemory`]; callers that can report it should call that.
pub fn verify_batch(items: &[Item<'_>]) -> Vec<bool> {
    try_verify_batch(items).unwrap_or_else(|e| panic!("{e}"))
}

fn verify_chunk(items: &[Item<'_>]) -> Vec<bool> {
    let prepared: Vec<Option<Prepared>> = items.iter().map(prepare).collect();
    let mut answers: Vec<bool> = prepared.iter().map(Option::is_some).collect();
    let candidates: Vec<(usize, &Prepared)> = prepared
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.as_ref().map(|p| (i, p)))
        .collect();
    search(&candidates, &mut answers);
    answers
}

/// Sets `answers[i] = false` for every candidate whose equation fails, trusting a passing
/// batch and searching a failing one with [`find_failures`].
fn search(candidates: &[(usize, &Prepared)], answers: &mut [bool]) {
    if candidates.len() <= SINGLES {
        singles(candidates, answers);
    } else if !batch_holds(candidates) {
        find_failures(candidates, answers);
    }
}

/// Finds the failures among `candidates`, which as a batch did not hold (so at least one
/// fails, or no randomness was to be had). Halves are tried as batches; when the first half
/// holds, the failure is in the second, which needs no batch of its own; when both fail,
/// failures are dense and every item is checked alone. So one failure among 64 costs about
/// 0.85 single checks per item, and a batch where every item fails about 1.8.
fn find_failures(candidates: &[(usize, &Prepared)], answers: &mut [bool]) {
    if candidates.len() <= SINGLES {
        singles(candidates, answers);
        return;
    }
    let (left, right) = candidates.split_at(candidates.len() / 2);
    if batch_holds(left) {
        find_failures(right, answers);
    } else if batch_holds(right) {
        find_failures(left, answers);
    } else {
        singles(candidates, answers);
    }
}

fn singles(candidates: &[(usize, &Prepared)], answers: &mut [bool]) {
    for (i, p) in candidates {
        answers[*i] = p.holds();
    }
}

/// A signature that passed checks 1-3, ready for the equation.
struct Prepared {
    a: EdwardsPoint,
    r: EdwardsPoint,
    s: Scalar,
    k: Scalar,
}

impl Prepared {
    /// The cofactored equation `[8]([S]B - [k]A - R) = 0`.
    fn holds(&self) -> bool {
        let sb_minus_ka =
            EdwardsPoint::vartime_double_scalar_mul_basepoint(&self.k, &-self.a, &self.s);
        (sb_minus_ka - self.r).mul_by_cofactor().is_identity()
    }
}

/// Checks 1-3 of the rule, and `k`; `None` when the signature fails any of them.
fn prepare(item: &Item<'_>) -> Option<Prepared> {
    let (r_bytes, s_bytes) = item.signature.split_at(32);
    let s_bytes: [u8; 32] = s_bytes.try_into().ok()?;
    let r_bytes: [u8; 32] = r_bytes.try_into().ok()?;
    let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes))?;
    let a = strict_point(item.public_key)?;
    let r = strict_point(&r_bytes)?;
    let mut h = Sha512::new();
    h.update(r_bytes);
    h.update(item.public_key);
    h.update(item.message);
    let digest: [u8; 64] = h.finalize().into();
    let k = Scalar::from_bytes_mod_order_wide(&digest);
    Some(Prepared { a, r, s, k })
}

/// The point `bytes` encodes, if the encoding is canonical and the point is not of small order.
///
/// Canonical means re-encoding gives the same bytes: `y < p`, checked on the bytes (cheaper
/// than re-encoding, which costs a field inversion), and no `x = 0` with the sign bit set. The
/// only points with `x = 0` are `(0, 1)` and `(0, -1)`, of order 1 and 2, so the small-order
/// check refuses those encodings too.
fn strict_point(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    if !y_below_p(bytes) {
        return None;
    }
    let point = CompressedEdwardsY(*bytes).decompress()?;
    if point.is_small_order() {
        return None;
    }
    Some(point)
}

/// Whether the 255-bit little-endian `y` of an encoding (the sign bit aside) is below
/// `p = 2^255 - 19`, whose bytes are `ed ff .. ff 7f`.
fn y_below_p(bytes: &[u8; 32]) -> bool {
    !(bytes[31] & 0x7f == 0x7f && bytes[1..31].iter().all(|&b| b == 0xff) && bytes[0] >= 0xed)
}

/// The batch equation `[8](sum z_i ([S_i]B - R_i - [k_i]A_i)) = 0` with independent random
/// 128-bit `z_i` from the operating system: holds whenever every item's equation holds, and
/// otherwise only with probability about `2^-128`. `false` when no randomness was to be had
/// (the caller then checks the items one by one), as a failing batch.
fn batch_holds(candidates: &[(usize, &Prepared)]) -> bool {
    let mut random = vec![0u8; 16 * candidates.len()];
    if getrandom::fill(&mut random).is_err() {
        return false;
    }
    let zs: Vec<Scalar> = random
        .chunks_exact(16)
        .map(|c| {
            let mut wide = [0u8; 32];
            wide[..16].copy_from_slice(c);
            Scalar::from_bytes_mod_order(wide)
        })
        .collect();
    let b_coefficient: Scalar = candidates.iter().zip(&zs).map(|((_, p), z)| z * p.s).sum();
    let scalars = std::iter::once(b_coefficient)
        .chain(zs.iter().map(|z| -z))
        .chain(candidates.iter().zip(&zs).map(|((_, p), z)| -(z * p.k)));
    let points = std::iter::once(ED25519_BASEPOINT_POINT)
        .chain(candidates.iter().map(|(_, p)| p.r))
        .chain(candidates.iter().map(|(_, p)| p.a));
    let sum = EdwardsPoint::vartime_multiscalar_mul(scalars, points);
    sum.mul_by_cofactor().is_identity()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: decoding and re-encoding gives the same bytes, and not of small order.
    fn by_definition(bytes: &[u8; 32]) -> bool {
        CompressedEdwardsY(*bytes)
            .decompress()
            .is_some_and(|p| p.compress().as_bytes() == bytes && !p.is_small_order())
    }

    #[test]
    fn strict_point_matches_its_definition_on_edge_and_random_encodings() {
        let mut encodings = Vec::new();
        for low in 0u8..=255 {
            for top in [0x00u8, 0x80, 0x7f, 0xff] {
                let mut b = [0u8; 32];
                b[0] = low;
                b[31] = top;
                encodings.push(b);
                let mut high = [0xffu8; 32];
                high[0] = low;
                high[31] = top;
                encodings.push(high);
            }
        }
        let mut state = 0x1234_5678_9abc_def0u64;
        for _ in 0..2000 {
            let mut b = [0u8; 32];
            for byte in b.iter_mut() {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *byte = (state >> 56) as u8;
            }
            encodings.push(b);
        }
        let basepoint = ED25519_BASEPOINT_POINT.compress().to_bytes();
        encodings.push(basepoint);
        for b in &encodings {
            assert_eq!(strict_point(b).is_some(), by_definition(b), "{b:02x?}");
        }
        assert!(strict_point(&basepoint).is_some());
    }
}
