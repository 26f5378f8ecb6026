import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { baseStyles } from '../../base-styles.ts';
import { progressBarStyles } from './progress-bar.styles.ts';

export type ProgressBarState = 'running' | 'completed' | 'failed';

/**
 * A labelled progress bar with the rounded percentage beside it. It draws what it is given; the
 * job fold already keeps the percentage from going backwards within an attempt.
 *
 * @csspart base - The wrapper, which carries `role="progressbar"`.
 * @csspart fill - The filled part of the track.
 * @csspart label - The "NN %" text.
 * @cssproperty --hw-progress-bar-height - Track height (0.75rem; 0.4rem when `compact`).
 * @cssproperty --hw-progress-bar-fill - Fill colour while running.
 * @cssproperty --hw-progress-bar-track - Track colour.
 */
@customElement('hw-progress-bar')
export class HwProgressBar extends LitElement {
  static override styles = [baseStyles, progressBarStyles];

  /** 0–100. */
  @property({ type: Number }) percentage = 0;
  @property({ reflect: true }) state: ProgressBarState = 'running';
  /** The accessible name. */
  @property() label = 'Overall progress';
  @property({ type: Boolean, reflect: true }) compact = false;

  override render() {
    const value = Math.min(100, Math.max(0, Number.isFinite(this.percentage) ? this.percentage : 0));
    const rounded = Math.round(value);
    return html`
      <div
        part="base"
        role="progressbar"
        aria-label=${this.label}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${rounded}
        data-state=${this.state}
      >
        <div class="track"><div part="fill" style=${styleMap({ width: `${value}%` })}></div></div>
        <span part="label" aria-hidden="true">${rounded} %</span>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-progress-bar': HwProgressBar;
  }
}
