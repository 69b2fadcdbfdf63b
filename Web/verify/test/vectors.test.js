'use strict';

// Runs every known-answer vector of docs/vectors/receipts/index.json through verifier.verify()
// and compares verdict, exit, status and failed_check (the first failing check's name when the
// verdict is not_valid; null otherwise).
//
//   NODE_PATH=/usr/share/nodejs node --test Web/verify/test/

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { verify } = require('../verifier.js');

const root = path.join(__dirname, '..', '..', '..', 'docs', 'vectors', 'receipts');
const read = (relative) => new Uint8Array(fs.readFileSync(path.join(root, relative)));

function question(q) {
  if (q.kind === 'certificate') return { kind: 'certificate', document: read(q.file), number: q.number, code: q.code };
  if (q.kind === 'transaction') return { kind: 'transaction', tx: q.tx === undefined ? null : q.tx };
  return { kind: 'document', document: read(q.file) };
}

function failedCheck(report) {
  if (report.verdict !== 'not_valid') return null;
  const failed = report.checks.find((c) => !c.passed);
  return failed ? failed.name : null;
}

const index = JSON.parse(fs.readFileSync(path.join(root, 'index.json'), 'utf8'));

test('the vector index is the format this test reads', () => {
  assert.equal(index.format, 'civicledger-receipt-vectors/1');
  assert.ok(index.vectors.length > 0);
});

for (const v of index.vectors) {
  test(v.name, () => {
    const report = verify({
      genesis: read(v.genesis),
      checkpoints: (v.checkpoints || []).map(read),
      receipt: read(v.receipt),
      question: question(v.question),
    });
    const got = { verdict: report.verdict, exit: report.exit, status: report.status, failed_check: failedCheck(report) };
    const expected = {
      verdict: v.expected.verdict,
      exit: v.expected.exit,
      status: v.expected.status,
      failed_check: v.expected.failed_check,
    };
    assert.deepEqual(got, expected, `${v.about}\nreport: ${report.headline}`);
  });
}

test('the JSON and binary forms of one receipt parse to the same evidence', () => {
  const { parseReceipt, helpers } = require('../verifier.js');
  for (const suite of ['secp256k1-sha256', 'sm2-sm3']) {
    const json = parseReceipt(read(`${suite}/certificate-valid.json`));
    const binary = parseReceipt(read(`${suite}/certificate-valid.civr`));
    assert.equal(json.kind, binary.kind);
    assert.equal(helpers.toHex(json.evidence.header.raw), helpers.toHex(binary.evidence.header.raw));
    assert.equal(helpers.toHex(json.evidence.record.raw), helpers.toHex(binary.evidence.record.raw));
    assert.equal(json.handOffs.length, binary.handOffs.length);
  }
});

test('verify() never throws, whatever it is given', () => {
  const inputs = [undefined, null, {}, { genesis: new Uint8Array(0) }, { genesis: read('secp256k1-sha256/genesis.json'), receipt: new Uint8Array([0x43, 0x49, 0x56, 0x52]), question: { kind: 'transaction', tx: null } }];
  for (const input of inputs) {
    const report = verify(input);
    assert.equal(report.verdict, 'could_not_check');
    assert.equal(report.exit, 2);
  }
});
