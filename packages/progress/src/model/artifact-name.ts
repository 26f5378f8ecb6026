// What an artifact may be called, and what it is by its name. A name is a relative path with `/`
// between segments: it names the file inside its job's artifacts, so it may never name anything
// outside them. No runtime imports: the browser, the CLI, the API and the worker share it.

export const MAX_ARTIFACT_NAME_LENGTH = 200;

/** C0 and C1 controls, DEL, and the bidi marks that make a name read as another one. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Why `name` cannot be an artifact's name, or undefined when it can. */
export function artifactNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_ARTIFACT_NAME_LENGTH) return `it is longer than ${MAX_ARTIFACT_NAME_LENGTH} characters`;
  if (CONTROL.test(name)) return 'it holds a control character';
  if (name.includes('\\')) return 'it holds a backslash (use / between folders)';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'it is an absolute path';
  const segments = name.split('/');
  if (segments.some((s) => s === '')) return 'it has an empty segment (// or a trailing /)';
  if (segments.some((s) => s === '.' || s === '..')) return 'it has a . or .. segment';
  return undefined;
}

export const isArtifactName = (name: string): boolean => artifactNameProblem(name) === undefined;

const TYPES: Record<string, string> = {
  md: 'text/markdown; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  log: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  zip: 'application/zip',
};

/** The content type a name's extension says, or `application/octet-stream`. */
export function contentTypeOf(name: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return (extension && TYPES[extension]) || 'application/octet-stream';
}

/** The job's summary (like GITHUB_STEP_SUMMARY): shown first. */
export const SUMMARY_ARTIFACT = 'summary.md';
