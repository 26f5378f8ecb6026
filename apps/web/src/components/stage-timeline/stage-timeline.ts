import type { StageState, StageView } from '@headway/progress/client';
import { formatPreciseDuration } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { baseStyles } from '../../base-styles.ts';
import { stageTimelineStyles } from './stage-timeline.styles.ts';
import { segmentSummary, type TimelineSegment, timelineAccessibleName, timelineLayout } from './timeline-layout.ts';

/** Tone of a segment: a stage still active when the job ended was interrupted. */
const toneOf = ({ stage, interrupted }: TimelineSegment): StageState | 'interrupted' =>
  interrupted && stage.state !== 'error' ? 'interrupted' : stage.state;

/**
 * A finished job's stages as one horizontal bar: each stage a segment placed at its start and as
 * wide as its share of the job's time, numbered to match a legend of labels and durations below.
 * Skipped stages (no time of their own) appear in the legend only.
 *
 * @csspart base - The wrapper.
 * @csspart track - The bar, which carries `role="img"` and the whole timeline in its name.
 * @csspart segment - Each stage's segment (`data-state` holds its state).
 * @csspart legend - The list of stages and their durations.
 * @cssproperty --hw-stage-timeline-height - The bar's height (1.5rem).
 * @cssproperty --hw-stage-complete - Colour of complete stages (default --hw-success).
 * @cssproperty --hw-stage-error - Colour of failed stages (default --hw-danger).
 * @cssproperty --hw-stage-skipped - Colour of skipped stages (default --hw-neutral).
 * @cssproperty --hw-stage-interrupted - Colour of stages the job stopped under (default --hw-warning).
 */
@customElement('hw-stage-timeline')
export class HwStageTimeline extends LitElement {
  static override styles = [baseStyles, stageTimelineStyles];

  @property({ attribute: false }) stages: StageView[] = [];
  /** The job's start (ISO); widens the span when it came before the first stage. */
  @property({ attribute: 'started-at' }) startedAt?: string;
  /** The job's end (ISO); widens the span when it came after the last stage. */
  @property({ attribute: 'ended-at' }) endedAt?: string;

  #renderSegment(segment: TimelineSegment, index: number) {
    if (segment.seconds === undefined) return nothing;
    const { stage, offset, width } = segment;
    return html`<span
      part="segment"
      class="segment"
      data-stage=${stage.name}
      data-state=${toneOf(segment)}
      title="${stage.label}: ${segmentSummary(segment)}"
      style=${styleMap({ left: `${offset}%`, width: `${width}%` })}
      ><span class="number">${index + 1}</span></span
    >`;
  }

  #renderLegendItem(segment: TimelineSegment, index: number) {
    return html`<li data-stage=${segment.stage.name} data-state=${toneOf(segment)}>
      <span class="number" aria-hidden="true">${index + 1}</span>
      <span class="label">${segment.stage.label}</span>
      <span class="duration">${segmentSummary(segment)}</span>
    </li>`;
  }

  override render() {
    const layout = timelineLayout(this.stages, this.startedAt, this.endedAt);
    return html`<div part="base">
      <div part="track" class="track" role="img" aria-label=${timelineAccessibleName(layout)}>
        ${layout.segments.map((segment, i) => this.#renderSegment(segment, i))}
      </div>
      <div class="axis" aria-hidden="true">
        <span>0 s</span>
        <span>${formatPreciseDuration(layout.totalSeconds)}</span>
      </div>
      <ol part="legend" class="legend" aria-label="Stage durations">
        ${layout.segments.map((segment, i) => this.#renderLegendItem(segment, i))}
      </ol>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-stage-timeline': HwStageTimeline;
  }
}
