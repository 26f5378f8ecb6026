import type { ShareLink } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { shareJob } from '../../api.ts';
import { baseStyles } from '../../base-styles.ts';
import { shareLinkStyles } from './share-link.styles.ts';

/**
 * A Share button for one job (operators): it makes a read-only link to the job (7 days) and shows
 * it, ready to copy. Whoever opens the link sees that job and nothing else.
 *
 * @csspart link - The link made, its copy button and when it expires.
 */
@customElement('hw-share-link')
export class HwShareLink extends LitElement {
  static override styles = [baseStyles, shareLinkStyles];

  @property({ attribute: 'job-id' }) jobId = '';

  @state() private link?: ShareLink;
  @state() private busy = false;
  @state() private error?: string;
  @state() private copied = false;

  async #share(): Promise<void> {
    this.busy = true;
    this.error = undefined;
    try {
      this.link = await shareJob(this.jobId);
      this.copied = false;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  async #copy(): Promise<void> {
    if (!this.link) return;
    await navigator.clipboard?.writeText(this.link.url).then(
      () => (this.copied = true),
      () => undefined,
    );
  }

  override render() {
    return html`<button class="action" type="button" aria-label="Share job" ?disabled=${this.busy} @click=${this.#share}>
        ${this.busy ? 'Sharing…' : 'Share'}
      </button>
      ${
        this.link
          ? html`<div part="link">
            <input readonly aria-label="Share link" .value=${this.link.url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
            <button class="action" type="button" @click=${this.#copy}>${this.copied ? 'Copied' : 'Copy'}</button>
            <span class="muted">Read-only, until ${new Date(this.link.expiresAt).toLocaleString()}</span>
          </div>`
          : nothing
      }
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-share-link': HwShareLink;
  }
}
