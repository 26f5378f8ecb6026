import { roleAllows, type SessionState, shareTokenOfHash } from '@headway/progress/client';
import { html, LitElement, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { ApiError, getSession, signIn, signOut, UNAUTHORIZED_EVENT } from '../../api.ts';
import type { NavigateEvent } from '../../navigate-event.ts';
import '../job-list/job-list.ts';
import '../job-view/job-view.ts';
import '../pipeline-page/pipeline-page.ts';
import '../sign-in/sign-in.ts';
import { baseStyles } from '../../base-styles.ts';
import { appStyles } from './app.styles.ts';
import { matchRoute } from './routes.ts';

/**
 * The shell: header, and the page for `location.pathname` (`/` the jobs, `/jobs/<id>` one job,
 * `/jobs/<id>/artifacts/<name>` one job with an artifact's preview open, `/pipelines/<name>` a
 * pipeline's history, `/pipelines/<name>/compare` two of its runs).
 * It turns clicks on in-app links and `hw-navigate` events into `history.pushState`. A share link
 * (`/jobs/<id>#share=<token>`) is traded for the cookie that reads that job, unless this browser
 * is signed in already; the page hides what the signed-in role cannot do.
 *
 * @csspart base - The whole page.
 * @csspart header - The top bar.
 * @cssproperty --hw-app-max-width - Width of the content column (default 80rem).
 */
@customElement('hw-app')
export class HwApp extends LitElement {
  static override styles = [baseStyles, appStyles];

  @state() private path = location.pathname;
  /** Whether the API needs its token and has it; unknown until the first answer. */
  @state() private session?: SessionState;
  /** Why the share link this page was opened with was refused (expired, revoked). */
  @state() private shareError?: string;
  @query('main') private main!: HTMLElement;

  readonly #onPopState = () => {
    this.path = location.pathname;
  };

  readonly #onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || matchRoute(url.pathname).page === 'not-found') return;
    event.preventDefault();
    this.#navigate(url.pathname + url.search + url.hash);
  };

  readonly #onNavigate = (event: NavigateEvent) => this.#navigate(event.detail.path);

  readonly #onUnauthorized = () => {
    this.session = { tokenRequired: true, signedIn: false };
  };

  readonly #onSignedIn = () => {
    this.session = { tokenRequired: true, signedIn: true };
    // Then who, with which role.
    void this.#readSession();
  };

  readonly #onSignOut = async () => {
    await signOut().catch(() => undefined);
    this.#onUnauthorized();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('popstate', this.#onPopState);
    addEventListener(UNAUTHORIZED_EVENT, this.#onUnauthorized);
    this.addEventListener('click', this.#onClick);
    this.addEventListener('hw-navigate', this.#onNavigate);
    this.addEventListener('hw-signed-in', this.#onSignedIn);
    void this.#start();
  }

  async #start(): Promise<void> {
    const share = shareTokenOfHash(location.hash);
    if (share) {
      // The token leaves the address bar (and history) at once.
      history.replaceState(null, '', location.pathname + location.search);
      const session = await getSession().catch(() => undefined);
      // Someone signed in with a role reads the job as they are; anyone else trades the link for its cookie.
      if (!session?.role || (session.tokenRequired && !session.signedIn)) {
        await signIn(share).catch((error) => {
          this.shareError = error instanceof ApiError ? error.message : String(error);
        });
      }
    }
    await this.#readSession();
  }

  /** An API that cannot answer is shown by the page itself, with the error its requests get. */
  async #readSession(): Promise<void> {
    this.session = await getSession().catch(() => ({ tokenRequired: false, signedIn: true, role: 'admin' as const }));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this.#onPopState);
    removeEventListener(UNAUTHORIZED_EVENT, this.#onUnauthorized);
    this.removeEventListener('click', this.#onClick);
    this.removeEventListener('hw-navigate', this.#onNavigate);
    this.removeEventListener('hw-signed-in', this.#onSignedIn);
  }

  async #navigate(path: string): Promise<void> {
    if (path !== location.pathname + location.search + location.hash) history.pushState(null, '', path);
    if (this.path === location.pathname) return;
    this.path = location.pathname;
    scrollTo({ top: 0 });
    await this.updateComplete;
    // Without scrolling: a permalink's preview scrolls itself into view.
    this.main?.focus({ preventScroll: true });
  }

  override willUpdate(): void {
    document.title = 'Headway';
  }

  #renderPage() {
    if (!this.session) return nothing;
    if (this.shareError && !this.session.signedIn) {
      return html`<section class="not-found" role="alert">
        <h1>This share link cannot be used</h1>
        <p>${this.shareError}</p>
      </section>`;
    }
    if (this.session.tokenRequired && !this.session.signedIn) return html`<hw-sign-in></hw-sign-in>`;
    const route = matchRoute(this.path);
    const role = this.session.role;
    const operates = role !== undefined && roleAllows(role, 'operator');
    switch (route.page) {
      case 'jobs':
        return html`<hw-job-list .canRun=${operates}></hw-job-list>`;
      case 'job':
        return html`<hw-job-view
          .jobId=${route.id}
          .artifact=${route.artifact}
          .canOperate=${operates}
          .shared=${this.session.share !== undefined}
        ></hw-job-view>`;
      case 'pipeline':
        return html`<hw-pipeline-page .name=${route.name} ?compare=${route.compare}></hw-pipeline-page>`;
      case 'not-found':
        return html`<section class="not-found">
          <h1>Page not found</h1>
          <p>Nothing lives at <code>${this.path}</code>. <a href="/">See all jobs</a>.</p>
        </section>`;
    }
  }

  override render() {
    const onJobs = matchRoute(this.path).page === 'jobs';
    const session = this.session;
    const shared = session?.share !== undefined;
    const admin = session?.role === 'admin';
    return html`<div part="base">
      <header part="header">
        <div class="bar">
          <a class="brand" href="/"><span class="logo" aria-hidden="true"></span>Headway</a>
          <nav aria-label="Main">
            ${shared ? nothing : html`<a href="/" aria-current=${onJobs ? 'page' : 'false'}>Jobs</a>`}
            ${admin ? html`<a href="/admin/queues">Queues</a>` : nothing}
            ${session?.tokenRequired && session.name ? html`<span class="who">${session.name} · ${session.role}</span>` : nothing}
            ${
              session?.tokenRequired && session.signedIn
                ? html`<button class="sign-out" type="button" @click=${this.#onSignOut}>Sign out</button>`
                : nothing
            }
          </nav>
        </div>
      </header>
      <main tabindex="-1">${this.#renderPage()}</main>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-app': HwApp;
  }
}
