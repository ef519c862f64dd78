import type { ErrorInfo } from '@groupbuy/protocol';
import type { TransportFaults } from './in-process-transport.js';

/**
 * The network between the SDK and the in-process core, which a test or a story can break: take the server
 * offline (connections, and optionally REST), hold sends unanswered, refuse them with an error, slow every
 * answer down. What it breaks is what we do not own (the wire); the core behind it stays real.
 */
export class Faults implements TransportFaults {
  /** True while connection attempts fail. */
  offline = false;
  /** True while REST requests fail as an unreachable host's would (a TypeError from fetch). */
  restOffline = false;
  /** Refuses every chat send with this error while set. */
  sendFailure: ErrorInfo | null = null;
  /** Delay of every REST answer, acknowledgement and delivered event, in ms. */
  latencyMs: number;
  private holding = false;
  private readonly held: Array<() => void> = [];

  /** `latencyMs` @default 0 */
  constructor(latencyMs = 0) {
    this.latencyMs = latencyMs;
  }

  /** Holds `release` back while sends are held; true when it was held. */
  hold(release: () => void): boolean {
    if (!this.holding) return false;
    this.held.push(release);
    return true;
  }

  /** Holds every chat send from now on, unstored and unanswered, until {@link releaseSends}. */
  holdSends(): void {
    this.holding = true;
  }

  /** Runs the held sends, in order, and stops holding. */
  releaseSends(): void {
    this.holding = false;
    for (const run of this.held.splice(0)) run();
  }
}
