// One mocha run for the whole suite: a root hook starts Azurite once; each test file starts what else it needs.
module.exports = {
  'node-option': ['import=tsx'],
  require: ['devtools/src/harness/mocha-hooks.ts'],
  reporter: 'devtools/src/harness/summary-reporter.cjs',
  spec: ['core/test/**/*.test.ts', 'templates/test/**/*.test.ts', 'devtools/test/**/*.test.ts', '*/test/**/*.test.ts'],
  timeout: 120000,
  exit: true,
};
