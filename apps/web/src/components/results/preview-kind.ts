// How an artifact is previewed, by its content type. Only kinds drawn safely are listed: HTML and
// anything unknown are a download, never rendered in the page.

export type PreviewKind = 'markdown' | 'image' | 'json' | 'csv' | 'tsv' | 'text' | 'download';

const IMAGES = new Set(['image/svg+xml', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const TEXT = new Set(['application/x-ndjson', 'application/x-yaml', 'application/yaml', 'application/toml']);

export function previewKind(contentType: string): PreviewKind {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/markdown') return 'markdown';
  if (IMAGES.has(type)) return 'image';
  if (type === 'application/json') return 'json';
  if (type === 'text/csv') return 'csv';
  if (type === 'text/tab-separated-values') return 'tsv';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'download';
  if (type.startsWith('text/') || TEXT.has(type)) return 'text';
  return 'download';
}

/** A short name for the type in the file list: `Markdown`, `SVG`, `CSV`… */
export function typeLabel(contentType: string): string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const known: Record<string, string> = {
    'text/markdown': 'Markdown',
    'text/plain': 'Text',
    'text/csv': 'CSV',
    'text/tab-separated-values': 'TSV',
    'application/json': 'JSON',
    'application/x-ndjson': 'NDJSON',
    'image/svg+xml': 'SVG',
    'image/png': 'PNG',
    'image/jpeg': 'JPEG',
    'image/gif': 'GIF',
    'image/webp': 'WebP',
    'text/html': 'HTML',
    'application/pdf': 'PDF',
    'application/zip': 'ZIP',
  };
  return known[type] ?? type;
}
