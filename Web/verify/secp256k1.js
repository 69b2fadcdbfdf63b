'use strict';

// ECDSA over secp256k1 of SHA-256(message), low-S only (docs/crypto.md). The curve and the ECDSA
// verification equation (SEC 1 v2 §4.1.4) are elliptic's (Debian node-elliptic). Key decoding and the
// range checks are ours, to match libsecp256k1, which the node uses: elliptic alone reduces coordinates
// modulo p, does not check that an uncompressed point is on the curve, and has no low-S rule.
const elliptic = require('elliptic');
const { sha256 } = require('./sha256');
const { isBytes, toBN } = require('./bytes');

const ec = new elliptic.ec('secp256k1');
const curve = ec.curve;

/** The point with x-coordinate `x` and the given y parity, or null when there is none (SEC 1 §2.3.4). */
function decompress(x, odd) {
  if (x.gte(curve.p)) {
    return null;
  }
  try {
    return curve.pointFromX(x, odd);
  } catch (error) {
    // elliptic throws when x³ + 7 has no square root: no point has this x.
    return null;
  }
}

/** The point x ‖ y of a 65-byte key whose prefix is 04, 06 or 07, or null (SEC 1 §2.3.4, §3.2.2.1). */
function decodeUncompressed(publicKey) {
  const x = toBN(publicKey.subarray(1, 33));
  const y = toBN(publicKey.subarray(33, 65));
  if (x.gte(curve.p) || y.gte(curve.p)) {
    return null;
  }
  // X9.62's hybrid form repeats y's parity in the prefix: 06 even, 07 odd.
  if (publicKey[0] !== 0x04 && y.isOdd() !== (publicKey[0] === 0x07)) {
    return null;
  }
  const point = curve.point(x, y);
  return curve.validate(point) ? point : null;
}

/**
 * Decoded keys by their hex: a receipt's certificates are signed by the same few dozen validators again and
 * again, and decompressing a key (a square root mod p) is a fifth of a verification. Bounded, so a hostile
 * receipt with many keys cannot grow it without end; only valid points are kept.
 */
const decoded = new Map();
const DECODED_LIMIT = 4096;

function decodePublicKeyCached(publicKey) {
  if (!isBytes(publicKey)) return null;
  const id = Array.from(publicKey, (byte) => byte.toString(16).padStart(2, '0')).join('');
  const known = decoded.get(id);
  if (known !== undefined) return known;
  const point = decodePublicKey(publicKey);
  if (point !== null) {
    if (decoded.size >= DECODED_LIMIT) decoded.clear();
    decoded.set(id, point);
  }
  return point;
}

/**
 * Decodes a public key as libsecp256k1's secp256k1_ec_pubkey_parse does: 33 bytes 02/03 ‖ x, or 65 bytes
 * 04/06/07 ‖ x ‖ y (docs/crypto.md "One form of each key": typed and validator-set consensus keys may be
 * 65 bytes). The point must lie on the curve; with cofactor 1 that makes its order n. Returns it, or null.
 */
function decodePublicKey(publicKey) {
  if (isBytes(publicKey, 33) && (publicKey[0] === 0x02 || publicKey[0] === 0x03)) {
    return decompress(toBN(publicKey.subarray(1)), publicKey[0] === 0x03);
  }
  if (isBytes(publicKey, 65) && [0x04, 0x06, 0x07].includes(publicKey[0])) {
    return decodeUncompressed(publicKey);
  }
  return null;
}

/**
 * Verifies a 64-byte signature r ‖ s of SHA-256(message) by `publicKey`. r must be in [1, n−1] and s in
 * [1, ⌊n/2⌋] (low-S: the high-S twin (r, n − s) of a valid signature is refused). Returns false, never
 * throws, for malformed keys, messages or signatures.
 */
function secp256k1Verify(publicKey, message, signature) {
  const point = decodePublicKeyCached(publicKey);
  if (point === null || !isBytes(message) || !isBytes(signature, 64)) {
    return false;
  }
  const r = toBN(signature.subarray(0, 32));
  const s = toBN(signature.subarray(32, 64));
  if (r.isZero() || r.gte(ec.n) || s.isZero() || s.gt(ec.nh)) {
    return false;
  }
  // A 256-bit digest is used whole: n is 256 bits long, so SEC 1's truncation to n's length is a no-op.
  return ec.verify(Array.from(sha256(message)), { r, s }, ec.keyFromPublic(point));
}

module.exports = { secp256k1Verify, decodePublicKey };
