import { describe, expect, it } from 'vitest';
import { artifactPermalink, artifactUrl, linkedArtifact } from './artifact-links.ts';

const names = new Set(['report.md', 'charts/radar.svg', 'charts/a b#1.png', 'notes/summary.md']);

describe('linkedArtifact', () => {
  it('names the artifact a relative link points at, from the linking file’s folder', () => {
    expect(linkedArtifact('report.md', 'charts/radar.svg', names)).toBe('charts/radar.svg');
    expect(linkedArtifact('report.md', './charts/radar.svg', names)).toBe('charts/radar.svg');
    expect(linkedArtifact('notes/summary.md', '../charts/radar.svg', names)).toBe('charts/radar.svg');
    expect(linkedArtifact('notes/summary.md', '../report.md#results', names)).toBe('report.md');
    expect(linkedArtifact('report.md', 'charts/a%20b%231.png?x=1', names)).toBe('charts/a b#1.png');
  });

  it('names nothing outside the job’s artifacts: absolute, schemes, climbing out, missing', () => {
    for (const href of [
      '/charts/radar.svg',
      '//evil.example/charts/radar.svg',
      'https://evil.example/charts/radar.svg',
      'javascript:alert(1)',
      'data:image/svg+xml,<svg/>',
      '../../charts/x.svg',
      '../report.md',
      '#top',
      '',
      'charts/missing.svg',
      'charts/%E0%A4%A.svg',
    ]) {
      expect(linkedArtifact('report.md', href, names), href).toBeUndefined();
    }
  });
});

describe('artifact addresses', () => {
  it('encodes each segment of a name, keeping its slashes', () => {
    expect(artifactUrl('job 1', 'charts/a b#1.png')).toBe('/api/jobs/job%201/artifacts/charts/a%20b%231.png');
    expect(artifactUrl('7', 'r.md', { attempt: 2, download: true })).toBe('/api/jobs/7/artifacts/r.md?attempt=2&download=1');
    expect(artifactPermalink('7', 'charts/radar.svg')).toBe('/jobs/7/artifacts/charts/radar.svg');
  });
});
