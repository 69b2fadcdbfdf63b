'use strict';
// The page's own logic under Node: the certificate it asks a node for, escaping in what it shows, the online
// age limit, and the link a QR code carries (docs/verifier.md, "The page").
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { render, refuseStale, certificateRef, fillFromLink } = require('../page.js');

const vectors = path.join(__dirname, '../../../docs/vectors/receipts');

test('the certificate a number and code name is the receipt subject', () => {
  for (const suite of ['secp256k1-sha256', 'sm2-sm3']) {
    const receipt = JSON.parse(fs.readFileSync(path.join(vectors, suite, 'certificate-valid.json'), 'utf8'));
    const index = JSON.parse(fs.readFileSync(path.join(vectors, 'index.json'), 'utf8'));
    const { question } = index.vectors.find((vector) => vector.name === `${suite}/certificate-valid`);
    const ref = certificateRef(suite, question.number, question.code);
    assert.strictEqual(ref.issuer, receipt.summary.issuer);
    assert.strictEqual(ref.key, receipt.summary.certificate_key);
    assert.notStrictEqual(certificateRef(suite, `${question.number} `, question.code).key, ref.key);
  }
  assert.strictEqual(certificateRef('sm2-sm3', 'N', '440000-1234'), null);
  assert.strictEqual(certificateRef('sm2-sm3', 'N', 'not a code'), null);
});

test('what the page shows is escaped', () => {
  const html = render({
    verdict: 'not_valid',
    status: '<img src=x>',
    headline: '<script>alert(1)</script>',
    height: 3,
    time: '2026-12-06T00:00:00Z',
    checks: [{ name: 'document', passed: false, detail: '"><script>' }],
    trusted: '<b>',
  });
  assert.ok(!/<script|<img/.test(html) && html.includes('Trusted: &lt;b&gt;'), html);
  assert.match(render({ verdict: '"><script>', checks: [] }), /data-verdict="could_not_check"/);
  assert.match(html, /data-verdict="not_valid"/);
  assert.match(html, /无效 · NOT VALID/);
});

test('an answer older than two minutes is refused online', () => {
  const report = { verdict: 'valid', exit: 0, time: '2026-12-06T00:00:00Z', checks: [] };
  const at = Date.parse('2026-12-06T00:00:00Z') / 1000;
  assert.strictEqual(refuseStale(report, at + 120).verdict, 'valid');
  const stale = refuseStale(report, at + 121);
  assert.strictEqual(stale.verdict, 'could_not_check');
  assert.strictEqual(stale.exit, 2);
  assert.strictEqual(refuseStale({ ...report, time: 'garbage' }, at).verdict, 'valid', 'no time: the verifier decided');
});

test('a scanned link fills number and code, and nothing else does', () => {
  const fields = { number: { value: '' }, code: { value: '' } };
  const $ = (id) => fields[id];
  assert.ok(fillFromLink('http://127.0.0.1:1/verify#number=GD-2026-000123&code=440000-00ff', $));
  assert.deepStrictEqual([fields.number.value, fields.code.value], ['GD-2026-000123', '440000-00ff']);
  assert.ok(!fillFromLink('https://example.org/', $));
  assert.ok(!fillFromLink('#number=only', $));
  assert.ok(fillFromLink('x#number=%E7%BC%96%E5%8F%B7&code=a-b', $));
  assert.strictEqual(fields.number.value, '编号');
});
