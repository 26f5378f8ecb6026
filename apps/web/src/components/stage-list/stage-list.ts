import type { StageState, StageView } from '@headway/progress/client';
import { formatDuration, formatPreciseDuration, slowerThanUsual } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { baseStyles } from '../../base-styles.ts';
import { stageListStyles } from './stage-list.styles.ts';

const ICON: Record<StageState, string> = {
  waiting: '○',
  active: '◔',
  complete: '✓',
  error: '✕',
  skipped: '–',
};

/** "Gap analysis: active, iteration 3", "Judge validation: complete", "Judge validation: active, slower than usual (usually 20–35 s)". */
export function stageAccessibleName(stage: StageView): string {
  return [`${stage.label}: ${stage.state}`, iterationText(stage), slowText(stage)].filter(Boolean).join(', ');
}

/** Only while the stage runs: once it has ended, how long it took says the rest. */
const slowText = (stage: StageView): string => (stage.slow && stage.state === 'active' ? slowerThanUsual(stage.slow) : '');

/** "iteration 2 of ~3" while it loops (the declared count, or more once past it); "4 iterations" after. */
function iterationText({ state, iteration, expectedIterations }: StageView): string {
  if (iteration === undefined || state === 'waiting') return '';
  if (state === 'active') {
    const expected = expectedIterations ? ` of ~${Math.max(expectedIterations, iteration)}` : '';
    return `iteration ${iteration}${expected}`;
  }
  return iteration === 1 ? '1 iteration' : `${iteration} iterations`;
}

/**
 * The pipeline's stages in order, each with its state, elapsed time, iteration (looping stages)
 * and, for the active stage, how far through it is, and whether it runs slower than usual.
 *
 * @csspart base - The list.
 * @csspart stage - Each stage's item (`data-state` holds its state).
 * @csspart icon - Each stage's state icon.
 * @csspart slow - "slower than usual (usually 20–35 s)" under a stage running past its usual time.
 * @cssproperty --hw-stage-active - Colour of the active stage (default --hw-accent).
 * @cssproperty --hw-stage-complete - Colour of complete stages (default --hw-success).
 * @cssproperty --hw-stage-error - Colour of failed stages (default --hw-danger).
 * @cssproperty --hw-stage-skipped - Colour of skipped stages (default --hw-neutral).
 */
@customElement('hw-stage-list')
export class HwStageList extends LitElement {
  static override styles = [baseStyles, stageListStyles];

  @property({ attribute: false }) stages: StageView[] = [];
  /** While true, the active stage's elapsed time ticks; false once the job has ended. */
  @property({ type: Boolean }) running = true;

  @state() private now = Date.now();
  #ticker: ReturnType<typeof setInterval> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTicking();
  }

  override updated(): void {
    const ticking = this.running && this.stages.some((s) => s.state === 'active' && s.startedAt);
    if (ticking && !this.#ticker) this.#ticker = setInterval(() => (this.now = Date.now()), 1000);
    if (!ticking) this.#stopTicking();
  }

  #stopTicking(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  /** Whole seconds while the stage ticks; tenths, while they matter, once it has ended. */
  #elapsed(stage: StageView): string {
    if (!stage.startedAt) return '';
    const end = stage.endedAt ? Date.parse(stage.endedAt) : this.running ? this.now : undefined;
    if (end === undefined) return '';
    const seconds = Math.max(0, (end - Date.parse(stage.startedAt)) / 1000);
    return stage.endedAt ? formatPreciseDuration(seconds) : formatDuration(seconds);
  }

  #renderStageProgress(stage: StageView) {
    if (stage.state !== 'active' || stage.stageProgress === undefined) return nothing;
    const pct = Math.round(stage.stageProgress * 100);
    return html`
      <div class="stage-progress">
        <div
          class="stage-track"
          role="progressbar"
          aria-label="${stage.label} progress"
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow=${pct}
        >
          <div class="stage-fill" style=${styleMap({ width: `${pct}%` })}></div>
        </div>
        <span aria-hidden="true">${pct} %</span>
      </div>
    `;
  }

  #renderStage(stage: StageView) {
    const iteration = iterationText(stage);
    const showMessage = stage.message && (stage.state === 'active' || stage.state === 'error');
    return html`
      <li part="stage" role="listitem" aria-label=${stageAccessibleName(stage)} data-stage=${stage.name} data-state=${stage.state}>
        <span part="icon" aria-hidden="true">${ICON[stage.state]}</span>
        <div>
          <div class="row">
            <span class="label">${stage.label}</span>
            <span class="state">${stage.state}</span>
            ${iteration ? html`<span class="iteration">${iteration}</span>` : nothing}
          </div>
          ${
            stage.lastIterationSeconds !== undefined
              ? html`<p class="last-iteration">last iteration ${formatPreciseDuration(stage.lastIterationSeconds)}</p>`
              : nothing
          }
          ${this.#renderStageProgress(stage)}
          ${slowText(stage) ? html`<p class="slow" part="slow">${slowText(stage)}</p>` : nothing}
          ${showMessage ? html`<p class="message">${stage.message}</p>` : nothing}
        </div>
        <span class="elapsed">${this.#elapsed(stage)}</span>
      </li>
    `;
  }

  override render() {
    return html`<ol part="base" role="list" aria-label="Stages">
      ${this.stages.map((stage) => this.#renderStage(stage))}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-stage-list': HwStageList;
  }
}
