import { css } from 'lit';

export const progressBarStyles = css`
  :host {
    display: block;
    --hw-progress-bar-height: 0.75rem;
  }
  [part='base'] {
    display: flex;
    align-items: center;
    gap: 0.75rem;
  }
  .track {
    flex: 1;
    height: var(--hw-progress-bar-height);
    border-radius: 999px;
    background: var(--hw-progress-bar-track, var(--hw-surface-2));
    box-shadow: inset 0 0 0 1px var(--hw-border);
    overflow: hidden;
  }
  [part='fill'] {
    height: 100%;
    border-radius: inherit;
    background: var(--hw-progress-bar-fill, var(--hw-accent));
    transition: width 0.4s ease-out;
  }
  [data-state='running'] [part='fill'] {
    background-image: linear-gradient(
      45deg,
      rgb(255 255 255 / 0.18) 25%,
      transparent 25%,
      transparent 50%,
      rgb(255 255 255 / 0.18) 50%,
      rgb(255 255 255 / 0.18) 75%,
      transparent 75%
    );
    background-size: 1rem 1rem;
    animation: stripes 1s linear infinite;
  }
  [data-state='completed'] [part='fill'] {
    background-color: var(--hw-success);
  }
  [data-state='failed'] [part='fill'] {
    background-color: var(--hw-danger);
  }
  [part='label'] {
    min-width: 3.5em;
    text-align: right;
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  :host([compact]) {
    --hw-progress-bar-height: 0.4rem;
  }
  :host([compact]) [part='label'] {
    min-width: 3em;
    font-weight: 500;
    font-size: 0.85em;
    color: var(--hw-text-muted);
  }
  @keyframes stripes {
    from {
      background-position: 1rem 0;
    }
    to {
      background-position: 0 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part='fill'] {
      transition: none;
      animation: none !important;
    }
  }
`;
