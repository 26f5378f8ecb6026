import '@lit-labs/virtualizer';
import { type LogFilter, LogQueryError } from '@headway/progress/client';
import type { VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { baseStyles } from '../../base-styles.ts';
import '../log-line/log-line.ts';
import { logLineStyles } from '../log-line/log-line.styles.ts';
import '../log-toolbar/log-toolbar.ts';
import type { LogDownloadEvent, LogFilterEvent, LogFollowEvent, LogStepEvent, LogTimesEvent } from '../log-toolbar/log-toolbar-events.ts';
import { downloadLines } from './log-download.ts';
import { type LogLine, LogModel } from './log-model.ts';
import { logViewStyles } from './log-view.styles.ts';

export type { LogLine } from './log-model.ts';

const TIMES_KEY = 'hw-log-relative-times';
/** A scroll of the log this soon after the user's wheel, touch, key or pointer is theirs. */
const USER_SCROLL_MS = 500;
const SCROLL_KEYS = new Set(['ArrowUp', 'PageUp', 'Home']);
/** How long after a jump to a line the view holds it against scrolls of the page. */
const SETTLE_MS = 1500;

type Pin = { index: number; block: 'start' | 'center' | 'end' };
const FOLLOW: Pin = { index: Number.POSITIVE_INFINITY, block: 'end' };
/** `?virtualize=0` draws every shown line, no virtualizer: the baseline of `npm run bench -- ui`. */
const VIRTUALIZE = new URLSearchParams(location.search).get('virtualize') !== '0';

/** A remembered choice; storage may be refused (private windows), and then it is not kept. */
function readSetting(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeSetting(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not kept: the toggle still works for this page.
  }
}

/** The stream id a `#event-<id>` address points at. */
function targetFromHash(): string | undefined {
  const match = /^#event-(.+)$/.exec(location.hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

/**
 * A job's log as GitHub Actions shows one: virtualized (a million lines stay usable), searched
 * (text or `/regex/`, matches marked, Enter / Shift+Enter to step), filtered by level, stage and
 * iteration with a count beside each choice, following new lines until the user scrolls up, a
 * permalink per line (`#event-<id>` scrolls to that line once it has arrived and marks it), times
 * relative or absolute, and a download of exactly the lines shown. Text is only ever text.
 *
 * @csspart base - The panel.
 * @csspart lines - The scrolling list of lines (`role="log"`).
 * @cssproperty --hw-log-view-height - Height of the scrolling area (default min(60vh, 32rem)).
 * @cssproperty --hw-log-view-font-size - Font size of the lines (default 0.8rem).
 * @cssproperty --hw-log-bg - Panel background.
 * @cssproperty --hw-log-text - Line colour.
 */
@customElement('hw-log-view')
export class HwLogView extends LitElement {
  static override styles = [baseStyles, logViewStyles, logLineStyles];

  /** Lines in order, oldest first. Replace the array (not mutate it) to update. */
  @property({ attribute: false }) lines: LogLine[] = [];
  /** Lines discarded before `lines[0]` to bound memory. */
  @property({ type: Number }) dropped = 0;
  /** The job, for the lines' permalinks and the download's name. */
  @property({ attribute: 'job-id' }) jobId = '';
  /** The lines shown: level, stage, iteration and search. */
  @property({ attribute: false }) filter: LogFilter = {};

  @state() private following = true;
  @state() private relative = readSetting(TIMES_KEY) === 'true';
  @state() private queryError?: string;
  /** Position in the shown lines of the current search match, or -1. */
  @state() private match = -1;
  /** Stream id of the line a permalink opened, and whether it has arrived. */
  @state() private target = targetFromHash();
  @state() private pin?: Pin = FOLLOW;

  @query('lit-virtualizer') private virtualizer?: LitVirtualizer;

  readonly #model = new LogModel();
  #items: number[] = [];
  #targetFound = false;
  /** Lines before this number were already searched for the target. */
  #searchedTo = 0;
  #lastUserInput = Number.NEGATIVE_INFINITY;
  /** Until then a jump's pin is put back if a scroll of the page took it away. */
  #settleUntil = 0;
  #filterMs = 0;

  /** How long the last change of filter took to apply to every line, in ms. */
  get filterMs(): number {
    return this.#filterMs;
  }

  readonly #onHashChange = () => {
    this.#retarget();
    this.#findTarget();
  };

  #retarget(): void {
    this.target = targetFromHash();
    this.#targetFound = false;
    this.#searchedTo = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('hashchange', this.#onHashChange);
    addEventListener('popstate', this.#onHashChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.#onHashChange);
    removeEventListener('popstate', this.#onHashChange);
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('jobId') && changed.get('jobId') !== undefined) {
      // Another job in the same element: its permalink target is looked for afresh.
      this.#retarget();
    }
    if (changed.has('filter')) this.#applyFilter();
    if ((changed.has('lines') || changed.has('dropped')) && this.#model.sync(this.lines, this.dropped)) {
      this.#items = this.#model.items.slice();
      if (this.#model.searchStopped) this.#searchStopped();
      this.#findTarget();
    }
  }

  override updated(): void {
    // Without the virtualizer's pin, the baseline's list follows the tail here.
    const all = VIRTUALIZE || !this.following ? null : this.renderRoot.querySelector('.all');
    if (all) all.scrollTop = all.scrollHeight;
  }

  #applyFilter(): void {
    try {
      this.#filterMs = this.#model.setFilter(this.filter);
      this.queryError = undefined;
      if (this.#model.searchStopped) this.#searchStopped();
    } catch (error) {
      if (!(error instanceof LogQueryError)) throw error;
      this.queryError = `Search not run: ${error.message}`;
      this.#filterMs = this.#model.setFilter({ ...this.filter, q: undefined });
    }
    this.#items = this.#model.items.slice();
    this.match = -1;
    // Unless following, keep the permalinked line in view when the filter still shows it.
    if (!this.following) {
      const position = this.#targetFound ? this.#positionOfId(this.target) : undefined;
      if (position === undefined) this.pin = undefined;
      else this.#jumpTo(position);
    }
  }

  /** The model dropped a search that ran past its budget: say so where a bad search is told. */
  #searchStopped(): void {
    this.queryError = `Search stopped: ${this.#model.searchStopped}`;
    this.match = -1;
  }

  #positionOfId(id: string | undefined): number | undefined {
    const n = id === undefined ? undefined : this.#model.find(id);
    if (n === undefined) return undefined;
    const position = binarySearch(this.#items, n);
    return position < 0 ? undefined : position;
  }

  /** Scrolls to the permalinked line once it has arrived (the replay may bring it later). */
  #findTarget(): void {
    if (!this.target || this.#targetFound) return;
    const n = this.#model.find(this.target, this.#searchedTo);
    this.#searchedTo = this.#model.end;
    if (n === undefined) return;
    this.#targetFound = true;
    let position = binarySearch(this.#items, n);
    if (position < 0) {
      // Filtered out: show every line again so the link lands.
      this.filter = {};
      this.#model.setFilter({});
      this.#items = this.#model.items.slice();
      position = binarySearch(this.#items, n);
    }
    this.#jumpTo(position);
    void this.#revealWhenRendered(n);
  }

  /**
   * Brings the page to the line once the virtualizer has drawn it there. It draws only what is
   * near the window, so a log far below the fold is brought into view first.
   */
  async #revealWhenRendered(n: number): Promise<void> {
    for (let frame = 0; frame < 60; frame++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const row = this.renderRoot.querySelector<HTMLElement>(`hw-log-line[data-n="${n}"]`);
      if (row) {
        row.scrollIntoView({ block: 'nearest' });
        return;
      }
      if (frame === 5) this.virtualizer?.scrollIntoView({ block: 'center' });
    }
  }

  #onFilter(event: LogFilterEvent): void {
    this.filter = event.detail;
  }

  #onStep(event: LogStepEvent): void {
    const count = this.#items.length;
    if (count === 0 || !this.filter.q || this.queryError) return;
    const from = this.match < 0 ? (event.detail.direction > 0 ? -1 : count) : this.match;
    this.match = (from + event.detail.direction + count) % count;
    this.#jumpTo(this.match);
  }

  #onFollow(event: LogFollowEvent): void {
    this.following = event.detail.follow;
    this.pin = this.following ? FOLLOW : undefined;
    // The scroll to the end that follows is not the user's.
    this.#lastUserInput = Number.NEGATIVE_INFINITY;
  }

  #onTimes(event: LogTimesEvent): void {
    this.relative = event.detail.relative;
    writeSetting(TIMES_KEY, String(this.relative));
  }

  #onDownload(event: LogDownloadEvent): void {
    const lines = this.#items.map((n) => this.#model.line(n)!);
    downloadLines(lines, event.detail.format, `job-${this.jobId}-log`);
  }

  /** A line number clicked: the app puts its permalink in the address; mark that line here. */
  #onClick(event: MouseEvent): void {
    const anchor = (event.target as Element).closest?.('a.number');
    const id = anchor?.closest<HTMLElement>('hw-log-line')?.dataset.id;
    if (!id) return;
    this.target = id;
    this.#targetFound = true;
    this.following = false;
    this.pin = undefined;
  }

  #noteUserInput(event: Event): void {
    if (event instanceof WheelEvent && event.deltaY >= 0) return;
    if (event instanceof KeyboardEvent && !SCROLL_KEYS.has(event.key)) return;
    this.#lastUserInput = performance.now();
    if (event instanceof WheelEvent) this.#stopFollowing();
  }

  /** The user scrolled the log: it stays where they put it until "Jump to end". */
  #onScroll(): void {
    if (performance.now() - this.#lastUserInput > USER_SCROLL_MS) return;
    const el = this.virtualizer;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight > 4) this.#stopFollowing();
  }

  /**
   * Any scroll of the page unpins the virtualizer, and the lines it then measures can leave it
   * short of its pin: while following, or just after a jump to a line, pin it again whenever the
   * pinned line is out of view (a render passes the pin again).
   */
  #onVisibility(event: Event): void {
    const { first, last } = event as VisibilityChangedEvent;
    const pin = this.pin;
    if (!pin || (pin !== FOLLOW && performance.now() > this.#settleUntil)) return;
    const index = Math.min(pin.index, this.#items.length - 1);
    if (index < first || index > last) this.requestUpdate();
  }

  /** Pins a line (a permalink's, a search match) in the middle of the view. */
  #jumpTo(position: number): void {
    this.following = false;
    this.pin = { index: position, block: 'center' };
    this.#settleUntil = performance.now() + SETTLE_MS;
    this.#lastUserInput = Number.NEGATIVE_INFINITY;
  }

  #stopFollowing(): void {
    this.following = false;
    this.pin = undefined;
  }

  #renderLine = (n: number) => {
    const line = this.#model.line(n);
    if (!line) return html``;
    return html`<hw-log-line
      data-n=${n}
      data-id=${line.id}
      .line=${line}
      job-id=${this.jobId}
      ?relative=${this.relative}
      .origin=${this.#model.origin}
      .query=${this.#model.filter.query}
      ?target=${line.id === this.target}
      ?current=${this.match >= 0 && this.#items[this.match] === n}
    ></hw-log-line>`;
  };

  #renderNote() {
    if (this.lines.length === 0) return html`<p class="empty">Waiting for log lines…</p>`;
    if (this.#items.length === 0) return html`<p class="empty">No lines match.</p>`;
    return nothing;
  }

  override render() {
    const model = this.#model;
    // A new function each render, so the virtualizer draws its rows again with the current state.
    const renderItem = (n: number) => this.#renderLine(n);
    return html`<div part="base">
      <hw-log-toolbar
        .filter=${this.filter}
        .counts=${model.counts}
        .stages=${model.stageNames.slice()}
        .total=${this.lines.length + this.dropped}
        .match=${this.match}
        .following=${this.following}
        .relative=${this.relative}
        .queryError=${this.queryError}
        @hw-log-filter=${this.#onFilter}
        @hw-log-step=${this.#onStep}
        @hw-log-follow=${this.#onFollow}
        @hw-log-times=${this.#onTimes}
        @hw-log-download=${this.#onDownload}
      ></hw-log-toolbar>
      ${
        this.dropped > 0
          ? html`<p class="note">${this.dropped.toLocaleString()} earlier lines are no longer kept in memory; download the full log from the API.</p>`
          : nothing
      }
      <div class="viewport">
        ${this.#renderNote()}
        ${
          VIRTUALIZE
            ? html`<lit-virtualizer
          part="lines"
          scroller
          role="log"
          aria-label="Job log"
          aria-live="off"
          tabindex="0"
          .items=${this.#items}
          .keyFunction=${(n: number) => n}
          .renderItem=${renderItem}
          .layout=${this.pin ? { pin: this.pin } : {}}
          @click=${this.#onClick}
          @wheel=${this.#noteUserInput}
          @touchmove=${this.#noteUserInput}
          @keydown=${this.#noteUserInput}
          @pointerdown=${this.#noteUserInput}
          @scroll=${this.#onScroll}
          @visibilityChanged=${this.#onVisibility}
        ></lit-virtualizer>`
            : html`<div part="lines" class="all" role="log" aria-label="Job log" aria-live="off" tabindex="0" @click=${this.#onClick}>
          ${repeat(this.#items, (n) => n, renderItem)}
        </div>`
        }
      </div>
    </div>`;
  }
}

/** Index of `value` in the ascending `items`, or -1. */
function binarySearch(items: number[], value: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = items[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-log-view': HwLogView;
  }
}
