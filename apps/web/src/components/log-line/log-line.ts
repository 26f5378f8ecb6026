import type { TextQuery } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { type AnsiSegment, parseAnsi } from '../../ansi.ts';
import type { LogLine } from '../log-view/log-model.ts';
import { clockTime, describeLine, markRanges, relativeTime } from './line-text.ts';

/** Segments of a message, parsed once per line however often the row is drawn. */
const parsed = new WeakMap<LogLine, AnsiSegment[]>();

/** The line's permalink: the job page scrolled to it. */
export const permalink = (jobId: string, id: string) => `/jobs/${encodeURIComponent(jobId)}#event-${encodeURIComponent(id)}`;

/**
 * One line of a job's log: its number (a permalink), time, stage and message, coloured by level
 * and by the message's own ANSI colours, with search matches marked. Text is only ever text.
 * It renders without a shadow root, so a selection of many lines copies as text and the list's
 * text is the log's; the shadow root holding the rows adopts `logLineStyles`.
 *
 * @cssproperty --hw-log-mark - Background of a search match.
 */
@customElement('hw-log-line')
export class HwLogLine extends LitElement {
  @property({ attribute: false }) line?: LogLine;
  @property({ attribute: 'job-id' }) jobId = '';
  /** Show time since `origin` (the log's first line) instead of the time of day. */
  @property({ type: Boolean }) relative = false;
  @property() origin = '';
  /** The search whose matches are marked. */
  @property({ attribute: false }) query?: TextQuery;
  /** The line a permalink opened. */
  @property({ type: Boolean, reflect: true }) target = false;
  /** The search match that next/previous is on. */
  @property({ type: Boolean, reflect: true }) current = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  #segments(line: LogLine, message: string): AnsiSegment[] {
    let segments = parsed.get(line);
    if (!segments) parsed.set(line, (segments = parseAnsi(message)));
    return segments;
  }

  #renderMessage(line: LogLine, message: string) {
    const segments = this.#segments(line, message);
    const ranges = this.query?.ranges(segments.map((s) => s.text).join('')) ?? [];
    return markRanges(segments, ranges).map((s) => {
      const text = s.mark ? html`<mark>${s.text}</mark>` : s.text;
      if (!s.classes && !s.color && !s.background) return text;
      const style = styleMap({ color: s.color, background: s.background });
      return html`<span class=${s.classes} style=${style}>${text}</span>`;
    });
  }

  override render() {
    const line = this.line;
    if (!line) return nothing;
    const { tone, levelTag, stage, message } = describeLine(line);
    const { ts, seq } = line.event;
    const time = this.relative && this.origin ? relativeTime(ts, this.origin) : clockTime(ts);
    return html`<div class="line" data-tone=${tone}>
      <a class="number" href=${permalink(this.jobId, line.id)} aria-label=${`Line ${seq}`} title="Link to this line">${seq}</a>
      <time datetime=${ts} title=${new Date(ts).toLocaleString()}>${time}</time>
      ${stage ? html`<span class="stage">[${stage}]</span>` : nothing}
      <span class="message">${levelTag ? html`<span class="level">${levelTag}</span> ` : nothing}${this.#renderMessage(line, message)}</span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-log-line': HwLogLine;
  }
}
