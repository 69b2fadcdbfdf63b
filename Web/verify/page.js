'use strict';

// The verification page (docs/verifier.md, "The page"): the person picks the certificate document and its
// receipt — or, on a page a node serves, asks that node — and the page checks everything here, in the
// browser, with verifier.js. The document is hashed here and never uploaded. Words in Chinese and English.
const { verify, helpers } = require('./verifier.js');

const { readGenesis, parseCode, certificateKey } = helpers;
const { suite } = require('./crypto.js');

/** What the page says, in both languages, shown together. */
const WORDS = {
  valid: ['有效', 'VALID'],
  not_valid: ['无效', 'NOT VALID'],
  could_not_check: ['无法核验', 'COULD NOT CHECK'],
  asOf: (height, time) => [`截至区块 ${height}（${time}）`, `as of block ${height} (${time})`],
  trusted: ['信任依据', 'Trusted'],
  genesis: ['创世文件（链与哈希，请与公布值核对）', 'Genesis (chain and hash: compare with the published one)'],
  later: [
    '凭证只反映该区块时的账本：之后的变更（例如撤销）不在其中。',
    'A receipt shows the ledger as of one block: anything recorded later, such as a revocation, is not in it.',
  ],
  stale: (age) => [`节点的回答已过时（${age} 秒前），请稍后再试。`, `The node's answer is ${age} s old: try again later.`],
  needGenesis: ['请选择创世文件（genesis.json）。', 'Pick the genesis file (genesis.json).'],
  needReceipt: ['请选择凭证文件，或向本节点查询。', 'Pick the receipt file, or ask this node.'],
  needCertificate: ['请选择证书文件并填写证书编号和核验码。', 'Pick the certificate file and fill in its number and code.'],
};

const CHECKS = {
  chain: '链',
  'validator sets': '验证者集合',
  header: '区块头',
  'commit certificate': '提交证书（验证者签名）',
  checkpoint: '检查点',
  certificate: '证书',
  'state proof': '状态证明',
  'inclusion proof': '交易包含证明',
  document: '文件',
  transaction: '交易',
};

const STATUS = {
  valid: '有效',
  revoked: '已撤销',
  superseded: '已被取代',
  corrected: '已更正',
  'not anchored': '未登记',
};

/** How long an answer fetched from a node may be: the same default as `civic verify --node`. */
const ONLINE_MAX_AGE_SECONDS = 120;

const encoder = new TextEncoder();

