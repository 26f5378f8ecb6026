import { type ArtifactEvent, type ArtifactInfo, formatBytes, type StageSpec, SUMMARY_ARTIFACT } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { listArtifacts } from '../../api.ts';
import { baseStyles } from '../../base-styles.ts';
import './artifact-preview.ts';
import { artifactPermalink, artifactsZipUrl, artifactUrl } from './artifact-links.ts';
import { typeLabel } from './preview-kind.ts';
import { resultsStyles } from './results.styles.ts';
import { attemptsOf, groupByStage, mergeArtifacts } from './results-model.ts';

/**
 * The files a job made: one attempt's at a time (the newest by default), `summary.md` first and
 * open, the rest by stage with type and size, each with a download link, a permalink and a
 * preview fetched when it is opened. Artifacts arrive live as `artifacts` (the job page's fold);
 * the REST list fills in any the replay no longer holds. Draws nothing while there are none.
 *
 * @csspart base - The panel.
 */
@customElement('hw-results')
export class HwResults extends LitElement {
  static override styles = [baseStyles, resultsStyles];

  @property({ attribute: 'job-id' }) jobId = '';
  /** Every attempt's artifact events, in order (`JobView.artifacts`). */
  @property({ attribute: false }) artifacts: readonly ArtifactEvent[] = [];
  /** The pipeline's stages, for the groups' order and titles. */
  @property({ attribute: false }) stages: readonly Pick<StageSpec, 'name' | 'label'>[] = [];
  /** The artifact a permalink names: its preview is opened and scrolled into view. */
  @property() open?: string;

  @state() private listed: ArtifactInfo[] = [];
  /** The attempt chosen by hand; otherwise the newest. */
  @state() private chosenAttempt?: number;
  /** Previews opened or closed by hand, by `attempt/name`; the summary is open unless closed (or a permalink names another). */
  @state() private expanded = new Map<string, boolean>();

