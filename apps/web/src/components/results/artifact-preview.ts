import type { ArtifactInfo } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { fetchArtifactHead } from '../../api.ts';
import { baseStyles } from '../../base-styles.ts';
import { artifactPermalink, artifactUrl } from './artifact-links.ts';
import { previewStyles } from './artifact-preview.styles.ts';
import { parseDelimited } from './csv.ts';
import { type JsonNode, jsonTree } from './json-tree.ts';
import type { renderMarkdown } from './markdown.ts';
import { previewKind } from './preview-kind.ts';

/** What a text preview fetches at most: enough to read, bounded whatever the file's size. */
export const PREVIEW_BYTES = 2 * 1024 * 1024;
export const PREVIEW_ROWS = 1_000;

/** The Markdown renderer, loaded with the first Markdown preview (a quarter of the app's size). */
let markdownRenderer: typeof renderMarkdown | undefined;

type Loaded = { key: string; pending: true } | { key: string; text: string; cut: boolean } | { key: string; error: string };

/**
 * One artifact's preview, fetched when it is first drawn (so only opened ones cost a request):
 * Markdown rendered safely (markdown.ts), images as `<img>` (an SVG never becomes page DOM),
 * JSON as a bounded tree, CSV/TSV as a table, text as is; HTML and unknown types only download.
 *
 * @csspart base - The preview's wrapper.
 */
@customElement('hw-artifact-preview')
export class HwArtifactPreview extends LitElement {
  static override styles = [baseStyles, previewStyles];

  @property({ attribute: 'job-id' }) jobId = '';
  @property({ attribute: false }) artifact?: ArtifactInfo;
  /** The names of the same attempt's artifacts, which the Markdown's links and images may name. */
  @property({ attribute: false }) names: ReadonlySet<string> = new Set();

  @state() private loaded?: Loaded;
  #abort?: AbortController;

  #key(): string | undefined {
    const a = this.artifact;
    return a && `${this.jobId}\u0000${a.attempt}\u0000${a.name}\u0000${a.sha256}`;
  }

  #url(name: string): string {
    return artifactUrl(this.jobId, name, { attempt: this.artifact?.attempt });
  }

  override willUpdate(): void {
    const key = this.#key();
    const kind = this.artifact && previewKind(this.artifact.contentType);
    if (!key || kind === 'image' || kind === 'download' || this.loaded?.key === key) return;
    this.#load(key);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
    // Drawn again later, it fetches again.
    this.loaded = undefined;
  }

  async #load(key: string): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.loaded = { key, pending: true };
    try {
      const markdown = previewKind(this.artifact!.contentType) === 'markdown' && !markdownRenderer;
      const [{ text, cut }] = await Promise.all([
        fetchArtifactHead(this.#url(this.artifact!.name), PREVIEW_BYTES, abort.signal),
        markdown ? import('./markdown.ts').then((m) => (markdownRenderer = m.renderMarkdown)) : undefined,
      ]);
      if (!abort.signal.aborted) this.loaded = { key, text, cut };
    } catch (error) {
      if (!abort.signal.aborted) this.loaded = { key, error: error instanceof Error ? error.message : String(error) };
    }
  }

  #cutNote(cut: boolean) {
    return cut ? html`<p class="note">Preview cut at ${PREVIEW_BYTES / 1024 / 1024} MB: download the file for all of it.</p>` : nothing;
  }

  #renderJson(text: string, cut: boolean) {
    if (cut) return html`${this.#cutNote(cut)}<pre class="text">${text}</pre>`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return html`<p class="note">Not valid JSON; shown as text.</p><pre class="text">${text}</pre>`;
    }
    return html`<div class="json">${this.#renderNode(jsonTree(value), 0)}</div>`;
  }

  #renderNode(node: JsonNode, depth: number): unknown {
    const key = node.key === undefined ? nothing : html`<span class="key">${node.key}</span>: `;
    if (node.kind === 'value') return html`<div class="leaf">${key}<span class="v-${node.type}">${node.text}</span></div>`;
    const [open, close] = node.kind === 'array' ? ['[', ']'] : ['{', '}'];
    const count =
      node.kind === 'array' ? `${node.size} item${node.size === 1 ? '' : 's'}` : `${node.size} key${node.size === 1 ? '' : 's'}`;
    return html`<details ?open=${depth < 2}>
      <summary>${key}<span class="brace">${open}</span><span class="count">${count}</span><span class="brace">${close}</span></summary>
      <div class="children">
        ${node.children.map((child) => this.#renderNode(child, depth + 1))}
        ${node.omitted > 0 ? html`<div class="leaf omitted">… ${node.omitted.toLocaleString()} more not shown</div>` : nothing}
      </div>
    </details>`;
  }

  #renderTable(text: string, cut: boolean, delimiter: ',' | '\t') {
    const { rows, more } = parseDelimited(text, delimiter, PREVIEW_ROWS + 1, cut);
    const [head = [], ...body] = rows;
    return html`<div class="table-wrap" tabindex="0" role="group" aria-label="Table preview">
        <table>
          <thead>
            <tr>
              ${head.map((cell) => html`<th scope="col">${cell}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${body.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}
          </tbody>
        </table>
      </div>
      ${more ? html`<p class="note">Showing the first ${PREVIEW_ROWS.toLocaleString()} rows.</p>` : nothing}`;
  }

  #renderText(text: string, cut: boolean) {
    const a = this.artifact!;
    switch (previewKind(a.contentType)) {
      case 'markdown':
        return html`${this.#cutNote(cut)}
          <div class="markdown">${unsafeHTML(
            markdownRenderer!(text, {
              from: a.name,
              names: this.names,
              url: (n) => this.#url(n),
              link: (n) => artifactPermalink(this.jobId, n),
            }),
          )}</div>`;
      case 'json':
        return this.#renderJson(text, cut);
      case 'csv':
        return html`${this.#cutNote(cut)}${this.#renderTable(text, cut, ',')}`;
      case 'tsv':
        return html`${this.#cutNote(cut)}${this.#renderTable(text, cut, '\t')}`;
      default:
        return html`${this.#cutNote(cut)}<pre class="text">${text}</pre>`;
    }
  }

  #renderBody() {
    const a = this.artifact;
    if (!a) return nothing;
    const kind = previewKind(a.contentType);
    if (kind === 'image') return html`<div class="image"><img src=${this.#url(a.name)} alt=${a.title ?? a.name} /></div>`;
    if (kind === 'download') {
      return html`<p class="note">No preview for this type: <a href=${artifactUrl(this.jobId, a.name, { attempt: a.attempt, download: true })} download>download ${a.name}</a>.</p>`;
    }
    const loaded = this.loaded;
    if (!loaded || 'pending' in loaded) return html`<p class="note" role="status">Loading…</p>`;
    if ('error' in loaded) return html`<p class="error" role="alert">Could not load the preview: ${loaded.error}</p>`;
    return this.#renderText(loaded.text, loaded.cut);
  }

  override render() {
    return html`<div part="base" data-kind=${this.artifact ? previewKind(this.artifact.contentType) : nothing}>${this.#renderBody()}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-artifact-preview': HwArtifactPreview;
  }
}
