// Browser stand-in for the parts of Node's `util` that adaptive-expressions and antlr4ts touch.
const inspect = (value) => String(value);
inspect.custom = Symbol.for('nodejs.util.inspect.custom');
const promisify = (fn) => (...args) => new Promise((resolve, reject) => fn(...args, (error, value) => (error ? reject(error) : resolve(value))));
module.exports = { inspect, promisify, TextEncoder: globalThis.TextEncoder, TextDecoder: globalThis.TextDecoder };
