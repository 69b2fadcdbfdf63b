'use strict';
// The page's rounds of signature checks on workers (page.js, verifyInputsParallel) under Node, with fake
// workers that answer late and out of order: the verdicts are the plain verifier's, two runs at once never
// borrow each other's answers, a forged signature costs one round, a worker that misanswers is refused, and
// a node's answer whose proof fails is "could not check" (docs/verifier.md, "The page").
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const page = require('../page.js');
const { suite } = require('../crypto.js');

const root = path.join(__dirname, '../../../docs/vectors/receipts');
const index = JSON.parse(fs.readFileSync(path.join(root, 'index.json'), 'utf8'));
const file = (name) => new Uint8Array(fs.readFileSync(path.join(root, name)));

function inputs(name) {
  const vector = index.vectors.find((candidate) => candidate.name === name);
  const { question } = vector;
  return {
    genesis: file(vector.genesis),
    checkpoints: vector.checkpoints.map(file),
    receipt: file(vector.receipt),
    document: file(question.file),
    number: question.number || '',
    code: question.code || '',
  };
}

/** A worker that answers each batch after a random delay, counting the signatures it was asked to check. */
function fakeWorker(counter, answer = (verdicts) => verdicts) {
  const listeners = { message: new Set(), error: new Set() };
  return {
    addEventListener: (type, listener) => listeners[type].add(listener),
    removeEventListener: (type, listener) => listeners[type].delete(listener),
    postMessage({ batch, checks }) {
      counter.checks += checks.length;
      const verdicts = checks.map(([name, key, message, signature]) => suite(name).verify(key, message, signature));
      setTimeout(() => {
        for (const listener of [...listeners.message]) listener({ data: { batch, verdicts: answer(verdicts) } });
      }, Math.random() * 20);
    },
  };
}

const suites = ['secp256k1-sha256', 'sm2-sm3'];
const certificateVectors = index.vectors.filter((vector) => ['certificate', 'document'].includes(vector.question.kind));

test('with workers, every certificate and document vector gets the plain verifier\'s report', async () => {
  const pool = [fakeWorker({ checks: 0 }), fakeWorker({ checks: 0 })];
  for (const vector of certificateVectors) {
    const form = inputs(vector.name);
    const plain = page.verifyInputs(form);
    const parallel = await page.verifyInputsParallel(form, pool, 0);
    assert.deepStrictEqual(parallel, plain, vector.name);
  }
});

test('two runs at once on one pool never borrow each other\'s answers', async () => {
  for (const name of suites) {
    const pool = [fakeWorker({ checks: 0 }), fakeWorker({ checks: 0 })];
    const runs = [];
    for (let i = 0; i < 4; i += 1) {
      runs.push(page.verifyInputsParallel(inputs(`${name}/certificate-valid`), pool, 0));
      runs.push(page.verifyInputsParallel(inputs(`${name}/certificate-bad-signature`), pool, 0));
    }
    const reports = await Promise.all(runs);
    reports.forEach((report, i) => assert.strictEqual(report.verdict, i % 2 === 0 ? 'valid' : 'not_valid', `${name} run ${i}`));
  }
});

test('checking stops at the round that finds a forged signature', async () => {
  // The receipt holds 12 signatures: the hand-off's 4, header 3's 3 (the last one forged), the anchoring
  // block's 4 and the transaction's. In rounds of 2, the forged one is found in the fourth round, and
  // nothing after it is checked — as the plain verifier stops at it.
  const counter = { checks: 0 };
  const pool = [fakeWorker(counter), fakeWorker(counter)];
  const report = await page.verifyInputsParallel(inputs('sm2-sm3/certificate-bad-signature'), pool, 0, 2);
  assert.strictEqual(report.verdict, 'not_valid');
  assert.strictEqual(counter.checks, 8, `${counter.checks} signatures checked`);
  const valid = { checks: 0 };
  const all = await page.verifyInputsParallel(inputs('sm2-sm3/certificate-valid'), [fakeWorker(valid)], 0, 2);
  assert.strictEqual(all.verdict, 'valid');
  assert.strictEqual(valid.checks, 12);
});

test('a worker that answers with the wrong number of verdicts is refused', async () => {
  const pool = [fakeWorker({ checks: 0 }, (verdicts) => verdicts.concat([true]))];
  await assert.rejects(page.verifyInputsParallel(inputs('secp256k1-sha256/certificate-valid'), pool, 0), /misanswered/);
});

test('online, a proof that fails is the node\'s fault; another document is the certificate\'s answer', () => {
  const wrongCode = page.refuseFaultyAnswer(page.verifyInputs(inputs('secp256k1-sha256/certificate-wrong-code')));
  assert.strictEqual(wrongCode.verdict, 'could_not_check');
  assert.strictEqual(wrongCode.exit, 2);
  const forged = page.refuseFaultyAnswer(page.verifyInputs(inputs('sm2-sm3/certificate-bad-signature')));
  assert.strictEqual(forged.verdict, 'could_not_check');
  const otherDocument = page.refuseFaultyAnswer(page.verifyInputs(inputs('sm2-sm3/certificate-other-document')));
  assert.strictEqual(otherDocument.verdict, 'not_valid');
  const revoked = page.refuseFaultyAnswer(page.verifyInputs(inputs('sm2-sm3/certificate-revoked')));
  assert.strictEqual(revoked.verdict, 'not_valid');
  assert.strictEqual(revoked.status, 'revoked');
});
