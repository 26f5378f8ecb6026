import type { ConnectionState } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { baseStyles } from '../../base-styles.ts';
import { connectionStatusStyles } from './connection-status.styles.ts';

const LABEL: Record<ConnectionState, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  offline: 'offline',
};

/**
 * Whether the live progress connection is up, with the reason of the last close.
 *
 * @csspart base - The wrapper (`role="status"`, named "Connection").
 */
@customElement('hw-connection-status')
export class HwConnectionStatus extends LitElement {
  static override styles = [baseStyles, connectionStatusStyles];

  @property({ reflect: true }) state: ConnectionState = 'connecting';
  @property({ type: Number, attribute: 'close-code' }) closeCode?: number;
  @property({ attribute: 'close-reason' }) closeReason?: string;

  override render() {
    const showReason = this.state !== 'live' && this.closeCode !== undefined;
    return html`
      <p part="base" role="status" aria-label="Connection" data-state=${this.state}>
        <span class="dot" aria-hidden="true"></span>
        <span class="label">${LABEL[this.state]}</span>
        ${
          showReason
            ? html`<span class="reason">(last close: ${this.closeReason || 'no reason given'}, code ${this.closeCode})</span>`
            : nothing
        }
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-connection-status': HwConnectionStatus;
  }
}
