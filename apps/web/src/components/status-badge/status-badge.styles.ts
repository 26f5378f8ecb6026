import { css } from 'lit';

export const statusBadgeStyles = css`
  :host {
    display: inline-block;
    vertical-align: middle;
  }
  [part='base'] {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    padding: 0.1em 0.6em;
    border-radius: 999px;
    font-size: var(--hw-status-badge-font-size, 0.8rem);
    font-weight: 600;
    line-height: 1.6;
    white-space: nowrap;
    color: var(--hw-neutral);
    background: var(--hw-neutral-soft);
  }
  [part='base']::before {
    content: '';
    width: 0.5em;
    height: 0.5em;
    border-radius: 50%;
    background: currentColor;
  }
  [data-status='active'] {
    color: var(--hw-accent);
    background: var(--hw-accent-soft);
  }
  [data-status='completed'] {
    color: var(--hw-success);
    background: var(--hw-success-soft);
  }
  [data-status='failed'],
  [data-status='stalled'] {
    color: var(--hw-danger);
    background: var(--hw-danger-soft);
  }
  [data-status='retrying'] {
    color: var(--hw-warning);
    background: var(--hw-warning-soft);
  }
  [data-status='active']::before {
    animation: pulse 1.4s ease-in-out infinite;
  }
  @keyframes pulse {
    50% {
      opacity: 0.3;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [data-status='active']::before {
      animation: none;
    }
  }
`;
