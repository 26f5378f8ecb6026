import type { PipelineInfo } from '@headway/progress/client';
import { inputFieldsOf, inputFrom, type NamedInputField } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../../base-styles.ts';
import { pipelineCardStyles } from './pipeline-card.styles.ts';

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
 * A pipeline: its title, description and stages, and a Run form built from its declared input
 * options (the first choice in view, the rest under "More options"). It does not start jobs
 * itself; it asks with `hw-run`.
 *
 * @event hw-run - Run was pressed; `detail` is `{ pipeline, input }` (the sample input plus the form's values).
 * @csspart base - The card.
 * @cssproperty --hw-run-button-bg - Run button colour (default --hw-accent-fill).
 */
@customElement('hw-pipeline-card')
export class HwPipelineCard extends LitElement {
  static override styles = [baseStyles, pipelineCardStyles];

  @property({ attribute: false }) pipeline?: PipelineInfo;
  /** A job is being created: the button is disabled. */
  @property({ type: Boolean }) busy = false;
  /** The last attempt's error, shown under the button. */
  @property() error?: string;
  /** The signed-in role cannot run jobs: no Run form. */
  @property({ type: Boolean, attribute: 'read-only' }) readOnly = false;

  /** What the user changed, by field name; the rest keeps its initial value. */
  @state() private values: Record<string, string | boolean> = {};

  #fields(): NamedInputField[] {
    return this.pipeline ? inputFieldsOf(this.pipeline) : [];
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const pipeline = this.pipeline;
    if (!pipeline || this.busy) return;
    const input = inputFrom(pipeline, this.#fields(), this.values);
    this.dispatchEvent(new RunEvent({ pipeline: pipeline.name, input }));
  }

  #set(name: string, value: string | boolean): void {
    this.values = { ...this.values, [name]: value };
  }

  #renderField(field: NamedInputField) {
    const id = `${this.pipeline!.name}-${field.name}`;
    const label = `${field.label} for ${this.pipeline!.title}`;
    const value = this.values[field.name];
    let control: ReturnType<typeof html>;
    switch (field.kind) {
      case 'choice':
        control = html`<select id=${id} aria-label=${label} @change=${(e: Event) => this.#set(field.name, (e.target as HTMLSelectElement).value)}>
          ${field.options.map((o) => html`<option value=${o} ?selected=${o === (value ?? field.initial)}>${o}</option>`)}
        </select>`;
        break;
      case 'integer':
      case 'number':
        control = html`<input id=${id} aria-label=${label} type="number" inputmode="numeric"
          step=${field.kind === 'integer' ? '1' : 'any'} min=${field.min ?? nothing} max=${field.max ?? nothing}
          .value=${String(value ?? field.initial ?? '')}
          @input=${(e: Event) => this.#set(field.name, (e.target as HTMLInputElement).value)} />`;
        break;
      case 'boolean':
        control = html`<input id=${id} aria-label=${label} type="checkbox" .checked=${(value ?? field.initial) === true}
          @change=${(e: Event) => this.#set(field.name, (e.target as HTMLInputElement).checked)} />`;
        break;
      default:
        control = html`<input id=${id} aria-label=${label} type="text" maxlength=${field.kind === 'text' ? (field.maxLength ?? nothing) : nothing}
          placeholder=${field.kind === 'list' ? 'comma-separated' : nothing} .value=${String(value ?? field.initial)}
          @input=${(e: Event) => this.#set(field.name, (e.target as HTMLInputElement).value)} />`;
    }
    return html`<div class="field">
      <label for=${id} title=${field.description ?? nothing}>${field.label}</label>
      ${control}
    </div>`;
  }

  override render() {
    const pipeline = this.pipeline;
    if (!pipeline) return nothing;
    const fields = this.#fields();
    const first = fields.findIndex((f) => f.kind === 'choice');
    const main = first >= 0 ? [fields[first]!] : [];
    const more = fields.filter((_, i) => i !== first);
    const errorId = `${pipeline.name}-error`;
    return html`<article part="base">
      <h2>${pipeline.title}</h2>
      <p>${pipeline.description}</p>
      <a class="history" href="/pipelines/${encodeURIComponent(pipeline.name)}" aria-label="History and timings of ${pipeline.title}">History and timings</a>
      <ol class="stages" aria-label="Stages of ${pipeline.title}">
        ${pipeline.stages.map((s) => html`<li>${s.label}</li>`)}
      </ol>
      ${this.readOnly ? nothing : this.#renderForm(main, more, errorId)}
    </article>`;
  }

  #renderForm(main: NamedInputField[], more: NamedInputField[], errorId: string) {
    const pipeline = this.pipeline!;
    return html`<form @submit=${this.#onSubmit}>
        ${main.map((f) => this.#renderField(f))}
        ${
          more.length
            ? html`<details class="more">
              <summary>More options</summary>
              <div class="more-fields">${more.map((f) => this.#renderField(f))}</div>
            </details>`
            : nothing
        }
        <button
          type="submit"
          aria-label="Run ${pipeline.title}"
          aria-describedby=${this.error ? errorId : nothing}
          ?disabled=${this.busy}
        >
          ${this.busy ? 'Starting…' : 'Run'}
        </button>
      </form>
      ${this.error ? html`<p class="error" id=${errorId} role="alert">${this.error}</p>` : nothing}`;
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
