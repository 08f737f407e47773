// Mocha's spec reporter plus one closing line in the plain 'N passed, N failed' form CI reads.
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats;
      process.stdout.write(`\ntests: ${passes} passed, ${failures} failed` + (pending ? `, ${pending} skipped` : '') + '\n');
    });
  }
}

module.exports = SummaryReporter;
