import type { PipelineInfo } from '@headway/progress';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../../base-styles.ts';
import { pipelineCardStyles } from './pipeline-card.styles.ts';
import { runModesOf } from './run-modes.ts';

/** `hw-run`: the user asked to run `detail.pipeline` with `detail.input`. */
export class RunEvent extends Event {
  static readonly type = 'hw-run';
  readonly detail: { pipeline: string; input: Record<string, unknown> };

  constructor(detail: RunEvent['detail']) {
    super(RunEvent.type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

/**
 * A pipeline: its title, description and stages, and a Run button (with a run-mode choice when
 * its input has one). It does not start jobs itself; it asks with `hw-run`.
 *
 * @event hw-run - Run was pressed; `detail` is `{ pipeline, input }` (the sample input plus choices).
 * @csspart base - The card.
 * @cssproperty --hw-run-button-bg - Run button colour (default --hw-accent).
 */
@customElement('hw-pipeline-card')
export class HwPipelineCard extends LitElement {
  static override styles = [baseStyles, pipelineCardStyles];

  @property({ attribute: false }) pipeline?: PipelineInfo;
  /** A job is being created: the button is disabled. */
  @property({ type: Boolean }) busy = false;
  /** The last attempt's error, shown under the button. */
  @property() error?: string;

  @state() private runMode?: string;

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const pipeline = this.pipeline;
    if (!pipeline || this.busy) return;
    const modes = runModesOf(pipeline);
    const input = { ...pipeline.sampleInput, ...(modes && { runMode: this.runMode ?? modes.initial }) };
    this.dispatchEvent(new RunEvent({ pipeline: pipeline.name, input }));
  }

  #onModeChange(event: Event): void {
    this.runMode = (event.target as HTMLSelectElement).value;
  }

  override render() {
    const pipeline = this.pipeline;
    if (!pipeline) return nothing;
    const modes = runModesOf(pipeline);
    const selected = this.runMode ?? modes?.initial;
    const errorId = `${pipeline.name}-error`;
    return html`<article part="base">
      <h2>${pipeline.title}</h2>
      <p>${pipeline.description}</p>
      <ol class="stages" aria-label="Stages of ${pipeline.title}">
        ${pipeline.stages.map((s) => html`<li>${s.label}</li>`)}
      </ol>
      <form @submit=${this.#onSubmit}>
        ${modes
          ? html`<div class="field">
              <label for="run-mode">Run mode</label>
              <select id="run-mode" name="runMode" aria-label="Run mode for ${pipeline.title}" @change=${this.#onModeChange}>
                ${modes.options.map((m) => html`<option value=${m} ?selected=${m === selected}>${m}</option>`)}
              </select>
            </div>`
          : nothing}
        <button
          type="submit"
          aria-label="Run ${pipeline.title}"
          aria-describedby=${this.error ? errorId : nothing}
          ?disabled=${this.busy}
        >
          ${this.busy ? 'Starting…' : 'Run'}
        </button>
      </form>
      ${this.error ? html`<p class="error" id=${errorId} role="alert">${this.error}</p>` : nothing}
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-pipeline-card': HwPipelineCard;
  }
  interface HTMLElementEventMap {
    'hw-run': RunEvent;
  }
}
