// axe-core's WCAG 2.1 AA checks for the browser tests, each finding attributed to CodeRunner's
// own components or to Backstage's.
import { createRequire } from 'node:module';

const AXE_SOURCE = createRequire(import.meta.url).resolve(
  'axe-core/axe.min.js',
);
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The root element of each CodeRunner page, tab and card. */
export const CODERUNNER_ROOTS = [
  'coderunner-card',
  'coderunner-deployments-tab',
  'coderunner-logs-tab',
  'coderunner-config-tab',
  'coderunner-autoscaling-tab',
  'coderunner-page',
  // Dialogs render outside their tab; the terminal's is checked as ours.
  'coderunner-terminal-dialog',
]
  .map(id => `[data-testid="${id}"]`)
  .join(', ');

/**
 * Findings inside our roots that are Backstage's, not ours: its Table wraps every column's sort
 * label (an MUI TableSortLabel, role button) in a drag handle (role button) of
 * react-beautiful-dnd, so axe sees one control inside another; no prop of the Table changes it.
 */
const UPSTREAM_INSIDE_ROOTS = [
  {
    rule: 'nested-interactive',
    selector:
      '[class*="MuiTableSortLabel-root"], [data-rbd-drag-handle-draggable-id]',
  },
];

/**
 * Runs axe on the whole page and splits each violation's elements into `ours` (inside a
 * CodeRunner root) and `upstream` (Backstage's sidebar, header and tabs, or the parts above).
 * Each finding: { rule, impact, help, target, html }.
 */
export async function checkAccessibility(page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: AXE_SOURCE });
  }
  return page.evaluate(
    async ({ tags, roots, upstreamInside }) => {
      const results = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      const ours = [];
      const upstream = [];
      for (const violation of results.violations) {
        for (const node of violation.nodes) {
          const selector = node.target[node.target.length - 1];
          const element =
            typeof selector === 'string'
              ? document.querySelector(selector)
              : null;
          const finding = {
            rule: violation.id,
            impact: node.impact,
            help: violation.help,
            target: node.target.join(' '),
            html: node.html.slice(0, 200),
            summary: node.failureSummary,
          };
          const theirs = upstreamInside.some(
            known =>
              known.rule === violation.id && element?.closest(known.selector),
          );
          (element?.closest(roots) && !theirs ? ours : upstream).push(finding);
        }
      }
      return { ours, upstream };
    },
    {
      tags: WCAG_21_AA,
      roots: CODERUNNER_ROOTS,
      upstreamInside: UPSTREAM_INSIDE_ROOTS,
    },
  );
}

/** One line a finding, for the test's output and its assertion messages. */
export function describeFindings(findings) {
  return findings
    .map(
      f =>
        `  ${f.rule} (${f.impact}) at ${f.target}: ${f.help}\n    ${
          f.html
        }\n    ${f.summary.replace(/\s+/g, ' ')}`,
    )
    .join('\n');
}

/** axe-core's WCAG 2.1 AA violations inside the element `selector` finds (one card or section). */
export async function violationsIn(page, selector) {
  await checkAccessibility(page); // loads axe-core into the page
  return page.evaluate(async target => {
    const results = await window.axe.run(document.querySelector(target), {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
      },
      resultTypes: ['violations'],
    });
    return results.violations.map(
      v => `${v.id}: ${v.nodes.map(n => n.html).join(' | ')}`,
    );
  }, selector);
}
