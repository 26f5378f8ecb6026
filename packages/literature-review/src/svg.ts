// The few SVG pieces the charts need. Pillar names and requirement texts come from user input,
// so every piece of text and every attribute value goes through escapeXml.

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

type Attributes = Record<string, string | number>;

const attributes = (attrs: Attributes) =>
  Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? fmt(v) : v)}"`)
    .join('');

/** Two decimals are plenty for pixels and keep the files small. */
export const fmt = (n: number) => String(Math.round(n * 100) / 100);

export function element(name: string, attrs: Attributes, children?: string): string {
  const open = `<${name}${attributes(attrs)}`;
  return children === undefined ? `${open}/>` : `${open}>${children}</${name}>`;
}

export function text(x: number, y: number, content: string, attrs: Attributes = {}): string {
  return element('text', { x, y, ...attrs }, escapeXml(content));
}

export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ' font-family="system-ui, sans-serif" font-size="12">',
    `<title>${escapeXml(title)}</title>`,
    element('rect', { width, height, fill: '#ffffff' }),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
