'use strict';

// The two crypto suites of docs/crypto.md, by their exact names. Every function takes and returns
// Uint8Array; `verify` returns false, and never throws, for any malformed input.
const { sha256 } = require('./sha256');
const { sm3 } = require('./sm3');
const { secp256k1Verify } = require('./secp256k1');
const { sm2Verify } = require('./sm2');

const suites = Object.freeze({
  'secp256k1-sha256': Object.freeze({
    /** SHA-256 (FIPS 180-4): 32 bytes. */
    hash: sha256,
    /** ECDSA/secp256k1 of SHA-256(message), 64-byte r ‖ s, low-S; key of 33 (or 65) bytes. */
    verify: secp256k1Verify,
  }),
  'sm2-sm3': Object.freeze({
    /** SM3 (GB/T 32905): 32 bytes. */
    hash: sm3,
    /** SM2 of SM3(Z_A ‖ message) with ID "1234567812345678", 64-byte r ‖ s; key 65 bytes 04 ‖ x ‖ y. */
    // Exactly three arguments: the ID is fixed, so a caller cannot pass sm2Verify's optional fourth.
    verify: (publicKey, message, signature) => sm2Verify(publicKey, message, signature),
  }),
});

/** The suite called `name`; throws an Error naming the known suites when there is none. */
function suite(name) {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(suites, name)) {
    throw new Error(`unknown crypto suite "${String(name)}": expected one of ${Object.keys(suites).join(', ')}`);
  }
  return suites[name];
}

module.exports = { suites, suite };