function hex(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The certificate a number and code name (docs/encoding.md, "Records and derived keys"): the code's issuer
 * and the key H(string "civicledger/certificate-key/2" ‖ string number ‖ byte string secret), as hex. Null
 * when the code is not ISSUER-SECRET with a 32-hex-digit secret.
 */
function certificateRef(suiteName, number, code) {
  const parsed = parseCode(code);
  if (parsed === null) return null;
  return { issuer: parsed.issuer, key: hex(certificateKey(suite(suiteName), number, parsed.secret)) };
}

/**
 * Verifies what the person gave: `inputs` = { genesis, checkpoints, receipt, document } as Uint8Arrays and
 * { number, code } as text. A certificate when number and code are given, else a document in a batch.
 * `signatures`, optional, is verifier.js's signature oracle. Returns verifier.js's report; never throws.
 */
function verifyInputs(inputs, signatures) {
  const question =
    inputs.number || inputs.code
      ? { kind: 'certificate', document: inputs.document, number: inputs.number, code: inputs.code }
      : { kind: 'document', document: inputs.document };
  return verify({
    genesis: inputs.genesis,
    checkpoints: inputs.checkpoints || [],
    receipt: inputs.receipt,
    question,
    signatures,
  });
}

/** One signature check, as a key for the verdicts found ahead. */
function checkKey(suiteName, key, message, signature) {
  return `${suiteName}|${hex(key)}|${hex(message)}|${hex(signature)}`;
}

/** Below this many new signatures a round checks them on this thread: workers would cost more than they save. */
const PARALLEL_THRESHOLD = 16;

/** At most this many signatures are checked in one round, so a forged receipt costs at most one round. */
const ROUND_LIMIT = 256;

/**
 * The report verifyInputs gives, with the signature checks spread over `pool` (Web Workers, one per core;
 * docs/verifier.md, "The page"). In rounds: a dry run of the verifier answers every signature it has no
 * verdict for yet with "valid" and collects the first ROUND_LIMIT of them, in the order it meets them; the
 * workers (or this thread, for fewer than `threshold`) check those; the next dry run knows their verdicts —
 * and, like the plain verifier, stops at the first bad one. The run that meets no signature without a
 * verdict is the real run, and its report is returned: every verdict it read came from a real check, so
 * the rounds can save time but never change a verdict. A forged signature early in a receipt ends it after
 * one round. Callers must not run two at once on one pool (the page disables its buttons meanwhile).
 */
async function verifyInputsParallel(inputs, pool, threshold = PARALLEL_THRESHOLD, roundLimit = ROUND_LIMIT) {
  const verdicts = new Map();
  for (;;) {
    const collected = new Map();
    const report = verifyInputs(inputs, (suiteName, key, message, signature) => {
      const id = checkKey(suiteName, key, message, signature);
      const known = verdicts.get(id);
      if (known !== undefined) return known;
      if (collected.size < roundLimit) collected.set(id, [suiteName, key, message, signature]);
      return true;
    });
    if (collected.size === 0) return report;
    const checks = Array.from(collected.values());
    const answers =
      !pool || pool.length === 0 || checks.length < threshold
        ? checks.map(([name, key, message, signature]) => suite(name).verify(key, message, signature))
        : await checkOnWorkers(pool, checks);
    checks.forEach((check, index) => verdicts.set(checkKey(...check), answers[index] === true));
  }
}

/** Sequence numbers of the batches sent to workers, so an answer is only ever taken for its own batch. */
let nextBatch = 0;

/** `checks` verified across `pool`: one boolean each, in order; rejects if any worker fails or misanswers. */
async function checkOnWorkers(pool, checks) {
  const share = Math.ceil(checks.length / pool.length);
  const slices = pool.map((worker, index) => checks.slice(index * share, (index + 1) * share));
  const answers = await Promise.all(pool.map((worker, index) => ask(worker, slices[index])));
  return answers.flat();
}

/** `checks` verified by `worker`: one boolean each, in order, from the answer to this very batch. */
function ask(worker, checks) {
  if (checks.length === 0) return Promise.resolve([]);
  nextBatch += 1;
  const batch = nextBatch;
  return new Promise((resolve, reject) => {
    const answered = (event) => {
      if (!event.data || event.data.batch !== batch) return;
      worker.removeEventListener('message', answered);
      worker.removeEventListener('error', failed);
      const verdicts = event.data.verdicts;
      if (!Array.isArray(verdicts) || verdicts.length !== checks.length) reject(new Error('a worker misanswered'));
      else resolve(verdicts);
    };
    const failed = (event) => {
      worker.removeEventListener('message', answered);
      worker.removeEventListener('error', failed);
      reject(new Error(event.message || 'a worker failed'));
    };
    worker.addEventListener('message', answered);
    worker.addEventListener('error', failed);
    worker.postMessage({ batch, checks });
  });
}

/** In a worker (the page's own script, started from a Blob): verify what the page sends, nothing else. */
function serveAsWorker(scope) {
  scope.onmessage = (event) => {
    const { batch, checks } = event.data || {};
    const verdicts = (Array.isArray(checks) ? checks : []).map(([name, key, message, signature]) =>
      suite(name).verify(key, message, signature),
    );
    scope.postMessage({ batch, verdicts });
  };
}

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** The report as HTML: the verdict in both languages, "as of", every check, what was trusted. */
function render(report) {
  const verdict = ['valid', 'not_valid'].includes(report.verdict) ? report.verdict : 'could_not_check';
  const [zh, en] = WORDS[verdict];
  const lines = [`<p class="verdict ${verdict}" data-verdict="${verdict}">${zh} · ${en}</p>`];
  if (report.status) {
    lines.push(`<p class="status" data-status="${escapeHTML(report.status)}">${STATUS[report.status] || ''} · ${escapeHTML(report.status)}</p>`);
  }
  if (report.headline) lines.push(`<p class="headline">${escapeHTML(report.headline)}</p>`);
  if (report.reason) lines.push(`<p class="reason">${escapeHTML(report.reason)}</p>`);
  if (report.height !== undefined && report.height !== null && report.time) {
    const [asOfZh, asOfEn] = WORDS.asOf(escapeHTML(report.height), escapeHTML(report.time));
    lines.push(`<p class="as-of">${asOfZh} · ${asOfEn}</p>`);
  }
  if (report.checks && report.checks.length) {
    lines.push('<ul class="checks">');
    for (const check of report.checks) {
      lines.push(
        `<li class="${check.passed ? 'passed' : 'failed'}" data-check="${escapeHTML(check.name)}">` +
          `${check.passed ? '✓' : '✗'} <b>${CHECKS[check.name] || ''} ${escapeHTML(check.name)}</b> — ${escapeHTML(check.detail)}</li>`,
      );
    }
    lines.push('</ul>');
  }
  if (report.trusted) lines.push(`<p class="trusted">${WORDS.trusted.join(' · ')}: ${escapeHTML(report.trusted)}</p>`);
  if (report.genesis) lines.push(`<p class="trusted">${WORDS.genesis.join(' · ')}: <code>${escapeHTML(report.genesis)}</code></p>`);
  if (verdict !== 'could_not_check') lines.push(`<p class="note">${WORDS.later.join('<br>')}</p>`);
  return lines.join('\n');
}

/** The report for a fetched answer older than the online limit: could not check, as `civic verify` says. */
function refuseStale(report, nowSeconds) {
  const time = Date.parse(report.time || '') / 1000;
  if (!Number.isFinite(time) || report.verdict === 'could_not_check') return report;
  const age = Math.round(nowSeconds - time);
  if (age <= ONLINE_MAX_AGE_SECONDS) return report;
  const [zh, en] = WORDS.stale(age);
  return { ...report, verdict: 'could_not_check', exit: 2, reason: `${zh} ${en}` };
}

/**
 * An answer fetched from a node whose proof does not hold is the node's fault, not the certificate's:
 * "could not check", as `civic verify --node` says (docs/verifier.md, "Online"). Only the document check — the
 * file is not the one anchored — is the certificate's own answer.
 */
function refuseFaultyAnswer(report) {
  const failed = (report.checks || []).find((check) => !check.passed);
  if (!failed || failed.name === 'document' || report.verdict === 'could_not_check') return report;
  const reason = `节点的回答不成立（${failed.detail}）：节点有故障或在说谎。 The node's answer does not hold (${failed.detail}): the node is faulty or lying.`;
  return { ...report, verdict: 'could_not_check', exit: 2, status: null, reason };
}

/** The report with the full hash of the genesis it trusted, for comparing with the published one. */
function withGenesis(report, genesisBytes) {
  try {
    const genesis = readGenesis(genesisBytes);
    return { ...report, genesis: `${genesis.chainId} ${hex(genesis.hash)}` };
  } catch (error) {
    return report;
  }
}

// ---- The browser shell: reads the form, runs verifyInputs, shows render(). Absent under Node. ----

async function fileBytes(input) {
  const file = input && input.files && input.files[0];
  return file ? new Uint8Array(await file.arrayBuffer()) : null;
}

/**
 * One Web Worker per core (at most 8), each running this page's own script; empty where workers cannot
 * start (an old browser, a policy that forbids them): then one thread checks everything.
 */
function workerPool(window) {
  const script = window.document.querySelector('script:not([type])');
  if (!script || typeof window.Worker !== 'function' || typeof window.Blob !== 'function') return [];
  try {
    const url = window.URL.createObjectURL(new window.Blob([script.textContent], { type: 'text/javascript' }));
    const cores = Math.min(8, Math.max(1, window.navigator.hardwareConcurrency || 2));
    return Array.from({ length: cores }, () => new window.Worker(url));
  } catch (error) {
    return [];
  }
}

/** The genesis the page was built or served with, if any (a `<script type="application/json">`). */
function embeddedGenesis(document) {
  const element = document.getElementById('civic-genesis');
  const text = element ? element.textContent.trim() : '';
  return text && text !== 'null' ? encoder.encode(text) : null;
}

function start(window) {
  const { document } = window;
  const $ = (id) => document.getElementById(id);
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  if (fragment.get('number')) $('number').value = fragment.get('number');
  if (fragment.get('code')) $('code').value = fragment.get('code');
  const builtIn = embeddedGenesis(document);
  const pool = workerPool(window);
  $('genesis-built-in').hidden = !builtIn;
  const served = /^https?:$/.test(window.location.protocol) && builtIn;
  $('ask-node').hidden = !served;

  async function gather() {
    const checkpoints = [];
    for (const file of $('checkpoints').files || []) checkpoints.push(new Uint8Array(await file.arrayBuffer()));
    return {
      genesis: (await fileBytes($('genesis'))) || builtIn,
      checkpoints,
      receipt: await fileBytes($('receipt')),
      document: await fileBytes($('document')),
      number: $('number').value,
      code: $('code').value,
    };
  }

  function show(html) {
    $('result').innerHTML = html;
  }

  function missing(inputs, needReceipt) {
    if (!inputs.genesis) return WORDS.needGenesis;
    if (!inputs.document || (!!inputs.number !== !!inputs.code)) return WORDS.needCertificate;
    if (needReceipt && !inputs.receipt) return WORDS.needReceipt;
    return null;
  }

  // One verification at a time: both buttons wait for the one under way (the workers serve one run).
  let busy = false;
  async function exclusively(work) {
    if (busy) return;
    busy = true;
    $('verify').disabled = true;
    $('ask-node').disabled = true;
    try {
      await work();
    } finally {
      busy = false;
      $('verify').disabled = false;
      $('ask-node').disabled = false;
    }
  }

  /** verifyInputsParallel, or this thread alone if the workers fail: the same verdict either way. */
  async function check(inputs) {
    try {
      return await verifyInputsParallel(inputs, pool);
    } catch (error) {
      return verifyInputs(inputs);
    }
  }

  $('verify').addEventListener('click', () =>
    exclusively(async () => {
      const inputs = await gather();
      const need = missing(inputs, true);
      if (need) return show(`<p class="reason">${need.join('<br>')}</p>`);
      show(render(withGenesis(await check(inputs), inputs.genesis)));
    }),
  );

  // Scanning the certificate's QR code in the page, where the browser can read QR codes itself (the Shape
  // Detection API: Chrome on Android and macOS). Elsewhere the phone's camera app opens the link, and the
  // fragment fills the form as above.
  const canScan = 'BarcodeDetector' in window && window.navigator.mediaDevices;
  $('scan').hidden = !canScan;
  if (canScan) $('scan').addEventListener('click', () => scan(window, $));

  $('ask-node').addEventListener('click', () =>
    exclusively(async () => {
      const inputs = await gather();
      const need = missing(inputs, false);
      if (need || !inputs.number) {
        return show(`<p class="reason">${(need || WORDS.needCertificate).join('<br>')}</p>`);
      }
      try {
        const genesis = JSON.parse(new TextDecoder().decode(inputs.genesis));
        const ref = certificateRef(genesis.crypto_suite, inputs.number, inputs.code);
        if (!ref) return show(render(verifyInputs(inputs)));
        // Only the issuer and the key go to the node, never the number, the code or the document.
        const answer = await window.fetch(`/v1/certificates/${encodeURIComponent(ref.issuer)}/${ref.key}/receipt`);
        if (!answer.ok) throw new Error(`the node answered HTTP ${answer.status}`);
        inputs.receipt = new Uint8Array(await answer.arrayBuffer());
        const report = refuseStale(refuseFaultyAnswer(await check(inputs)), Date.now() / 1000);
        show(render(withGenesis(report, inputs.genesis)));
      } catch (error) {
        show(render({ verdict: 'could_not_check', exit: 2, reason: String(error.message || error), checks: [] }));
      }
    }),
  );
}

/** Fills number and code from a scanned link `…/verify#number=N&code=C`; anything else is ignored. */
function fillFromLink(text, $) {
  const hash = String(text).split('#')[1];
  if (!hash) return false;
  const fields = new URLSearchParams(hash);
  if (!fields.get('number') || !fields.get('code')) return false;
  $('number').value = fields.get('number');
  $('code').value = fields.get('code');
  return true;
}

async function scan(window, $) {
  const video = $('camera');
  let stream;
  try {
    stream = await window.navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    for (let tries = 0; tries < 600; tries += 1) {
      const codes = await detector.detect(video);
      if (codes.some((code) => fillFromLink(code.rawValue, $))) return;
      await new Promise((resolve) => window.setTimeout(resolve, 100));
    }
  } catch (error) {
    $('result').textContent = String(error.message || error);
  } finally {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    video.hidden = true;
  }
}

if (typeof window === 'undefined' && typeof self !== 'undefined' && typeof self.postMessage === 'function') {
  serveAsWorker(self);
} else if (typeof window !== 'undefined' && typeof document !== 'undefined') {
  window.CivicPage = { verify, verifyInputs, verifyInputsParallel, workerPool, render, refuseStale, certificateRef };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => start(window));
  else start(window);
}

module.exports = { verifyInputs, verifyInputsParallel, render, refuseStale, refuseFaultyAnswer, certificateRef, fillFromLink };
