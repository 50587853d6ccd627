// Reports for scripts/test-under-load.sh.
//   under-load-report.mjs DIR RUN EXIT_CODE SECONDS LOADAVG  reads DIR/run-RUN.json (Jest's --json
//     output), writes DIR/run-RUN.txt (counts and the failing tests) and prints its first line.
//   under-load-report.mjs DIR summary LOAD  prints every run's line and one closing line.
import fs from 'node:fs';
import path from 'node:path';

const [dir, run, ...rest] = process.argv.slice(2);

function reportRun(exitCode, seconds, loadavg) {
  const file = path.join(dir, `run-${run}.json`);
  const lines = [];
  let passed = 0;
  let failed = 0;
  if (fs.existsSync(file)) {
    const jest = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed = jest.numPassedTests;
    // A suite that fails to load has no tests to count; count it as one failure.
    failed = jest.numFailedTests + jest.numRuntimeErrorTestSuites;
    for (const suite of jest.testResults) {
      const where = path.relative(process.cwd(), suite.name);
      const failures = suite.assertionResults.filter(
        t => t.status === 'failed',
      );
      if (suite.status === 'failed' && failures.length === 0) {
        lines.push(`  ${where}: the suite failed to run`);
        lines.push(indent(suite.message));
      }
      for (const test of failures) {
        lines.push(`  ${where}: ${test.fullName}`);
        lines.push(indent(test.failureMessages.join('\n')));
      }
    }
  } else {
    failed = 1;
    lines.push(
      `  no results: Jest exited with ${exitCode} before writing them (see run-${run}.log)`,
    );
  }
  const head = `run ${run}: ${passed} passed, ${failed} failed in ${seconds} s (exit code ${exitCode}, load average at the end ${loadavg})`;
  fs.writeFileSync(
    path.join(dir, `run-${run}.txt`),
    [head, ...lines, ''].join('\n'),
  );
  console.log(head);
  for (const line of lines.filter(l => /^ {2}\S/.test(l))) console.log(line);
}

// The first lines of a failure message, indented, without terminal colours.
function indent(message = '') {
  return message
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .slice(0, 12)
    .map(l => `      ${l}`)
    .join('\n');
}

function summary(load) {
  const heads = fs
    .readdirSync(dir)
    .filter(f => /^run-\d+\.txt$/.test(f))
    .sort((a, b) => parseInt(a.slice(4), 10) - parseInt(b.slice(4), 10))
    .map(f => fs.readFileSync(path.join(dir, f), 'utf8').split('\n')[0]);
  // A run is clean when no test failed and Jest itself exited with 0.
  const clean = heads.filter(h => / 0 failed .*\(exit code 0,/.test(h)).length;
  console.log(`\nUnit suite under CPU load (${load})`);
  for (const head of heads) console.log(`  ${head}`);
  console.log(
    `\n${clean} of ${
      heads.length
    } runs passed with no failure; details in ${path.relative(
      process.cwd(),
      dir,
    )}/`,
  );
  process.exit(clean === heads.length && heads.length > 0 ? 0 : 1);
}

if (run === 'summary') summary(rest[0]);
else reportRun(...rest);