  #listedFor?: string;
  /** A permalink's artifact not yet seen, or seen and waiting to be scrolled to. */
  #pendingOpen?: string;
  #scrollTo?: string;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('jobId') && this.jobId !== this.#listedFor) {
      this.#listedFor = this.jobId;
      this.listed = [];
      this.chosenAttempt = undefined;
      this.expanded = new Map();
      const jobId = this.jobId;
      // Only fills gaps: the live events are enough while the stream holds them all.
      listArtifacts(jobId).then(
        ({ artifacts }) => {
          if (this.jobId === jobId) this.listed = artifacts;
        },
        () => undefined,
      );
    }
    if (changed.has('open')) this.#pendingOpen = this.open;
    if (this.#pendingOpen) this.#revealPending();
    this.hidden = this.#all().length === 0;
  }

  override updated(): void {
    const target = this.#scrollTo;
    if (!target) return;
    this.#scrollTo = undefined;
    const find = () => this.renderRoot.querySelector<HTMLElement>(`[data-name="${CSS.escape(target)}"]`);
    requestAnimationFrame(() => {
      const item = find();
      if (!item) return;
      item.scrollIntoView({ block: 'start' });
      item.querySelector<HTMLElement>('button.name')?.focus({ preventScroll: true });
      keepInView(find);
    });
  }

  #all(): ArtifactInfo[] {
    return mergeArtifacts(this.listed, this.artifacts);
  }

  #shownAttempt(all: readonly ArtifactInfo[]): number | undefined {
    const attempts = attemptsOf(all);
    return this.chosenAttempt !== undefined && attempts.includes(this.chosenAttempt) ? this.chosenAttempt : attempts[0];
  }

  /** Opens the permalink's artifact once it is known, in the newest attempt that has it. */
  #revealPending(): void {
    const name = this.#pendingOpen!;
    const all = this.#all();
    const shown = this.#shownAttempt(all);
    const match = all.find((a) => a.name === name && a.attempt === shown) ?? all.findLast((a) => a.name === name);
    if (!match) return;
    this.#pendingOpen = undefined;
    if (match.attempt !== shown) this.chosenAttempt = match.attempt;
    this.expanded = new Map(this.expanded).set(`${match.attempt}/${name}`, true);
    this.#scrollTo = name;
  }

  #isOpen(a: ArtifactInfo): boolean {
    // Under a permalink the summary starts closed: opening it would push the linked preview away.
    return this.expanded.get(`${a.attempt}/${a.name}`) ?? (a.name === SUMMARY_ARTIFACT && !this.open);
  }

  #toggle(a: ArtifactInfo): void {
    this.expanded = new Map(this.expanded).set(`${a.attempt}/${a.name}`, !this.#isOpen(a));
  }

  #onAttempt(event: Event): void {
    this.chosenAttempt = Number((event.target as HTMLSelectElement).value);
  }

  #renderItem(a: ArtifactInfo, names: ReadonlySet<string>) {
    const open = this.#isOpen(a);
    const id = `preview-${a.attempt}-${encodeURIComponent(a.name).replace(/%/g, '_')}`;
    return html`<li class="item" data-name=${a.name}>
      <div class="row">
        <button class="name" type="button" aria-expanded=${open ? 'true' : 'false'} aria-controls=${id} @click=${() => this.#toggle(a)}>
          <span class="chevron" aria-hidden="true"></span>
          <span class="label">
            <span class="file">${a.name}</span>
            ${a.title ? html`<span class="title">${a.title}</span>` : nothing}
          </span>
          <span class="meta">${typeLabel(a.contentType)} · ${formatBytes(a.size)}</span>
        </button>
        <a class="download" href=${artifactUrl(this.jobId, a.name, { attempt: a.attempt, download: true })} download aria-label="Download ${a.name}"
          >Download</a
        >
      </div>
      ${
        open
          ? html`<div class="panel" id=${id} role="region" aria-label="Preview of ${a.name}">
            <hw-artifact-preview job-id=${this.jobId} .artifact=${a} .names=${names}></hw-artifact-preview>
            <p class="links"><a href=${artifactPermalink(this.jobId, a.name)}>Permalink</a></p>
          </div>`
          : nothing
      }
    </li>`;
  }

  override render() {
    const all = this.#all();
    const shown = this.#shownAttempt(all);
    if (shown === undefined) return nothing;
    const attempts = attemptsOf(all);
    const files = all.filter((a) => a.attempt === shown);
    const names = new Set(files.map((a) => a.name));
    const summary = files.find((a) => a.name === SUMMARY_ARTIFACT);
    const groups = groupByStage(
      files.filter((a) => a !== summary),
      this.stages,
    );
    const total = files.reduce((n, a) => n + a.size, 0);
    return html`<section part="base" class="card" aria-labelledby="results-heading">
      <div class="head">
        <h2 id="results-heading">Results</h2>
        <span class="count">${files.length} file${files.length === 1 ? '' : 's'} · ${formatBytes(total)}</span>
        ${
          attempts.length > 1
            ? html`<label class="attempt"
              >Attempt
              <select @change=${this.#onAttempt}>
                ${attempts.map((n) => html`<option value=${n} ?selected=${n === shown}>${n}${n === attempts[0] ? ' (newest)' : ''}</option>`)}
              </select></label
            >`
            : nothing
        }
        <a class="zip" href=${artifactsZipUrl(this.jobId)} download>Download all (.zip)</a>
      </div>
      ${summary ? html`<ul class="files summary">${this.#renderItem(summary, names)}</ul>` : nothing}
      ${repeat(
        groups,
        (g) => g.title,
        (g) => html`<h3>${g.title}</h3>
          <ul class="files">
            ${repeat(
              g.artifacts,
              (a) => `${a.attempt}/${a.name}`,
              (a) => this.#renderItem(a, names),
            )}
          </ul>`,
      )}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-results': HwResults;
  }
}

/** How long a permalink's preview is kept in view while the page above it is still loading. */
const PIN_MS = 3000;
const USER_INPUT = ['wheel', 'keydown', 'pointerdown', 'touchstart'] as const;

/**
 * Keeps the item `find` finds where it was scrolled to while the page still moves around it (the
 * job's stages, its log, images and files listed above it), until the reader scrolls or acts, or
 * PIN_MS pass. Checked every frame: a change above it need not change the page's size.
 */
function keepInView(find: () => HTMLElement | null): void {
  const top = find()?.getBoundingClientRect().top ?? 0;
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const type of USER_INPUT) removeEventListener(type, stop, true);
  };
  for (const type of USER_INPUT) addEventListener(type, stop, true);
  const until = performance.now() + PIN_MS;
  const check = (now: number) => {
    const item = find();
    if (stopped || now > until || !item) return stop();
    if (Math.abs(item.getBoundingClientRect().top - top) > 2) item.scrollIntoView({ block: 'start' });
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}
