'use strict';

// SHA-256 (FIPS 180-4) from hash.js (Debian node-hash.js).
const hash = require('hash.js');

/** SHA-256 digest of `bytes` (a Uint8Array) as a 32-byte Uint8Array. */
function sha256(bytes) {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError('sha256 hashes a Uint8Array');
  }
  return Uint8Array.from(hash.sha256().update(Array.from(bytes)).digest());
}

module.exports = { sha256 };
