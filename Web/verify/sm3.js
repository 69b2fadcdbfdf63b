'use strict';

// SM3 cryptographic hash, written from GB/T 32905-2016. Section numbers below are that standard's.
// Words are 32-bit, big-endian (§2.2); JavaScript bit operators work on 32-bit integers, and `>>> 0`
// brings a result back to an unsigned word (sums are taken modulo 2^32).

// §4.1 Initial value IV.
const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

// §4.2 Constant T_j.
function T(j) {
  return j < 16 ? 0x79cc4519 : 0x7a879d8a;
}

// Left rotation of a word by n bits (the standard's <<<).
function rotl(x, n) {
  const k = n % 32;
  return k === 0 ? x >>> 0 : ((x << k) | (x >>> (32 - k))) >>> 0;
}

// §4.3 Boolean functions FF_j and GG_j.
function FF(j, x, y, z) {
  return (j < 16 ? x ^ y ^ z : (x & y) | (x & z) | (y & z)) >>> 0;
}

function GG(j, x, y, z) {
  return (j < 16 ? x ^ y ^ z : (x & y) | (~x & z)) >>> 0;
}

// §4.4 Permutation functions P0 and P1.
function P0(x) {
  return (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
}

function P1(x) {
  return (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;
}

// §5.2 Padding: append bit 1, then zeros up to 448 mod 512 bits, then the message length l in bits as a
// 64-bit big-endian integer.
function pad(message) {
  const paddedLength = Math.ceil((message.length + 9) / 64) * 64;
  const padded = new Uint8Array(paddedLength);
  padded.set(message);
  padded[message.length] = 0x80;
  const bitLength = message.length * 8;
  const view = new DataView(padded.buffer);
  view.setUint32(paddedLength - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(paddedLength - 4, bitLength % 0x100000000);
  return padded;
}

// §5.3.2 Message expansion of one 512-bit block into W_0..W_67 and W'_0..W'_63.
function expand(view, offset) {
  const W = new Array(68);
  for (let j = 0; j < 16; j++) {
    W[j] = view.getUint32(offset + 4 * j);
  }
  for (let j = 16; j < 68; j++) {
    W[j] = (P1(W[j - 16] ^ W[j - 9] ^ rotl(W[j - 3], 15)) ^ rotl(W[j - 13], 7) ^ W[j - 6]) >>> 0;
  }
  const W1 = new Array(64);
  for (let j = 0; j < 64; j++) {
    W1[j] = (W[j] ^ W[j + 4]) >>> 0;
  }
  return { W, W1 };
}

// §5.3.3 Compression function: V(i+1) = CF(V(i), B(i)).
function compress(V, view, offset) {
  const { W, W1 } = expand(view, offset);
  let [A, B, C, D, E, F, G, H] = V;
  for (let j = 0; j < 64; j++) {
    const SS1 = rotl((rotl(A, 12) + E + rotl(T(j), j)) >>> 0, 7);
    const SS2 = (SS1 ^ rotl(A, 12)) >>> 0;
    const TT1 = (FF(j, A, B, C) + D + SS2 + W1[j]) >>> 0;
    const TT2 = (GG(j, E, F, G) + H + SS1 + W[j]) >>> 0;
    D = C;
    C = rotl(B, 9);
    B = A;
    A = TT1;
    H = G;
    G = rotl(F, 19);
    F = E;
    E = P0(TT2);
  }
  return [A, B, C, D, E, F, G, H].map((word, i) => (word ^ V[i]) >>> 0);
}

/**
 * SM3 digest of `bytes` (a Uint8Array) as a 32-byte Uint8Array.
 * §5.3.1 iterates the compression function over the padded blocks; §5.4 outputs V(n) big-endian.
 */
function sm3(bytes) {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError('sm3 hashes a Uint8Array');
  }
  const padded = pad(bytes);
  const view = new DataView(padded.buffer);
  let V = IV;
  for (let offset = 0; offset < padded.length; offset += 64) {
    V = compress(V, view, offset);
  }
  const digest = new Uint8Array(32);
  const out = new DataView(digest.buffer);
  V.forEach((word, i) => out.setUint32(4 * i, word));
  return digest;
}

module.exports = { sm3 };
