import { html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError, signIn } from '../../api.ts';
import { baseStyles } from '../../base-styles.ts';
import { signInStyles } from './sign-in.styles.ts';

/** `hw-signed-in`: the API accepted the token; its cookie now goes with every request. */
export class SignedInEvent extends Event {
  static readonly type = 'hw-signed-in';

  constructor() {
    super(SignedInEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * Asks for a token when the API needs one (API_TOKEN, HEADWAY_TOKENS_FILE) and this browser has not signed in.
 * The token goes to `POST /api/session` once; the page then works on the HttpOnly cookie it sets.
 *
 * @event hw-signed-in - The token was accepted.
 * @csspart base - The card.
 */
@customElement('hw-sign-in')
export class HwSignIn extends LitElement {
  static override styles = [baseStyles, signInStyles];

  @state() private busy = false;
  @state() private error?: string;

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('token') as HTMLInputElement;
    this.busy = true;
    this.error = undefined;
    try {
      await signIn(input.value);
      this.dispatchEvent(new SignedInEvent());
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : String(error);
      input.select();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<section part="base" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      <p>This Headway needs a token: its <code>API_TOKEN</code>, or the one an admin made for you (<code>headway token new</code>).</p>
      <form @submit=${this.#onSubmit}>
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required maxlength="1024"
          aria-describedby=${this.error ? 'sign-in-error' : nothing} />
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      ${this.error ? html`<p class="error" id="sign-in-error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hw-sign-in': HwSignIn;
  }
  interface HTMLElementEventMap {
    'hw-signed-in': SignedInEvent;
  }
}
