// The width a chart has, kept up to date: charts draw in real pixels (viewBox = their size), so
// their text stays readable on a 360 px phone instead of shrinking with the drawing.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ChartWidth implements ReactiveController {
  /** Pixels; a guess until the first measure. */
  value = 600;
  #observer?: ResizeObserver;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (width > 0 && width !== this.value) {
        this.value = width;
        this.host.requestUpdate();
      }
    });
    this.#observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }
}
