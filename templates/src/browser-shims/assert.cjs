// Browser stand-in for Node's `assert`, which antlr4ts (under adaptive-expressions) requires and calls as a function.
// CommonJS because the callers `require()` it and need the function itself, not an ES module namespace.
function assert(value, message) {
  if (!value) throw new Error(message || 'Assertion failed');
}
assert.ok = assert;
assert.equal = (actual, expected, message) => assert(actual == expected, message);
assert.strictEqual = (actual, expected, message) => assert(actual === expected, message);
assert.notEqual = (actual, expected, message) => assert(actual != expected, message);
assert.fail = (message) => {
  throw new Error(message || 'Assertion failed');
};
module.exports = assert;
