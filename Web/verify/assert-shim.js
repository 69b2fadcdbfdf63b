'use strict';

// Upstream, elliptic and hash.js use `minimalistic-assert`; Debian points them at Node's `assert`, which in a
// browser bundle drags in `util` and needs `process`. The page bundles this instead (Tools/build-verify-page.sh,
// --alias): minimalistic-assert's behaviour, an Error when the condition fails.
function assert(value, message) {
  if (!value) throw new Error(message || 'Assertion failed');
}

assert.equal = function equal(left, right, message) {
  if (left != right) throw new Error(message || `Assertion failed: ${left} != ${right}`);
};

module.exports = assert;
