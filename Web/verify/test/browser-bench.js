'use strict';
// Times the page in headless Chromium on receipt-bench's files (Tools/bench-verify-page.sh): the receipt from
// genesis and, when there is one, the receipt from a checkpoint with the checkpoint pinned — reading and
// pinning it counted, as the page does on every click — on one thread and with the page's Web Workers (what
// the Verify button does). Resolves window.civicBench (JSON).
window.civicBench = (async function () {
  const data = JSON.parse(document.getElementById('civic-files').textContent);
  const file = (name) => Uint8Array.from(atob(data.files[name]), (c) => c.charCodeAt(0));
  const question = JSON.parse(new TextDecoder().decode(file('question.json')));
  const page = window.CivicPage;
  const pool = page.workerPool(window);

  async function time(receipt, checkpoints, parallel) {
    const inputs = {
      genesis: file('genesis.json'),
      checkpoints,
      receipt,
      document: file('document.txt'),
      number: question.number,
      code: question.code,
    };
    const times = [];
    let verdict = null;
    for (let run = 0; run < 5; run += 1) {
      const start = performance.now();
      const report = parallel ? await page.verifyInputsParallel(inputs, pool) : page.verifyInputs(inputs);
      times.push(performance.now() - start);
      verdict = report.verdict;
    }
    times.sort((a, b) => a - b);
    return { p50: times[2], max: times[4], verdict, bytes: receipt.length };
  }

  const result = { question, workers: pool.length };
  for (const parallel of [false, true]) {
    const suffix = parallel ? 'Workers' : '';
    result[`fromGenesis${suffix}`] = await time(file('receipt-from-genesis.json'), [], parallel);
    if (data.files['checkpoint.json']) {
      const checkpoint = [file('checkpoint.json')];
      result[`fromCheckpoint${suffix}`] = await time(file('receipt-from-checkpoint.json'), checkpoint, parallel);
    }
  }
  return JSON.stringify(result);
})();
