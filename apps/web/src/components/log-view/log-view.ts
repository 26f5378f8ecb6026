import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { parseAnsi } from '../../ansi.ts';
import { type LogLine, clockTime, describeLine } from './log-line.ts';
import { baseStyles } from '../../base-styles.ts';
import { logViewStyles } from './log-view.styles.ts';

export type { LogLine } from './log-line.ts';

/** How many of the newest lines are in the DOM at once. */
export const RENDERED_LINES = 2000;
const AT_BOTTOM_PX = 8;

/**
 * A job's live log: monospace lines with time, stage and level colouring, following the newest
 * line while "Auto-scroll" is on. Scrolling up turns it off; the button turns it back on. Text is
 * only ever rendered as text (ANSI colours become classes on text spans).
 *
 * @csspart base - The panel.
 * @csspart toolbar - The bar with the line count and the Auto-scroll toggle.
 * @csspart lines - The scrolling list of lines (`role="log"`).
 * @cssproperty --hw-log-view-height - Height of the scrolling area (default min(60vh, 32rem)).
 * @cssproperty --hw-log-view-font-size - Font size of the lines (default 0.8rem).
 * @cssproperty --hw-log-bg - Panel background.
 * @cssproperty --hw-log-text - Line colour.
 */
@customElement('hw-log-view')
export class HwLogView extends LitElement {
  static override styles = [baseStyles, logViewStyles];

  /** Lines in order, oldest first. Replace the array (not mutate it) to update. */
  @property({ attribute: false }) lines: LogLine[] = [];
  /** Lines discarded before `lines[0]` to bound memory. */
  @property({ type: Number }) dropped = 0;

  @state() private autoScroll = true;
  @query('[part="lines"]') private scroller!: HTMLElement;

  #lastScrollTop = 0;
  readonly #rows = new WeakMap<LogLine, TemplateResult>();

  #toggleAutoScroll(): void {
    this.autoScroll = !this.autoScroll;
  }

  #onScroll(): void {
    const el = this.scroller;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM_PX;
    if (this.autoScroll && !atBottom && el.scrollTop < this.#lastScrollTop) this.autoScroll = false;
    this.#lastScrollTop = el.scrollTop;
  }

  override updated(): void {
    if (this.autoScroll && this.scroller) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
      this.#lastScrollTop = this.scroller.scrollTop;
    }
  }

  #renderLine(line: LogLine): TemplateResult {
    let row = this.#rows.get(line);
    if (!row) {
      const { level, levelTag, stage, message } = describeLine(line);
      row = html`<div class="line" data-level=${level}>
        <time datetime=${line.event.ts}>${clockTime(line.event.ts)}</time>
        ${stage ? html`<span class="stage">[${stage}]</span>` : nothing}
        <span class="message">${levelTag ? html`<span class="level">${levelTag}</span>` : nothing}${parseAnsi(message).map(
          (s) => (s.classes ? html`<span class=${s.classes}>${s.text}</span>` : s.text),
        )}</span>
      </div>`;
      this.#rows.set(line, row);
    }
    return row;
  }

  #renderNote() {
    const total = this.lines.length + this.dropped;
    const hidden = total - Math.min(this.lines.length, RENDERED_LINES);
    if (hidden <= 0) return nothing;
    const kept = this.dropped > 0 ? ` (${this.dropped.toLocaleString()} of them no longer kept in memory)` : '';
    return html`<div class="note">${hidden.toLocaleString()} earlier lines not shown${kept}.</div>`;
  }

  override render() {
    const visible = this.lines.length > RENDERED_LINES ? this.lines.slice(-RENDERED_LINES) : this.lines;
    const total = this.lines.length + this.dropped;
    return html`
      <div part="base">
        <div part="toolbar">
          <span class="count">${total.toLocaleString()} ${total === 1 ? 'line' : 'lines'}</span>
          <button type="button" aria-pressed=${String(this.autoScroll)} @click=${this.#toggleAutoScroll}>
            Auto-scroll
          </button>
        </div>
        <div part="lines" role="log" aria-label="Job log" aria-live="off" tabindex="0" @scroll=${this.#onScroll}>
          ${this.#renderNote()}
          ${visible.length === 0 ? html`<div class="empty">Waiting for log lines…</div>` : nothing}
          ${repeat(visible, (line) => line.id, (line) => this.#renderLine(line))}
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-log-view': HwLogView;
  }
}
