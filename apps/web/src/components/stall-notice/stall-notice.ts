import { formatDuration } from '@headway/progress/client';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

/** Silence after which a running job is called out: longer than any step of a healthy one. */
const STALL_AFTER_S = 30;

/**
 * "No progress for 45 s": shown while a running job has sent no event for a while, so a stuck
 * worker is visible before BullMQ's lock expires and the job is retried.
 *
 * @csspart notice - The notice.
 */
@customElement('hw-stall-notice')
export class HwStallNotice extends LitElement {
  static override styles = css`
    p {
      margin: 0.5rem 0 0;
      padding: 0.35rem 0.6rem;
      border-radius: var(--hw-radius);
      font-size: 0.88rem;
      color: var(--hw-warning);
      background: var(--hw-warning-soft);
    }
  `;

  /** ISO time of the job's newest event. */
  @property({ attribute: false }) lastEventAt?: string;
  /** Whether the job is running; a finished job is quiet by right. */
  @property({ type: Boolean }) active = false;

  @state() private now = Date.now();
  #ticker: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ticker = setInterval(() => (this.now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
  }

  override render() {
    if (!this.active || !this.lastEventAt) return nothing;
    const silent = (this.now - Date.parse(this.lastEventAt)) / 1000;
    if (!(silent >= STALL_AFTER_S)) return nothing;
    return html`<p part="notice" role="status">No progress for ${formatDuration(silent)}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-stall-notice': HwStallNotice;
  }
}
