'use strict';
// Runs in headless Chromium inside a copy of the built page (Tools/test-verify-page.sh): every vector of
// docs/vectors/receipts through the page's verifier, certificate and document vectors also through its form
// handler and renderer — on one thread and with its Web Workers — and resolves window.civicResults (JSON).
window.civicResults = (async function () {
  const data = JSON.parse(document.getElementById('civic-files').textContent);
  const file = (path) => Uint8Array.from(atob(data.files[path]), (c) => c.charCodeAt(0));
  const page = window.CivicPage;

  function question(vector) {
    const q = vector.question;
    if (q.kind === 'certificate') return { kind: q.kind, document: file(q.file), number: q.number, code: q.code };
    if (q.kind === 'document') return { kind: q.kind, document: file(q.file) };
    return { kind: 'transaction', tx: q.tx };
  }

  function compare(problems, where, got, expected) {
    for (const key of ['verdict', 'exit', 'status', 'failed_check']) {
      if (key in got && got[key] !== expected[key]) {
        problems.push(`${where} ${key}: got ${JSON.stringify(got[key])}, expected ${JSON.stringify(expected[key])}`);
      }
    }
  }

  /** What the rendered page shows: verdict, status and the first failed check, read from the DOM. */
  function shown(html) {
    const box = document.createElement('div');
    box.innerHTML = html;
    const verdict = box.querySelector('[data-verdict]');
    const status = box.querySelector('[data-status]');
    const failed = box.querySelector('li.failed[data-check]');
    return {
      verdict: verdict ? verdict.dataset.verdict : null,
      status: status ? status.dataset.status : null,
      failed_check: failed ? failed.dataset.check : null,
    };
  }

  const pool = page.workerPool(window);
  const vectors = [];
  for (const vector of data.index.vectors) {
    const problems = [];
    const inputs = {
      genesis: file(vector.genesis),
      checkpoints: vector.checkpoints.map(file),
      receipt: file(vector.receipt),
    };
    const asked = question(vector);
    let report;
    const start = performance.now();
    try {
      report = page.verify({ ...inputs, question: asked });
    } catch (error) {
      report = { verdict: 'threw', exit: -1, status: null, checks: [] };
      problems.push(`verify threw: ${error}`);
    }
    const ms = performance.now() - start;
    const firstFailed = (report.checks || []).find((check) => !check.passed);
    const got = {
      verdict: report.verdict,
      exit: report.exit,
      status: report.status === undefined ? null : report.status,
      failed_check: firstFailed ? firstFailed.name : null,
    };
    compare(problems, 'verifier', got, vector.expected);
    if (asked.kind !== 'transaction') {
      const form = { ...inputs, document: asked.document, number: asked.number || '', code: asked.code || '' };
      compare(problems, 'page', shown(page.render(page.verifyInputs(form))), vector.expected);
      // The form's own path: signatures checked ahead on Web Workers, then the real run.
      const parallel = await page.verifyInputsParallel(form, pool, 0);
      compare(problems, 'page with workers', shown(page.render(parallel)), vector.expected);
    }
    vectors.push({ name: vector.name, ms, problems });
  }

  // The time a person waits: a certificate receipt with one hand-off, verified 20 times, median.
  const bySuite = {};
  for (const vector of data.index.vectors.filter((v) => v.name.endsWith('/certificate-valid'))) {
    const times = [];
    for (let i = 0; i < 20; i += 1) {
      const start = performance.now();
      page.verify({
        genesis: file(vector.genesis),
        checkpoints: [],
        receipt: file(vector.receipt),
        question: question(vector),
      });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    bySuite[vector.name.split('/')[0]] = times[10];
  }

  return JSON.stringify({ userAgent: navigator.userAgent, workers: pool.length, vectors, bySuite });
})();
