import { emptyFacets, type FacetCounts, LOG_LEVELS, type LogFilter, type LogFormat } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { baseStyles } from '../../base-styles.ts';
import { logToolbarStyles } from './log-toolbar.styles.ts';
import { LogDownloadEvent, LogFilterEvent, LogFollowEvent, LogStepEvent, LogTimesEvent } from './log-toolbar-events.ts';

/** Typing settles for this long before the search runs. */
const SEARCH_DELAY_MS = 150;

const withCount = (label: string, count: number) => `${label} (${count.toLocaleString()})`;

/**
 * The log's controls: search (text or `/regex/`; Enter and Shift+Enter step through matches),
 * level, stage and iteration filters each showing how many lines every choice would show, the
 * line count, follow / jump to end, relative or absolute times, and download of what is shown.
 *
 * @event hw-log-filter - The filter changed (`detail` the whole filter).
 * @event hw-log-step - Next or previous match (`detail.direction`).
 * @event hw-log-follow - Jump to the end and follow, or stop following (`detail.follow`).
 * @event hw-log-times - Relative or absolute times (`detail.relative`).
 * @event hw-log-download - Download the shown lines (`detail.format`).
 * @csspart base - The bar.
 */
@customElement('hw-log-toolbar')
export class HwLogToolbar extends LitElement {
  static override styles = [baseStyles, logToolbarStyles];

  @property({ attribute: false }) filter: LogFilter = {};
  /** Counted in place as lines arrive, so always drawn again. */
  @property({ attribute: false, hasChanged: () => true }) counts: FacetCounts = emptyFacets();
  /** Stages in the order they appeared. */
  @property({ attribute: false }) stages: string[] = [];
  /** Lines of the job, shown or not (dropped ones included). */
  @property({ type: Number }) total = 0;
  /** The current match (0-based) among `counts.matched`, or -1. */
  @property({ type: Number }) match = -1;
  @property({ type: Boolean }) following = true;
  @property({ type: Boolean }) relative = false;
  /** Why the search cannot run, if it cannot. */
  @property() queryError?: string;

  @query('input[type=search]') private input!: HTMLInputElement;

  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  #emit(patch: Partial<LogFilter>): void {
    const next: LogFilter = { ...this.filter, ...patch };
    for (const key of Object.keys(next) as (keyof LogFilter)[]) if (next[key] === undefined || next[key] === '') delete next[key];
    this.dispatchEvent(new LogFilterEvent(next));
  }

  #flushSearch(): void {
    if (this.#searchTimer === undefined) return;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = undefined;
    this.#emit({ q: this.input.value || undefined });
  }

  #onInput(): void {
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.#flushSearch(), SEARCH_DELAY_MS);
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    this.#flushSearch();
    this.dispatchEvent(new LogStepEvent({ direction: event.shiftKey ? -1 : 1 }));
  }

  #onSelect(key: 'level' | 'stage' | 'iteration', event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.#emit({ [key]: value === '' ? undefined : key === 'iteration' ? Number(value) : value });
  }

  #download(format: LogFormat): void {
    this.dispatchEvent(new LogDownloadEvent({ format }));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
  }

  #renderSelect(key: 'level' | 'stage' | 'iteration', label: string, all: number, options: Array<[string, number]>) {
    const selected = this.filter[key] === undefined ? '' : String(this.filter[key]);
    return html`<label class="filter"
      ><span aria-hidden="true">${label}</span>
      <select aria-label=${label} @change=${(e: Event) => this.#onSelect(key, e)}>
        <option value="" ?selected=${selected === ''}>${withCount('All', all)}</option>
        ${options.map(([value, count]) => html`<option value=${value} ?selected=${selected === value}>${withCount(value, count)}</option>`)}
      </select></label
    >`;
  }

  #renderFilters() {
    const { counts, filter } = this;
    const stages = [...this.stages];
    if (filter.stage && !stages.includes(filter.stage)) stages.push(filter.stage);
    const iterations = [...counts.iterations.keys()];
    if (filter.iteration !== undefined && !iterations.includes(filter.iteration)) iterations.push(filter.iteration);
    iterations.sort((a, b) => a - b);
    return html`${this.#renderSelect(
      'level',
      'Level',
      counts.anyLevel,
      LOG_LEVELS.map((l) => [l, counts.levels.get(l) ?? 0]),
    )}
    ${this.#renderSelect(
      'stage',
      'Stage',
      counts.anyStage,
      stages.map((s) => [s, counts.stages.get(s) ?? 0]),
    )}
    ${
      iterations.length > 0
        ? this.#renderSelect(
            'iteration',
            'Iteration',
            counts.anyIteration,
            iterations.map((i) => [String(i), counts.iterations.get(i) ?? 0]),
          )
        : nothing
    }`;
  }

  #renderCount() {
    const shown = this.counts.matched;
    const filtering = Object.keys(this.filter).length > 0;
    const total = this.total.toLocaleString();
    const noun = this.total === 1 ? 'line' : 'lines';
    return html`<span class="count" role="status" aria-label="Lines shown">${filtering ? `${shown.toLocaleString()} of ${total} ${noun}` : `${total} ${noun}`}</span>`;
  }

  override render() {
    const matches = this.counts.matched;
    const searching = !!this.filter.q && !this.queryError;
    return html`<div part="base">
      <div class="search">
        <input
          type="search"
          aria-label="Search logs"
          placeholder="Search logs: text or /regex/"
          spellcheck="false"
          autocomplete="off"
          .value=${this.filter.q ?? ''}
          aria-invalid=${this.queryError ? 'true' : 'false'}
          aria-describedby="query-error"
          @input=${this.#onInput}
          @keydown=${this.#onKeyDown}
        />
        <button type="button" class="icon" aria-label="Previous match" title="Previous match (Shift+Enter)" ?disabled=${!searching || matches === 0}
          @click=${() => this.dispatchEvent(new LogStepEvent({ direction: -1 }))}>↑</button>
        <button type="button" class="icon" aria-label="Next match" title="Next match (Enter)" ?disabled=${!searching || matches === 0}
          @click=${() => this.dispatchEvent(new LogStepEvent({ direction: 1 }))}>↓</button>
        ${
          searching
            ? html`<span class="position" aria-label="Match position">${matches === 0 ? 'No matches' : `${this.match >= 0 ? this.match + 1 : '–'} / ${matches.toLocaleString()}`}</span>`
            : nothing
        }
      </div>
      <p id="query-error" class="error" role="alert" ?hidden=${!this.queryError}>${this.queryError ?? ''}</p>
      <div class="controls">
        ${this.#renderFilters()} ${this.#renderCount()}
        <span class="actions">
          ${
            this.following
              ? html`<button type="button" aria-pressed="true" class="toggle" title="Stops when you scroll up"
                @click=${() => this.dispatchEvent(new LogFollowEvent({ follow: false }))}>Following</button>`
              : html`<button type="button" class="jump" @click=${() => this.dispatchEvent(new LogFollowEvent({ follow: true }))}>Jump to end</button>`
          }
          <button type="button" class="toggle" aria-pressed=${String(this.relative)} title="Times since the first line, or times of day"
            @click=${() => this.dispatchEvent(new LogTimesEvent({ relative: !this.relative }))}>Relative times</button>
          <button type="button" @click=${() => this.#download('txt')}>Download .txt</button>
          <button type="button" aria-label="Download .ndjson" @click=${() => this.#download('ndjson')}>.ndjson</button>
        </span>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-log-toolbar': HwLogToolbar;
  }
}
