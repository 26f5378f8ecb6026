import type { JobStatus } from '@headway/progress/client';
import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../../base-styles.ts';
import { statusBadgeStyles } from './status-badge.styles.ts';

/**
 * A job's status as a coloured pill: the status word itself is the text.
 *
 * @csspart base - The pill.
 * @cssproperty --hw-status-badge-font-size - Text size (default 0.8rem).
 */
@customElement('hw-status-badge')
export class HwStatusBadge extends LitElement {
  static override styles = [baseStyles, statusBadgeStyles];

  @property({ reflect: true }) status: JobStatus = 'waiting';

  override render() {
    return html`<span part="base" data-status=${this.status}>${this.status}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-status-badge': HwStatusBadge;
  }
}
