import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';

const context = {
  from: 'report.md',
  names: new Set(['report.md', 'charts/radar.svg', 'data/table one.csv']),
  url: (name: string) => `/api/jobs/42/artifacts/${name.split('/').map(encodeURIComponent).join('/')}`,
  link: (name: string) => `/jobs/42/artifacts/${name.split('/').map(encodeURIComponent).join('/')}`,
};

describe('renderMarkdown', () => {
  it('renders headings, lists and tables', () => {
    const html = renderMarkdown('# Report\n\n- one\n- two\n\n| a | b |\n| - | - |\n| 1 | 2 |\n', context);
    expect(html).toContain('<h1>Report</h1>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<td>2</td>');
  });

  it('points an image at the job’s artifact it names, relative to the report', () => {
    expect(renderMarkdown('![Radar](charts/radar.svg)', context)).toContain(
      '<img src="/api/jobs/42/artifacts/charts/radar.svg" alt="Radar" loading="lazy">',
    );
    const nested = renderMarkdown('![Radar](../charts/radar.svg)', { ...context, from: 'reports/report.md' });
    expect(nested).toContain('src="/api/jobs/42/artifacts/charts/radar.svg"');
  });

  it('turns a link to another artifact into its permalink, and keeps web links opening elsewhere', () => {
    const html = renderMarkdown('[table](data/table%20one.csv) [site](https://example.org/x)', context);
    expect(html).toContain('<a href="/jobs/42/artifacts/data/table%20one.csv">table</a>');
    expect(html).toContain('<a href="https://example.org/x" target="_blank" rel="noopener noreferrer">site</a>');
  });

  it('shows raw HTML as text: no <img onerror>, no <script>', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\nok <b onclick="x()">b</b>', context);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<b[\s>]/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('drops javascript:, data: and vbscript: links and images, however they are spelled', () => {
    const source = [
      '[a](javascript:alert(1))',
      '[b](JaVaScRiPt:alert(1))',
      '[c](&#106;avascript:alert(1))',
      '[d](<javascript:alert(1)>)',
      '<javascript:alert(1)>',
      '[e](data:text/html;base64,PHNjcmlwdD4=)',
      '![f](data:image/png;base64,iVBORw0KGgo=)',
      '[g](vbscript:msgbox)',
      '[h](java%0ascript:alert(1))',
    ].join('\n\n');
    const html = renderMarkdown(source, context);
    expect(html).not.toMatch(/href=/i);
    expect(html).not.toMatch(/src=/i);
    expect(html).not.toMatch(/<img/i);
  });

  it('loads no image from another origin or outside the job’s artifacts', () => {
    const html = renderMarkdown(
      '![x](https://evil.example/p.png) ![y](//evil.example/p.png) ![z](/etc/passwd) ![w](../../x.svg) ![v](missing.png)',
      context,
    );
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('[x]');
  });
});
