// Asks the app shell to show another page without a reload (it owns history and routing).

/** `hw-navigate`: go to `detail.path` (an in-app path such as `/jobs/42`). */
export class NavigateEvent extends Event {
  static readonly type = 'hw-navigate';
  readonly detail: { path: string };

  constructor(path: string) {
    super(NavigateEvent.type, { bubbles: true, composed: true });
    this.detail = { path };
  }
}

declare global {
  interface HTMLElementEventMap {
    'hw-navigate': NavigateEvent;
  }
}
