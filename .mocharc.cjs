// One mocha run for the whole suite: a root hook starts Azurite once; each test file starts what else it needs.
// `npx mocha some.test.ts` runs one file; scripts/test.mjs passes every test folder.
module.exports = {
  'node-option': ['import=tsx'],
  require: ['devtools/src/harness/mocha-hooks.ts'],
  reporter: 'devtools/src/harness/summary-reporter.cjs',
  timeout: 120000,
  exit: true,
};
