// axe-core run inside a page by playwright-core. The source is evaluated rather than added as a
// script tag: the app's CSP allows scripts from 'self' only, and page.evaluate is not subject to it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** The page's axe-core violations (axe walks open shadow roots, where the dashboard's elements render). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.map(({ id, impact, help, helpUrl, nodes }) => ({
      id,
      impact,
      help,
      helpUrl,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  });
}

/** The serious and critical violations, one line each with the first targets, for a failure message. */
export function describeSerious(violations: AxeViolation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      // A target inside shadow roots is a list of selectors, host first.
      const targets = v.nodes
        .slice(0, 3)
        .map((n) => n.target.flat().join(' >>> '))
        .join(', ');
      const summary = v.nodes[0]?.failureSummary?.split('\n').slice(1, 2).join('').trim() ?? '';
      return `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help} — ${targets}${summary ? ` — ${summary}` : ''}`;
    });
}
