import { isTerminal, type JobStatus } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { baseStyles } from '../../base-styles.ts';
import { notifyButtonStyles } from './notify-button.styles.ts';

const ENDED: Partial<Record<JobStatus, string>> = { completed: 'completed', failed: 'failed', cancelled: 'was cancelled' };

/**
 * "Notify me when it ends": asks for the browser's permission on that click (never before), then
 * raises a desktop notification when the job completes, fails or is cancelled while its page is
 * open. A second click turns it off. Hidden once the job has ended.
 *
 * @csspart base - The toggle button (`aria-pressed` while armed).
 */
@customElement('hw-notify-button')
export class HwNotifyButton extends LitElement {
  static override styles = [baseStyles, notifyButtonStyles];

  @property({ attribute: 'job-id' }) jobId = '';
  @property() status: JobStatus = 'waiting';
  /** The job's name, the notification's title. */
  @property({ attribute: 'job-title' }) jobTitle = '';
  /** Why it failed or was cancelled, the notification's text. */
  @property() reason?: string;

  @state() private armed = false;
  /** Why it cannot notify (no support, or permission refused). */
  @state() private problem?: string;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // Another job in the same page: the wish was for the previous one.
    if (changed.has('jobId') && changed.get('jobId') !== undefined) this.armed = false;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('status') && this.armed && isTerminal(this.status)) this.#notify();
  }

  async #toggle(): Promise<void> {
    if (this.armed) {
      this.armed = false;
      return;
    }
    if (!('Notification' in window)) {
      this.problem = 'This browser cannot show notifications';
      return;
    }
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    if (permission !== 'granted') {
      this.problem = 'Notifications are blocked for this site: allow them in the browser’s site settings';
      return;
    }
    this.problem = undefined;
    this.armed = true;
    // It may have ended while the browser asked.
    if (isTerminal(this.status)) this.#notify();
  }

  #notify(): void {
    this.armed = false;
    const notification = new Notification(`${this.jobTitle || `Job ${this.jobId}`} ${ENDED[this.status] ?? this.status}`, {
      body: this.reason ?? 'Headway',
      tag: `headway-job-${this.jobId}`,
    });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
  }

  override render() {
    if (isTerminal(this.status) && !this.armed) return nothing;
    return html`<button
        part="base"
        class="action"
        type="button"
        aria-pressed=${this.armed ? 'true' : 'false'}
        title=${this.armed ? 'A notification will say when this job ends; click to turn it off' : 'Get a desktop notification when this job ends'}
        @click=${() => this.#toggle()}
      >
        Notify me when it ends
      </button>
      ${this.problem ? html`<span class="problem" role="status">${this.problem}</span>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-notify-button': HwNotifyButton;
  }
}
