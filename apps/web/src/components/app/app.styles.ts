import { css } from 'lit';

export const appStyles = css`
  :host {
    display: block;
    min-height: 100vh;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    min-height: 100vh;
  }
  [part='header'] {
    position: sticky;
    top: 0;
    z-index: 1;
    background: var(--hw-surface);
    border-bottom: 1px solid var(--hw-border);
  }
  .bar,
  main {
    width: 100%;
    max-width: var(--hw-app-max-width, 80rem);
    margin: 0 auto;
    padding-inline: clamp(0.75rem, 3vw, 1.5rem);
  }
  .bar {
    display: flex;
    align-items: center;
    gap: 1rem;
    min-height: 3.25rem;
  }
  .brand {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 700;
    font-size: 1.1rem;
    color: var(--hw-text);
    text-decoration: none;
  }
  .logo {
    width: 1.4rem;
    height: 1.4rem;
    border-radius: 5px;
    background: linear-gradient(135deg, var(--hw-accent), var(--hw-success));
  }
  nav {
    display: flex;
    gap: 0.25rem;
    margin-left: auto;
  }
  nav a,
  .who {
    padding: 0.35rem 0.7rem;
    color: var(--hw-text-muted);
    font-size: 0.85rem;
  }
  .sign-out {
    padding: 0.35rem 0.7rem;
    border-radius: 6px;
    color: var(--hw-text-muted);
    text-decoration: none;
    font-size: 0.92rem;
  }
  .sign-out {
    font-family: inherit;
    border: 0;
    background: none;
    cursor: pointer;
  }
  nav a:hover,
  .sign-out:hover,
  nav a[aria-current='page'] {
    color: var(--hw-text);
    background: var(--hw-surface-2);
  }
  a:focus-visible,
  .sign-out:focus-visible,
  main:focus-visible {
    outline: 2px solid var(--hw-focus);
    outline-offset: 2px;
  }
  main {
    flex: 1;
    padding-block: 1.5rem 3rem;
  }
  main:focus {
    outline: none;
  }
  .not-found h1 {
    margin: 0 0 0.5rem;
  }
  .not-found a {
    color: var(--hw-accent);
  }
`;
