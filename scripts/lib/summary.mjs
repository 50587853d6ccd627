// Prints what each step of the test run did and one closing line counting passed and failed
// checks: every unit test, every browser test, and lint, format, type check, API reports and the
// adopter test (scripts/lib/adopter.sh) as one check each.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const steps = fs
  .readFileSync(path.join(dir, 'steps.txt'), 'utf8')
  .trim()
  .split('\n')
  .map(line => {
    const [name, outcome, seconds] = line.split(' ');
    return { name, outcome, seconds: Number(seconds) };
  });

let passed = 0;
let failed = 0;
const rows = [];
for (const step of steps) {
  let detail = '';
  if (step.name === 'unit') {
    const file = path.join(dir, 'jest.json');
    if (fs.existsSync(file)) {
      const jest = JSON.parse(fs.readFileSync(file, 'utf8'));
      passed += jest.numPassedTests;
      failed += jest.numFailedTests;
      // A suite that fails to load has no tests to count; count it as a failure.
      failed += jest.numRuntimeErrorTestSuites;
      detail = `${jest.numPassedTests} passed, ${jest.numFailedTests} failed in ${jest.numTotalTestSuites} suites`;
    } else {
      failed += 1;
      detail = 'no results (jest did not run)';
    }
  } else if (step.name === 'browser') {
    // scripts/lib/e2e.sh writes one report a test file (e2e-junit-<group>-<file>.xml).
    const xml = fs
      .readdirSync(dir)
      .filter(name => /^e2e-junit.*\.xml$/.test(name))
      .map(name => fs.readFileSync(path.join(dir, name), 'utf8'))
      .join('\n');
    const cases = (xml.match(/<testcase /g) ?? []).length;
    const failures = (xml.match(/<failure/g) ?? []).length;
    if (cases === 0 || step.outcome === 'failed') {
      failed += Math.max(failures, 1);
      passed += Math.max(cases - Math.max(failures, 1), 0);
    } else {
      passed += cases - failures;
      failed += failures;
    }
    detail = `${cases} browser tests, ${failures} failed`;
  } else {
    step.outcome === 'passed' ? (passed += 1) : (failed += 1);
  }
  rows.push(
    `  ${step.name.padEnd(10)} ${step.outcome.padEnd(7)} ${String(
      step.seconds,
    ).padStart(5)} s  ${detail}`,
  );
}
console.log('\nCodeRunner test run');
console.log(rows.join('\n'));
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && steps.every(s => s.outcome === 'passed') ? 0 : 1);
