'use strict';

// CivicLedger receipt verifier — a second, independent implementation written from the
// documentation alone (docs/receipts.md, docs/verifier.md, docs/encoding.md, docs/state-tree.md,
// docs/rules.md "State layout", docs/privacy.md, Consensus/SPEC.md, Genesis/README.md).
//
// verify({ genesis, checkpoints, receipt, question }) mirrors `civic verify --json` offline.
// It is pure, synchronous and browser-safe: Uint8Array only, no Buffer, no fs, no node crypto.
// Where the documentation was silent or ambiguous, the choice made is listed in DOC-GAPS.md and
// marked "DOC-GAP" in a comment here.

// ---------------------------------------------------------------------------------------------
// Crypto suite (Web/verify/crypto.js): hash(bytes) -> 32 bytes, verify(key, message, sig64) -> bool

let suiteFactory = null;
// verify()'s optional `signatures` (Web/verify/page.js, verifyParallel): a function (suite name, key, message,
// signature, verify) -> boolean asked for every signature check of that call, so the page can have checked
// them ahead, on every core. Set only while one synchronous verify() runs.
let signatureOracle = null;
function loadSuite(name) {
  if (suiteFactory === null) {
    const factory = require('./crypto.js').suite;
    if (typeof factory !== 'function') throw new CannotCheck('the crypto suites (crypto.js) could not be loaded');
    suiteFactory = factory;
  }
  const real = suiteFactory(name);
  const oracle = signatureOracle;
  if (oracle === null) return real;
  return { hash: real.hash, verify: (key, message, signature) => oracle(name, key, message, signature, real.verify) };
}

// ---------------------------------------------------------------------------------------------
// Errors. Every failure ends as a report; these only carry it there.

/** Input that cannot be read or checked: the verdict is "could not check" (exit 2). */
class CannotCheck extends Error {}

/** A canonical decoding error (docs/encoding.md "Rules": truncated, trailing_bytes, …). */
class DecodeError extends CannotCheck {
  constructor(code, offset, what) {
    super(`${what ? what + ': ' : ''}${code} at byte ${offset}`);
    this.code = code;
  }
}

/** A named verification check failed (docs/verifier.md "Certificates" lists the names). */
class CheckFailure extends Error {
  constructor(check, detail) {
    super(detail);
    this.check = check;
  }
}

// ---------------------------------------------------------------------------------------------
// Bytes and hex

const textEncoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function concat(...parts) {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function toHex(bytes) {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** Hex to bytes; `null` when not an even number of hex digits. DOC-GAP: upper case is accepted. */
function fromHex(text) {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
  return out;
}

/** The first 16 hex digits and an ellipsis, as the CLI prints hashes. */
function short(bytes) {
  return toHex(bytes).slice(0, 16) + '…';
}

// ---------------------------------------------------------------------------------------------
// Canonical writer (docs/encoding.md "Rules"): only what the verifier must build itself —
// signed bytes, derived keys and the genesis encoding. Everything else is hashed as read.

class Writer {
  constructor() {
    this.parts = [];
  }
  u8(v) {
    this.parts.push(Uint8Array.of(v));
    return this;
  }
  u16(v) {
    this.parts.push(Uint8Array.of((v >>> 8) & 0xff, v & 0xff));
    return this;
  }
  u32(v) {
    this.parts.push(Uint8Array.of((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff));
    return this;
  }
  u64(v) {
    let n = BigInt(v);
    const out = new Uint8Array(8);
    for (let i = 7; i >= 0; i--) {
      out[i] = Number(n & 0xffn);
      n >>= 8n;
    }
    this.parts.push(out);
    return this;
  }
  raw(bytes) {
    this.parts.push(bytes);
    return this;
  }
  bytes(bytes) {
    return this.u32(bytes.length).raw(bytes);
  }
  string(text) {
    return this.bytes(textEncoder.encode(text));
  }
  optional(value, write) {
    if (value === null || value === undefined) return this.u8(0);
    this.u8(1);
    write(this, value);
    return this;
  }
  finish() {
    return concat(...this.parts);
  }
}

// ---------------------------------------------------------------------------------------------
// Canonical reader (docs/encoding.md "Rules"): total — a value or a DecodeError, never a crash.

const U64_MAX = (1n << 64n) - 1n;
const I63_MAX = (1n << 63n) - 1n;

// Identifiers checked on decode (docs/encoding.md "Rules").
const CHAIN_ID = /^[a-z0-9._-]{1,64}$/;
const ORG_ID = /^[A-Za-z0-9-]{1,32}$/;
const REASON_CODE = /^[a-z0-9_.-]{1,64}$/;
const PROGRAMME_NAME = /^[a-z0-9-]{1,32}$/;

class Reader {
  constructor(bytes, what) {
    this.b = bytes;
    this.o = 0;
    this.what = what;
  }
  fail(code, offset) {
    throw new DecodeError(code, offset === undefined ? this.o : offset, this.what);
  }
  need(n) {
    if (n > this.b.length - this.o) this.fail('truncated');
  }
  remaining() {
    return this.b.length - this.o;
  }
  u8() {
    this.need(1);
    return this.b[this.o++];
  }
  u16() {
    this.need(2);
    const v = (this.b[this.o] << 8) | this.b[this.o + 1];
    this.o += 2;
    return v;
  }
  u32() {
    this.need(4);
    const v = ((this.b[this.o] << 24) >>> 0) + (this.b[this.o + 1] << 16) + (this.b[this.o + 2] << 8) + this.b[this.o + 3];
    this.o += 4;
    return v;
  }
  /** UInt64 as a BigInt. */
  u64() {
    this.need(8);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.b[this.o + i]);
    this.o += 8;
    return v;
  }
  fixed(n) {
    this.need(n);
    const v = this.b.slice(this.o, this.o + n);
    this.o += n;
    return v;
  }
  digest() {
    return this.fixed(32);
  }
  signature() {
    return this.fixed(64);
  }
  bool() {
    const at = this.o;
    const v = this.u8();
    if (v > 1) this.fail('invalid_value', at);
    return v === 1;
  }
  /** A byte string: UInt32 length (≤ limit), then the bytes. */
  bytes(limit) {
    const at = this.o;
    const n = this.u32();
    if (n > limit) this.fail('limit_exceeded', at);
    return this.fixed(n);
  }
  /** A string: UInt32 length (≤ limit bytes), then UTF-8; `pattern` checks identifiers. */
  string(limit, pattern) {
    const at = this.o;
    const raw = this.bytes(limit);
    let text;
    try {
      text = utf8Decoder.decode(raw);
    } catch (e) {
      this.fail('invalid_utf8', at);
    }
    if (pattern && !pattern.test(text)) this.fail('invalid_value', at);
    return text;
  }
  chainId() {
    return this.string(64, CHAIN_ID);
  }
  orgId() {
    return this.string(32, ORG_ID);
  }
  reasonCode() {
    return this.string(64, REASON_CODE);
  }
  /** An array: UInt32 count (≤ limit, and no more than the bytes left allow), then each element. */
  array(limit, minElementSize, readElement) {
    const at = this.o;
    const n = this.u32();
    if (n > limit) this.fail('limit_exceeded', at);
    if (n * minElementSize > this.remaining()) this.fail('truncated', at);
    const out = [];
    for (let i = 0; i < n; i++) out.push(readElement(this));
    return out;
  }
  /** An optional: 00, or 01 then the value. */
  optional(readValue) {
    const at = this.o;
    const tag = this.u8();
    if (tag === 0) return null;
    if (tag !== 1) this.fail('invalid_value', at);
    return readValue(this);
  }
  /** The bytes read since `start`, for hashing exactly what was read. */
  since(start) {
    return this.b.slice(start, this.o);
  }
  done() {
    if (this.o !== this.b.length) this.fail('trailing_bytes');
  }
}

/** Decodes a whole top-level value: every byte must be used (docs/encoding.md "Rules"). */
function decodeWhole(bytes, what, readValue) {
  const r = new Reader(bytes, what);
  const value = readValue(r);
  r.done();
  return value;
}

// ---------------------------------------------------------------------------------------------
// Decoders, one per encoding (docs/encoding.md). Each returns plain objects; `raw` keeps the
// exact bytes read where the verifier hashes them (headers, sets, records, transactions).

// docs/encoding.md "Blocks": BlockHeader, version 02.
function readHeader(r) {
  const start = r.o;
  const version = r.u8();
  if (version !== 2) r.fail('unsupported_version', start);
  const h = {
    version,
    chainId: r.chainId(),
    height: r.u64(),
    time: r.u64(),
    previousHash: r.digest(),
    transactionsRoot: r.digest(),
    transactionCount: r.u32(),
    stateRoot: r.digest(),
    resultsRoot: r.digest(),
    evidenceRoot: r.digest(),
    validatorSetHash: r.digest(),
    nextValidatorSetHash: r.digest(),
    lastCommitHash: r.digest(),
    proposer: r.orgId(),
  };
  h.raw = r.since(start);
  return h;
}

// docs/encoding.md "Blocks": CommitCertificate = height ‖ round ‖ block hash ‖ signatures.
function readCommit(r) {
  return {
    height: r.u64(),
    round: r.u32(),
    blockHash: r.digest(),
    signatures: r.array(65535, 66, (e) => ({ index: e.u16(), signature: e.signature() })),
  };
}

// docs/encoding.md "Blocks": ValidatorSet = array of (id ‖ power ‖ consensus key).
function readValidatorSet(r) {
  const start = r.o;
  const validators = r.array(10000, 16, (e) => ({ id: e.orgId(), power: e.u64(), key: e.bytes(65) }));
  return { validators, raw: r.since(start) };
}

// docs/encoding.md "Verifier evidence": ValidatorHandOff = header ‖ commit ‖ next set.
function readHandOff(r) {
  return { header: readHeader(r), commit: readCommit(r), nextSet: readValidatorSet(r) };
}

// docs/encoding.md "Verifier evidence": CheckpointRef = height ‖ header hash.
function readCheckpointRef(r) {
  const at = r.o;
  const height = r.u64();
  // docs/receipts.md "Versioning": a base checkpoint's height is from 1 to 2^63 − 1.
  if (height < 1n || height > I63_MAX) r.fail('invalid_value', at);
  return { height, headerHash: r.digest() };
}

// docs/encoding.md "Merkle proofs": InclusionProof = leaf index ‖ tree size ‖ path (≤ 64).
function readInclusionProof(r) {
  return { leafIndex: r.u64(), treeSize: r.u64(), path: r.array(64, 32, (e) => e.digest()) };
}

// docs/state-tree.md "Proofs": key ‖ siblings (≤ 256, root down) ‖ terminal 00 | 01 leaf key value hash.
function readStateProof(r) {
  const key = r.digest();
  const siblings = r.array(256, 32, (e) => e.digest());
  const at = r.o;
  const tag = r.u8();
  let leaf = null;
  if (tag === 1) leaf = { key: r.digest(), valueHash: r.digest() };
  else if (tag !== 0) r.fail('unknown_tag', at);
  return { key, siblings, leaf };
}

// docs/encoding.md "Records and derived keys": CertificateRef = issuer ‖ key.
function readCertificateRef(r) {
  return { issuer: r.orgId(), key: r.digest() };
}

const CERTIFICATE_KINDS = { 1: 'marriage', 2: 'divorce', 3: 'decision' };
const CERTIFICATE_STATUSES = { 1: 'valid', 2: 'revoked', 3: 'superseded', 4: 'corrected' };

function readEnumValue(r, table) {
  const at = r.o;
  const v = r.u8();
  if (!(v in table)) r.fail('invalid_value', at);
  return v;
}

// docs/encoding.md "Records and derived keys": CertificateRecord and its events.
function readCertificateRecord(r) {
  const start = r.o;
  const record = {
    commitment: r.digest(),
    kind: readEnumValue(r, CERTIFICATE_KINDS),
    issuer: r.orgId(),
    history: r.array(64, 15, (e) => ({
      status: readEnumValue(e, CERTIFICATE_STATUSES),
      by: e.orgId(),
      height: e.u64(),
      reason: e.reasonCode(),
      replacement: e.optional(readCertificateRef),
    })),
  };
  record.raw = r.since(start);
  return record;
}

// docs/encoding.md "Records and derived keys": BatchRecord = issuer ‖ count ‖ label ‖ height.
function readBatchRecord(r) {
  const start = r.o;
  const record = { issuer: r.orgId(), count: r.u32(), label: r.string(128), height: r.u64() };
  record.raw = r.since(start);
  return record;
}

// docs/encoding.md "Transactions": a member (inside governance proposals).
function readMember(r) {
  const start = r.o;
  const member = {
    id: r.orgId(),
    name: r.string(128),
    roles: r.u8(),
    accountKeys: null,
    validator: null,
    observer: null,
  };
  if (member.roles & ~31) r.fail('invalid_value', start);
  member.accountKeys = r.array(8, 4, (e) => e.bytes(65));
  member.validator = r.optional((e) => {
    const at = e.o;
    const power = e.u64();
    if (power < 1n || power > 1n << 40n) e.fail('invalid_value', at);
    return { power, consensusKey: e.bytes(65), tlsKeyPin: e.digest(), address: e.string(255) };
  });
  member.observer = r.optional((e) => ({ tlsKeyPin: e.digest(), address: e.string(255) }));
  const isValidator = (member.roles & 1) !== 0;
  if (isValidator !== (member.validator !== null)) r.fail('invalid_value', start);
  if (member.validator !== null && member.observer !== null) r.fail('invalid_value', start);
  return member;
}

// docs/encoding.md "Transactions", payload 6: the period's one spelling.
const PERIOD = /^2[0-9]{3}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;

const PAYLOAD_NAMES = {
  1: 'certificate anchor',
  2: 'certificate status change',
  3: 'batch anchor',
  4: 'donation',
  5: 'disbursement',
  6: 'subsidy batch',
  7: 'governance proposal',
  8: 'governance approval',
  9: 'subsidy programme',
};

// docs/encoding.md "Transactions": payload tags, fixed forever.
function readPayload(r) {
  const at = r.o;
  const tag = r.u8();
  switch (tag) {
    case 1:
      return {
        tag,
        certificate: readCertificateRef(r),
        commitment: r.digest(),
        kind: readEnumValue(r, CERTIFICATE_KINDS),
      };
    case 2:
      return {
        tag,
        certificate: readCertificateRef(r),
        status: readEnumValue(r, CERTIFICATE_STATUSES),
        reason: r.reasonCode(),
        replacement: r.optional(readCertificateRef),
      };
    case 3:
      return { tag, root: r.digest(), count: r.u32(), label: r.string(128) };
    case 4:
      return { tag, project: r.string(64), amount: r.u64(), donor: r.digest(), receivedAt: r.u64() };
    case 5:
      return {
        tag,
        project: r.string(64),
        amount: r.u64(),
        recipient: r.digest(),
        purpose: r.string(128),
        paidAt: r.u64(),
      };
    case 6:
      return {
        tag,
        programme: { owner: r.orgId(), name: r.string(32, PROGRAMME_NAME) },
        period: r.string(7, PERIOD),
        count: r.u32(),
        total: r.u64(),
        recordsRoot: r.digest(),
        tags: r.array(10000, 32, (e) => e.digest()),
      };
    case 7: {
      const actionAt = r.o;
      const action = r.u8();
      let target;
      if (action === 1 || action === 2) target = readMember(r);
      else if (action === 3) target = r.orgId();
      else r.fail('unknown_tag', actionAt);
      return { tag, action, target, expiresAt: r.u64() };
    }
    case 8:
      return { tag, proposal: r.digest() };
    case 9: {
      const name = r.string(32, PROGRAMME_NAME);
      const periodKind = r.u8();
      if (periodKind < 1 || periodKind > 3) r.fail('invalid_value', r.o - 1);
      return { tag, name, periodKind, payers: r.array(64, 5, (e) => e.orgId()) };
    }
    default:
      return r.fail('unknown_tag', at);
  }
}

// docs/encoding.md "Transactions": SignedTransaction = Transaction ‖ 64-byte signature.
function readSignedTransaction(r) {
  const start = r.o;
  const version = r.u8();
  if (version !== 3) r.fail('unsupported_version', start);
  const chainId = r.chainId();
  const senderAt = r.o;
  const sender = r.bytes(65);
  if (sender.length !== 33 && sender.length !== 65) r.fail('invalid_value', senderAt);
  const sequence = r.u64();
  const payload = readPayload(r);
  const unsigned = r.since(start);
  const signature = r.signature();
  return { chainId, sender, sequence, payload, unsigned, signature, raw: r.since(start) };
}

// docs/encoding.md "Blocks": TransactionResult = code ‖ message, the code `ok` or a rejection code of
// docs/rules.md. DOC-GAP: rules.md has no list; these are the codes its prose names.
const RESULT_CODES = new Set([
  'ok', 'wrong_chain', 'unknown_account', 'member_removed', 'account_revoked', 'bad_signature', 'bad_sequence',
  'role_not_allowed', 'not_issuer', 'certificate_exists', 'provenance_required', 'replacement_not_found',
  'invalid_status_change', 'certificate_final', 'certificate_not_found', 'history_full', 'invalid_batch',
  'batch_exists', 'project_not_found', 'invalid_amount', 'amount_overflow', 'overspend', 'invalid_programme',
  'programme_not_found', 'not_programme_payer', 'invalid_subsidy_batch', 'duplicate_subsidy',
  'proposal_not_found', 'proposal_closed', 'proposal_expired', 'already_approved', 'invalid_governance',
]);

function readResult(r) {
  const start = r.o;
  const code = r.string(64);
  if (!RESULT_CODES.has(code)) r.fail('invalid_value', start);
  const result = { code, message: r.string(512) };
  result.raw = r.since(start);
  return result;
}

// docs/encoding.md "Verifier evidence": TransactionEvidence.
function readTransactionEvidence(r) {
  return {
    tx: readSignedTransaction(r),
    result: readResult(r),
    txProof: readInclusionProof(r),
    resultProof: readInclusionProof(r),
    header: readHeader(r),
    commit: readCommit(r),
  };
}

// docs/encoding.md "Verifier evidence": CertificateEvidence.
function readCertificateEvidence(r) {
  return {
    subject: readCertificateRef(r),
    record: r.optional(readCertificateRecord),
    stateProof: readStateProof(r),
    header: readHeader(r),
    commit: readCommit(r),
    handOffs: r.array(10000, 1, readHandOff),
    transaction: r.optional(readTransactionEvidence),
  };
}

// docs/encoding.md "Verifier evidence": BatchEvidence (hand-offs follow it in a receipt).
function readBatchEvidence(r) {
  return {
    root: r.digest(),
    record: r.optional(readBatchRecord),
    stateProof: readStateProof(r),
    header: readHeader(r),
    commit: readCommit(r),
    transaction: r.optional(readTransactionEvidence),
  };
}

function readHandOffs(r) {
  return r.array(10000, 1, readHandOff);
}

// ---------------------------------------------------------------------------------------------
// Strict JSON (RFC 8259) for receipts, checkpoints and genesis files. JSON.parse cannot be used:
// members must not repeat (docs/receipts.md "Two forms") and integers must be compared exactly,
// beyond 2^53 (docs/receipts.md "The summary, exactly"). Numbers stay as their source text.

class JsonNumber {
  constructor(text) {
    this.text = text;
  }
  isInteger() {
    return /^-?(0|[1-9][0-9]*)$/.test(this.text);
  }
  toBigInt() {
    return BigInt(this.text);
  }
}

function parseJson(bytes, what) {
  let text;
  try {
    text = utf8Decoder.decode(bytes);
  } catch (e) {
    throw new CannotCheck(`${what}: not UTF-8`);
  }
  let i = 0;
  const fail = (message) => {
    throw new CannotCheck(`${what}: not valid JSON (${message} at character ${i})`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (c) => {
    if (text[i] !== c) fail(`expected '${c}'`);
    i++;
  };
  let depth = 0;
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail('unexpected character');
  };
  const object = () => {
    if (++depth > 64) fail('nested too deeply');
    i++;
    const out = Object.create(null);
    ws();
    if (text[i] === '}') {
      i++;
      depth--;
      return out;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('expected a member name');
      const name = string();
      if (Object.prototype.hasOwnProperty.call(out, name)) fail(`member "${name}" repeats`);
      ws();
      expect(':');
      out[name] = value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      expect('}');
      depth--;
      return out;
    }
  };
  const array = () => {
    if (++depth > 64) fail('nested too deeply');
    i++;
    const out = [];
    ws();
    if (text[i] === ']') {
      i++;
      depth--;
      return out;
    }
    for (;;) {
      out.push(value());
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      expect(']');
      depth--;
      return out;
    }
  };
  const string = () => {
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i++];
      if (c === '"') return out;
      if (c < ' ') fail('control character in string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) out += simple[e];
      else if (e === 'u') out += unicodeEscape();
      else fail('bad escape');
    }
  };
  // \uXXXX, with a surrogate pair as two escapes; an unpaired surrogate is refused.
  const hex4 = () => {
    const hex = text.substr(i, 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
    i += 4;
    return parseInt(hex, 16);
  };
  const unicodeEscape = () => {
    const unit = hex4();
    if (unit >= 0xdc00 && unit <= 0xdfff) fail('unpaired surrogate');
    if (unit < 0xd800 || unit > 0xdbff) return String.fromCharCode(unit);
    if (text[i] !== '\\' || text[i + 1] !== 'u') fail('unpaired surrogate');
    i += 2;
    const low = hex4();
    if (low < 0xdc00 || low > 0xdfff) fail('unpaired surrogate');
    return String.fromCharCode(unit, low);
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('bad number');
    i += m[0].length;
    return new JsonNumber(m[0]);
  };
  const result = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return result;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** A required member of a JSON object, of the type `check` accepts. */
function member(obj, name, what, check, typeName) {
  if (!Object.prototype.hasOwnProperty.call(obj, name)) throw new CannotCheck(`${what}: "${name}" is missing`);
  const v = obj[name];
  if (!check(v)) throw new CannotCheck(`${what}: "${name}" is not ${typeName}`);
  return v;
}

const isString = (v) => typeof v === 'string';
const isArray = (v) => Array.isArray(v);
const isInteger = (v) => v instanceof JsonNumber && v.isInteger();
const isHex = (v) => typeof v === 'string' && fromHex(v) !== null;
const orNull = (check) => (v) => v === null || check(v);

/** A hex member decoded with `readValue`, using all its bytes. */
function hexMember(obj, name, what, readValue) {
  const hex = member(obj, name, what, isHex, 'hex');
  return decodeWhole(fromHex(hex), `${what} "${name}"`, readValue);
}

// ---------------------------------------------------------------------------------------------
// Time (docs/receipts.md "The summary, exactly"; docs/encoding.md "Genesis")

function pad(n, width) {
  return String(n).padStart(width, '0');
}

/** Seconds since 1970 (BigInt) as YYYY-MM-DDTHH:MM:SSZ, a year of at least four digits. */
function formatTime(seconds) {
  const days = seconds / 86400n;
  const rest = seconds % 86400n;
  // Proleptic Gregorian calendar from a day count (H. Hinnant's civil_from_days).
  const z = days + 719468n;
  const era = z / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = doy - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  const year = yoe + era * 400n + (month <= 2n ? 1n : 0n);
  const h = rest / 3600n;
  const m = (rest % 3600n) / 60n;
  const s = rest % 60n;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}Z`;
}

/** YYYY-MM-DDTHH:MM:SSZ, exactly, year 1970 or later, to seconds since 1970 (BigInt); null if not. */
function parseTime(text) {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > monthDays[mo - 1] || h > 23 || mi > 59 || s > 59) return null;
  // days_from_civil
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return BigInt(days) * 86400n + BigInt(h * 3600 + mi * 60 + s);
}

// ---------------------------------------------------------------------------------------------
// Genesis (Genesis/README.md, genesis.schema.json; encoding: docs/encoding.md "Genesis")

const ROLE_BITS = { validator: 1, registrar: 2, payer: 4, charity: 8, auditor: 16 };
const CONSENSUS_PARAMETERS = [
  ['timeout_propose_ms', 10, 600000],
  ['timeout_prevote_ms', 10, 600000],
  ['timeout_precommit_ms', 10, 600000],
  ['timeout_increase_ms', 0, 600000],
  ['timeout_maximum_ms', 10, 3600000],
  ['maximum_block_bytes', 65536, 67108864],
  ['maximum_block_transactions', 1, 1000000],
  ['validator_set_delay', 1, 100],
];

function onlyMembers(obj, allowed, what) {
  for (const name of Object.keys(obj)) {
    if (!allowed.includes(name)) throw new CannotCheck(`${what}: unknown field "${name}"`);
  }
}

function intInRange(obj, name, what, min, max) {
  const v = member(obj, name, what, isInteger, 'an integer').toBigInt();
  if (v < BigInt(min) || v > BigInt(max)) throw new CannotCheck(`${what}.${name}: must be between ${min} and ${max}`);
  return v;
}

function hexField(obj, name, what, lengths) {
  const bytes = fromHex(member(obj, name, what, isString, 'a string'));
  if (bytes === null || !lengths.includes(bytes.length)) throw new CannotCheck(`${what}.${name}: not a valid hex value`);
  return bytes;
}

// Genesis/README.md: keys must be "valid points of the suite's curve in canonical form" —
// secp256k1: 33 bytes compressed (docs/crypto.md: another form is refused); SM2: 65 bytes 04 ‖ x ‖ y.
const CURVES = {
  'secp256k1-sha256': { p: BigInt('0x' + 'f'.repeat(48) + 'fffffffefffffc2f'), a: 0n, b: 7n, length: 33 },
  'sm2-sm3': {
    p: BigInt('0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff'),
    a: BigInt('0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc'),
    b: BigInt('0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93'),
    length: 65,
  },
};

function modPow(base, exponent, modulus) {
  let result = 1n;
  base %= modulus;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    exponent >>= 1n;
  }
  return result;
}

function bigFrom(bytes) {
  return bytes.length === 0 ? 0n : BigInt('0x' + toHex(bytes));
}

function isCurvePoint(suiteName, key) {
  const c = CURVES[suiteName];
  if (key.length !== c.length) return false;
  const x = bigFrom(key.subarray(1, 33));
  if (x >= c.p) return false;
  const rhs = (((x * x) % c.p) * x + c.a * x + c.b) % c.p;
  if (c.length === 33) {
    // Compressed: 02/03 ‖ x, and x³ + 7 must be a square mod p (Euler's criterion).
    return (key[0] === 2 || key[0] === 3) && (rhs === 0n || modPow(rhs, (c.p - 1n) / 2n, c.p) === 1n);
  }
  const y = bigFrom(key.subarray(33, 65));
  return key[0] === 4 && y < c.p && (y * y) % c.p === rhs;
}

/** Genesis/README.md: "ids, account keys, consensus keys and TLS pins unique". */
function checkGenesisUniqueness(members) {
  const seen = new Set();
  const once = (kind, value) => {
    const k = `${kind}:${value}`;
    if (seen.has(k)) throw new CannotCheck(`genesis: ${kind} ${value} appears twice`);
    seen.add(k);
  };
  for (const m of members) {
    once('id', m.id);
    for (const key of m.accountKeys) once('key', toHex(key));
    if (m.validator) {
      once('key', toHex(m.validator.consensusKey));
      once('tls pin', toHex(m.validator.tlsKeyPin));
    }
    if (m.observer) once('tls pin', toHex(m.observer.tlsKeyPin));
  }
}

/** Reads a genesis file: its validators (V(1)), chain id, suite and hash. */
function readGenesis(bytes) {
  const what = 'genesis';
  const g = parseJson(bytes, what);
  if (!isObject(g)) throw new CannotCheck('genesis: not a JSON object');
  onlyMembers(g, ['chain_id', 'crypto_suite', 'genesis_time', 'consensus', 'rules', 'members'], what);
  const chainId = member(g, 'chain_id', what, isString, 'a string');
  if (!CHAIN_ID.test(chainId)) throw new CannotCheck('genesis.chain_id: not a chain id');
  const suiteName = member(g, 'crypto_suite', what, isString, 'a string');
  if (suiteName !== 'secp256k1-sha256' && suiteName !== 'sm2-sm3') throw new CannotCheck('genesis.crypto_suite: unknown suite');
  const time = parseTime(member(g, 'genesis_time', what, isString, 'a string'));
  if (time === null) throw new CannotCheck('genesis.genesis_time: not YYYY-MM-DDTHH:MM:SSZ');
  const consensus = member(g, 'consensus', what, isObject, 'an object');
  onlyMembers(consensus, CONSENSUS_PARAMETERS.map((p) => p[0]), 'genesis.consensus');
  const parameters = CONSENSUS_PARAMETERS.map(([name, min, max]) => intInRange(consensus, name, 'genesis.consensus', min, max));
  const rules = member(g, 'rules', what, isObject, 'an object');
  onlyMembers(rules, ['duplicate_subsidy'], 'genesis.rules');
  const duplicate = member(rules, 'duplicate_subsidy', 'genesis.rules', isString, 'a string');
  if (duplicate !== 'refuse' && duplicate !== 'flag') throw new CannotCheck('genesis.rules.duplicate_subsidy: refuse or flag');
  const members = member(g, 'members', what, isArray, 'an array');
  if (members.length < 1 || members.length > 10000) throw new CannotCheck('genesis.members: 1 to 10,000 members');
  const parsed = members.map((m, i) => readGenesisMember(m, `genesis.members[${i}]`, suiteName));
  checkGenesisUniqueness(parsed);

  // docs/encoding.md "Genesis": version 01 ‖ chain id ‖ suite ‖ time ‖ eight UInt32 ‖ rule ‖ members.
  const w = new Writer().u8(1).string(chainId).string(suiteName).u64(time);
  for (const p of parameters) w.u32(Number(p));
  w.string(duplicate).u32(parsed.length);
  for (const m of parsed) writeMember(w, m);
  const encoding = w.finish();

  const suite = loadSuite(suiteName);
  // docs/encoding.md "Blocks": V(1) is the genesis validators in the order written.
  const validators = parsed
    .filter((m) => m.validator !== null)
    .map((m) => ({ id: m.id, power: m.validator.power, key: m.validator.consensusKey }));
  if (validators.length === 0) throw new CannotCheck('genesis: no validator');
  return { chainId, suiteName, suite, time, hash: suite.hash(encoding), validators: makeSet(suite, validators) };
}

const ADDRESS = /^.+:[0-9]{1,5}$/;

function readGenesisMember(m, what, suiteName) {
  if (!isObject(m)) throw new CannotCheck(`${what}: not an object`);
  onlyMembers(m, ['id', 'name', 'roles', 'account_keys', 'validator', 'observer_node'], what);
  const id = member(m, 'id', what, isString, 'a string');
  if (!ORG_ID.test(id)) throw new CannotCheck(`${what}.id: not a member id`);
  const name = member(m, 'name', what, isString, 'a string');
  if (name.length === 0) throw new CannotCheck(`${what}.name: empty`);
  let roles = 0;
  for (const role of member(m, 'roles', what, isArray, 'an array')) {
    if (!(role in ROLE_BITS) || roles & ROLE_BITS[role]) throw new CannotCheck(`${what}.roles: unknown or repeated role`);
    roles |= ROLE_BITS[role];
  }
  const accountKeys = member(m, 'account_keys', what, isArray, 'an array').map((k, i) => {
    const bytes = fromHex(k);
    if (bytes === null || !isCurvePoint(suiteName, bytes)) throw new CannotCheck(`${what}.account_keys[${i}]: not a valid ${suiteName} public key`);
    return bytes;
  });
  if (accountKeys.length < 1 || accountKeys.length > 8) throw new CannotCheck(`${what}.account_keys: 1 to 8 keys`);
  let validator = null;
  if (Object.prototype.hasOwnProperty.call(m, 'validator')) {
    const v = member(m, 'validator', what, isObject, 'an object');
    const vw = `${what}.validator`;
    onlyMembers(v, ['power', 'consensus_key', 'tls_key_pin', 'address'], vw);
    validator = {
      power: intInRange(v, 'power', vw, 1, 1099511627776),
      consensusKey: hexField(v, 'consensus_key', vw, [33, 65]),
      tlsKeyPin: hexField(v, 'tls_key_pin', vw, [32]),
      address: member(v, 'address', vw, isString, 'a string'),
    };
    if (!isCurvePoint(suiteName, validator.consensusKey)) throw new CannotCheck(`${vw}.consensus_key: not a valid ${suiteName} public key`);
    if (!ADDRESS.test(validator.address)) throw new CannotCheck(`${vw}.address: not host:port`);
  }
  if ((roles & 1) !== 0 !== (validator !== null)) throw new CannotCheck(`${what}: validator details exactly for the validator role`);
  let observer = null;
  if (Object.prototype.hasOwnProperty.call(m, 'observer_node')) {
    const o = member(m, 'observer_node', what, isObject, 'an object');
    const ow = `${what}.observer_node`;
    onlyMembers(o, ['tls_key_pin', 'address'], ow);
    const address = Object.prototype.hasOwnProperty.call(o, 'address') ? member(o, 'address', ow, isString, 'a string') : '';
    if (address !== '' && !ADDRESS.test(address)) throw new CannotCheck(`${ow}.address: not host:port`);
    observer = { tlsKeyPin: hexField(o, 'tls_key_pin', ow, [32]), address };
    if (validator !== null) throw new CannotCheck(`${what}: observer_node is not allowed with validator`);
  }
  return { id, name, roles, accountKeys, validator, observer };
}

// docs/encoding.md "Transactions": a member; every member ends with the observer optional.
function writeMember(w, m) {
  w.string(m.id).string(m.name).u8(m.roles).u32(m.accountKeys.length);
  for (const k of m.accountKeys) w.bytes(k);
  w.optional(m.validator, (x, v) => x.u64(v.power).bytes(v.consensusKey).raw(v.tlsKeyPin).string(v.address));
  w.optional(m.observer, (x, o) => x.raw(o.tlsKeyPin).string(o.address));
}

/** A validator set with its canonical encoding and hash (docs/encoding.md "Blocks"). */
function makeSet(suite, validators) {
  const w = new Writer().u32(validators.length);
  for (const v of validators) w.string(v.id).u64(v.power).bytes(v.key);
  const raw = w.finish();
  return { validators, raw, hash: suite.hash(raw) };
}

function setFromDecoded(suite, decoded) {
  return { validators: decoded.validators, raw: decoded.raw, hash: suite.hash(decoded.raw) };
}

// ---------------------------------------------------------------------------------------------
// Merkle proofs

/** RFC 6962 / RFC 9162 §2.1.3.2: does `proof` lead from `leafHash` to `root`? */
function verifyInclusion(suite, leafHash, proof, root) {
  if (proof.leafIndex >= proof.treeSize) return false;
  let fn = proof.leafIndex;
  let sn = proof.treeSize - 1n;
  let r = leafHash;
  for (const p of proof.path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = suite.hash(concat(Uint8Array.of(1), p, r));
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = suite.hash(concat(Uint8Array.of(1), r, p));
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && bytesEqual(r, root);
}

function leafHash(suite, bytes) {
  return suite.hash(concat(Uint8Array.of(0), bytes));
}

/** docs/state-tree.md "Proofs", verification steps 1–5: {present, valueHash} or null if refused. */
function verifyStateProof(suite, proof, root) {
  const n = proof.siblings.length;
  const bit = (key, d) => (key[d >> 3] >> (7 - (d & 7))) & 1;
  let h;
  if (proof.leaf !== null) {
    for (let d = 0; d < n; d++) if (bit(proof.leaf.key, d) !== bit(proof.key, d)) return null;
    h = suite.hash(concat(Uint8Array.of(0), proof.leaf.key, proof.leaf.valueHash));
  } else {
    h = new Uint8Array(32);
  }
  for (let d = n - 1; d >= 0; d--) {
    const s = proof.siblings[d];
    h = bit(proof.key, d) === 1 ? suite.hash(concat(Uint8Array.of(1), s, h)) : suite.hash(concat(Uint8Array.of(1), h, s));
  }
  if (!bytesEqual(h, root)) return null;
  const present = proof.leaf !== null && bytesEqual(proof.leaf.key, proof.key);
  return { present, valueHash: present ? proof.leaf.valueHash : null };
}

// ---------------------------------------------------------------------------------------------
// Derived keys (docs/encoding.md "Records and derived keys"; docs/rules.md "State layout")

function certificateKey(suite, number, secret) {
  return suite.hash(new Writer().string('civicledger/certificate-key/2').string(number).bytes(secret).finish());
}

function documentCommitment(suite, secret, digest) {
  return suite.hash(new Writer().string('civicledger/certificate-document/2').bytes(secret).raw(digest).finish());
}

function certificateStateKey(suite, ref) {
  return suite.hash(new Writer().string('civicledger/state/certificate').string(ref.issuer).raw(ref.key).finish());
}

function batchStateKey(suite, root) {
  return suite.hash(new Writer().string('civicledger/state/batch').raw(root).finish());
}

/** The verification code ISSUER-SECRET: split at the last '-', surrounding whitespace ignored. */
function parseCode(code) {
  if (typeof code !== 'string') return null;
  const trimmed = code.trim();
  const dash = trimmed.lastIndexOf('-');
  if (dash < 0) return null;
  const issuer = trimmed.slice(0, dash);
  const secretHex = trimmed.slice(dash + 1);
  if (!ORG_ID.test(issuer) || !/^[0-9a-fA-F]{32}$/.test(secretHex)) return null;
  return { issuer, secret: fromHex(secretHex) };
}

// ---------------------------------------------------------------------------------------------
// Signed bytes (docs/encoding.md "Signed bytes", "Blocks"; Consensus/SPEC.md §2)

function precommitSignedBytes(chainId, genesisHash, height, round, blockHash, index) {
  return new Writer()
    .string('civicledger/precommit/v2')
    .string(chainId)
    .raw(genesisHash)
    .u64(height)
    .u32(round)
    .u8(1)
    .raw(blockHash)
    .u16(index)
    .finish();
}

function transactionSignedBytes(chainId, genesisHash, unsigned) {
  return new Writer().string('civicledger/transaction/v3').string(chainId).raw(genesisHash).raw(unsigned).finish();
}

// ---------------------------------------------------------------------------------------------
// Receipts (docs/receipts.md "Two forms, one content", "Versioning")

const KINDS = { 1: 'certificate', 2: 'transaction', 3: 'batch', 4: 'document' };
const RECEIPT_VERSION = 3;
const MAX_RECEIPT_BYTES = 16 * 1024 * 1024;

/** Refuses versions other than 2 and 3, each called what it is (docs/receipts.md "Versioning"). */
function checkVersion(version) {
  if (version > RECEIPT_VERSION) {
    throw new CannotCheck(`receipt format version ${version} is newer than this verifier reads (2 and 3): update civic`);
  }
  if (version < 2) {
    throw new CannotCheck(`receipt format version ${version} is a format no network runs (this verifier reads 2 and 3)`);
  }
}

/**
 * Parses a receipt file, binary (.civr) or JSON, to
 * { version, kind, base: null | {height, headerHash}, evidence, handOffs, path }.
 * Throws CannotCheck for anything that is not exactly a receipt.
 */
function parseReceipt(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new CannotCheck('receipt: no bytes');
  if (bytes.length > MAX_RECEIPT_BYTES) throw new CannotCheck('receipt: larger than 16 MiB');
  const magic = [0x43, 0x49, 0x56, 0x52]; // "CIVR"
  if (bytes.length >= 4 && magic.every((b, i) => bytes[i] === b)) return parseBinaryReceipt(bytes);
  return parseJsonReceipt(bytes);
}

function parseBinaryReceipt(bytes) {
  const r = new Reader(bytes, 'receipt');
  r.fixed(4);
  const version = r.u16();
  checkVersion(version);
  const base = version >= 3 ? r.optional(readCheckpointRef) : null;
  const kindAt = r.o;
  const kind = KINDS[r.u8()];
  if (!kind || (version === 2 && kind !== 'certificate' && kind !== 'transaction')) r.fail('unknown_tag', kindAt);
  const receipt = { version, kind, base, evidence: null, handOffs: null, path: null, summary: null };
  if (kind === 'certificate') {
    receipt.evidence = readCertificateEvidence(r);
    receipt.handOffs = receipt.evidence.handOffs;
  } else if (kind === 'transaction') {
    receipt.evidence = readTransactionEvidence(r);
    receipt.handOffs = readHandOffs(r);
  } else {
    receipt.evidence = readBatchEvidence(r);
    if (kind === 'document') receipt.path = readInclusionProof(r);
    receipt.handOffs = readHandOffs(r);
  }
  r.done();
  return receipt;
}

function parseJsonReceipt(bytes) {
  const what = 'receipt';
  const j = parseJson(bytes, what);
  if (!isObject(j)) throw new CannotCheck('receipt: not a JSON object');
  const versionNumber = member(j, 'civic_receipt', what, isInteger, 'an integer').toBigInt();
  checkVersion(versionNumber > 1000n ? 1000 : Number(versionNumber));
  const version = Number(versionNumber);
  const kind = member(j, 'kind', what, isString, 'a string');
  const allowed = version === 2 ? ['certificate', 'transaction'] : ['certificate', 'transaction', 'batch', 'document'];
  if (!allowed.includes(kind)) throw new CannotCheck(`receipt: unknown kind "${kind}"`);
  let base = null;
  if (version >= 3) {
    const cp = member(j, 'checkpoint', what, orNull(isObject), 'null or an object');
    if (cp !== null) base = readJsonCheckpointRef(cp);
  }
  const summary = member(j, 'summary', what, isObject, 'an object');
  const ev = member(j, 'evidence', what, isObject, 'an object');
  const receipt = { version, kind, base, evidence: null, handOffs: null, path: null, summary };
  const w = 'receipt evidence';
  receipt.handOffs = member(ev, 'hand_offs', w, isArray, 'an array').map((hex, i) => {
    if (!isHex(hex)) throw new CannotCheck(`${w}: "hand_offs"[${i}] is not hex`);
    return decodeWhole(fromHex(hex), `hand-off ${i}`, readHandOff);
  });
  if (receipt.handOffs.length > 10000) throw new CannotCheck(`${w}: more than 10,000 hand-offs`);
  if (kind === 'certificate') {
    receipt.evidence = {
      subject: hexMember(ev, 'subject', w, readCertificateRef),
      record: nullableHex(ev, 'record', w, readCertificateRecord),
      stateProof: hexMember(ev, 'state_proof', w, readStateProof),
      header: hexMember(ev, 'header', w, readHeader),
      commit: hexMember(ev, 'commit', w, readCommit),
      handOffs: receipt.handOffs,
      transaction: readJsonTransactionEvidence(ev, w, true),
    };
  } else if (kind === 'transaction') {
    receipt.evidence = readJsonTransactionEvidence(ev, w, false);
  } else {
    receipt.evidence = {
      root: hexMember(ev, 'root', w, (r) => r.digest()),
      record: nullableHex(ev, 'record', w, readBatchRecord),
      stateProof: hexMember(ev, 'state_proof', w, readStateProof),
      header: hexMember(ev, 'header', w, readHeader),
      commit: hexMember(ev, 'commit', w, readCommit),
      transaction: readJsonTransactionEvidence(ev, w, true),
    };
    if (kind === 'document') receipt.path = hexMember(ev, 'path', w, readInclusionProof);
  }
  checkSummary(receipt);
  return receipt;
}

function nullableHex(obj, name, what, readValue) {
  const v = member(obj, name, what, orNull(isHex), 'null or hex');
  return v === null ? null : decodeWhole(fromHex(v), `${what} "${name}"`, readValue);
}

function readJsonCheckpointRef(cp) {
  const what = 'receipt "checkpoint"';
  const height = member(cp, 'height', what, isInteger, 'an integer').toBigInt();
  if (height < 1n || height > I63_MAX) throw new CannotCheck(`${what}: height out of range`);
  const hash = fromHex(member(cp, 'header_hash', what, isHex, 'hex'));
  if (hash.length !== 32) throw new CannotCheck(`${what}: header_hash is not 32 bytes`);
  return { height, headerHash: hash };
}

/** The `transaction` member: an object of six hex parts, or null where `nullable`. */
function readJsonTransactionEvidence(ev, what, nullable) {
  const t = member(ev, 'transaction', what, nullable ? orNull(isObject) : isObject, 'an object');
  if (t === null) return null;
  const w = `${what} "transaction"`;
  return {
    tx: hexMember(t, 'tx', w, readSignedTransaction),
    result: hexMember(t, 'result', w, readResult),
    txProof: hexMember(t, 'tx_proof', w, readInclusionProof),
    resultProof: hexMember(t, 'result_proof', w, readInclusionProof),
    header: hexMember(t, 'header', w, readHeader),
    commit: hexMember(t, 'commit', w, readCommit),
  };
}

// ---------------------------------------------------------------------------------------------
// The summary (docs/receipts.md "The summary, exactly"): recomputed from the evidence alone and
// compared with the written one; a mismatch refuses the file (summary_mismatch).

function computeSummary(receipt) {
  const ev = receipt.evidence;
  const header = ev.header;
  const s = {
    chain_id: header.chainId,
    height: header.height,
    time: formatTime(header.time),
    validator_set_changes: BigInt(receipt.handOffs.length),
  };
  if (receipt.kind === 'certificate') {
    s.issuer = ev.subject.issuer;
    s.certificate_key = toHex(ev.subject.key);
    if (ev.record === null) s.status = 'not anchored';
    else {
      s.status = recordStatus(ev.record);
      s.certificate = {
        status: recordStatus(ev.record),
        kind: CERTIFICATE_KINDS[ev.record.kind],
        issuer: ev.record.issuer,
        history: ev.record.history.map((e) => {
          const item = { status: CERTIFICATE_STATUSES[e.status], by: e.by, height: e.height, reason: e.reason };
          if (e.replacement !== null) item.replacement = { issuer: e.replacement.issuer, key: toHex(e.replacement.key) };
          return item;
        }),
      };
    }
  } else if (receipt.kind === 'transaction') {
    s.payload = PAYLOAD_NAMES[ev.tx.payload.tag];
    s.index = ev.txProof.leafIndex;
    s.result = ev.result.code;
  } else {
    s.batch_root = toHex(ev.root);
    if (ev.record === null) s.status = 'not anchored';
    else {
      s.status = 'anchored';
      s.anchored_by = ev.record.issuer;
      s.anchored_at = ev.record.height;
      s.documents = BigInt(ev.record.count);
      s.label = ev.record.label;
    }
    if (receipt.kind === 'document') {
      s.leaf_index = receipt.path.leafIndex;
      s.tree_size = receipt.path.treeSize;
    }
  }
  return s;
}

/** The certificate's status: its last event's, `valid` for an empty history (docs/encoding.md). */
function recordStatus(record) {
  const n = record.history.length;
  return n === 0 ? 'valid' : CERTIFICATE_STATUSES[record.history[n - 1].status];
}

/** Deep equality of a written JSON value and a computed one (BigInt for integers). */
function summaryEqual(written, expected) {
  if (typeof expected === 'bigint') {
    if (!(written instanceof JsonNumber)) return false;
    // Above 2^63 − 1 both are compared as the nearest IEEE double (docs/receipts.md).
    if (expected > I63_MAX) return Number(written.text) === Number(expected);
    return written.isInteger() && written.toBigInt() === expected;
  }
  if (typeof expected === 'string') return written === expected;
  if (Array.isArray(expected)) {
    return Array.isArray(written) && written.length === expected.length && expected.every((e, i) => summaryEqual(written[i], e));
  }
  if (!isObject(written)) return false;
  const keys = Object.keys(expected);
  if (Object.keys(written).length !== keys.length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(written, k) && summaryEqual(written[k], expected[k]));
}

function checkSummary(receipt) {
  if (!summaryEqual(receipt.summary, computeSummary(receipt))) {
    throw new CannotCheck("the receipt's summary does not match its evidence: the file was changed after it was made (summary_mismatch)");
  }
}

// ---------------------------------------------------------------------------------------------
// What the verifier trusts (docs/verifier.md "Trust", "Checkpoints", "Hand-offs")
//
// `segments` are the validator sets it knows, each from a height on, in height order; V(h) is the
// set of the last segment starting at or below h. Up to the horizon this is knowledge; above it,
// the latest set is assumed until a hand-off made final by that set hands on to another.

class TrustedHistory {
  constructor(genesis) {
    this.genesis = genesis;
    this.segments = [{ from: 1n, set: genesis.validators }];
    this.horizon = 1n;
    this.pins = []; // {height, headerHash, time}, ascending
  }
  clone() {
    const t = new TrustedHistory(this.genesis);
    t.segments = this.segments.slice();
    t.horizon = this.horizon;
    t.pins = this.pins.slice();
    return t;
  }
  setAt(height) {
    let found = this.segments[0];
    for (const s of this.segments) if (s.from <= height) found = s;
    return found.set;
  }
  highestPin() {
    return this.pins.length ? this.pins[this.pins.length - 1] : null;
  }
  /** docs/verifier.md: a receipt from checkpoint H is read only with H or a later one pinned. */
  covers(base) {
    return this.pins.some((p) => p.height > base.height || (p.height === base.height && bytesEqual(p.headerHash, base.headerHash)));
  }
  /** "trusting genesis 3f2a… and the checkpoint at height 812 (header 9c41…)" */
  describe() {
    const pin = this.highestPin();
    const g = `genesis ${short(this.genesis.hash)}`;
    return pin ? `${g} and the checkpoint at height ${pin.height} (header ${short(pin.headerHash)})` : g;
  }
}

/** docs/verifier.md "Trusting a header", step 3: consistency with every pinned checkpoint. */
function checkAgainstPins(trust, header, headerHash) {
  for (const pin of trust.pins) {
    if (header.height === pin.height && !bytesEqual(headerHash, pin.headerHash)) {
      return `header ${header.height} contradicts a pinned checkpoint: it is not the checkpoint's header`;
    }
    if (header.height < pin.height && header.time > pin.time) {
      return `header ${header.height} contradicts a pinned checkpoint: it is dated after the checkpoint at height ${pin.height}`;
    }
    if (header.height > pin.height && header.time < pin.time) {
      return `header ${header.height} contradicts a pinned checkpoint: it is dated before the checkpoint at height ${pin.height}`;
    }
  }
  return null;
}

/**
 * docs/encoding.md "Blocks", "A commit certificate holds"; returns null, or
 * {check: 'header' | 'commit certificate', reason}. On success sets `out.signed`, `out.total`.
 */
function commitProblem(genesis, header, headerHash, commit, set, out) {
  if (commit.height !== header.height || !bytesEqual(commit.blockHash, headerHash)) {
    return { check: 'header', reason: `the commit certificate is for another block (height ${commit.height}, ${short(commit.blockHash)}), not block ${header.height} (${short(headerHash)})` };
  }
  const validators = set.validators;
  let total = 0n;
  for (const v of validators) total += v.power;
  let signed = 0n;
  let previous = -1;
  for (const s of commit.signatures) {
    if (s.index <= previous) return { check: 'commit certificate', reason: 'its validator indices are not strictly increasing' };
    previous = s.index;
    if (s.index >= validators.length) return { check: 'commit certificate', reason: `validator ${s.index} is not in the set of ${validators.length}` };
    const v = validators[s.index];
    const message = precommitSignedBytes(genesis.chainId, genesis.hash, commit.height, commit.round, commit.blockHash, s.index);
    if (!genesis.suite.verify(v.key, message, s.signature)) {
      return { check: 'commit certificate', reason: `the signature of validator ${s.index} (${v.id}) is not a valid precommit for block ${header.height}` };
    }
    signed += v.power;
  }
  if (!(3n * signed > 2n * total)) {
    return { check: 'commit certificate', reason: `signed by validators holding only ${signed} of ${total} voting power, not more than 2/3` };
  }
  if (out) {
    out.signed = signed;
    out.total = total;
  }
  return null;
}

/**
 * Follows hand-offs (docs/verifier.md "Hand-offs") in `trust` (mutated: use a clone), up to
 * `target`. Returns the number followed above the horizon. Throws CheckFailure('validator sets').
 */
function followHandOffs(trust, handOffs, target) {
  const genesis = trust.genesis;
  const suite = genesis.suite;
  let previous = 0n;
  let followed = 0;
  for (const hand of handOffs) {
    const header = hand.header;
    const x = header.height;
    const fail = (reason) => {
      throw new CheckFailure('validator sets', `hand-off at height ${x}: ${reason}`);
    };
    if (x < 1n || x <= previous || x >= target) fail(`hand-off heights must be strictly increasing, at least 1 and below ${target}`);
    previous = x;
    const nextSet = setFromDecoded(suite, hand.nextSet);
    if (x < trust.horizon) {
      // Below the horizon V(x + 1) is known: the hand-off must name it; its signatures add nothing.
      if (!bytesEqual(trust.setAt(x + 1n).hash, nextSet.hash)) fail('it contradicts a pinned checkpoint: another set than the one known for the height after it');
      continue;
    }
    // Step 1 of "Trusting a header" for a hand-off's header is reported under **chain**, as the
    // evidence header's own (DOC-GAP: docs/verifier.md names only steps 2–4's report names).
    if (header.chainId !== genesis.chainId) {
      throw new CheckFailure('chain', `the header at height ${x} is for chain ${header.chainId}, the genesis file is for ${genesis.chainId}`);
    }
    const headerHash = suite.hash(header.raw);
    const pinProblem = checkAgainstPins(trust, header, headerHash);
    if (pinProblem) fail(pinProblem);
    if (!bytesEqual(header.validatorSetHash, trust.setAt(x).hash)) fail('its header is signed by a validator set that was never handed over to (unexpected validator set)');
    const problem = commitProblem(genesis, header, headerHash, hand.commit, trust.setAt(x), null);
    if (problem) fail(problem.reason);
    if (!bytesEqual(header.nextValidatorSetHash, nextSet.hash)) fail('it carries another set than its header names next');
    trust.segments = trust.segments.filter((s) => s.from <= x);
    trust.segments.push({ from: x + 1n, set: nextSet });
    followed++;
  }
  return followed;
}

/**
 * Checks a header and its certificate under `trust` after its hand-offs (docs/verifier.md
 * "Trusting a header"), pushing the checks chain, validator sets, header, commit certificate.
 * Returns the trust as it stands at the header (hand-offs followed), or throws CheckFailure.
 */
function checkHeaderChain(report, trust, header, commit, handOffs) {
  const genesis = trust.genesis;
  const height = header.height;
  if (header.chainId !== genesis.chainId || height < 1n) {
    throw new CheckFailure('chain', height < 1n ? 'the header is at height 0' : `the evidence is for chain ${header.chainId}, not ${genesis.chainId}, the genesis file's`);
  }
  const working = trust.clone();
  const followed = followHandOffs(working, handOffs, height);
  pass(report, 'chain', `the evidence is for chain ${header.chainId}, as the genesis file`);
  const headerHash = genesis.suite.hash(header.raw);
  const pinProblem = checkAgainstPins(working, header, headerHash);
  if (pinProblem) throw new CheckFailure('validator sets', `trusting ${trust.describe()}: ${pinProblem}`);
  const set = working.setAt(height);
  if (!bytesEqual(header.validatorSetHash, set.hash)) {
    throw new CheckFailure('validator sets', `trusting ${trust.describe()}: block ${height} names a validator set that was never handed over to (unexpected validator set)`);
  }
  pass(
    report,
    'validator sets',
    followed === 0
      ? `trusting ${trust.describe()}: the set it trusts for height ${height} signs it`
      : `trusting ${trust.describe()}: ${followed} further validator-set hand-off${followed === 1 ? '' : 's'} followed to height ${height}`
  );

  const power = {};
  const problem = commitProblem(genesis, header, headerHash, commit, set, power);
  if (problem) throw new CheckFailure(problem.check, problem.reason);
  pass(report, 'header', `block ${height} hashes to ${short(headerHash)}, the block its certificate signs`);
  pass(report, 'commit certificate', `block ${height} is final: signed by validators holding ${power.signed} of ${power.total} voting power`);
  return { trust: working, headerHash };
}

/**
 * A transaction's block (docs/verifier.md "Certificates" step 7, "Documents in a batch"): final
 * under the set trusted at its height, at or below the evidence header, that very header when the
 * heights are equal. Returns a reason, or null.
 */
function txBlockProblem(trust, tev, evidenceHeader, evidenceHash) {
  const genesis = trust.genesis;
  const header = tev.header;
  if (header.chainId !== genesis.chainId) return `its block is for chain ${header.chainId}`;
  if (header.height < 1n || header.height > evidenceHeader.height) return `its block ${header.height} is above the evidence's block ${evidenceHeader.height}`;
  const headerHash = genesis.suite.hash(header.raw);
  if (header.height === evidenceHeader.height && !bytesEqual(headerHash, evidenceHash)) return `its block ${header.height} is not the evidence's header at that height`;
  const pinProblem = checkAgainstPins(trust, header, headerHash);
  if (pinProblem) return pinProblem;
  const set = trust.setAt(header.height);
  if (!bytesEqual(header.validatorSetHash, set.hash)) return `its block ${header.height} is signed by a validator set it does not trust at that height`;
  const problem = commitProblem(genesis, header, headerHash, tev.commit, set, null);
  if (problem) return `its block ${header.height} is not final: ${problem.reason}`;
  return null;
}

/**
 * docs/verifier.md "Transactions": the transaction and its result are leaves at the same index of
 * the block's roots, for a tree of exactly transactionCount leaves; signed for this chain.
 */
function txInclusionProblem(genesis, tev) {
  const suite = genesis.suite;
  const count = BigInt(tev.header.transactionCount);
  const { txProof, resultProof } = tev;
  if (txProof.treeSize !== count || resultProof.treeSize !== count) {
    return `the proofs are for a tree of ${txProof.treeSize}, but block ${tev.header.height} has ${count} transaction${count === 1n ? '' : 's'}`;
  }
  if (txProof.leafIndex !== resultProof.leafIndex) return 'the transaction and its result are at different places';
  if (txProof.leafIndex >= count) return 'the leaf index is not below the block\'s transaction count';
  if (!verifyInclusion(suite, leafHash(suite, tev.tx.raw), txProof, tev.header.transactionsRoot)) return 'the transaction is not in the block\'s transactions root';
  if (!verifyInclusion(suite, leafHash(suite, tev.result.raw), resultProof, tev.header.resultsRoot)) return 'the result is not in the block\'s results root';
  if (tev.tx.chainId !== genesis.chainId) return `the transaction is signed for chain ${tev.tx.chainId}`;
  const message = transactionSignedBytes(genesis.chainId, genesis.hash, tev.tx.unsigned);
  if (!suite.verify(tev.tx.sender, message, tev.tx.signature)) return 'the transaction\'s signature is not valid for this network';
  return null;
}

function pass(report, name, detail) {
  report.checks.push({ name, passed: true, detail });
}

// ---------------------------------------------------------------------------------------------
// Checkpoint files (docs/verifier.md "Checkpoints")

function pinCheckpoint(trust, bytes, index) {
  const what = `checkpoint ${index + 1}`;
  const j = parseJson(bytes, what);
  if (!isObject(j)) throw new CannotCheck(`${what}: not a JSON object`);
  const version = member(j, 'civic_checkpoint', what, isInteger, 'an integer').toBigInt();
  if (version !== 1n) throw new CannotCheck(`${what}: checkpoint format version ${version} is not read here (1)`);
  const summary = member(j, 'summary', what, isObject, 'an object');
  const ev = member(j, 'evidence', what, isObject, 'an object');
  const handOffs = member(ev, 'hand_offs', what, isArray, 'an array').map((hex, i) => {
    if (!isHex(hex)) throw new CannotCheck(`${what}: hand-off ${i} is not hex`);
    return decodeWhole(fromHex(hex), `${what} hand-off ${i}`, readHandOff);
  });
  const point = hexMember(ev, 'checkpoint', what, readHandOff);
  const genesis = trust.genesis;
  const headerHash = genesis.suite.hash(point.header.raw);
  const expected = {
    chain_id: point.header.chainId,
    height: point.header.height,
    time: formatTime(point.header.time),
    header_hash: toHex(headerHash),
    next_validators: BigInt(point.nextSet.validators.length),
    validator_set_changes: BigInt(handOffs.length),
  };
  if (!summaryEqual(summary, expected)) throw new CannotCheck(`${what}: its summary does not match its evidence: the file was changed`);
  return { point, handOffs, headerHash, what };
}

/** Pins checkpoint files in height order; each must follow from genesis and the others. */
function pinCheckpoints(trust, files) {
  const parsed = files.map((bytes, i) => pinCheckpoint(trust, bytes, i));
  parsed.sort((a, b) => (a.point.header.height < b.point.header.height ? -1 : a.point.header.height > b.point.header.height ? 1 : 0));
  const genesis = trust.genesis;
  for (const c of parsed) {
    const header = c.point.header;
    const height = header.height;
    const refuse = (reason) => {
      throw new CannotCheck(`${c.what} (height ${height}) cannot be pinned: ${reason}`);
    };
    const same = trust.pins.find((p) => p.height === height);
    if (same) {
      if (!bytesEqual(same.headerHash, c.headerHash)) refuse('it contradicts a pinned checkpoint (another header at that height)');
      continue;
    }
    if (header.chainId !== genesis.chainId || height < 1n) refuse(`its header is for chain ${header.chainId}`);
    const working = trust.clone();
    try {
      followHandOffs(working, c.handOffs, height);
    } catch (e) {
      if (e instanceof CheckFailure) refuse(e.message);
      throw e;
    }
    const pinProblem = checkAgainstPins(working, header, c.headerHash);
    if (pinProblem) refuse(pinProblem);
    const set = working.setAt(height);
    if (!bytesEqual(header.validatorSetHash, set.hash)) refuse('its header is signed by a validator set that was never handed over to');
    const problem = commitProblem(genesis, header, c.headerHash, c.point.commit, set, null);
    if (problem) refuse(problem.reason);
    const nextSet = setFromDecoded(genesis.suite, c.point.nextSet);
    if (!bytesEqual(header.nextValidatorSetHash, nextSet.hash)) refuse('it carries another set than its header names next');
    // The horizon moves to H + 1: V(h) is known for every h ≤ H + 1.
    working.segments = working.segments.filter((s) => s.from <= height);
    working.segments.push({ from: height + 1n, set: nextSet });
    working.horizon = height + 1n;
    working.pins.push({ height, headerHash: c.headerHash, time: header.time });
    trust.segments = working.segments;
    trust.horizon = working.horizon;
    trust.pins = working.pins;
  }
}

// ---------------------------------------------------------------------------------------------
// The three verifiers (docs/verifier.md "Certificates", "Transactions", "Documents in a batch")

const HISTORY_ACTION = { 2: 'revoked', 3: 'superseded', 4: 'corrected' };

/** Certificate evidence, checks 1–8 (docs/verifier.md "Certificates"). */
function verifyCertificate(report, trust, receipt, question) {
  const genesis = trust.genesis;
  const suite = genesis.suite;
  const ev = receipt.evidence;
  const code = parseCode(question.code);
  if (code === null) throw new CannotCheck('the verification code is not ISSUER-SECRET with a secret of 32 hex digits');
  if (typeof question.number !== 'string') throw new CannotCheck('no certificate number');
  if (!(question.document instanceof Uint8Array)) throw new CannotCheck('no document file');
  const digest = suite.hash(question.document);
  const derived = { issuer: code.issuer, key: certificateKey(suite, question.number, code.secret) };

  // Checks 1–4.
  const { trust: atHeader, headerHash } = checkHeaderChain(report, trust, ev.header, ev.commit, receipt.handOffs);

  // Check 5, shown only when it fails.
  if (derived.issuer !== ev.subject.issuer || !bytesEqual(derived.key, ev.subject.key)) {
    throw new CheckFailure('certificate', `the evidence is about another certificate than number ${question.number} with verification code ${code.issuer}-…`);
  }

  // Check 6: state proof.
  const stateKey = certificateStateKey(suite, ev.subject);
  if (!bytesEqual(ev.stateProof.key, stateKey)) throw new CheckFailure('state proof', 'the proof is about another state key than this certificate\'s');
  const proven = verifyStateProof(suite, ev.stateProof, ev.header.stateRoot);
  if (proven === null) throw new CheckFailure('state proof', `the proof does not lead to the state root of block ${ev.header.height}`);
  if (!proven.present) {
    if (ev.record !== null) throw new CheckFailure('state proof', 'the proof shows no record, but the receipt carries one');
    pass(report, 'state proof', `no certificate with this number and verification code is anchored by ${ev.subject.issuer} as of height ${ev.header.height}`);
    return { proven: 'absent' };
  }
  if (ev.record === null) throw new CheckFailure('state proof', 'the proof shows a record, but the receipt carries none');
  if (!bytesEqual(suite.hash(ev.record.raw), proven.valueHash)) throw new CheckFailure('state proof', 'the record is not the one the proof proves');
  pass(report, 'state proof', `the record is in the ledger state of block ${ev.header.height}`);

  // Check 7: inclusion proof of the transaction that recorded the latest event.
  const record = ev.record;
  const tev = ev.transaction;
  const failInclusion = (reason) => {
    throw new CheckFailure('inclusion proof', reason);
  };
  if (record.history.length === 0) failInclusion('the record has no event to prove');
  if (tev === null) failInclusion('the receipt carries no transaction for the record\'s latest event');
  const event = record.history[record.history.length - 1];
  if (tev.header.height !== event.height) failInclusion(`the transaction is in block ${tev.header.height}, but the latest event is at height ${event.height}`);
  const blockProblem = txBlockProblem(atHeader, tev, ev.header, headerHash);
  if (blockProblem) failInclusion(blockProblem);
  const inclusion = txInclusionProblem(genesis, tev);
  if (inclusion) failInclusion(inclusion);
  if (tev.result.code !== 'ok') failInclusion(`the ledger refused the transaction (${tev.result.code})`);
  const eventProblem = eventMismatch(record, ev.subject, event, tev.tx.payload);
  if (eventProblem) failInclusion(eventProblem);
  const txId = suite.hash(tev.tx.raw);
  const action = record.history.length === 1 ? 'the anchoring' : `the change to ${CERTIFICATE_STATUSES[event.status]}`;
  pass(report, 'inclusion proof', `${event.by} recorded ${action} in transaction ${short(txId)}, block ${event.height}`);

  // Check 8: document, only once every proof holds.
  const commitment = documentCommitment(suite, code.secret, digest);
  if (!bytesEqual(commitment, record.commitment) || record.issuer !== code.issuer) {
    return { proven: 'present', documentFailure: `this file (digest ${short(digest)}) is not the document anchored for this certificate: the file was changed, or it is another document` };
  }
  pass(report, 'document', `this file is the document ${record.issuer} anchored`);
  return { proven: 'present' };
}

/** Is the payload exactly the record's latest event? (docs/verifier.md "Certificates", step 7) */
function eventMismatch(record, subject, event, payload) {
  const sameRef = (a, b) => a !== null && b !== null && a.issuer === b.issuer && bytesEqual(a.key, b.key);
  if (record.history.length === 1) {
    if (payload.tag !== 1) return 'the transaction is not the certificate\'s anchoring';
    if (!sameRef(payload.certificate, subject) || payload.certificate.issuer !== record.issuer) return 'the anchoring is of another certificate or issuer';
    if (!bytesEqual(payload.commitment, record.commitment) || payload.kind !== record.kind) return 'the anchoring carries another document commitment or kind';
    return null;
  }
  if (payload.tag !== 2) return 'the transaction is not the certificate\'s latest status change';
  if (!sameRef(payload.certificate, subject)) return 'the status change is of another certificate';
  if (payload.status !== event.status || payload.reason !== event.reason) return 'the status change is not the record\'s latest event';
  const a = payload.replacement;
  const b = event.replacement;
  if ((a === null) !== (b === null) || (a !== null && !sameRef(a, b))) return 'the status change names another replacement';
  return null;
}

/** Transaction evidence (docs/verifier.md "Transactions"). */
function verifyTransaction(report, trust, receipt, question) {
  const genesis = trust.genesis;
  const tev = receipt.evidence;
  let asked = null;
  if (question.tx !== null && question.tx !== undefined) {
    asked = typeof question.tx === 'string' && /^[0-9a-fA-F]{64}$/.test(question.tx) ? fromHex(question.tx) : null;
    if (asked === null) throw new CannotCheck('the transaction hash asked about is not 64 hex digits');
  }
  checkHeaderChain(report, trust, tev.header, tev.commit, receipt.handOffs);
  const problem = txInclusionProblem(genesis, tev);
  if (problem) throw new CheckFailure('inclusion proof', problem);
  const txId = genesis.suite.hash(tev.tx.raw);
  const count = tev.header.transactionCount;
  pass(report, 'inclusion proof', `transaction ${short(txId)} is number ${tev.txProof.leafIndex + 1n} of ${count} in block ${tev.header.height}, result: ${tev.result.code}`);
  if (asked !== null) {
    if (!bytesEqual(asked, txId)) {
      // docs/verifier.md "Transactions": a last "transaction" check; docs/cli.md: exit 1.
      throw new CheckFailure('transaction', `the receipt is for transaction ${short(txId)}, not ${short(asked)}, the one asked about`);
    }
  }
  return { txId };
}

/** Document evidence (docs/verifier.md "Documents in a batch"). */
function verifyDocument(report, trust, receipt, question) {
  const genesis = trust.genesis;
  const suite = genesis.suite;
  const ev = receipt.evidence;
  if (!(question.document instanceof Uint8Array)) throw new CannotCheck('no document file');
  const digest = suite.hash(question.document);
  const { trust: atHeader, headerHash } = checkHeaderChain(report, trust, ev.header, ev.commit, receipt.handOffs);

  if (!bytesEqual(ev.stateProof.key, batchStateKey(suite, ev.root))) throw new CheckFailure('state proof', 'the proof is about another state key than this batch\'s');
  const proven = verifyStateProof(suite, ev.stateProof, ev.header.stateRoot);
  if (proven === null) throw new CheckFailure('state proof', `the proof does not lead to the state root of block ${ev.header.height}`);
  if (!proven.present) {
    if (ev.record !== null) throw new CheckFailure('state proof', 'the proof shows no record, but the receipt carries one');
    pass(report, 'state proof', `no batch with root ${short(ev.root)} is on the ledger as of height ${ev.header.height}`);
    return { proven: 'absent' };
  }
  if (ev.record === null) throw new CheckFailure('state proof', 'the proof shows a record, but the receipt carries none');
  if (!bytesEqual(suite.hash(ev.record.raw), proven.valueHash)) throw new CheckFailure('state proof', 'the record is not the one the proof proves');
  const record = ev.record;
  pass(report, 'state proof', `batch ${short(ev.root)} (${record.count} documents, "${record.label}") is in the ledger state of block ${ev.header.height}`);

  const tev = ev.transaction;
  const failInclusion = (reason) => {
    throw new CheckFailure('inclusion proof', reason);
  };
  if (record.height > ev.header.height) failInclusion(`the record's height ${record.height} is above the evidence's block`);
  if (tev === null) failInclusion('the receipt carries no anchoring transaction');
  if (tev.header.height !== record.height) failInclusion(`the transaction is in block ${tev.header.height}, but the batch was anchored at height ${record.height}`);
  const blockProblem = txBlockProblem(atHeader, tev, ev.header, headerHash);
  if (blockProblem) failInclusion(blockProblem);
  const inclusion = txInclusionProblem(genesis, tev);
  if (inclusion) failInclusion(inclusion);
  if (tev.result.code !== 'ok') failInclusion(`the ledger refused the transaction (${tev.result.code})`);
  const p = tev.tx.payload;
  if (p.tag !== 3 || !bytesEqual(p.root, ev.root) || p.count !== record.count || p.label !== record.label) {
    failInclusion('the transaction does not anchor exactly this root, document count and label');
  }
  const txId = suite.hash(tev.tx.raw);
  pass(report, 'inclusion proof', `${record.issuer} anchored the batch in transaction ${short(txId)}, block ${record.height}`);

  // Document: the path is for a tree of the record's count and leads from H(0x00 ‖ digest) to the root.
  const path = receipt.path;
  if (path.treeSize !== BigInt(record.count)) {
    return { proven: 'present', record, documentFailure: `the document's path is for a batch of ${path.treeSize}, not this batch of ${record.count}` };
  }
  if (!verifyInclusion(suite, leafHash(suite, digest), path, ev.root)) {
    return { proven: 'present', record, documentFailure: `this file (digest ${short(digest)}) is not document ${path.leafIndex + 1n} of the batch's ${record.count}: the file was changed, or it is another document` };
  }
  pass(report, 'document', `this file is document ${path.leafIndex + 1n} of ${record.count} in the batch ${record.issuer} anchored`);
  return { proven: 'present', record };
}

// ---------------------------------------------------------------------------------------------
// verify(): the report (docs/verifier.md "The report"; docs/cli.md `civic verify`)

const EXIT = { valid: 0, not_valid: 1, could_not_check: 2 };

function newReport() {
  return { verdict: null, exit: null, status: null, reason: null, checks: [], height: null, time: null, trusted: '', headline: '' };
}

function finish(report, verdict, headline, reason) {
  report.verdict = verdict;
  report.exit = EXIT[verdict];
  report.headline = headline;
  report.reason = reason === undefined ? null : reason;
  return report;
}

function cannotCheck(report, reason) {
  report.status = null;
  return finish(report, 'could_not_check', `COULD NOT CHECK: ${reason}`, reason);
}

/** Which receipt kind answers which question. */
const KIND_FOR_QUESTION = { certificate: 'certificate', transaction: 'transaction', document: 'document' };

function verify(input) {
  const report = newReport();
  signatureOracle = input && typeof input.signatures === 'function' ? input.signatures : null;
  try {
    return verifyOrThrow(report, input || {});
  } catch (e) {
    if (e instanceof CannotCheck) return cannotCheck(report, e.message);
    // Never throw out of verify(): anything unexpected is reported, not raised.
    return cannotCheck(report, `internal error: ${e && e.message ? e.message : String(e)}`);
  } finally {
    signatureOracle = null;
  }
}

function verifyOrThrow(report, { genesis: genesisBytes, checkpoints, receipt: receiptBytes, question }) {
  if (!(genesisBytes instanceof Uint8Array)) throw new CannotCheck('no genesis file');
  if (!question || !(question.kind in KIND_FOR_QUESTION)) throw new CannotCheck('no question (certificate, transaction or document)');
  const genesis = readGenesis(genesisBytes);
  const trust = new TrustedHistory(genesis);
  pinCheckpoints(trust, checkpoints || []);
  report.trusted = trust.describe();

  const receipt = parseReceipt(receiptBytes);
  const expectedKind = KIND_FOR_QUESTION[question.kind];
  if (receipt.kind !== expectedKind) {
    if (receipt.kind === 'batch' && question.kind === 'document') {
      throw new CannotCheck('a batch receipt is checked only with a document and its path: use the document receipt');
    }
    throw new CannotCheck(`the receipt is a ${receipt.kind} receipt, not a ${expectedKind} receipt`);
  }
  const header = receipt.evidence.header;
  report.height = Number(header.height);
  report.time = formatTime(header.time);
  const asOf = `as of block ${header.height} (${report.time})`;

  // docs/verifier.md "Checkpoints": a receipt from a checkpoint needs it (or a later one) pinned;
  // a verifier that pins one reads no state evidence from below the highest ("fetch a fresh receipt").
  if (receipt.base !== null && !trust.covers(receipt.base)) {
    throw new CannotCheck(`its validator-set changes start at the checkpoint at height ${receipt.base.height} (header ${short(receipt.base.headerHash)}), which is not pinned: give it (or a later checkpoint)`);
  }
  const pin = trust.highestPin();
  if (receipt.kind !== 'transaction' && pin && header.height < pin.height) {
    throw new CannotCheck(`the evidence is from block ${header.height}, below the checkpoint at height ${pin.height} (header ${short(pin.headerHash)}) this verifier pins: fetch a fresh receipt`);
  }

  let outcome;
  try {
    if (question.kind === 'certificate') outcome = verifyCertificate(report, trust, receipt, question);
    else if (question.kind === 'transaction') outcome = verifyTransaction(report, trust, receipt, question);
    else outcome = verifyDocument(report, trust, receipt, question);
  } catch (e) {
    if (!(e instanceof CheckFailure)) throw e;
    report.checks.push({ name: e.check, passed: false, detail: e.message });
    // Offline, a proof that does not hold proves nothing: not valid (docs/verifier.md "Certificates").
    const word = question.kind === 'transaction' ? 'NOT PROVEN' : 'NOT VALID';
    return finish(report, 'not_valid', `${word}: the proof does not hold (${e.message}). Do not rely on this document or receipt.`, e.message);
  }
  if (outcome.documentFailure) {
    report.checks.push({ name: 'document', passed: false, detail: outcome.documentFailure });
    return finish(report, 'not_valid', `NOT VALID: ${outcome.documentFailure} (${asOf}).`, outcome.documentFailure);
  }
  if (question.kind === 'certificate') return certificateVerdict(report, receipt, question, asOf, outcome);
  if (question.kind === 'transaction') return transactionVerdict(report, receipt, asOf, outcome);
  return documentVerdict(report, receipt, asOf, outcome);
}

function certificateVerdict(report, receipt, question, asOf, outcome) {
  const ev = receipt.evidence;
  if (outcome.proven === 'absent') {
    report.status = 'not anchored';
    return finish(report, 'not_valid', `NOT VALID: no certificate with number ${question.number} and this verification code is on the ledger ${asOf}.`, 'not anchored');
  }
  const record = ev.record;
  const status = recordStatus(record);
  report.status = status;
  const kind = CERTIFICATE_KINDS[record.kind];
  const last = record.history[record.history.length - 1];
  if (status === 'valid') {
    return finish(report, 'valid', `VALID: ${kind} certificate ${question.number}, issued by ${record.issuer} at block ${record.history[0].height}, is valid ${asOf}.`);
  }
  const change = `at block ${last.height} by ${last.by}: ${last.reason}`;
  if (status === 'corrected') {
    return finish(report, 'valid', `VALID: ${kind} certificate ${question.number} is valid, with a correction recorded ${change}, ${asOf}.`);
  }
  const replaced = last.replacement ? ` (replaced by ${last.replacement.issuer}'s certificate ${short(last.replacement.key)})` : '';
  return finish(report, 'not_valid', `NOT VALID: ${kind} certificate ${question.number} was ${HISTORY_ACTION[last.status]} ${change}${replaced}.`, status);
}

function transactionVerdict(report, receipt, asOf, outcome) {
  const tev = receipt.evidence;
  const name = PAYLOAD_NAMES[tev.tx.payload.tag];
  const where = `is in block ${tev.header.height} (${report.time})`;
  if (tev.result.code === 'ok') {
    return finish(report, 'valid', `COMMITTED: transaction ${toHex(outcome.txId)} (${name}) ${where} and applied.`);
  }
  const refused = `${tev.result.code} ${tev.result.message}`.trim();
  return finish(report, 'not_valid', `COMMITTED BUT REJECTED: transaction ${toHex(outcome.txId)} (${name}) ${where}; the ledger rules refused it: ${refused}`, tev.result.code);
}

function documentVerdict(report, receipt, asOf, outcome) {
  if (outcome.proven === 'absent') {
    return finish(report, 'not_valid', `NOT VALID: the batch ${short(receipt.evidence.root)} is not on the ledger ${asOf}.`, 'not anchored');
  }
  const r = outcome.record;
  return finish(report, 'valid', `VALID: this document is in the batch "${r.label}" of ${r.count} documents that ${r.issuer} anchored at block ${r.height} (checked ${asOf}).`);
}

module.exports = {
  verify,
  parseReceipt(bytes) {
    // The parsed receipt, or a thrown Error naming the field at fault.
    return parseReceipt(bytes);
  },
  // Small helpers, exported for tests and for the page.
  helpers: {
    toHex,
    fromHex,
    formatTime,
    parseTime,
    parseCode,
    parseJson,
    readGenesis,
    verifyInclusion,
    verifyStateProof,
    computeSummary,
    certificateKey,
    documentCommitment,
    certificateStateKey,
    batchStateKey,
    decoders: {
      readHeader,
      readCommit,
      readValidatorSet,
      readHandOff,
      readStateProof,
      readInclusionProof,
      readCertificateRecord,
      readBatchRecord,
      readSignedTransaction,
      readResult,
      readTransactionEvidence,
      readCertificateEvidence,
      readBatchEvidence,
      decodeWhole,
    },
  },
  CannotCheck,
};
