import { describe, expect, it } from 'vitest';
import { artifactNameProblem, contentTypeOf, isArtifactName } from './artifact-name.ts';

describe('artifact names', () => {
  it('takes relative, /-separated names', () => {
    for (const name of ['report.md', 'charts/radar.svg', 'a/b/c/d.json', 'résumé final.txt', '.hidden', 'x..y']) {
      expect(artifactNameProblem(name), name).toBeUndefined();
    }
  });

  it('refuses names that could reach outside the job’s artifacts, saying why', () => {
    const cases: Record<string, RegExp> = {
      '': /empty/,
      '..': /\.\. segment/,
      '../x': /\.\. segment/,
      'a/../../x': /\.\. segment/,
      './x': /\. or \.\. segment/,
      '/etc/passwd': /absolute/,
      'C:/x': /absolute/,
      'a\\..\\b': /backslash/,
      'a//b': /empty segment/,
      'dir/': /empty segment/,
      'bad\x1b[2Jname': /control/,
      'evil\u202Etxt.exe': /control/,
      ['x'.repeat(201)]: /longer than 200/,
    };
    for (const [name, why] of Object.entries(cases)) {
      expect(artifactNameProblem(name), JSON.stringify(name)).toMatch(why);
      expect(isArtifactName(name)).toBe(false);
    }
  });

  it('tells the content type by the extension, octet-stream otherwise', () => {
    expect(contentTypeOf('report.md')).toBe('text/markdown; charset=utf-8');
    expect(contentTypeOf('charts/Radar.SVG')).toBe('image/svg+xml');
    expect(contentTypeOf('page.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('blob')).toBe('application/octet-stream');
  });
});
