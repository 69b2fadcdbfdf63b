'use strict';

// SM2 signature verification, written from GB/T 32918 (parts 1, 2 and 5). Key validation, Z_A and the
// verification steps are ours; point arithmetic is elliptic's short-Weierstrass curve, numbers are bn.js.
const BN = require('bn.js');
const elliptic = require('elliptic');
const { sm3 } = require('./sm3');
const { isBytes, toBN, fromBN, concat } = require('./bytes');

// GB/T 32918.5-2017: the recommended 256-bit curve y^2 = x^3 + ax + b over F_p, base point G of prime
// order n, cofactor h = 1.
const params = {
  p: new BN('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF', 16),
  a: new BN('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC', 16),
  b: new BN('28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93', 16),
  n: new BN('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123', 16),
  gx: new BN('32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7', 16),
  gy: new BN('BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0', 16),
};

/** The recommended curve as an elliptic.js curve (exported for tests). */
const curve = new elliptic.curve.short({
  p: params.p,
  a: params.a,
  b: params.b,
  n: params.n,
  g: [params.gx, params.gy],
});

/** The distinguishing identifier every CivicLedger SM2 signature uses (GM/T 0009's default ID). */
const DEFAULT_ID = Uint8Array.from('1234567812345678', (digit) => digit.charCodeAt(0));

/**
 * Decodes a 65-byte uncompressed key 04 ‖ x ‖ y (GB/T 32918.1 §4.2, uncompressed form) and validates it as
 * GB/T 32918.1 §6.2 requires: P ≠ O (an encoded point never is), x and y in [0, p−1], P on the curve.
 * The last check there, [n]P = O, follows from the curve equation because the cofactor is 1.
 * Returns the point, or null.
 */
function decodePublicKey(publicKey) {
  if (!isBytes(publicKey, 65) || publicKey[0] !== 0x04) {
    return null;
  }
  const x = toBN(publicKey.subarray(1, 33));
  const y = toBN(publicKey.subarray(33, 65));
  if (x.gte(params.p) || y.gte(params.p)) {
    return null;
  }
  const point = curve.point(x, y);
  return curve.validate(point) ? point : null;
}

/**
 * Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5), where ENTL_A is the bit
 * length of ID_A as two bytes. `publicKey` is 65 bytes 04 ‖ x_A ‖ y_A; `id` a Uint8Array (default
 * "1234567812345678"). Throws a TypeError on malformed arguments.
 */
function sm2Za(publicKey, id = DEFAULT_ID) {
  if (!isBytes(publicKey, 65) || publicKey[0] !== 0x04) {
    throw new TypeError('an SM2 public key is 65 bytes: 04 ‖ x ‖ y');
  }
  if (!isBytes(id) || id.length * 8 > 0xffff) {
    throw new TypeError('an SM2 identifier is a Uint8Array of at most 8191 bytes');
  }
  const entl = fromBN(new BN(id.length * 8), 2);
  const curveBytes = [params.a, params.b, params.gx, params.gy].map((value) => fromBN(value, 32));
  return sm3(concat(entl, id, ...curveBytes, publicKey.subarray(1)));
}

/** True when 1 ≤ value ≤ n − 1. */
function inScalarRange(value) {
  return !value.isZero() && value.lt(params.n);
}

/**
 * Verifies a 64-byte signature r ‖ s of `message` by the 65-byte public key (GB/T 32918.2 §7.1, steps
 * B1–B7), with Z_A computed for `id` (default "1234567812345678"). Returns false, never throws, for
 * malformed keys, messages or signatures. SM2 has no low-S rule: any s in range is accepted.
 */
function sm2Verify(publicKey, message, signature, id = DEFAULT_ID) {
  const point = decodePublicKey(publicKey);
  if (point === null || !isBytes(message) || !isBytes(signature, 64)) {
    return false;
  }
  const r = toBN(signature.subarray(0, 32));
  const s = toBN(signature.subarray(32, 64));
  // B1, B2: r' and s' in [1, n−1].
  if (!inScalarRange(r) || !inScalarRange(s)) {
    return false;
  }
  // B3, B4: e' = SM3(Z_A ‖ M') read as an integer.
  const e = toBN(sm3(concat(sm2Za(publicKey, id), message)));
  // B5: t = (r' + s') mod n, which must not be 0.
  const t = r.add(s).umod(params.n);
  if (t.isZero()) {
    return false;
  }
  // B6: (x1', y1') = [s']G + [t]P_A.
  const sum = curve.g.mulAdd(s, point, t);
  if (sum.isInfinity()) {
    return false;
  }
  // B7: R = (e' + x1') mod n must equal r'.
  return e.add(sum.getX()).umod(params.n).eq(r);
}

module.exports = { sm2Verify, sm2Za, decodePublicKey, curve };
