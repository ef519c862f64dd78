import { noChange } from 'lit';
import type { Part } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';

/**
 * Renders the text of a live countdown without re-rendering its widget: the directive owns a timer
 * and writes the text node itself, once a second while under an hour and on the minute otherwise.
 */
class CountdownDirective extends AsyncDirective {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private deadlineMs = 0;
  private offsetMs = 0;
  private format: (remainingMs: number) => string = String;

  render(deadlineMs: number, offsetMs: number, format: (remainingMs: number) => string): string {
    this.deadlineMs = deadlineMs;
    this.offsetMs = offsetMs;
    this.format = format;
    if (this.isConnected) this.schedule();
    return this.text();
  }

  private text(): string {
    // The server's clock decides the deadline: Date.now() corrected by the offset measured from REST Date headers.
    return this.format(this.deadlineMs - (Date.now() + this.offsetMs));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const remaining = this.deadlineMs - (Date.now() + this.offsetMs);
    if (remaining <= 0) return;
    const step = remaining > 3_600_000 ? 60_000 : 1000;
    // Land just after the next unit boundary so the digits change in step with the clock.
    const delay = (remaining % step) + 20;
    this.timer = setTimeout(() => {
      this.setValue(this.text());
      this.schedule();
    }, delay);
  }

  protected override disconnected(): void {
    clearTimeout(this.timer);
  }

  protected override reconnected(): void {
    this.setValue(this.text());
    this.schedule();
  }

  override update(_part: Part, [deadlineMs, offsetMs, format]: Parameters<this['render']>): unknown {
    const same = deadlineMs === this.deadlineMs && offsetMs === this.offsetMs && format === this.format && this.timer !== undefined;
    return same ? noChange : this.render(deadlineMs, offsetMs, format);
  }
}

/** `${countdown(deadlineMs, serverTimeOffsetMs, ms => text)}` — see {@link CountdownDirective}. */
export const countdown = directive(CountdownDirective);
