import { ChatError, type Ack, type ClientCommand, type ErrorInfo, type ServerEvent } from '@groupbuy/protocol';
import type { Transport, TransportCallbacks, TransportContext, TransportFactory } from '@groupbuy/sdk';
import { ConnectionSession, decodeCommand, type RealtimeContext, type SocketAdapter } from '@groupbuy/server/core';

/** What an in-process connection may be made to do by the test or story driving it (see `faults.ts`). */
export interface TransportFaults {
  /** True while the server is unreachable: a connection attempt closes at once. */
  readonly offline: boolean;
  /** Refuses every send with this error, when set. */
  readonly sendFailure: ErrorInfo | null;
  /** When it returns true, the send waits, unanswered and unstored, until `release` runs it. */
  hold(release: () => void): boolean;
  /** Delay of every acknowledgement and delivered event, in ms. */
  readonly latencyMs: number;
}

/** The live in-process connections, so the driver can end them (an expired secret, a dispose). */
export type SessionRegistry = Set<ConnectionSession>;

// What one frame of the command would weigh on a socket: the session's size cap applies here too.
const encoder = new TextEncoder();

/**
 * The SDK's fourth transport: a {@link ConnectionSession} of the real core per connection, with the SDK on
 * the other side of a plain-object adapter instead of a socket. The session does everything a socket
 * transport's does (token check, hub registration, frame budget, order, subscription cap, error mapping);
 * this file only moves objects, through a JSON round trip so nothing is shared with the core, and a timer
 * so callbacks never run inside the core's own call stack.
 */
export function inProcessTransport(realtime: RealtimeContext, faults: TransportFaults, sessions: SessionRegistry): TransportFactory {
  return (context: TransportContext): Transport => {
    let session: ConnectionSession | null = null;
    let callbacks: TransportCallbacks | null = null;
    let closed = false;
    const pending = new Set<(reason: Error) => void>();

    // Callbacks fire in the order they were queued: timers of one delay run first-in first-out.
    const later = (fn: () => void): void => {
      setTimeout(() => {
        if (!closed) fn();
      }, faults.latencyMs);
    };
    const finish = (info: { error?: ErrorInfo; reason: string }): void => {
      if (closed) return;
      const cbs = callbacks;
      later(() => {
        closed = true;
        if (session) sessions.delete(session);
        for (const reject of pending) reject(new ChatError('UNAVAILABLE', `in-process connection ended: ${info.reason}`));
        pending.clear();
        cbs?.onClose(info);
      });
    };
    const emit = (event: ServerEvent): void => later(() => callbacks?.onEvent(JSON.parse(JSON.stringify(event)) as ServerEvent));

    const adapter: SocketAdapter = {
      transport: 'in-process',
      acksCarryResults: true,
      deliver: (_id, delivery) => {
        const message = JSON.parse(delivery.json) as Extract<ServerEvent, { type: 'message' }>['message'];
        later(() => callbacks?.onEvent({ type: 'message', roomId: message.roomId, message }));
      },
      event: (_id, event) => emit(event),
      close: (error) => finish({ error, reason: error.code }),
      terminate: () => finish({ reason: 'connection cut' }),
    };

    return {
      name: 'memory',
      open(cbs) {
        callbacks = cbs;
        if (faults.offline) {
          finish({ reason: 'the in-process server is offline' });
          return;
        }
        const s = new ConnectionSession(realtime, adapter);
        session = s;
        sessions.add(s);
        s.run(async () => {
          if (await s.authenticate(context.token)) later(() => callbacks?.onOpen());
        });
      },
      send(command: ClientCommand) {
        return new Promise<Ack>((resolve, reject) => {
          const s = session;
          if (closed || !s || s.closed) {
            reject(new ChatError('UNAVAILABLE', 'in-process connection is not open'));
            return;
          }
          pending.add(reject);
          const answer = (ack: Ack): void =>
            later(() => {
              pending.delete(reject);
              resolve(JSON.parse(JSON.stringify(ack)) as Ack);
            });
          const run = (): void => {
            if (closed || s.closed) return;
            if (command.type === 'send' && faults.sendFailure) return answer({ ok: false, error: faults.sendFailure });
            if (!s.withinSize(encoder.encode(JSON.stringify(command)).length) || !s.admit()) return;
            s.handle(decodeCommand(command), answer);
          };
          if (command.type === 'send' && faults.hold(run)) return;
          run();
        });
      },
      close() {
        if (closed) return;
        closed = true;
        if (session) {
          sessions.delete(session);
          session.dispose();
        }
        for (const reject of pending) reject(new ChatError('UNAVAILABLE', 'in-process connection closed'));
        pending.clear();
      },
    };
  };
}
