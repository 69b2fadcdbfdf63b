'use strict';

// Byte helpers shared by the verifiers. Inputs are Uint8Array; bn.js is given plain arrays.
const BN = require('bn.js');

/** True when `value` is a Uint8Array, of `length` bytes if a length is given. */
function isBytes(value, length) {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}

/** The unsigned big-endian integer encoded by `bytes`. */
function toBN(bytes) {
  return new BN(Array.from(bytes));
}

/** `value` as `length` big-endian bytes (value < 2^(8·length)). */
function fromBN(value, length) {
  return Uint8Array.from(value.toArray('be', length));
}

/** The concatenation a ‖ b ‖ … of Uint8Arrays. */
function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

module.exports = { isBytes, toBN, fromBN, concat };
