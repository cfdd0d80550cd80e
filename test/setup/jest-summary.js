// Prints jest's totals as one plain line ("jest: N passed, N failed, N skipped") from its --json report,
// so that any CI reading closing lines sees the count; exits with jest's own status.
// An optional third argument replaces the "jest" label (npm run test:e2e prints "e2e: …").
const fs = require('node:fs');

const [reportPath, status, label = 'jest'] = process.argv.slice(2);
let report;
try {
	report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
} catch (error) {
	process.stdout.write(`${label}: no report at ${reportPath} (${error.message})\n`);
	process.exit(Number(status) || 1);
}
const skipped = report.numPendingTests + report.numTodoTests;
process.stdout.write(
	`\n${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped\n`,
);
if (report.numTotalTests === 0) process.exit(1);
process.exit(Number(status) || (report.success ? 0 : 1));
